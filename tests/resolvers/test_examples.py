"""GraphiQL's example queries (fink_gateway.resolvers.examples and lsst_examples): built from
the served data, every tab runs without errors on both backends (ZTF and LSST demo data);
without LSST data there are no LSST tabs."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from graphql import parse, validate
from starlette.testclient import TestClient

from fink_gateway.demo import generate_alerts
from fink_gateway.demo.lsst import generate_lsst_alerts
from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.context import Services
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.resolvers.examples import ExampleTarget, example_queries, example_target
from fink_gateway.resolvers.lsst_examples import LsstExampleTarget, example_lsst_target
from fink_gateway.settings import Settings
from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, module_store
from tests.fit_pool import shared_work
from tests.schema.conftest import SCHEMA, execute_in_process

pytestmark = pytest.mark.anyio

ZTF_ALERTS = 400
LSST_ALERTS = 500
SEED = 3


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Served:
    store: Store
    prefix: str

    def services(self) -> Services:
        settings = Settings(lsst_table_prefix=f"{self.prefix}.rubin")
        return Services(self.store, settings, self.prefix, None, shared=shared_work())

    async def targets(self) -> tuple[ExampleTarget, LsstExampleTarget | None]:
        context = self.services().new_context()
        return await example_target(context.reader), await example_lsst_target(
            context.lsst_reader
        )


@pytest.fixture(scope="module", params=BACKENDS)
async def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    """ZTF and LSST demo alerts, as `serve` fills an empty store."""
    async with module_store(request.param, tmp_path_factory.mktemp("examples")) as (
        store, prefix,
    ):  # fmt: skip
        batches = itertools.chain(
            generate_alerts(ZTF_ALERTS, seed=SEED, with_cutouts=False),
            generate_lsst_alerts(LSST_ALERTS, seed=SEED),
        )
        await ingest_tables(store, prefix, batches, source="demo", with_cutouts=False,
                            lsst_prefix=f"{prefix}.rubin")  # fmt: skip
        yield Served(store, prefix)


def lsst_alerts() -> list[dict[str, Any]]:
    return pa.concat_tables(generate_lsst_alerts(LSST_ALERTS, seed=SEED)).to_pylist()


async def test_example_targets_are_in_the_served_data(served: Served) -> None:
    target, lsst = await served.targets()
    ztf = pa.concat_tables(generate_alerts(ZTF_ALERTS, seed=SEED, with_cutouts=False))
    assert target.object_id in set(ztf.column("objectId").to_pylist())
    assert lsst is not None and lsst.designation is not None
    alerts = lsst_alerts()
    objects = {a["diaObject"]["diaObjectId"]: a for a in alerts if a["diaObject"]}
    assert lsst.dia_object_id in objects
    assert objects[lsst.dia_object_id]["prvDiaForcedSources"]  # one with forced photometry
    assert lsst.designation in {a["mpc_orbits"]["designation"] for a in alerts if a["ssSource"]}


async def test_every_example_tab_runs_without_errors(served: Served) -> None:
    target, lsst = await served.targets()
    assert lsst is not None
    tabs = {e.title: e.query for e in example_queries(target, lsst)}
    assert len(tabs) == 6 + 4 + 1
    live = tabs.pop("Live alerts (subscription)")  # a subscription: validated, not executed
    assert not validate(SCHEMA._schema, parse(live))
    data = {}
    for title, query in tabs.items():
        result = await execute_in_process(SCHEMA, served.services(), query)
        assert not result.errors, (title, result.errors)
        assert all(value is not None for value in result.data.values()), title
        data[title] = result.data

    found = data["An LSST object's light curve and forced photometry"]["lsstObject"]
    assert found["diaObjectId"] == str(lsst.dia_object_id)
    assert len(found["lightcurve"]["psfFlux"]) == found["nDiaSources"] >= 2
    assert len(found["forcedPhotometry"]["psfFlux"]) > 0
    cone = data["LSST cone search"]["lsstConesearch"]
    assert cone[0]["object"]["diaObjectId"] == str(lsst.dia_object_id)
    sky = data["Both surveys in one cone"]["skySearch"]
    assert {"survey": "LSST", "name": str(lsst.dia_object_id)} in [
        {"survey": m["survey"], "name": m["object"]["name"]} for m in sky
    ]
    for match in sky:  # each match as its survey's own type
        assert ("diaObjectId" in match["object"]) == (match["survey"] == "LSST")
    asteroid = data["An asteroid seen by LSST"]["lsstSolarSystemObject"]
    assert asteroid["designation"] == lsst.designation and asteroid["sources"]["midpointMjdTai"]


def test_without_lsst_data_graphiql_has_only_the_ztf_tabs(tmp_path: Path) -> None:
    target = ExampleTarget("ZTF21abfmbix", 92.4445778, 35.5722176, "SN candidate")
    assert [e.title for e in example_queries(target)] == [
        "An object's light curve with upper limits",
        "Cone search with light curves",
        "Latest early SN Ia candidates",
        "A variable star's period",
        "An asteroid's phase curve",
        "An object's cutouts",
        "Live alerts (subscription)",
    ]
    app = build_app(Settings(), EmbeddedStore(tmp_path / "empty.db"), "ztf")
    with TestClient(app) as client:  # no table at all: the page still comes, without LSST
        page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "ZTF21abfmbix" in page.text
    assert "lsstObject" not in page.text and "skySearch" not in page.text
