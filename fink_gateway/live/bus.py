"""The alert bus: writers publish the alerts they stored, subscriptions receive them.

:class:`MemoryBus` fans out inside one process (a gateway that also writes, tests).
:class:`RedisBus` publishes through Redis pub/sub (the Redis the cache uses), so a follower
process and every gateway process share one stream. Each subscriber has a bounded queue:
a subscriber that falls ``queue_size`` events behind is dropped with :class:`SlowConsumer`
instead of being buffered without bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import redis.asyncio as aioredis

from fink_gateway.errors import SlowConsumer
from fink_gateway.live.events import AlertEvent, decode_events, encode_events
from fink_gateway.settings import Settings

log = logging.getLogger("fink_gateway.live")
QUEUE_SIZE = 1000
"""Events a subscriber may have waiting before it is dropped as too slow."""
BATCH_EVENTS = 500
"""Most events a subscriber takes at once."""


class Subscriber:
    """One subscription's queue; iterate it for lists of events."""

    def __init__(self, queue_size: int) -> None:
        self._queue: asyncio.Queue[AlertEvent] = asyncio.Queue(queue_size)
        self.queue_size = queue_size
        self.dropped = False

    def offer(self, event: AlertEvent) -> None:
        """Queue an event; a full queue drops the subscriber."""
        if self.dropped:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped = True
            self._queue = asyncio.Queue(1)  # free the backlog; wake the reader
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(event)

    async def __aiter__(self) -> AsyncIterator[list[AlertEvent]]:
        """Lists of events: once one is waiting, all that are (at most ``BATCH_EVENTS``), so
        a subscription reads and labels a writer's batch at once rather than alert by
        alert."""
        while True:
            batch = [await self._queue.get()]
            while len(batch) < BATCH_EVENTS and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            if self.dropped:
                raise SlowConsumer(
                    f"this subscription fell {self.queue_size} alerts behind and was "
                    "dropped: read faster, or narrow its filter",
                )
            yield batch


class MemoryBus:
    """In-process fan-out."""

    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self.queue_size = queue_size
        self._subscribers: set[Subscriber] = set()

    async def publish(self, events: list[AlertEvent]) -> None:
        self.deliver(events)

    def deliver(self, events: list[AlertEvent]) -> None:
        for subscriber in list(self._subscribers):
            for event in events:
                subscriber.offer(event)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscriber]:
        subscriber = Subscriber(self.queue_size)
        self._subscribers.add(subscriber)
        try:
            await self._started()
            yield subscriber
        finally:
            self._subscribers.discard(subscriber)
            await self._idle()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def _started(self) -> None:
        """Hook: a subscriber was added."""

    async def _idle(self) -> None:
        """Hook: a subscriber left."""

    async def close(self) -> None:
        return None


class RedisBus(MemoryBus):
    """Redis pub/sub on ``channel``: one listening task per process while anyone subscribes,
    fanning out to the local subscribers."""

    def __init__(self, url: str, channel: str, queue_size: int = QUEUE_SIZE) -> None:
        super().__init__(queue_size)
        self.channel = channel
        self._redis = aioredis.Redis.from_url(url)
        self._listener: asyncio.Task[None] | None = None
        self._ready: asyncio.Event | None = None

    async def publish(self, events: list[AlertEvent]) -> None:
        if events:
            await self._redis.publish(self.channel, encode_events(events))

    async def _started(self) -> None:
        if self._listener is None or self._listener.done():
            self._ready = asyncio.Event()
            self._listener = asyncio.create_task(self._listen(self._ready))
        assert self._ready is not None
        await self._ready.wait()  # subscribed: nothing published from now on is missed

    async def _idle(self) -> None:
        if not self._subscribers and self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None

    async def _listen(self, ready: asyncio.Event) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            ready.set()
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self.deliver(decode_events(message["data"]))
        except Exception:
            log.exception("the Redis alert channel %s failed", self.channel)
            ready.set()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py

    async def close(self) -> None:
        await self._idle()
        await self._redis.aclose()


AlertBus = MemoryBus
"""Either bus (a RedisBus is a MemoryBus that also crosses processes)."""


def alert_channel(prefix: str) -> str:
    """The Redis channel of the alerts stored under ``prefix``."""
    return f"fink_gateway:{prefix}:alerts"


def alert_bus(settings: Settings, prefix: str) -> MemoryBus:
    """Live alerts through Redis pub/sub when the cache is in Redis (``cache.backend:
    redis``: what ``follow`` in another process publishes), else in process."""
    if settings.cache.backend == "redis":
        return RedisBus(settings.cache.redis_url, alert_channel(prefix))
    return MemoryBus()
