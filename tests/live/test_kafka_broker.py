"""The test broker of ``scripts/kafka`` takes a message and gives it back (KRaft, one node)."""

from __future__ import annotations

import uuid

import pytest
from confluent_kafka import Consumer, Producer

from tests.conftest import kafka_bootstrap

pytestmark = pytest.mark.kafka


def test_kafka_broker_round_trips_a_message() -> None:
    servers = kafka_bootstrap()
    topic = f"gwtest_{uuid.uuid4().hex[:12]}"
    producer = Producer({"bootstrap.servers": servers})
    producer.produce(topic, key=b"k", value=b"v")
    assert producer.flush(30) == 0
    consumer = Consumer(
        {"bootstrap.servers": servers, "group.id": topic, "auto.offset.reset": "earliest"}
    )
    try:
        consumer.subscribe([topic])
        message = None
        for _ in range(30):
            message = consumer.poll(1.0)
            if message is not None and message.error() is None:
                break
        assert message is not None and message.error() is None
        assert (message.key(), message.value()) == (b"k", b"v")
    finally:
        consumer.close()
