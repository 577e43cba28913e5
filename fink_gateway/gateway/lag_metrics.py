"""The follower groups' consumer lag on the gateway's ``/metrics`` (``live:`` settings).

The gateway asks Kafka itself, so lag shows even when no follower runs:

- ``fink_gateway_follow_consumer_lag_messages{group, topic, partition}``;
- ``fink_gateway_kafka_up``: 1 when Kafka answered the last query, else 0 (and no lag).

A scrape awaits :meth:`ConsumerLagCollector.refresh` (in a worker thread, at most
``lag_timeout_seconds``, reused for ``lag_cache_seconds``), then ``collect`` prints it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from fink_gateway.live.consumer_lag import PartitionLag, read_consumer_lag
from fink_gateway.settings import LiveSettings

log = logging.getLogger("fink_gateway.metrics")

_GRACE_S = 1.0
"""Seconds a query may overrun its Kafka timeout (client start and stop) before a scrape
gives up waiting for it."""


class ConsumerLagCollector(Collector):
    """The last consumer lag read from Kafka, refreshed by scrapes."""

    def __init__(self, live: LiveSettings) -> None:
        self.live = live
        self.up = False
        self.lags: list[PartitionLag] = []
        self._read_at: float | None = None  # time.monotonic() of the last query
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        """Ask Kafka unless the last answer is under ``lag_cache_seconds`` old; never
        raises (Kafka down: ``up`` False, no lag)."""
        async with self._lock:  # concurrent scrapes share one query
            now = time.monotonic()
            if self._read_at is not None and now - self._read_at < self.live.lag_cache_seconds:
                return
            live = self.live
            try:
                lags = await asyncio.wait_for(
                    asyncio.to_thread(
                        read_consumer_lag, live.kafka_servers, live.group_ids,
                        live.lag_timeout_seconds, live.username, live.password,
                    ),
                    live.lag_timeout_seconds + _GRACE_S,
                )  # fmt: skip
            except Exception as exc:  # any failure is "Kafka did not answer", not a 500
                if self.up or self._read_at is None:
                    log.warning("consumer lag: Kafka did not answer (%s: %s)",
                                type(exc).__name__, exc)  # fmt: skip
                self.up, self.lags = False, []
            else:
                if not self.up and self._read_at is not None:
                    log.warning("consumer lag: Kafka answers again")
                self.up, self.lags = True, lags
            self._read_at = time.monotonic()

    def describe(self) -> Iterable[Metric]:
        return self._families(False, [])

    def collect(self) -> Iterable[Metric]:
        return self._families(self.up, self.lags)

    @staticmethod
    def _families(up: bool, lags: list[PartitionLag]) -> list[Metric]:
        lag = GaugeMetricFamily(
            "fink_gateway_follow_consumer_lag_messages",
            "Messages a follower group has not committed, per partition: newest offset - "
            "committed offset (newest - oldest where the group has committed nothing yet).",
            labels=["group", "topic", "partition"],
        )
        for row in lags:
            lag.add_metric([row.group, row.topic, str(row.partition)], row.messages)
        kafka_up = GaugeMetricFamily(
            "fink_gateway_kafka_up",
            "1 when Kafka answered the gateway's last consumer lag query, else 0.",
            value=1 if up else 0,
        )
        return [lag, kafka_up]


def consumer_lag_collector(live: LiveSettings) -> ConsumerLagCollector | None:
    """The collector of ``live``, or None when no Kafka or no group is configured."""
    return ConsumerLagCollector(live) if live.lag_enabled else None
