"""``Reachability``: librdkafka's errors are hints, probes decide; while the brokers do not
answer, probes back off and each failed one is a retry (no broker needed: a fake consumer)."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaError, KafkaException

from fink_gateway.ingest.follow import reachability
from fink_gateway.ingest.follow.metrics import FollowMetrics
from fink_gateway.ingest.follow.reachability import Reachability

pytestmark = pytest.mark.anyio


class Metadata:
    """A metadata answer naming one broker."""

    def __init__(self) -> None:
        self.brokers = {1: "127.0.0.1:9092"}


class FakeConsumer:
    """Answers ``list_topics`` while ``up``; counts the probes."""

    def __init__(self) -> None:
        self.up = True
        self.probes = 0

    def list_topics(self, topic: str, timeout: float) -> Metadata:
        self.probes += 1
        if not self.up:
            raise KafkaException(KafkaError(KafkaError._TRANSPORT, "down (test)"))
        return Metadata()


def down() -> KafkaError:
    return KafkaError(KafkaError._ALL_BROKERS_DOWN, "1/1 brokers are down (test)")


async def test_hints_are_probed_and_unreachable_brokers_probed_with_backoff(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [100.0]
    monkeypatch.setattr(reachability.time, "monotonic", lambda: clock[0])
    metrics, consumer, retries = FollowMetrics(), FakeConsumer(), []
    state = Reachability("t", metrics, 2.0, lambda: retries.append(clock[0]))

    await state.check(consumer)  # unknown at first: probed
    assert state.up is True and consumer.probes == 1 and metrics.kafka_up._value.get() == 1
    await state.check(consumer)  # reachable, no hint: no probe
    assert consumer.probes == 1

    consumer.up = False
    state.on_error(down())
    await state.check(consumer)
    assert state.up is False and metrics.kafka_up._value.get() == 0 and len(retries) == 1
    assert "Kafka unreachable" in caplog.text and "1/1 brokers are down" in caplog.text
    for waited, wait in [(0.5, 1.0), (1.0, 2.0), (2.0, 2.0), (2.0, 2.0)]:
        clock[0] += waited - 0.25  # too early: no probe
        probes = consumer.probes
        await state.check(consumer)
        assert consumer.probes == probes
        clock[0] += 0.25
        await state.check(consumer)
        assert consumer.probes == probes + 1
        assert f"retry {len(retries)} in {wait:.1f} s" in caplog.text
    assert len(retries) == 5

    consumer.up = True
    state.on_message()  # a message: probe at once, without waiting for the backoff
    await state.check(consumer)
    assert state.up is True and metrics.kafka_up._value.get() == 1
    assert "Kafka reachable again after 5 retries" in caplog.text


async def test_a_hint_the_probe_contradicts_changes_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics, consumer, retries = FollowMetrics(), FakeConsumer(), []
    state = Reachability("t", metrics, 2.0, lambda: retries.append(1))
    await state.check(consumer)
    state.on_error(KafkaError(KafkaError._TRANSPORT, "one connection closed (test)"))
    await state.check(consumer)
    assert consumer.probes == 2 and state.up is True and not retries
    assert "Kafka" not in caplog.text


async def test_a_fatal_error_is_raised() -> None:
    state = Reachability("t", FollowMetrics(), 2.0, lambda: None)
    state.on_error(KafkaError(KafkaError._FENCED, "fenced (test)", fatal=True))
    with pytest.raises(KafkaException):
        await state.check(FakeConsumer())

