"""Whether a follower's Kafka brokers answer, decided by metadata requests of a followed
topic (probes).

librdkafka reconnects by itself; its errors only hint that the brokers went away (a
``_TRANSPORT`` error may be one connection lost while others work) and a fetched message may
come from its local queue. So a hint is checked with a probe: while the brokers do not answer,
the follower probes again after 0.5 s, 1 s, 2 s … (at most ``max_backoff_seconds``), logging
and counting each failed probe as a retry of ``kafka``, until one answers, whether or not a
message arrives then. ``metrics.kafka_up`` follows: 1 reachable, 0 not.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from confluent_kafka import Consumer, KafkaError, KafkaException

from fink_gateway.ingest.follow.metrics import FollowMetrics

log = logging.getLogger("fink_gateway.follow")
HINTS = frozenset({KafkaError._ALL_BROKERS_DOWN, KafkaError._TRANSPORT})
"""librdkafka errors that may mean the brokers went away."""
PROBE_SECONDS = 2.0
"""Longest wait for a probe's answer."""


class Reachability:
    """The brokers' state as the follower sees it: unknown until the first probe."""

    def __init__(
        self,
        topic: str,
        metrics: FollowMetrics,
        max_backoff_seconds: float,
        on_retry: Callable[[], None],
    ) -> None:
        self.topic = topic
        self.metrics = metrics
        self.max_backoff_seconds = max_backoff_seconds
        self.on_retry = on_retry
        self.up: bool | None = None
        self.failures = 0
        self._hints: list[KafkaError] = []
        self._probe_now = True
        self._next_probe = 0.0  # time.monotonic() of the next probe while unreachable

    def on_error(self, error: KafkaError) -> None:
        """librdkafka's error callback, and errors carried by messages or failed calls."""
        self._hints.append(error)

    def on_message(self) -> None:
        """A message was fetched: if the brokers were unreachable, probe at the next check."""
        if self.up is False:
            self._next_probe = 0.0

    async def check(self, consumer: Consumer) -> None:
        """Raise a fatal error; probe when a hint came while reachable, or when the backoff
        ran out while unreachable."""
        hints, self._hints = self._hints, []
        for error in hints:
            if error.fatal():
                raise KafkaException(error)
        hinted = [e for e in hints if e.code() in HINTS]
        if self.up is True and not (hinted or self._probe_now):
            return
        if self.up is False and time.monotonic() < self._next_probe:
            return
        self._probe_now = False
        failure = await asyncio.to_thread(_probe, consumer, self.topic)
        if failure is None:
            self._reachable()
        else:
            self._unreachable(hinted[-1] if hinted else failure)

    def suspect(self) -> None:
        """A Kafka call failed: probe at the next check."""
        self._probe_now = True
        self._next_probe = 0.0

    def _reachable(self) -> None:
        if self.up is False:
            log.warning("Kafka reachable again after %d retries", self.failures)
        self.up = True
        self.failures = 0
        self.metrics.kafka_up.set(1)

    def _unreachable(self, reason: KafkaError) -> None:
        self.failures += 1
        wait = min(self.max_backoff_seconds, 0.5 * 2 ** (self.failures - 1))
        if self.up is not False:
            log.warning("Kafka unreachable (%s); reconnecting with backoff", reason)
        else:
            log.warning("Kafka still unreachable; retry %d in %.1f s", self.failures, wait)
        self.up = False
        self.metrics.kafka_up.set(0)
        self._next_probe = time.monotonic() + wait
        self.on_retry()


def _probe(consumer: Consumer, topic: str) -> KafkaError | None:
    """None if a broker answers a metadata request within PROBE_SECONDS, else the error."""
    try:
        metadata = consumer.list_topics(topic, timeout=PROBE_SECONDS)
    except KafkaException as exc:
        error = exc.args[0]
        return error if isinstance(error, KafkaError) else KafkaError(KafkaError._TRANSPORT)
    return None if metadata.brokers else KafkaError(KafkaError._ALL_BROKERS_DOWN)
