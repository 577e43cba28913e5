"""Shared fixtures of the conformance tests: one running gateway (uvicorn on a free loopback
port) over an embedded store of a few demo alerts, for the whole session, and the Node tools
(``tests/conformance/node``, installed by ``scripts/test-deps``) that some suites drive.

Locally a missing Node, ``node_modules`` or Chromium skips those suites; under CI (``CI`` set)
it fails them, since ``scripts/test`` installs all three.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.store.embedded import EmbeddedStore
from tests.live_server import serve_in_thread

NODE_DIR = Path(__file__).parent / "node"
CHROMIUM = Path("/usr/bin/chromium")
DEMO_ALERTS = 60
DEMO_SEED = 5


@dataclass(frozen=True)
class LiveGateway:
    """A gateway served over HTTP, and what its store holds."""

    url: str
    """Base URL, ``http://127.0.0.1:PORT``."""
    object_ids: list[str]
    """Every objectId in the store, sorted."""

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"


def missing(message: str) -> None:
    """Skip the test (locally) or fail it (under CI, where scripts/test installs it all)."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def node_tool(script: str) -> list[str]:
    """The command running ``node/<script>``; skips (or fails under CI) without Node."""
    node = shutil.which("node")
    if node is None:
        missing("node (>= 20) is not installed")
    if not (NODE_DIR / "node_modules").is_dir():
        missing(f"{NODE_DIR / 'node_modules'} is missing: run scripts/test-deps")
    return [str(node), str(NODE_DIR / script)]


def run_node(args: list[str], timeout_s: float) -> dict[str, Any]:
    """Run a Node tool that prints one JSON object; its stderr goes into the failure."""
    done = subprocess.run(
        args, cwd=NODE_DIR, capture_output=True, text=True, timeout=timeout_s, check=False
    )
    assert done.returncode == 0, f"{args[1]} exited {done.returncode}:\n{done.stderr}"
    return json.loads(done.stdout)


async def _fill(path: Path) -> list[str]:
    store = EmbeddedStore(path)
    try:
        alerts = pa.concat_tables(generate_alerts(DEMO_ALERTS, DEMO_SEED, with_cutouts=False))
        await ingest_tables(store, "ztf", [alerts], source="demo", with_cutouts=False)
    finally:
        await store.close()
    return sorted(set(alerts.column("objectId").to_pylist()))


@pytest.fixture(scope="session")
def live_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveGateway]:
    """The gateway with default settings, served for the whole session."""
    path = tmp_path_factory.mktemp("live") / "store.db"
    object_ids = asyncio.run(_fill(path))
    app = build_app(Settings(store=str(path)), EmbeddedStore(path), "ztf")
    with serve_in_thread(app) as url:
        yield LiveGateway(url, object_ids)
