"""Cross-request cache of store results, in process or in Redis (through aiocache).

Keys carry the data version that ingest changes, so nothing read before an ingest is served
after it; entries also expire after a TTL. A Redis that stops answering degrades the cache
to a miss (with one warning per outage), never to an error.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlparse

import msgpack
from aiocache import Cache
from aiocache.serializers import BaseSerializer
from cachetools import TTLCache

log = logging.getLogger("fink_gateway.cache")


class MsgpackSerializer(BaseSerializer):  # type: ignore[misc]  # aiocache is untyped (Any)
    """Rows are bytes-heavy: msgpack keeps them compact and round-trips bytes keys."""

    DEFAULT_ENCODING = None

    def dumps(self, value: Any) -> bytes:
        return cast(bytes, msgpack.packb(value, use_bin_type=True))  # msgpack is untyped

    def loads(self, value: bytes | None) -> Any:
        if value is None:
            return None
        return msgpack.unpackb(value, raw=False, strict_map_key=False, use_list=True)


def _now() -> float:
    return time.monotonic()


class BoundedMemoryCache:
    """In-process cache with the calls of aiocache's backends, over cachetools' ``TTLCache``:
    at most ``max_entries`` values, least recently used evicted first, each expiring
    ``ttl_seconds`` after it was set (aiocache's own memory backend has no size bound, and a
    long-running gateway would keep every object it ever read)."""

    def __init__(self, max_entries: int, ttl_seconds: float) -> None:
        self._items: TTLCache[str, Any] | None = None
        if max_entries > 0 and ttl_seconds > 0:
            self._items = TTLCache(maxsize=max_entries, ttl=ttl_seconds, timer=_now)

    async def multi_get(self, keys: list[str]) -> list[Any]:
        if self._items is None:
            return [None] * len(keys)
        return [self._items.get(key) for key in keys]

    async def multi_set(self, items: list[tuple[str, Any]], ttl: float) -> None:
        """Keep ``items`` (their lifetime is the cache's ``ttl_seconds``)."""
        if self._items is not None:
            for key, value in items:
                self._items[key] = value

    async def clear(self) -> None:
        if self._items is not None:
            self._items.clear()

    async def close(self) -> None:
        await self.clear()


class ResultCache:
    """``get_many``/``set_many`` of plain values; failures of the backend are misses."""

    def __init__(
        self,
        backend: str = "memory",
        redis_url: str = "",
        ttl_seconds: int = 300,
        max_entries: int = 20_000,
    ) -> None:
        self.ttl = ttl_seconds
        self.backend = backend
        self.hits = 0
        self.misses = 0
        self._degraded = False
        if backend == "redis":
            url = urlparse(redis_url)
            self._cache: Any = Cache(
                Cache.REDIS,
                endpoint=url.hostname or "127.0.0.1",
                port=url.port or 6379,
                db=int((url.path or "/0").lstrip("/") or 0),
                password=url.password,
                serializer=MsgpackSerializer(),
                namespace="fink-gateway",
                timeout=1,
            )
        else:
            self._cache = BoundedMemoryCache(max_entries, ttl_seconds)

    async def get_many(self, keys: Sequence[str]) -> list[Any]:
        if not keys or self.ttl <= 0:
            return [None] * len(keys)
        try:
            values = await self._cache.multi_get(list(keys))
        except Exception as exc:  # a cache outage must not fail a query
            self._warn(exc)
            values = [None] * len(keys)
        else:
            self._recovered()
        hits = sum(v is not None for v in values)
        self.hits += hits
        self.misses += len(keys) - hits
        return list(values)

    async def set_many(self, items: Sequence[tuple[str, Any]]) -> None:
        if not items or self.ttl <= 0:
            return
        try:
            await self._cache.multi_set(list(items), ttl=self.ttl)
        except Exception as exc:
            self._warn(exc)
        else:
            self._recovered()

    async def clear(self) -> None:
        try:
            await self._cache.clear()
        except Exception as exc:
            self._warn(exc)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection
            await self._cache.close()

    def _warn(self, exc: Exception) -> None:
        if not self._degraded:
            log.warning("cache backend %s unavailable (%s): serving without cache",
                        self.backend, exc)
            self._degraded = True

    def _recovered(self) -> None:
        if self._degraded:
            log.warning("cache backend %s is back", self.backend)
            self._degraded = False
