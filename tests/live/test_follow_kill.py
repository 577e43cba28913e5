"""``fink-gateway follow`` killed (SIGKILL) mid-stream, then restarted, leaves every table as a
file ingest of the same alerts does (no alert missing, none counted twice), on both backends."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from pathlib import Path

import pytest

from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, hbase_address, kafka_bootstrap, store_opener
from tests.data_paths import SCIENCE_FILES
from tests.faults.test_ingest_kill import checksums
from tests.live.conftest import MESSAGES
from tests.live.follow_process import committed, follow
from tests.live.livestream import produce, sample_messages

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


@pytest.fixture(scope="module")
def topic() -> str:
    name = f"gwtest_kill_{uuid.uuid4().hex[:8]}"
    assert produce(kafka_bootstrap(), name, sample_messages(SCIENCE_FILES)) == MESSAGES
    return name


@pytest.mark.parametrize("backend", BACKENDS)
def test_follow_killed_mid_stream_then_restarted_matches_a_file_ingest(
    backend: str, topic: str, expected: dict[str, str], tmp_path: Path
) -> None:
    opener = store_opener(backend, tmp_path)  # skips when HBase is not configured
    prefix = f"gwkill_{uuid.uuid4().hex[:8]}"
    group = f"g_{prefix}"
    if backend == "hbase":
        address = hbase_address()
        url = f"hbase://{address[0]}:{address[1]}?prefix={prefix}" if address else ""
    else:
        url = str(tmp_path / "store.db")

    async def check() -> dict[str, str]:
        return await checksums(opener(), prefix)

    async def run() -> dict[str, str]:
        servers = kafka_bootstrap()
        process = follow(servers, url, prefix, topic, group)
        deadline = time.monotonic() + 180
        try:
            while committed(servers, topic, group) < 30:
                assert process.poll() is None, "the follower ended before it could be killed"
                assert time.monotonic() < deadline, "the follower did not get far in 180 s"
                await asyncio.sleep(0.02)
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(30)
        assert process.returncode == -signal.SIGKILL
        assert committed(servers, topic, group) < MESSAGES, "killed too late: nothing to follow"
        partial = await check()
        assert partial != expected

        process = follow(servers, url, prefix, topic, group, "--stop-when-idle", "2")
        _, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode(errors="replace")[-2000:]
        assert committed(servers, topic, group) == MESSAGES
        return await check()

    try:
        assert asyncio.run(run()) == expected
    finally:
        asyncio.run(_drop(opener(), prefix))


async def _drop(store: Store, prefix: str) -> None:
    try:
        for name in await store.list_tables():
            if name == prefix or name.startswith(prefix + "."):
                await store.drop_table(name)
    finally:
        await store.close()
