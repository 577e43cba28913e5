"""``fink-gateway demo`` killed (SIGKILL) half-way, then run again to completion, leaves
every table exactly as one clean run does: on the embedded store, and on HBase."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import happybase  # type: ignore[import-untyped]
import pytest

from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.hbase import HBaseStore
from fink_gateway.store.interface import Store
from fink_gateway.store.types import ScanRange
from tests.conftest import HBASE_ENV, hbase_address

CLI = Path(sys.executable).parent / "fink-gateway"
"""The console script of the venv running the tests."""
SEED = 7


def demo(url: str, alerts: int, prefix: str = "ztf") -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINK_GATEWAY_")}
    env["FINK_GATEWAY_TABLE_PREFIX"] = prefix  # for embedded stores (an hbase:// URL may say)
    return subprocess.Popen(
        [str(CLI), "demo", "--alerts", str(alerts), "--seed", str(SEED), "--no-cutouts",
         "--store", url],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip


def run_to_completion(url: str, alerts: int, prefix: str = "ztf") -> None:
    process = demo(url, alerts, prefix)
    _, err = process.communicate(timeout=180)
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]


def kill_when(url: str, alerts: int, ready: Callable[[], bool]) -> None:
    """Start a run and SIGKILL it once ``ready()``; it must still have been running."""
    process = demo(url, alerts)
    deadline = time.monotonic() + 120
    try:
        while not ready():
            assert process.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "the ingest did not get far enough in 120 s"
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(30)
    assert process.returncode == -signal.SIGKILL


async def checksums(store: Store, prefix: str | None = None) -> dict[str, str]:
    """Row count and digest of every row and cell of every table (``prefix``'s only, when
    given), except the data version in ``gateway_meta``."""
    out = {}
    try:
        for name in await store.list_tables():
            if prefix is not None and not (name == prefix or name.startswith(prefix + ".")):
                continue
            if name.endswith("gateway_meta"):
                continue
            (rows,) = await store.scan(name, [ScanRange()])
            digest = hashlib.sha256()
            for key, cells in rows:
                digest.update(len(key).to_bytes(4, "big") + key)
                for column in sorted(cells):
                    value = cells[column]
                    digest.update(len(column).to_bytes(4, "big") + column)
                    digest.update(len(value).to_bytes(4, "big") + value)
            name = name if prefix is None else name.removeprefix(prefix)
            out[name] = f"{len(rows)}:{digest.hexdigest()}"
    finally:
        await store.close()
    return out


def test_embedded_demo_killed_half_way_then_rerun_matches_a_clean_run(tmp_path: Path) -> None:
    alerts = 20_000
    clean = tmp_path / "clean" / "store.db"
    killed = tmp_path / "killed" / "store.db"
    clean.parent.mkdir()
    killed.parent.mkdir()
    run_to_completion(str(clean), alerts)
    expected = asyncio.run(checksums(EmbeddedStore(clean)))
    assert len(expected) >= 10

    def stored_bytes() -> int:
        return sum(p.stat().st_size for p in killed.parent.glob(killed.name + "*"))

    # some rows written, far from done (a full store is ~45 MB)
    kill_when(str(killed), alerts, lambda: stored_bytes() >= 6 << 20)
    partial = asyncio.run(checksums(EmbeddedStore(killed)))
    assert partial != expected
    assert partial  # some tables exist

    run_to_completion(str(killed), alerts)
    assert asyncio.run(checksums(EmbeddedStore(killed))) == expected


@pytest.mark.hbase
@pytest.mark.slow
def test_hbase_demo_killed_half_way_then_rerun_matches_a_clean_run(tmp_path: Path) -> None:
    """The clean run goes to an embedded store (same tables and cells, by the store contract):
    creating and dropping a second set of HBase tables would double the test's time."""
    address = hbase_address()
    if address is None:
        pytest.skip(f"{HBASE_ENV}=host:port is not set")
    host, port = address
    alerts = 5_000
    prefix = f"gwkill_{uuid.uuid4().hex[:8]}"
    url = f"hbase://{host}:{port}?prefix={prefix}"

    def store() -> HBaseStore:
        return HBaseStore(host, port, timeout_s=60.0)

    clean = tmp_path / "clean.db"
    run_to_completion(str(clean), alerts, prefix)
    expected = asyncio.run(checksums(EmbeddedStore(clean), prefix))
    assert len(expected) >= 10

    connection = happybase.Connection(host, port, timeout=10_000)

    def rows_written() -> bool:  # the main table has rows: kill now
        try:
            return any(True for _ in connection.table(prefix).scan(limit=1))
        except Exception:  # not created yet
            connection.close()
            connection.open()
            return False

    try:
        try:
            kill_when(url, alerts, rows_written)
        finally:
            connection.close()
        partial = asyncio.run(checksums(store(), prefix))
        assert partial != expected

        run_to_completion(url, alerts)
        assert asyncio.run(checksums(store(), prefix)) == expected
    finally:

        async def drop() -> None:
            s = store()
            try:
                for name in await s.list_tables():
                    if name == prefix or name.startswith(prefix + "."):
                        with contextlib.suppress(Exception):
                            await s.drop_table(name)
            finally:
                await s.close()

        asyncio.run(drop())
