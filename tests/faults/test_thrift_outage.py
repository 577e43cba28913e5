"""The HBase Thrift server dies and comes back while the gateway serves.

The shared Thrift server (``FINK_GATEWAY_TEST_HBASE``) is left alone: this test starts a
second Thrift1 server JVM on a free loopback port, against the same running HBase, with the
classpath and flags ``scripts/hbase`` uses, and kills and restarts that one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import happybase  # type: ignore[import-untyped]
import pyarrow as pa
import pytest
from starlette.testclient import TestClient

from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.store.hbase import HBaseStore
from tests.conftest import HBASE_ENV, hbase_address
from tests.faults.conftest import free_port, wait_until

pytestmark = pytest.mark.hbase

ROOT = Path(__file__).resolve().parents[2]
HB = ROOT / ".hbase"
START_TIMEOUT_S = 60.0

JVM_FLAGS = [
    "-Xmx256m",
    "-XX:+UseG1GC",
    "-Djava.net.preferIPv4Stack=true",
    "-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-modules", "jdk.unsupported",
    *(
        arg
        for module in (
            "java.io", "java.nio", "sun.nio.ch", "java.lang", "jdk.internal.ref",
            "java.lang.reflect", "java.util", "java.util.concurrent",
        )
        for arg in ("--add-opens", f"java.base/{module}=ALL-UNNAMED")
    ),
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports", "java.security.jgss/sun.security.krb5=ALL-UNNAMED",
    "--add-exports", "java.base/sun.net.dns=ALL-UNNAMED",
    "--add-exports", "java.base/sun.net.util=ALL-UNNAMED",
    "-Djava.util.logging.config.class=org.apache.hadoop.hbase.logging.JulToSlf4jInitializer",
]  # fmt: skip

QUERY = """query($ids: [String!]!) {
  objects(objectIds: $ids) { objectId lightcurve { jd magpsf } }
}"""


def java() -> str:
    home = os.environ.get("JAVA_HOME")
    found = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not found:
        pytest.skip("no java")
    return found


class ThriftServer:
    """A private Thrift1 server JVM on ``port`` (start, kill, start again)."""

    def __init__(self, port: int, log_dir: Path) -> None:
        self.port = port
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        name = f"thrift-faults-{self.port}"
        command = [
            java(),
            f"-Dproc_{name}",
            *JVM_FLAGS,
            f"-Dlog4j2.configurationFile={HB / 'conf' / 'log4j2.properties'}",
            f"-Dhbase.log.dir={self.log_dir}",
            f"-Dhbase.log.file={name}.log",
            f"-Dhbase.home.dir={HB}",
            f"-Djava.io.tmpdir={HB / 'tmp'}",
            "-cp",
            f"{HB / 'conf'}:{HB / 'lib'}/*",
            "org.apache.hadoop.hbase.thrift.ThriftServer",
            "-b", "127.0.0.1", "-p", str(self.port), "start",
        ]  # fmt: skip
        with (self.log_dir / f"{name}.out").open("ab") as out:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
            )
        wait_until(self.answers, START_TIMEOUT_S, f"the Thrift server on port {self.port}", 0.5)

    def answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the Thrift JVM exited with {self.process.returncode}")
        connection = happybase.Connection("127.0.0.1", self.port, timeout=5000)
        try:
            connection.tables()
            return True
        finally:
            connection.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)


@pytest.fixture
def thrift(tmp_path: Path) -> Iterator[ThriftServer]:
    if hbase_address() is None:
        pytest.skip(f"{HBASE_ENV}=host:port is not set")
    if not (HB / "lib").is_dir() or not (HB / "conf" / "hbase-site.xml").is_file():
        pytest.skip("no .hbase/lib or .hbase/conf (scripts/hbase start)")
    server = ThriftServer(free_port(), tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.kill()


def drop_prefix(prefix: str) -> None:
    host, port = hbase_address() or ("127.0.0.1", 9090)

    async def drop() -> None:
        store = HBaseStore(host, port, timeout_s=60.0)
        try:
            for name in await store.list_tables():
                if name == prefix or name.startswith(prefix + "."):
                    await store.drop_table(name)
        finally:
            await store.close()

    asyncio.run(drop())


def query(client: TestClient, ids: list[str]) -> dict:
    response = client.post("/graphql", json={"query": QUERY, "variables": {"ids": ids}})
    assert response.status_code == 200, response.text
    assert "Traceback" not in response.text
    return response.json()


def codes(payload: dict) -> list[str | None]:
    return [(e.get("extensions") or {}).get("code") for e in payload.get("errors") or []]


def test_thrift_outage_and_recovery(thrift: ThriftServer) -> None:
    prefix = f"gwfault_{uuid.uuid4().hex[:10]}"
    table = pa.concat_tables(generate_alerts(60, 5, with_cutouts=False))
    ids = sorted(set(table.column("objectId").to_pylist()))[:8]
    expected_points = {
        oid: sum(1 for o in table.column("objectId").to_pylist() if o == oid) for oid in ids
    }

    async def ingest() -> None:
        store = HBaseStore("127.0.0.1", thrift.port, timeout_s=60.0)
        try:
            await ingest_tables(store, prefix, [table], source="demo", with_cutouts=False)
        finally:
            await store.close()

    try:
        asyncio.run(ingest())
        store = HBaseStore("127.0.0.1", thrift.port, pool_size=2, timeout_s=5.0)
        app = build_app(Settings(store=f"hbase://127.0.0.1:{thrift.port}"), store, prefix)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/readyz").status_code == 200
            # warm up: every query answers; then the outage, in the middle of a query loop
            for i in range(6):
                payload = query(client, ids[i % 2 : i % 2 + 1])
                assert not codes(payload), payload
            thrift.kill()
            outage_codes: list[str | None] = []
            for i in range(6):  # objects not asked for before: nothing of them is cached
                payload = query(client, ids[2 + i % 6 : 3 + i % 6])
                outage_codes += codes(payload)
                assert codes(payload), payload
            assert set(outage_codes) == {"BACKEND_UNAVAILABLE"}, outage_codes
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["code"] == "BACKEND_UNAVAILABLE"
            assert client.get("/healthz").status_code == 200  # the process stays up

            thrift.start()  # same port; the app is not rebuilt
            started = time.monotonic()
            while True:
                payload = query(client, ids[2:])
                if not codes(payload):
                    break
                assert set(codes(payload)) == {"BACKEND_UNAVAILABLE"}, payload
                assert time.monotonic() - started < 30, "no recovery within 30 s"
                time.sleep(0.5)
            # the first successful answer has the full data: nothing empty was cached
            got = {o["objectId"]: len(o["lightcurve"]["jd"]) for o in payload["data"]["objects"]}
            assert got == {oid: expected_points[oid] for oid in ids[2:]}, payload
            assert client.get("/readyz").status_code == 200
    finally:
        with contextlib.suppress(Exception):
            drop_prefix(prefix)
