"""Tests for fink_gateway.gateway.middleware.ratelimit: token buckets per client IP, in process
and in a real Redis (``FINK_GATEWAY_TEST_REDIS=redis://host:port/db``; skipped when unset)."""

from __future__ import annotations

import asyncio
import os
import random
from typing import Any

import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.middleware import ratelimit
from fink_gateway.gateway.middleware.ratelimit import MemoryBuckets, RedisBuckets, buckets_for
from tests.gateway.conftest import ClientFactory, settings_with

REDIS_ENV = "FINK_GATEWAY_TEST_REDIS"
QUERY = {"query": "{ version }"}


def redis_url() -> str:
    url = os.environ.get(REDIS_ENV, "").strip()
    if not url:
        pytest.skip(f"{REDIS_ENV}=redis://host:port/db is not set")
    return url


def random_ip() -> str:
    """A client address of its own, so that buckets left in Redis by other runs do not count."""
    return "10." + ".".join(str(random.randrange(256)) for _ in range(3))


def limited(burst: int, redis_url: str = "") -> Settings:
    """A bucket of ``burst`` requests that does not refill during a test; in Redis when
    ``redis_url`` is given."""
    http = {"rate_limit_per_second": 0.001, "rate_limit_burst": burst}
    if not redis_url:
        return settings_with(http=http)
    return settings_with(
        cache={"redis_url": redis_url}, http={**http, "rate_limit_backend": "redis"}
    )


def assert_rate_limited(response: Any) -> None:
    assert response.status_code == 429
    assert response.headers["retry-after"] == "1000"  # 1 token at 0.001 per second
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "retry after 1000 s" in error["message"]


def test_ratelimit_is_off_by_default(client_factory: ClientFactory) -> None:
    assert buckets_for(Settings()) is None
    client = client_factory()
    assert all(client.post("/graphql", json=QUERY).status_code == 200 for _ in range(150))


def test_ratelimit_refuses_once_the_bucket_is_empty(client_factory: ClientFactory) -> None:
    client = client_factory(limited(3))
    assert [client.post("/graphql", json=QUERY).status_code for _ in range(3)] == [200] * 3
    assert_rate_limited(client.post("/graphql", json=QUERY))
    assert_rate_limited(client.get("/graphql", params=QUERY))


def test_ratelimit_keeps_one_bucket_per_client_ip(client_factory: ClientFactory) -> None:
    settings = limited(1)
    first = client_factory(settings, client=("10.0.0.1", 1000))
    assert first.post("/graphql", json=QUERY).status_code == 200
    assert first.post("/graphql", json=QUERY).status_code == 429
    with TestClient(first.app, client=("10.0.0.2", 1000)) as second:  # same app
        assert second.post("/graphql", json=QUERY).status_code == 200


def test_ratelimit_leaves_health_checks_alone(client_factory: ClientFactory) -> None:
    client = client_factory(limited(1))
    assert client.post("/graphql", json=QUERY).status_code == 200
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert client.get("/readyz").status_code == 200


@pytest.mark.anyio
async def test_memory_buckets_refill_at_the_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr(ratelimit.time, "monotonic", lambda: now[0])
    buckets = MemoryBuckets(rate=2.0, burst=2)
    assert [await buckets.take("a") for _ in range(2)] == [0.0, 0.0]
    assert await buckets.take("a") == pytest.approx(0.5)
    now[0] += 0.5  # one token back
    assert await buckets.take("a") == 0.0
    now[0] += 60  # full again, not more than the burst
    assert [await buckets.take("a") for _ in range(3)][2] > 0


@pytest.mark.anyio
async def test_memory_buckets_forget_the_least_recent_clients() -> None:
    buckets = MemoryBuckets(rate=0.001, burst=1, max_clients=2)
    for client in ("a", "b", "c"):
        assert await buckets.take(client) == 0.0
    assert await buckets.take("c") > 0  # remembered, empty
    assert await buckets.take("a") == 0.0  # forgotten: a full bucket again


def test_ratelimit_follows_the_cache_backend() -> None:
    redis = settings_with(cache={"backend": "redis"}, http={"rate_limit_per_second": 1.0})
    assert isinstance(buckets_for(redis), RedisBuckets)
    memory = settings_with(
        cache={"backend": "redis"},
        http={"rate_limit_per_second": 1.0, "rate_limit_backend": "memory"},
    )
    assert isinstance(buckets_for(memory), MemoryBuckets)


def test_ratelimit_in_redis_is_shared_by_two_gateways(client_factory: ClientFactory) -> None:
    settings = limited(3, redis_url())
    ip = (random_ip(), 1000)
    one = client_factory(settings, client=ip)
    two = client_factory(settings, client=ip)
    assert one.post("/graphql", json=QUERY).status_code == 200
    assert two.post("/graphql", json=QUERY).status_code == 200
    assert one.post("/graphql", json=QUERY).status_code == 200
    assert_rate_limited(two.post("/graphql", json=QUERY))
    assert_rate_limited(one.post("/graphql", json=QUERY))
    other = client_factory(settings, client=(random_ip(), 1000))
    assert other.post("/graphql", json=QUERY).status_code == 200


@pytest.mark.anyio
async def test_redis_buckets_refill_on_the_server_clock() -> None:
    buckets = RedisBuckets(redis_url(), rate=50.0, burst=1, namespace=f"test:{random_ip()}:")
    try:
        assert await buckets.take("a") == 0.0
        wait = await buckets.take("a")
        assert 0 < wait <= 0.02
        await asyncio.sleep(0.05)
        assert await buckets.take("a") == 0.0
    finally:
        await buckets.close()


def test_ratelimit_lets_requests_through_when_redis_is_down(
    client_factory: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_factory(limited(1, "redis://127.0.0.1:1/0"))  # nothing listens on port 1
    assert [client.post("/graphql", json=QUERY).status_code for _ in range(3)] == [200] * 3
    warnings = [r for r in caplog.records if "rate limit store" in r.getMessage()]
    assert len(warnings) == 1  # one warning per outage
