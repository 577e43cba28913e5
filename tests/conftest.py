"""Shared fixtures: ``store_factory`` opens a store and a fresh table prefix, on every backend."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.hbase import HBaseStore
from tests.fit_pool import SHARED_FITS

HBASE_ENV = "FINK_GATEWAY_TEST_HBASE"
"""``host:port`` of an HBase Thrift1 server for the ``hbase`` tests; unset: they are skipped."""

KAFKA_ENV = "FINK_GATEWAY_TEST_KAFKA"
"""``host:port`` of a Kafka broker for the ``kafka`` tests; unset: they are skipped."""

TestStore = EmbeddedStore | HBaseStore


def hbase_address() -> tuple[str, int] | None:
    """The test HBase server named by the environment, or None."""
    address = os.environ.get(HBASE_ENV, "").strip()
    if not address:
        return None
    host, _, port = address.rpartition(":")
    return (host or "127.0.0.1"), int(port or 9090)


def kafka_bootstrap() -> str:
    """The test Kafka broker named by the environment (``host:port``), else skip the test
    (which fails under CI)."""
    address = os.environ.get(KAFKA_ENV, "").strip()
    if not address:
        pytest.skip(f"{KAFKA_ENV}=host:port is not set")
    return address


def store_opener(backend: str, tmp_path: Path) -> Callable[[], TestStore]:
    """Opens a store of ``backend``: a file in ``tmp_path``, or the test HBase (else skip)."""
    if backend == "hbase":
        address = hbase_address()
        if address is None:
            pytest.skip(f"{HBASE_ENV}=host:port is not set")
        host, port = address
        return lambda: HBaseStore(host, port, timeout_s=60.0)
    path = tmp_path / "store.db"
    return lambda: EmbeddedStore(path)


class StoreFactory:
    """``store, prefix = await factory()``: a new store on one backend and a fresh prefix.

    Tables named ``prefix`` or ``prefix.<anything>`` are dropped and the stores closed at
    teardown. ``backend`` is ``"embedded"`` or ``"hbase"``.
    """

    def __init__(self, backend: str, opener: Callable[[], TestStore]) -> None:
        self.backend = backend
        self.open = opener
        self._stores: list[TestStore] = []
        self._prefixes: list[str] = []

    async def __call__(self) -> tuple[TestStore, str]:
        store = self.open()
        self._stores.append(store)
        prefix = f"gwtest_{uuid.uuid4().hex[:12]}"
        self._prefixes.append(prefix)
        return store, prefix

    async def clean_up(self) -> None:
        if self._prefixes:
            store = self.open()
            try:
                for name in await store.list_tables():
                    if any(name == p or name.startswith(p + ".") for p in self._prefixes):
                        await store.drop_table(name)
            finally:
                await store.close()
        for store in self._stores:
            await store.close()


BACKENDS = ["embedded", pytest.param("hbase", marks=pytest.mark.hbase)]
"""``params`` of a fixture made once per backend."""


@contextlib.asynccontextmanager
async def module_store(backend: str, folder: Path) -> AsyncIterator[tuple[TestStore, str]]:
    """A store of ``backend`` (file in ``folder``) and a fresh prefix for a whole test
    module; its tables are dropped on exit. HBase is skipped when not configured."""
    factory = StoreFactory(backend, store_opener(backend, folder))
    try:
        yield await factory()
    finally:
        await factory.clean_up()


@contextlib.asynccontextmanager
async def ingested_store(
    backend: str, folder: Path, files: Sequence[Path], *, with_cutouts: bool = False
) -> AsyncIterator[tuple[TestStore, str]]:
    """:func:`module_store` holding ``files`` ingested (HBase tables are slow to create, so
    a module ingests once per backend)."""
    async with module_store(backend, folder) as (store, prefix):
        report = await ingest_files(store, prefix, list(files), with_cutouts=with_cutouts)
        assert not report.failures, report.failures
        yield store, prefix


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["embedded", pytest.param("hbase", marks=pytest.mark.hbase)])
async def store_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[StoreFactory]:
    """A :class:`StoreFactory` per backend: ``embedded`` (a tmp file) and ``hbase``."""
    if request.param == "hbase":
        address = hbase_address()
        if address is None:
            pytest.skip(f"{HBASE_ENV}=host:port is not set")
        host, port = address
        factory = StoreFactory("hbase", lambda: HBaseStore(host, port, timeout_s=60.0))
    else:
        path = tmp_path / "store.db"
        factory = StoreFactory("embedded", lambda: EmbeddedStore(path))
    try:
        yield factory
    finally:
        await factory.clean_up()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under CI (``CI`` set and not ``0``/``false``) a skipped test fails: CI starts every
    server the suite needs, so a skip there means a backend went untested."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() not in ("", "0", "false"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run every suite: {report.longrepr}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the fit workers the in-process tests shared."""
    SHARED_FITS.close()
