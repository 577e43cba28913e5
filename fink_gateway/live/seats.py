"""Subscription seats per client address: how many live subscriptions one IP holds at once.

:class:`MemorySeats` counts in this process. :class:`RedisSeats` counts in Redis (the Redis
the cache and the alert bus use), so the limit holds across every gateway process: each seat
is a member of the sorted set ``<namespace><client>`` scored by the time its lease ends
(Redis server clock, seconds). A process renews the leases of the seats it holds every
``lease_seconds / 3``; the seats of a process that died lapse after ``lease_seconds``. A Redis
that does not answer lets subscriptions through, with one warning per outage (as the rate
limiter does).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Protocol

import redis.asyncio as redis

from fink_gateway.errors import TooManySubscriptions
from fink_gateway.settings import Settings

log = logging.getLogger("fink_gateway.live")
LEASE_SECONDS = 60.0
"""How long a seat outlives the last renewal of the process holding it, seconds."""


class SubscriptionSeats(Protocol):
    """Seats by client address; a client holds at most ``cap`` at once."""

    async def take(self, client: str, cap: int) -> str | None:
        """A new seat's id, or None when ``client`` already holds ``cap``."""
        ...

    async def release(self, client: str, seat: str) -> None: ...

    async def close(self) -> None: ...


@contextlib.asynccontextmanager
async def seat_for(seats: SubscriptionSeats, client: str, cap: int) -> AsyncIterator[None]:
    """Hold one of ``client``'s seats for the block; TOO_MANY_SUBSCRIPTIONS when all are
    taken."""
    seat = await seats.take(client, cap)
    if seat is None:
        raise TooManySubscriptions(
            f"one client address may hold {cap} live subscriptions at once (over all its "
            "connections)",
            limit=cap,
        )
    try:
        yield
    finally:
        await seats.release(client, seat)


class MemorySeats:
    """Seats counted in this process."""

    def __init__(self) -> None:
        self._held: Counter[str] = Counter()

    async def take(self, client: str, cap: int) -> str | None:
        if self._held[client] >= cap:
            return None
        self._held[client] += 1
        return uuid.uuid4().hex

    async def release(self, client: str, seat: str) -> None:
        self._held[client] -= 1
        if self._held[client] <= 0:
            del self._held[client]

    async def close(self) -> None:
        self._held.clear()


_TAKE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.ceil(lease * 1000))
return 1
"""
"""Drop lapsed seats; add seat ARGV[2] unless ARGV[1] are held; 1 when added."""

_RENEW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local lease = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], math.ceil(lease * 1000))
return 1
"""
"""Push back the lease end of the seats ARGV[2…] of one client."""


class RedisSeats:
    """Seats in Redis sorted sets, shared by every gateway process."""

    def __init__(
        self,
        url: str,
        namespace: str = "fink-gateway:subscriptions:",
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.namespace = namespace
        self.lease_seconds = lease_seconds
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._take = self._redis.register_script(_TAKE)
        self._renew = self._redis.register_script(_RENEW)
        self._held: dict[str, set[str]] = {}  # client → seats this process holds
        self._renewer: asyncio.Task[None] | None = None
        self._degraded = False

    async def take(self, client: str, cap: int) -> str | None:
        seat = uuid.uuid4().hex
        try:
            added = await self._take(
                keys=[self.namespace + client], args=[cap, seat, self.lease_seconds]
            )
        except Exception as exc:  # an outage lets subscriptions through
            self._warn(exc)
            return seat
        self._back()
        if not int(added):
            return None
        self._held.setdefault(client, set()).add(seat)
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.create_task(self._renew_leases())
        return seat

    async def release(self, client: str, seat: str) -> None:
        seats = self._held.get(client)
        if seats is None or seat not in seats:
            return  # taken during an outage: never stored
        seats.discard(seat)
        if not seats:
            del self._held[client]
        try:
            await self._redis.zrem(self.namespace + client, seat)
        except Exception as exc:  # the lease lapses by itself
            self._warn(exc)

    async def _renew_leases(self) -> None:
        while self._held:
            await asyncio.sleep(self.lease_seconds / 3)
            for client, seats in list(self._held.items()):
                if not seats:
                    continue
                try:
                    await self._renew(
                        keys=[self.namespace + client], args=[self.lease_seconds, *seats]
                    )
                except Exception as exc:
                    self._warn(exc)

    def _warn(self, exc: Exception) -> None:
        if not self._degraded:
            log.warning("subscription seats unavailable in Redis (%s): not limiting per IP", exc)
            self._degraded = True

    def _back(self) -> None:
        if self._degraded:
            log.warning("subscription seats in Redis are back")
            self._degraded = False

    async def close(self) -> None:
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer
        for client, seats in list(self._held.items()):
            with contextlib.suppress(Exception):
                await self._redis.zrem(self.namespace + client, *seats)
        self._held.clear()
        await self._redis.aclose()


def subscription_seats(settings: Settings, prefix: str) -> SubscriptionSeats:
    """Seats in Redis when the cache is (every gateway process shares them), else in
    process."""
    if settings.cache.backend == "redis":
        return RedisSeats(settings.cache.redis_url, f"fink-gateway:{prefix}:subscriptions:")
    return MemorySeats()
