"""``fink-gateway serve`` as a user runs it, in its own process: one process, or
``--workers 2`` (uvicorn workers built from the same command line through the environment)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow as pa
import pytest

from fink_gateway.demo.lsst import generate_lsst_alerts
from tests.faults.conftest import free_port

pytestmark = pytest.mark.slow

OBJECTS = "{ classes { name } }"
LSST_ALERTS = 200


def _workers(pid: int) -> set[int]:
    """The worker processes uvicorn started under ``pid`` (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(int(child))
    return found


def _gone(pids: set[int], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while any(Path(f"/proc/{p}").exists() for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _serve(folder: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = dict(os.environ, FINK_GATEWAY_SERVER_DEMO_ALERTS="300",
               FINK_GATEWAY_SERVER_DEMO_LSST_ALERTS=str(LSST_ALERTS),
               FINK_GATEWAY_LOG_LEVEL="warning")  # fmt: skip
    env.pop("FINK_GATEWAY_CONFIG", None)
    command = [sys.executable, "-m", "fink_gateway", "serve", "--store", str(folder / "s.db"),
               "--port", str(port), *extra]  # fmt: skip
    process = subprocess.Popen(command, cwd=folder, env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the gateway did not become ready"
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        yield process, base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)


@pytest.fixture
def one(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    yield from _serve(tmp_path)


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    yield from _serve(tmp_path, "--workers", "2")


def _classes(base: str) -> list[str]:
    response = httpx.post(f"{base}/graphql", json={"query": OBJECTS}, timeout=30)
    assert response.status_code == 200
    return [c["name"] for c in response.json()["data"]["classes"]]


def test_serve_fills_an_empty_store_with_both_surveys_and_answers(
    one: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, base = one
    assert "SN candidate" in _classes(base)
    assert _workers(process.pid) == set()
    alerts = pa.concat_tables(generate_lsst_alerts(LSST_ALERTS)).to_pylist()  # seed 0, as served
    oid = next(a["diaObject"]["diaObjectId"] for a in alerts if a["diaObject"])
    query = f'{{ lsstObject(diaObjectId: "{oid}") {{ diaObjectId }} }}'
    response = httpx.post(f"{base}/graphql", json={"query": query}, timeout=30)
    assert response.json()["data"] == {"lsstObject": {"diaObjectId": str(oid)}}
    page = httpx.get(f"{base}/graphql", headers={"accept": "text/html"}, timeout=30)
    assert "lsstObject(diaObjectId:" in page.text  # GraphiQL's LSST tabs, on served data


def test_serve_with_two_workers_answers_from_both(
    two: tuple[subprocess.Popen[bytes], str],
) -> None:
    process, base = two
    workers = _workers(process.pid)
    assert len(workers) == 2
    expected = _classes(base)
    for _ in range(20):  # whichever worker takes the request, the same answer
        assert _classes(base) == expected
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0
    assert _gone(workers), "workers left running"
