"""Shared fixtures of the schema tests: one store per backend with the shared Fink science
samples and a thousand demo alerts ingested ONCE per test module, and a helper that runs
the schema in process, as the gateway does for one request.

Creating and dropping tables is what makes HBase slow (~15 s per table prefix), so every test
of a module shares one prefix per backend; tests that write (ingest an extra alert) write to
demo objects only, never to the science samples that other tests compare against.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import strawberry
from strawberry.types import ExecutionResult

from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.graphql_view import encode_response
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.schema.build import build_schema
from fink_gateway.store.interface import Store, StoreStats
from tests.conftest import BACKENDS, ingested_store, store_opener
from tests.data_paths import SCIENCE_FILES
from tests.fit_pool import shared_work

DEMO_ALERTS = 1000
"""Enough for 150+ demo objects (tests use up to 134 of them, plus the last three)."""
DEMO_SEED = 11

SCHEMA = build_schema(telemetry=True)


@dataclass
class Executed:
    """One in-process GraphQL request: JSON-decoded data, coded errors, the store work."""

    data: Any
    errors: list[dict[str, Any]]
    stats: StoreStats
    extensions: Mapping[str, Any]

    def codes(self) -> list[str | None]:
        return [(e.get("extensions") or {}).get("code") for e in self.errors]


async def execute_in_process(
    schema: strawberry.Schema,
    services: Services,
    query: str,
    variables: Mapping[str, Any] | None = None,
) -> Executed:
    """Run ``query`` in process, in a new request context of ``services``, and JSON-encode
    its data as the HTTP view does (numpy columns, float32 text, NaN as null)."""
    context = services.new_context()
    result = await schema.execute(
        query, variable_values=dict(variables or {}), context_value=context
    )
    assert isinstance(result, ExecutionResult)
    data = None if result.data is None else orjson.loads(encode_response(result.data))
    errors = [e.formatted for e in result.errors or []]
    return Executed(data, errors, context.reader.stats, result.extensions or {})


@dataclass
class Samples:
    """A store holding the science samples and demo alerts under one table prefix."""

    backend: str
    store: Store
    prefix: str
    open_store: Callable[[], Store]
    """Opens another connection to the same data (for apps that close their store)."""
    object_ids: list[str]
    """Every objectId of the science samples, sorted."""
    demo: pa.Table
    """The ingested demo alerts (nested Fink layout)."""
    demo_ids: list[str] = field(default_factory=list)
    """Every demo objectId, sorted."""

    def services(
        self, cache: ResultCache | None = None, settings: Settings | None = None
    ) -> Services:
        """Fresh process-wide services (empty types cache) over this store."""
        settings = settings or Settings()
        return Services(self.store, settings, self.prefix, cache, shared=shared_work())

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        services: Services | None = None,
    ) -> Executed:
        """Run ``query`` in process (:func:`execute_in_process`)."""
        return await execute_in_process(SCHEMA, services or self.services(), query, variables)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    """Module scope, so that module-scoped async fixtures can share the event loop."""
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def samples(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Samples]:
    """Both backends: the science samples plus ``DEMO_ALERTS`` demo alerts, ingested once."""
    backend = request.param
    folder = tmp_path_factory.mktemp(f"schema-{backend}")
    async with ingested_store(backend, folder, SCIENCE_FILES) as (store, prefix):
        demo = pa.concat_tables(generate_alerts(DEMO_ALERTS, DEMO_SEED, with_cutouts=False))
        await ingest_tables(store, prefix, [demo], source="demo", with_cutouts=False)
        object_ids = sorted(
            {o for p in SCIENCE_FILES for o in pq.read_table(p, columns=["objectId"])
             .column("objectId").to_pylist()}
        )  # fmt: skip
        demo_ids = sorted(set(demo.column("objectId").to_pylist()))
        assert not set(object_ids) & set(demo_ids), "demo ids collide with the samples"
        assert len(demo_ids) >= 150
        opener = store_opener(backend, folder)
        yield Samples(backend, store, prefix, opener, object_ids, demo, demo_ids)
