"""``Follower`` against a real Kafka topic holding every sample alert, on both backends: the
store ends as a file ingest of the same alerts leaves it; a malformed message is skipped."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fink_gateway.errors import BackendUnavailable
from fink_gateway.ingest.follow.follower import Follower, FollowStats
from fink_gateway.ingest.follow.metrics import FollowMetrics
from fink_gateway.ingest.follow.options import FollowOptions
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.embedded import EmbeddedStore
from tests.conftest import BACKENDS, kafka_bootstrap, module_store, store_opener
from tests.data_paths import SCIENCE_FILES
from tests.faults.test_ingest_kill import checksums
from tests.live.livestream import produce, sample_messages

pytestmark = [pytest.mark.anyio, pytest.mark.kafka]
ALERTS = 157
"""Alerts in the sample files (every one passes Fink's cuts)."""


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def topic() -> str:
    """A topic holding a message per sample alert, with one that is not Avro among them."""
    servers = kafka_bootstrap()
    name = f"gwtest_follow_{uuid.uuid4().hex[:8]}"
    messages = list(sample_messages(SCIENCE_FILES))
    key = messages[0][0]
    produce(servers, name, [*messages[:100], (key, b"\x00not avro"), *messages[100:]])
    return name


@pytest.fixture(scope="module")
async def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Table checksums of a file ingest of the samples (embedded; same cells on HBase)."""
    path = tmp_path_factory.mktemp("file_ingest") / "store.db"
    store = EmbeddedStore(path)
    report = await ingest_files(store, "gwexpected", SCIENCE_FILES)
    assert not report.failures
    return await checksums(store, "gwexpected")


def follow_options(topic: str, group: str, **overrides: object) -> FollowOptions:
    settings: dict[str, object] = {
        "servers": kafka_bootstrap(), "topics": (topic,), "group_id": group,
        "batch_size": 40, "batch_seconds": 1.0, "stop_when_idle_seconds": 2.0,
    }  # fmt: skip
    settings.update(overrides)
    return FollowOptions(**settings)  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=BACKENDS)
async def followed(
    request: pytest.FixtureRequest, topic: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[FollowStats, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("follow")
    async with module_store(request.param, folder) as (store, prefix):
        follower = Follower(store, prefix, follow_options(topic, f"g_{prefix}"))
        stats = await asyncio.wait_for(follower.run(), 180)
        # checksums() closes the store it reads: a second one on the same tables
        yield stats, await checksums(store_opener(request.param, folder)(), prefix)


async def test_follow_leaves_the_tables_of_a_file_ingest(
    followed: tuple[FollowStats, dict[str, str]], expected: dict[str, str]
) -> None:
    stats, tables = followed
    assert stats.alerts == ALERTS
    assert tables == expected


async def test_follow_skips_a_malformed_message_and_stores_the_rest(
    followed: tuple[FollowStats, dict[str, str]],
) -> None:
    stats, _ = followed
    assert stats.malformed == 1
    assert stats.messages == ALERTS + 1
    assert stats.lag == 0


class FlakyStore(EmbeddedStore):
    """An embedded store whose first ``failures`` batch puts fail as if the server were down."""

    def __init__(self, path: Path, failures: int) -> None:
        super().__init__(path)
        self.failures = failures

    async def put_batch(self, table: str, batch: CellBatch) -> int:
        if self.failures > 0:
            self.failures -= 1
            raise BackendUnavailable("the store is down (test)")
        return await super().put_batch(table, batch)


async def test_follow_retries_while_the_store_fails_then_stores_everything(
    topic: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, expected: dict[str, str]
) -> None:
    store = FlakyStore(tmp_path / "store.db", failures=3)
    metrics = FollowMetrics()
    options = follow_options(topic, f"g_flaky_{uuid.uuid4().hex[:8]}", max_backoff_seconds=0.2)
    follower = Follower(store, "gwflaky", options, metrics=metrics)
    try:
        stats = await asyncio.wait_for(follower.run(), 120)
    finally:
        await store.close()
    assert stats.alerts == ALERTS
    assert stats.retries >= 1
    assert metrics.retries.labels(target="store")._value.get() == stats.retries
    assert "store failed (BackendUnavailable" in caplog.text
    assert await checksums(EmbeddedStore(tmp_path / "store.db"), "gwflaky") == expected


async def test_follow_says_when_kafka_is_unreachable_and_keeps_trying(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kafka_bootstrap()  # the kafka marker's tests run where Kafka is set up
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    options = follow_options("gwtest_nowhere", "g_nowhere", servers=f"127.0.0.1:{closed}")
    metrics = FollowMetrics()
    store = EmbeddedStore(tmp_path / "store.db")
    stop = asyncio.Event()
    follower = Follower(store, "gwdown", options, metrics=metrics)
    try:
        running = asyncio.create_task(follower.run(stop))
        await asyncio.sleep(3)
        assert not running.done()  # still trying
        stop.set()
        stats = await asyncio.wait_for(running, 30)
    finally:
        await store.close()
    assert "Kafka unreachable" in caplog.text
    assert metrics.kafka_up._value.get() == 0
    assert stats.retries >= 1 and stats.messages == 0
