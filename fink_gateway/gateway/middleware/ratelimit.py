"""Rate limiting per client IP: a token bucket of ``burst`` requests refilled at ``rate`` per
second. A request that finds its bucket empty gets HTTP 429, a ``Retry-After`` header and a
``RATE_LIMITED`` error.

The buckets live in this process (:class:`MemoryBuckets`) or in Redis (:class:`RedisBuckets`,
one atomic script per request, timed by the Redis server's clock), where every gateway process
shares them. A Redis that does not answer lets requests through, with one warning per outage.
The client is the connection's peer address: behind a proxy, let uvicorn read the forwarded
address (``--forwarded-allow-ips``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from typing import Protocol

import redis.asyncio as redis
from redis.commands.core import AsyncScript
from starlette.types import ASGIApp, Receive, Scope, Send

from fink_gateway.errors import RateLimited
from fink_gateway.gateway.error_response import error_response
from fink_gateway.gateway.middleware.request_id import scope_request_id
from fink_gateway.settings import Settings

log = logging.getLogger("fink_gateway.ratelimit")


class Buckets(Protocol):
    """Token buckets by client."""

    async def take(self, client: str) -> float:
        """Take one token: 0 when there was one, else the seconds until there will be."""
        ...

    async def close(self) -> None: ...


class MemoryBuckets:
    """Buckets in a dict, the least recently seen forgotten past ``max_clients``."""

    def __init__(self, rate: float, burst: int, max_clients: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, monotonic s)

    async def take(self, client: str) -> float:
        now = time.monotonic()
        tokens, then = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
        if len(self._buckets) > self.max_clients:
            del self._buckets[next(iter(self._buckets))]
        return wait

    async def close(self) -> None:
        self._buckets.clear()


_TAKE = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""
"""Refill, take one token if any, return the wait (text: Redis truncates Lua numbers)."""


class RedisBuckets:
    """Buckets in Redis hashes ``<namespace><client>``, expiring once full again."""

    def __init__(
        self, url: str, rate: float, burst: int, namespace: str = "fink-gateway:ratelimit:"
    ) -> None:
        self.url = url
        self.rate = rate
        self.burst = burst
        self.namespace = namespace
        self._client: redis.Redis | None = None
        self._script: AsyncScript | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._degraded = False

    def _take_script(self) -> AsyncScript:
        loop = asyncio.get_running_loop()
        if self._script is None or self._loop is not loop:  # connections belong to one loop
            self._client = redis.Redis.from_url(
                self.url, socket_timeout=1, socket_connect_timeout=1
            )
            self._script = self._client.register_script(_TAKE)
            self._loop = loop
        return self._script

    async def take(self, client: str) -> float:
        try:
            script = self._take_script()
            wait = await script(keys=[self.namespace + client], args=[self.rate, self.burst])
        except Exception as exc:  # an outage (or a bad URL) lets requests through
            if not self._degraded:
                log.warning("rate limit store %s unavailable (%s): not limiting", self.url, exc)
                self._degraded = True
            return 0.0
        if self._degraded:
            log.warning("rate limit store %s is back", self.url)
            self._degraded = False
        return float(wait.decode() if isinstance(wait, bytes) else wait)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = self._script = None


def buckets_for(settings: Settings) -> Buckets | None:
    """The buckets ``settings.http`` asks for; None when rate limiting is off."""
    http = settings.http
    if http.rate_limit_per_second <= 0:
        return None
    backend = http.rate_limit_backend
    if backend == "cache":
        backend = settings.cache.backend
    if backend == "redis":
        return RedisBuckets(
            settings.cache.redis_url, http.rate_limit_per_second, http.rate_limit_burst
        )
    return MemoryBuckets(http.rate_limit_per_second, http.rate_limit_burst)


class RateLimitMiddleware:
    """Takes a token per request under ``paths``; refuses with 429 when there is none."""

    def __init__(self, app: ASGIApp, buckets: Buckets, paths: tuple[str, ...] = ("/graphql",)
                 ) -> None:  # fmt: skip
        self.app = app
        self.buckets = buckets
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.paths):
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        wait = await self.buckets.take(peer[0] if peer else "unknown")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        response = error_response(
            RateLimited(retry_after), scope_request_id(scope), {"retry-after": str(retry_after)}
        )
        await response(scope, receive, send)
