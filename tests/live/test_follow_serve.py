"""``fink-gateway follow --serve``: one process follows Kafka into an embedded store and serves
it; a WebSocket subscriber hears the alerts stored after it subscribed without any Redis,
queries see them, ``/metrics`` carries the follower's counters, and SIGTERM stores and
commits the batch in hand before the process ends."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest

from tests.conftest import kafka_bootstrap
from tests.data_paths import SCIENCE_FILES
from tests.faults.conftest import free_port, wait_until
from tests.live.conftest import MESSAGES
from tests.live.follow_process import committed
from tests.live.livestream import produce, sample_messages
from tests.live.test_subscriptions import candids, receive, subscribe, ws_client

pytestmark = [pytest.mark.anyio, pytest.mark.kafka, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
IDS = ("ZTF25aatmfzy", "ZTF20aawkwsc")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, str, str]]:
    """A ``follow --serve`` process on an empty embedded store, following a new topic; yields
    the process, its base URL, the topic and the group id."""
    topic = f"gwtest_serve_{uuid.uuid4().hex[:8]}"
    group = f"g_{topic}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINK_GATEWAY_")}
    env["FINK_GATEWAY_LOG_LEVEL"] = "warning"
    command = [
        sys.executable, "-m", "fink_gateway", "follow", "--serve", "--port", str(port),
        "--servers", kafka_bootstrap(), "--topic", topic, "--group-id", group,
        "--batch-size", "20", "--batch-seconds", "0.2", "--store", str(tmp_path / "s.db"),
    ]  # fmt: skip
    log = (tmp_path / "follow.log").open("wb")
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: httpx.get(f"{base}/readyz", timeout=2).status_code == 200, 120,
                   "the gateway of follow --serve")  # fmt: skip
        yield process, base, topic, group
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        log.close()


def metric(base: str, name: str) -> float:
    """One unlabelled sample of the gateway's /metrics."""
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} is not in /metrics")


async def test_follow_serve_pushes_stores_and_counts_without_redis(
    served: tuple[subprocess.Popen[bytes], str, str, str],
) -> None:
    process, base, topic, group = served
    rows = [r for p in SCIENCE_FILES for r in pq.read_table(p, columns=["objectId", "candid"])
            .to_pylist()]  # fmt: skip
    wanted = {str(r["candid"]) for r in rows if r["objectId"] in IDS}
    async with ws_client(base) as ws:
        await subscribe(ws, "ids", f"{{objectIds: {json.dumps(list(IDS))}}}")
        await asyncio.sleep(0.5)  # subscribed before anything is produced
        assert produce(kafka_bootstrap(), topic, sample_messages(SCIENCE_FILES)) == MESSAGES
        got = await receive(ws, {"ids": len(wanted)}, 60)
    assert candids(got["ids"]) == wanted
    wait_until(lambda: metric(base, "fink_gateway_follow_alerts_total") == MESSAGES, 60,
               "every alert counted on /metrics")  # fmt: skip
    assert metric(base, "fink_gateway_follow_kafka_up") == 1
    query = f'{{ objects(objectIds: ["{IDS[0]}"]) {{ objectId lightcurve {{ jd }} }} }}'
    answer = httpx.post(f"{base}/graphql", json={"query": query}, timeout=30).json()
    assert answer["data"]["objects"][0]["objectId"] == IDS[0], answer
    process.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully (lifespan: the follower's last batch), then re-raises
    assert process.wait(60) in (0, -signal.SIGTERM)
    assert committed(kafka_bootstrap(), topic, group) == MESSAGES
