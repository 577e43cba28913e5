"""``fink-gateway follow`` while its Kafka broker stops, then starts again on the same data:
the follower says so in its log and metrics, retries with backoff, resumes where it was, and
the tables end as a file ingest of the same alerts leaves them (none missing, none twice).

The broker is this module's own (``scripts/kafka`` with a home in a tmp dir, free ports), so
stopping it leaves the shared test broker alone."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from confluent_kafka import KafkaException

from fink_gateway.store.embedded import EmbeddedStore
from tests.conftest import kafka_bootstrap
from tests.data_paths import SCIENCE_FILES
from tests.faults.test_ingest_kill import checksums
from tests.live.conftest import MESSAGES
from tests.live.follow_process import ROOT, committed, follow
from tests.live.livestream import produce, sample_messages

pytestmark = [pytest.mark.kafka, pytest.mark.slow]
FIRST = 100
"""Messages produced before the broker stops; the rest after it is back."""
WAIT = 60.0
"""Longest wait for each step (seconds)."""


@dataclass
class Broker:
    """A broker of ``scripts/kafka`` living in its own home (``env``)."""

    servers: str
    env: dict[str, str]

    def run(self, command: str, *, check: bool = True) -> None:
        done = subprocess.run(
            [str(ROOT / "scripts" / "kafka"), command], env=self.env, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip
        if check:
            assert done.returncode == 0, f"scripts/kafka {command}: {done.stderr[-2000:]}"


def free_ports(count: int) -> list[int]:
    """Loopback ports nothing listens on (all held open together, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    """A broker of this module's own; the jars come from ``FINK_GATEWAY_KAFKA_LIB`` or
    ``<repo>/.kafka/lib`` as for the shared one. Stopped (and its home removed) at the end."""
    kafka_bootstrap()  # the kafka marker's tests run where Kafka is set up
    port, controller = free_ports(2)
    env = {
        **os.environ,
        "FINK_GATEWAY_KAFKA_HOME": str(tmp_path_factory.mktemp("kafka")),
        "FINK_GATEWAY_KAFKA_PORT": str(port),
        "FINK_GATEWAY_KAFKA_CONTROLLER_PORT": str(controller),
        "FINK_GATEWAY_KAFKA_HEAP": "256m",
        "PYTHON": sys.executable,
    }
    own = Broker(f"127.0.0.1:{port}", env)
    try:
        own.run("start")
        yield own
    finally:
        own.run("stop", check=False)


def metrics(port: int) -> dict[str, float]:
    """The follower's Prometheus samples by name with labels, e.g. ``…_kafka_up``."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    out = {}
    for line in text.splitlines():
        if line.startswith("fink_gateway_follow_"):
            name, _, value = line.rpartition(" ")
            out[name.removeprefix("fink_gateway_follow_")] = float(value)
    return out


KAFKA_RETRIES = 'retries_total{target="kafka"}'


def test_follow_reports_a_stopped_broker_and_resumes_when_it_is_back(
    broker: Broker, expected: dict[str, str], tmp_path: Path
) -> None:
    messages = list(sample_messages(SCIENCE_FILES))
    assert len(messages) == MESSAGES
    topic = f"gwtest_restart_{uuid.uuid4().hex[:8]}"
    prefix = f"gwrestart_{uuid.uuid4().hex[:8]}"
    group = f"g_{prefix}"
    (port,) = free_ports(1)
    log_path = tmp_path / "follow.log"
    produce(broker.servers, topic, messages[:FIRST])

    with log_path.open("wb") as log:
        process = follow(
            broker.servers, str(tmp_path / "store.db"), prefix, topic, group,
            "--metrics-port", str(port), "--max-backoff", "1", output=log,
        )  # fmt: skip

    def wait(condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not condition():
            assert process.poll() is None, f"the follower ended: {log_path.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"not {what} in {WAIT:.0f} s"
            time.sleep(0.2)

    def said(text: str) -> bool:
        return text in log_path.read_text()

    def committed_up_to(offset: int) -> bool:
        try:
            return committed(broker.servers, topic, group) == offset
        except KafkaException:  # e.g. NOT_COORDINATOR while a new broker sets up its groups
            return False

    try:
        wait(lambda: committed_up_to(FIRST), "stored the first part")
        assert metrics(port)["kafka_up"] == 1

        broker.run("stop")
        wait(lambda: said("Kafka unreachable"), "logged Kafka unreachable")
        wait(lambda: metrics(port)["kafka_up"] == 0, "kafka_up 0")
        retries = metrics(port)[KAFKA_RETRIES]
        assert retries >= 1
        wait(lambda: metrics(port)[KAFKA_RETRIES] >= retries + 2, "retried twice more")
        assert not said("Kafka reachable again")

        broker.run("start")  # the same data: topics and committed offsets are back
        wait(lambda: said("Kafka reachable again"), "logged Kafka reachable again")
        assert metrics(port)["kafka_up"] == 1  # before any new message came

        produce(broker.servers, topic, messages[FIRST:])
        wait(lambda: committed_up_to(MESSAGES), "followed the rest")
        seen = metrics(port)
        assert seen["messages_total"] == MESSAGES  # nothing read twice, nothing skipped
        assert seen["malformed_total"] == 0
        assert seen["kafka_up"] == 1
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0, log_path.read_text()[-3000:]
    finally:
        process.kill()
        process.wait(30)

    text = log_path.read_text()
    assert text.index("Kafka unreachable") < text.index("Kafka reachable again")
    assert asyncio.run(checksums(EmbeddedStore(tmp_path / "store.db"), prefix)) == expected
