"""Apps for the gateway's HTTP tests: a real embedded store of a few demo alerts in a temp
folder, and the app over it with chosen settings, driven by Starlette's TestClient."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
from starlette.testclient import TestClient

from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.store.embedded import EmbeddedStore


def fill_demo_store(path: Path, alerts: int = 20, seed: int = 3) -> list[str]:
    """Ingest ``alerts`` demo alerts (no cutouts) into the embedded store at ``path``;
    returns their objectIds, sorted."""

    async def fill() -> list[str]:
        store = EmbeddedStore(path)
        try:
            table = pa.concat_tables(generate_alerts(alerts, seed, with_cutouts=False))
            await ingest_tables(store, "ztf", [table], source="demo", with_cutouts=False)
        finally:
            await store.close()
        return sorted(set(table.column("objectId").to_pylist()))

    return asyncio.run(fill())


@contextlib.contextmanager
def demo_client(path: Path, settings: Settings | None = None) -> Iterator[TestClient]:
    """A client of the app over the store at ``path`` (lifespan run; the store closed after)."""
    app = build_app(settings or Settings(store=str(path)), EmbeddedStore(path), "ztf")
    with TestClient(app) as client:
        yield client
