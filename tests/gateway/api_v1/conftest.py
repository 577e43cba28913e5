"""The gateway over the Fink samples (science alerts with their stamps, and the SSO
light-curve file with ephemerides), ingested once per backend for this whole package and
served through Starlette's TestClient: ``served`` on the embedded store, ``served_each`` on
every backend (the HBase one only where ``objects`` asks for both)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, store_opener
from tests.data_paths import FINK_ZTF, SCIENCE_FILES
from tests.live_server import serve_in_thread

SSO_FILE = FINK_ZTF / "sso_lightcurves_with_ephemerides_202504.parquet"


@dataclass
class Served:
    """A TestClient of the app over the samples, and how to open the same store again."""

    backend: str
    client: TestClient
    open_store: Callable[[], Store]
    prefix: str
    object_ids: list[str]

    def app(self, settings: Settings | None = None):  # type: ignore[no-untyped-def]
        """Another app over the same data (for a live server)."""
        return build_app(settings or Settings(), self.open_store(), self.prefix)


async def _ingest(open_store: Callable[[], Store], prefix: str) -> None:
    store = open_store()
    try:
        report = await ingest_files(store, prefix, [*SCIENCE_FILES, SSO_FILE], with_cutouts=True)
        assert not report.failures, report.failures
    finally:
        await store.close()


async def _drop(open_store: Callable[[], Store], prefix: str) -> None:
    store = open_store()
    try:
        for name in await store.list_tables():
            if name == prefix or name.startswith(prefix + "."):
                await store.drop_table(name)
    finally:
        await store.close()


@contextlib.contextmanager
def _served(backend: str, folder: Path) -> Iterator[Served]:
    open_store = store_opener(backend, folder)
    prefix = "ztf" if backend == "embedded" else f"gwtest_{uuid.uuid4().hex[:12]}"
    asyncio.run(_ingest(open_store, prefix))
    ids = sorted({o for p in SCIENCE_FILES
                  for o in pq.read_table(p, columns=["objectId"]).column("objectId").to_pylist()})
    try:
        app = build_app(Settings(), open_store(), prefix)
        with TestClient(app) as client:
            yield Served(backend, client, open_store, prefix, ids)
    finally:
        if backend != "embedded":
            asyncio.run(_drop(open_store, prefix))


@pytest.fixture(scope="package")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The samples on the embedded store."""
    with _served("embedded", tmp_path_factory.mktemp("api-embedded")) as s:
        yield s


@pytest.fixture(scope="package", params=BACKENDS)
def served_each(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """The samples on every backend (the embedded one shared with ``served``)."""
    if request.param == "embedded":
        yield request.getfixturevalue("served")
        return
    with _served(request.param, tmp_path_factory.mktemp("api-hbase")) as s:
        yield s


@pytest.fixture(scope="package")
def live_url(served: Served) -> Iterator[str]:
    """The base URL of the gateway over the samples, served by uvicorn in a thread (for
    clients that talk HTTP themselves: requests, pandas, astropy)."""
    with serve_in_thread(served.app()) as url:
        yield url
