"""Consumer lag of follower groups, asked of Kafka the way a lag exporter asks.

For each group: its committed offsets (one request per group), then the newest and oldest
offsets (high and low watermarks) of every partition of the topics it has committed on. A
partition's lag is newest − committed, or newest − oldest while the group has committed
nothing there. Blocking (librdkafka): call it off the event loop. Every request shares one
deadline, so a dead Kafka costs at most ``timeout_s`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition

# OffsetSpec's documented home, which re-exports it without an __all__
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]

from fink_gateway.ingest.follow.options import sasl_config

# librdkafka's own lines (a refused connection every 100 ms while Kafka is down) are queued
# for this logger and never served: the caller logs when Kafka stops answering instead.
_LIBRDKAFKA_LOG = logging.getLogger("fink_gateway.live.librdkafka")


Key = tuple[str, int]
"""(topic, partition)."""


@dataclass(frozen=True)
class PartitionLag:
    """Messages ``group`` has not committed yet in ``topic``'s ``partition``."""

    group: str
    topic: str
    partition: int
    messages: int


def read_consumer_lag(
    servers: str,
    groups: Sequence[str],
    timeout_s: float,
    username: str | None = None,
    password: str | None = None,
) -> list[PartitionLag]:
    """Lag of each group in every partition of the topics it committed on; raises
    ``KafkaException`` (or ``TimeoutError``) when Kafka does not answer within ``timeout_s``
    seconds."""
    deadline = time.monotonic() + timeout_s
    config: dict[str, Any] = {
        "bootstrap.servers": servers,
        "client.id": "fink-gateway-lag",
        "logger": _LIBRDKAFKA_LOG,
        **sasl_config(username, password),
    }
    with AdminClient(config) as admin:
        committed = _committed(admin, groups, deadline)
        topics = {topic for offsets in committed.values() for topic, _ in offsets}
        partitions = _partitions(admin, topics, deadline)
        low, high = _watermarks(admin, partitions, deadline)
    lags = []
    for group, offsets in committed.items():
        followed = {topic for topic, _ in offsets}
        for key in (key for key in partitions if key[0] in followed):
            start = offsets.get(key, -1)
            start = start if start >= 0 else low[key]
            lags.append(PartitionLag(group, key[0], key[1], max(0, high[key] - start)))
    return lags


def _left(deadline: float) -> float:
    """Seconds until ``deadline``; a spent deadline is a timeout."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("Kafka did not answer in time")
    return left


def _committed(
    admin: AdminClient, groups: Sequence[str], deadline: float
) -> dict[str, dict[Key, int]]:
    """Each group's committed offset per partition (negative: none)."""
    futures = {
        group: admin.list_consumer_group_offsets(
            [ConsumerGroupTopicPartitions(group)], request_timeout=_left(deadline)
        )[group]
        for group in groups
    }
    out: dict[str, dict[Key, int]] = {}
    for group, future in futures.items():
        answer: ConsumerGroupTopicPartitions = future.result(timeout=_left(deadline))
        out[group] = {
            (tp.topic, tp.partition): tp.offset
            for tp in answer.topic_partitions or []
            if tp.error is None
        }
    return out


def _partitions(admin: AdminClient, topics: set[str], deadline: float) -> list[Key]:
    """Every partition of ``topics`` that still exists, in order."""
    if not topics:
        return []
    metadata = admin.list_topics(timeout=_left(deadline))
    return sorted(
        (name, partition)
        for name, topic in metadata.topics.items()
        if name in topics and topic.error is None
        for partition in topic.partitions
    )


def _watermarks(
    admin: AdminClient, partitions: list[Key], deadline: float
) -> tuple[dict[Key, int], dict[Key, int]]:
    """(oldest, newest) offset of each partition, both asked at once."""
    if not partitions:
        return {}, {}
    specs = (OffsetSpec.earliest(), OffsetSpec.latest())  # type: ignore[no-untyped-call]
    asked = [
        admin.list_offsets(
            {TopicPartition(topic, partition): spec for topic, partition in partitions},
            request_timeout=_left(deadline),
        )
        for spec in specs
    ]
    low, high = (_offsets(futures, deadline) for futures in asked)
    return low, high


def _offsets(futures: Mapping[TopicPartition, Future[Any]], deadline: float) -> dict[Key, int]:
    return {
        (tp.topic, tp.partition): int(future.result(timeout=_left(deadline)).offset)
        for tp, future in futures.items()
    }

