"""The in-process cache is bounded (LRU) and expires entries."""

from __future__ import annotations

import pytest

from fink_gateway.loaders.cache import ResultCache

pytestmark = pytest.mark.anyio


async def test_memory_cache_keeps_at_most_max_entries() -> None:
    cache = ResultCache("memory", ttl_seconds=60, max_entries=3)
    await cache.set_many([(f"k{i}", i) for i in range(5)])
    assert await cache.get_many(["k0", "k1", "k2", "k3", "k4"]) == [None, None, 2, 3, 4]


async def test_memory_cache_drops_the_least_recently_used() -> None:
    cache = ResultCache("memory", ttl_seconds=60, max_entries=2)
    await cache.set_many([("a", 1), ("b", 2)])
    await cache.get_many(["a"])
    await cache.set_many([("c", 3)])
    assert await cache.get_many(["a", "b", "c"]) == [1, None, 3]


async def test_memory_cache_expires_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    import fink_gateway.loaders.cache as module

    now = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: now[0])
    cache = ResultCache("memory", ttl_seconds=10)
    await cache.set_many([("a", 1)])
    now[0] += 11
    assert await cache.get_many(["a"]) == [None]
