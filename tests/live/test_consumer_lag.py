"""Consumer lag against a real Kafka: ``read_consumer_lag`` and the gateway's ``/metrics``
(``live:`` settings), with Kafka answering, and pointed at a port nothing listens on."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from starlette.testclient import TestClient

from fink_gateway.gateway.lag_metrics import ConsumerLagCollector
from fink_gateway.live.consumer_lag import PartitionLag, read_consumer_lag
from fink_gateway.settings import LiveSettings, Settings
from tests.conftest import kafka_bootstrap
from tests.gateway.demo_apps import demo_client
from tests.gateway.test_metrics import Samples, scrape, value

pytestmark = pytest.mark.kafka

MESSAGES = (10, 4)
"""Messages produced to partitions 0 and 1."""
COMMITTED = 3
"""Offset a test group commits in partition 0 (partition 1: no commit)."""
LAG = "fink_gateway_follow_consumer_lag_messages"
UP = "fink_gateway_kafka_up"


@pytest.fixture(scope="module")
def topic() -> Iterator[str]:
    """A fresh two-partition topic holding ``MESSAGES``; deleted afterwards."""
    servers = kafka_bootstrap()
    name = f"gwtest_lag_{uuid.uuid4().hex[:8]}"
    with AdminClient({"bootstrap.servers": servers}) as admin:
        admin.create_topics([NewTopic(name, 2, 1)])[name].result(30)
    producer = Producer({"bootstrap.servers": servers})
    for partition, count in enumerate(MESSAGES):
        for _ in range(count):
            producer.produce(name, value=b"any bytes", partition=partition)
    assert producer.flush(30) == 0
    yield name
    with AdminClient({"bootstrap.servers": servers}) as admin:
        admin.delete_topics([name])[name].result(30)


def commit(group: str, topic: str, offset: int) -> str:
    """``group`` commits ``offset`` in partition 0 of ``topic``, as a follower does."""
    consumer = Consumer(
        {"bootstrap.servers": kafka_bootstrap(), "group.id": group, "enable.auto.commit": False}
    )
    try:
        consumer.commit(offsets=[TopicPartition(topic, 0, offset)], asynchronous=False)
    finally:
        consumer.close()
    return group


def closed_port() -> str:
    """``host:port`` of a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def new_group(topic: str) -> str:
    """A group that committed ``COMMITTED`` in partition 0 of ``topic``."""
    return commit(f"{topic}_{uuid.uuid4().hex[:6]}", topic, COMMITTED)


def lag_client(tmp_path: Path, **live: Any) -> contextlib.AbstractContextManager[TestClient]:
    """A gateway (empty store) whose ``live:`` settings are ``live``."""
    settings = Settings(store=str(tmp_path / "store.db"), live=LiveSettings(**live))
    return demo_client(tmp_path / "store.db", settings)


def following(
    tmp_path: Path, groups: str, **live: Any
) -> contextlib.AbstractContextManager[TestClient]:
    """A gateway reporting the lag of ``groups`` (comma separated) on the test Kafka."""
    return lag_client(tmp_path, kafka_servers=kafka_bootstrap(), follow_groups=groups, **live)


def collector(client: TestClient) -> ConsumerLagCollector:
    lag = client.app.state.metrics.lag  # type: ignore[attr-defined]
    assert isinstance(lag, ConsumerLagCollector)
    return lag


def lag_samples(samples: Samples) -> dict[tuple[str, str], float]:
    """(topic, partition) → lag, of every lag sample."""
    return {
        (labels["topic"], labels["partition"]): v
        for (name, label_set), v in samples.items()
        if name == LAG
        for labels in [dict(label_set)]
    }


def test_read_consumer_lag_counts_from_the_commit_or_the_oldest_offset(
    topic: str, new_group: str
) -> None:
    lags = read_consumer_lag(kafka_bootstrap(), [new_group, f"{new_group}_never_ran"], 5.0)
    assert sorted(lags, key=lambda lag: lag.partition) == [
        PartitionLag(new_group, topic, 0, MESSAGES[0] - COMMITTED),
        PartitionLag(new_group, topic, 1, MESSAGES[1]),  # nothing committed: all of it
    ]


def test_metrics_report_each_partitions_lag_and_kafka_up(
    topic: str, new_group: str, tmp_path: Path
) -> None:
    other = commit(f"{new_group}_other", topic, MESSAGES[0])
    with following(tmp_path, f"{new_group}, {other}") as client:
        response = client.get("/metrics")
        assert "committed nothing yet" in response.text  # the help says what lag counts
        samples = scrape(client)
    assert value(samples, UP) == 1
    assert value(samples, LAG, group=new_group, topic=topic, partition="0") == 7  # 10 - 3
    assert value(samples, LAG, group=new_group, topic=topic, partition="1") == MESSAGES[1]
    assert value(samples, LAG, group=other, topic=topic, partition="0") == 0


def test_scrapes_reuse_an_answer_for_lag_cache_seconds(
    topic: str, new_group: str, tmp_path: Path
) -> None:
    with following(tmp_path, new_group, lag_cache_seconds=60.0) as client:
        assert lag_samples(scrape(client))[(topic, "0")] == MESSAGES[0] - COMMITTED
        commit(new_group, topic, MESSAGES[0])
        assert lag_samples(scrape(client))[(topic, "0")] == MESSAGES[0] - COMMITTED  # cached
        lag = collector(client)
        lag.live = dataclasses.replace(lag.live, lag_cache_seconds=0.0)
        assert lag_samples(scrape(client))[(topic, "0")] == 0


def test_kafka_down_is_kafka_up_0_quickly_and_never_a_500(tmp_path: Path) -> None:
    kafka_bootstrap()  # the kafka marker's tests run where Kafka is set up
    with lag_client(tmp_path, kafka_servers=closed_port(), follow_groups="g") as client:
        start = time.monotonic()
        samples = scrape(client)  # asserts the 200
        assert time.monotonic() - start < 5.0  # lag_timeout_seconds: 2 s
    assert value(samples, UP) == 0
    assert lag_samples(samples) == {}


def test_lag_of_a_kafka_that_stops_answering_is_dropped(
    topic: str, new_group: str, tmp_path: Path
) -> None:
    with following(tmp_path, new_group, lag_cache_seconds=0.0, lag_timeout_seconds=1.0) as client:
        assert value(scrape(client), UP) == 1
        lag = collector(client)
        lag.live = dataclasses.replace(lag.live, kafka_servers=closed_port())
        samples = scrape(client)
    assert value(samples, UP) == 0
    assert lag_samples(samples) == {}  # no stale lag


def test_a_slow_scrape_does_not_hold_up_other_requests(tmp_path: Path) -> None:
    kafka_bootstrap()
    with lag_client(
        tmp_path, kafka_servers=closed_port(), follow_groups="g", lag_timeout_seconds=3.0
    ) as client:
        scraping = threading.Thread(target=client.get, args=("/metrics",))
        scraping.start()
        time.sleep(0.5)  # the scrape now waits for Kafka, for 3 s
        assert client.get("/healthz").status_code == 200
        assert scraping.is_alive()  # /healthz was answered meanwhile
        scraping.join(10)
