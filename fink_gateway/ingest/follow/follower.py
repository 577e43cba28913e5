"""``fink-gateway follow``: Kafka topics of Fink alerts → every table, batch by batch.

A batch (``batch_size`` messages, or what ``batch_seconds`` brought) is decoded, written
through the same :func:`~fink_gateway.ingest.pipeline.write_table` as file ingest, the
per-call tables written (:meth:`AlertWriter.finish`), and only then are its offsets
committed. A crash between two steps redelivers the batch, whose rows are rewritten
identically: at-least-once delivery of idempotent rows. A malformed message is logged with
its position, counted and skipped. While Kafka or the store fails, the follower waits with
an exponential backoff (capped at ``max_backoff_seconds``) and says so in the log and metrics;
whether Kafka answers is decided by :class:`Reachability`. librdkafka's own log lines go to
the ``fink_gateway.follow.librdkafka`` logger.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from fink_gateway.errors import GatewayError, IngestError
from fink_gateway.ingest.follow.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from fink_gateway.ingest.follow.messages import (
    MalformedMessage,
    MessageDecoder,
    Position,
    RawMessage,
)
from fink_gateway.ingest.follow.metrics import FollowMetrics
from fink_gateway.ingest.follow.options import FollowOptions, consumer_config
from fink_gateway.ingest.follow.reachability import Reachability
from fink_gateway.ingest.pipeline import write_table
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.layout.rubin import RUBIN_PREFIX
from fink_gateway.live.bus import MemoryBus
from fink_gateway.live.events import AlertEvent, alert_events
from fink_gateway.store.interface import Store

log = logging.getLogger("fink_gateway.follow")
T = TypeVar("T")
POLL_SECONDS = 0.5
"""Longest blocking consume call: bounds how late a stop request is seen."""
PROGRESS_SECONDS = 10.0
"""Time between two progress lines."""


@dataclass
class FollowStats:
    """What a follower did so far: messages, alerts written, malformed skipped, waits after
    failures, lag (messages), ``seconds`` since the first message."""

    messages: int = 0
    alerts: int = 0
    malformed: int = 0
    batches: int = 0
    retries: int = 0
    lag: int | None = None
    seconds: float = 0.0

    @property
    def alerts_per_second(self) -> float:
        return self.alerts / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """One progress line."""
        lag = "?" if self.lag is None else f"{self.lag:,}"
        return (
            f"followed {self.alerts:,} alerts from {self.messages:,} messages "
            f"({self.alerts_per_second:,.0f} alerts/s), lag {lag}, "
            f"{self.malformed:,} malformed, {self.retries:,} retries"
        )


class Follower:
    """Follows ``options.topics`` into the tables of ``prefix``."""

    def __init__(
        self,
        store: Store,
        prefix: str,
        options: FollowOptions,
        *,
        with_cutouts: bool = True,
        lsst_prefix: str = RUBIN_PREFIX,
        metrics: FollowMetrics | None = None,
        progress: Callable[[FollowStats], None] | None = None,
        bus: MemoryBus | None = None,
    ) -> None:
        self.store = store
        self.prefix = prefix
        self.options = options
        self.lsst_prefix = lsst_prefix
        self.metrics = FollowMetrics() if metrics is None else metrics
        self.progress = progress
        self.stats = FollowStats()
        self.writer = AlertWriter(store, prefix, with_cutouts=with_cutouts)
        self.bus = bus
        self._events: list[AlertEvent] = []
        if bus is not None:
            self.writer.on_alerts = lambda enc: self._events.extend(alert_events(enc))
        self.decoder = MessageDecoder(options.schema_path)
        self.kafka = Reachability(
            options.topics[0], self.metrics, options.max_backoff_seconds, self._kafka_retry
        )
        self.checkpoint = Checkpoint()
        self._first: float | None = None  # the first message's arrival: rates exclude waits

    # ------------------------------------------------------------------ the loop

    async def run(self, stop: asyncio.Event | None = None) -> FollowStats:
        """Follow until ``stop`` is set (or ``stop_when_idle_seconds`` pass without a
        message); the batch in hand is stored and committed first."""
        stop = asyncio.Event() if stop is None else stop
        config: dict[str, Any] = {
            **consumer_config(self.options), "error_cb": self.kafka.on_error,
            "logger": logging.getLogger("fink_gateway.follow.librdkafka"),
        }  # fmt: skip
        consumer = Consumer(config)
        try:
            consumer.subscribe(list(self.options.topics))
            await self._retry("store", self.writer.prepare, stop)
            await self._retry("store", self._resume, stop)
            await self._loop(consumer, stop)
        except _Stopped:
            pass
        finally:
            await asyncio.to_thread(consumer.close)
        if stop.is_set():
            self._emit_progress()
        return self.stats

    async def _loop(self, consumer: Consumer, stop: asyncio.Event) -> None:
        last_message = last_progress = time.monotonic()
        while not stop.is_set():
            batch = await self._gather(consumer, stop)
            await self.kafka.check(consumer)
            now = time.monotonic()
            if batch:
                self._first = now if self._first is None else self._first
                last_message = now
                await self._store(batch, stop)
                await self._commit(consumer, batch, stop)
            idle = self.options.stop_when_idle_seconds
            if now - last_progress >= PROGRESS_SECONDS or (
                idle is not None and now - last_message >= idle
            ):
                last_progress = now
                await self._update_lag(consumer)
                self._emit_progress()
                if idle is not None and now - last_message >= idle and self.stats.lag == 0:
                    return

    async def _resume(self) -> None:
        """Reload the per-night state of this group's last checkpoint."""
        self.checkpoint = await load_checkpoint(self.store, self.prefix, self.options.group_id)
        if self.checkpoint.writer_state is not None:
            await self.writer.load_state(self.checkpoint.writer_state)
            log.info("resumed the per-night state of group %s", self.options.group_id)

    def _emit_progress(self) -> None:
        if self._first is not None:
            self.stats.seconds = time.monotonic() - self._first
        if self.progress is not None:
            self.progress(self.stats)
        else:
            log.info(self.stats.line())

    async def _gather(self, consumer: Consumer, stop: asyncio.Event) -> list[RawMessage]:
        """Up to ``batch_size`` messages, waiting at most ``batch_seconds`` after the first."""
        out: list[RawMessage] = []
        deadline: float | None = None
        while not stop.is_set() and len(out) < self.options.batch_size:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            wait = POLL_SECONDS if deadline is None else min(POLL_SECONDS, deadline - now)
            # consume() waits for all it is asked for: ask for one message until the batch
            # has its first, so that batch_seconds, not POLL_SECONDS, bounds the wait after it
            want = self.options.batch_size - len(out) if out else 1
            messages = await asyncio.to_thread(consumer.consume, want, wait)
            for message in messages:
                raw = self._raw(message)
                if raw is not None:
                    out.append(raw)
            if out and deadline is None:
                deadline = time.monotonic() + self.options.batch_seconds
            if not out and not messages:
                break  # nothing yet: let the caller check idleness and stop
        return out

    def _raw(self, message: Message) -> RawMessage | None:
        error = message.error()
        if error is not None:
            self.kafka.on_error(error)
            return None
        topic, partition, offset = message.topic(), message.partition(), message.offset()
        if topic is None or partition is None or offset is None:
            return None
        self.kafka.on_message()
        return RawMessage(Position(topic, partition, offset), message.key(), message.value())

    # ------------------------------------------------------------------ storing

    async def _store(self, batch: list[RawMessage], stop: asyncio.Event) -> None:
        """Write a batch, then the per-call tables, then the checkpoint; malformed messages
        are skipped. Messages the checkpoint already counted (a batch redelivered after a
        crash) are rewritten without being counted again."""
        self.stats.messages += len(batch)
        self.metrics.messages.inc(len(batch))
        seen = [m for m in batch if self.checkpoint.is_counted(*_where(m))]
        new = [m for m in batch if not self.checkpoint.is_counted(*_where(m))]
        malformed = await self._write(seen, stop, nightly=False)
        malformed += await self._write(new, stop, nightly=True)
        for bad in malformed:
            log.warning("skipped a malformed message at %s: %s", bad.position, bad.reason)
        self.stats.malformed += len(malformed)
        self.metrics.malformed.inc(len(malformed))
        await self._retry("store", self.writer.finish, stop)
        for message in new:
            p = message.position
            key = (p.topic, p.partition)
            self.checkpoint.counted[key] = max(self.checkpoint.counted.get(key, 0), p.offset + 1)
        self.checkpoint.writer_state = self.writer.state()
        save = partial(
            save_checkpoint, self.store, self.prefix, self.options.group_id, self.checkpoint
        )
        await self._retry("store", save, stop)
        self.stats.batches += 1
        self.metrics.batches.inc()
        await self._announce()

    async def _announce(self) -> None:
        """Tell live subscribers of the batch's alerts, now stored (best effort: a failed
        publication is logged; the store has the alerts whatever happens)."""
        events, self._events = self._events, []
        if self.bus is None or not events:
            return
        try:
            await self.bus.publish(events)
        except Exception as exc:  # Redis down: subscribers miss these, the store does not
            log.warning("could not announce %d alerts (%s: %s)", len(events),
                        type(exc).__name__, exc)  # fmt: skip

    async def _write(
        self, messages: list[RawMessage], stop: asyncio.Event, *, nightly: bool
    ) -> list[MalformedMessage]:
        """Decode and write messages; returns those that are not Fink alerts."""
        if not messages:
            return []
        decoded = self.decoder.decode(messages)
        malformed = list(decoded.malformed)
        for table, positions in decoded.tables:
            source = f"{positions[0]}..{positions[-1].offset}"
            write = partial(
                write_table, self.writer, table, source, lsst_prefix=self.lsst_prefix,
                nightly=nightly,
            )  # fmt: skip
            try:
                written = await self._retry("store", write, stop)
            except IngestError as exc:  # decodable, but not Fink alerts: the whole group
                malformed.extend(MalformedMessage(p, str(exc)) for p in positions)
                continue
            self.stats.alerts += written
            self.metrics.alerts.inc(written)
        return malformed

    async def _commit(
        self, consumer: Consumer, batch: list[RawMessage], stop: asyncio.Event
    ) -> None:
        """Commit the offset after the last message of each partition of the batch."""
        ends: dict[tuple[str, int], int] = {}
        for message in batch:
            p = message.position
            ends[(p.topic, p.partition)] = max(ends.get((p.topic, p.partition), -1), p.offset)
        offsets = [TopicPartition(t, part, end + 1) for (t, part), end in ends.items()]

        async def commit() -> None:
            await self.kafka.check(consumer)  # a retry: mark Kafka unreachable if it is
            await asyncio.to_thread(consumer.commit, offsets=offsets, asynchronous=False)

        try:
            await self._retry("kafka", commit, stop)
        except _Stopped:
            log.warning("stopped before the last batch was committed: it will be read again")

    # ------------------------------------------------------------------ failures

    async def _retry(
        self, target: str, attempt: Callable[[], Awaitable[T]], stop: asyncio.Event
    ) -> T:
        """``attempt()`` until it succeeds, waiting 0.5 s, 1 s, 2 s … (at most
        ``max_backoff_seconds``) after each failure of the store or of Kafka."""
        failures = 0
        while True:
            try:
                return await attempt()
            except IngestError:
                raise
            except (GatewayError, KafkaException, OSError) as exc:
                if isinstance(exc, KafkaException) and _fatal(exc):
                    raise
                failures += 1
                wait = min(self.options.max_backoff_seconds, 0.5 * 2 ** (failures - 1))
                log.warning(
                    "%s failed (%s: %s); retry %d in %.1f s",
                    target, type(exc).__name__, exc, failures, wait,
                )  # fmt: skip
                self.stats.retries += 1
                self.metrics.retries.labels(target=target).inc()
                if target == "kafka":
                    self.kafka.suspect()
                try:
                    await asyncio.wait_for(stop.wait(), wait)
                except TimeoutError:
                    continue
                raise _Stopped() from exc

    def _kafka_retry(self) -> None:
        """Count a failed probe of unreachable brokers."""
        self.stats.retries += 1
        self.metrics.retries.labels(target="kafka").inc()

    async def _update_lag(self, consumer: Consumer) -> None:
        """Messages behind the newest, summed over the assigned partitions (None when the
        brokers do not answer or no partition is assigned yet)."""

        def lag() -> dict[tuple[str, int], int] | None:
            try:
                assigned = consumer.assignment()
                if not assigned:  # not (yet) a member of the group: lag unknown
                    return None
                positions = consumer.position(assigned)
                out = {}
                for tp in positions:
                    low, high = consumer.get_watermark_offsets(
                        TopicPartition(tp.topic, tp.partition), timeout=2.0
                    )
                    at = tp.offset if tp.offset >= 0 else low
                    out[(tp.topic, tp.partition)] = max(0, high - at)
                return out
            except KafkaException:
                return None

        lags = await asyncio.to_thread(lag)
        if lags is None:
            self.stats.lag = None
            return
        for (topic, partition), value in lags.items():
            self.metrics.lag.labels(topic=topic, partition=str(partition)).set(value)
        self.stats.lag = sum(lags.values())


def _fatal(exc: KafkaException) -> bool:
    """A fatal librdkafka error: the consumer is unusable, retrying is pointless."""
    error = exc.args[0] if exc.args else None
    return isinstance(error, KafkaError) and error.fatal()


def _where(message: RawMessage) -> tuple[str, int, int]:
    p = message.position
    return p.topic, p.partition, p.offset


class _Stopped(Exception):
    """Asked to stop while waiting to retry."""
