"""LSST demo alerts through the ingest of in-memory tables, on both backends: every alert
written, the rows the generator's invariants promise (exact ids, one row per object and per
designation, Fink's forced-photometry selection), and the schema answering from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pytest

from fink_gateway.demo.lsst import generate_lsst_alerts
from fink_gateway.gateway.context import Services
from fink_gateway.ingest.pipeline import IngestReport, ingest_tables
from fink_gateway.layout import rubin
from fink_gateway.layout.tables import TableSpec
from fink_gateway.settings import Settings
from fink_gateway.store.interface import Store
from fink_gateway.store.types import Row, ScanRange
from tests.conftest import BACKENDS, module_store
from tests.fit_pool import shared_work
from tests.schema.conftest import SCHEMA, Executed, execute_in_process

pytestmark = pytest.mark.anyio

N_ALERTS = 1_500
SEED = 2
Alert = dict[str, Any]


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Demo:
    store: Store
    prefix: str
    report: IngestReport
    alerts: list[Alert]

    @property
    def lsst_prefix(self) -> str:
        return f"{self.prefix}.rubin"

    async def rows(self, spec: TableSpec) -> list[Row]:
        """Every data row of a Rubin table (schema rows left out)."""
        (rows,) = await self.store.scan(spec.name(self.lsst_prefix), [ScanRange()])
        return [r for r in rows if not r[0].startswith(b"schema_")]

    async def run(self, query: str) -> Any:
        settings = Settings(lsst_table_prefix=self.lsst_prefix)
        services = Services(self.store, settings, self.prefix, None, shared=shared_work())
        result: Executed = await execute_in_process(SCHEMA, services, query)
        assert not result.errors, result.errors
        return result.data


@pytest.fixture(scope="module", params=BACKENDS)
async def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Demo]:
    folder = tmp_path_factory.mktemp("lsst_demo")
    async with module_store(request.param, folder) as (store, prefix):
        report = await ingest_tables(
            store, prefix, generate_lsst_alerts(N_ALERTS, seed=SEED), source="lsst demo",
            lsst_prefix=f"{prefix}.rubin",
        )  # fmt: skip
        alerts = pa.concat_tables(generate_lsst_alerts(N_ALERTS, seed=SEED)).to_pylist()
        yield Demo(store, prefix, report, alerts)


def objects_of(alerts: list[Alert]) -> dict[int, list[Alert]]:
    found: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        if alert["diaObject"] is not None:
            found[alert["diaObject"]["diaObjectId"]].append(alert)
    return found


def fink_forced_keys(alerts: list[Alert]) -> set[bytes]:
    """rubin.fp keys under Fink's rule (docs/fink-lsst.md §4.5), computed from the alerts."""
    keys = set()
    for alert in alerts:
        prv, forced = alert["prvDiaSources"], alert["prvDiaForcedSources"]
        if alert["diaObject"] is None or alert["diaObject"]["nDiaSources"] <= 1 or not forced:
            continue
        if prv is None:
            continue
        threshold = 0.0 if len(prv) == 2 else max(p["midpointMjdTai"] for p in prv)
        for item in forced:
            if item["midpointMjdTai"] >= threshold:
                keys.add(rubin.source_key(item["diaObjectId"], item["midpointMjdTai"]))
    return keys


async def test_every_demo_alert_is_ingested(demo: Demo) -> None:
    assert demo.report.counts.alerts == N_ALERTS and not demo.report.failures
    static = [a for a in demo.alerts if a["diaObject"] is not None]
    solar = [a for a in demo.alerts if a["diaObject"] is None]
    designations = {a["mpc_orbits"]["packed_primary_provisional_designation"] for a in solar}
    expected = {
        rubin.CUTOUTS: N_ALERTS,
        rubin.DIA_SOURCE: len(static),
        rubin.DIA_OBJECT: len(objects_of(demo.alerts)),
        rubin.PIXEL1024: len(objects_of(demo.alerts)),  # one table: one row per object
        rubin.SSO_SOURCE: len(solar),
        rubin.MPC_ORBITS: len(designations),
        rubin.SSO_RESOLVER: len(designations),
    }
    for spec, count in expected.items():
        assert len(await demo.rows(spec)) == count, spec.suffix
    assert solar and len(designations) >= 3


async def test_object_rows_are_keyed_by_the_exact_64_bit_ids(demo: Demo) -> None:
    keys = {key for key, _ in await demo.rows(rubin.DIA_OBJECT)}
    assert keys == {rubin.object_key(oid) for oid in objects_of(demo.alerts)}
    for _, cells in await demo.rows(rubin.CUTOUTS):
        assert b"r:hdfs_path" not in cells  # generated: no file holds the stamps


async def test_forced_photometry_rows_follow_fink_s_selection(demo: Demo) -> None:
    keys = {key for key, _ in await demo.rows(rubin.FORCED)}
    expected = fink_forced_keys(demo.alerts)
    assert keys == expected and len(expected) > 100
    with_rows = {int(k.split(b"_")[1]) for k in keys}
    with_forced = {
        a["diaObject"]["diaObjectId"]
        for a in demo.alerts
        if a["prvDiaForcedSources"] and a["diaObject"]["nDiaSources"] > 1
    }
    assert with_rows == with_forced


async def test_lsst_objects_answer_with_their_light_curves(demo: Demo) -> None:
    objects = objects_of(demo.alerts)
    forced = fink_forced_keys(demo.alerts)
    chosen = sorted(objects, key=lambda oid: -len(objects[oid]))[:5]
    ids = ", ".join(f'"{oid}"' for oid in chosen)
    data = await demo.run(
        f"{{ lsstObjects(diaObjectIds: [{ids}]) {{ diaObjectId nDiaSources "
        "lightcurve { length midpointMjdTai psfFlux } forcedPhotometry { length } } }"
    )
    for oid, found in zip(chosen, data["lsstObjects"], strict=True):
        last = objects[oid][-1]
        assert found["diaObjectId"] == str(oid)
        assert found["nDiaSources"] == last["diaObject"]["nDiaSources"] == len(objects[oid])
        assert found["lightcurve"]["midpointMjdTai"] == [
            a["diaSource"]["midpointMjdTai"] for a in objects[oid]
        ]
        assert found["forcedPhotometry"]["length"] == sum(
            1 for k in forced if k.startswith(rubin.object_sources_prefix(oid))
        )


async def test_asteroids_answer_by_designation(demo: Demo) -> None:
    sources: dict[str, list[float]] = defaultdict(list)
    for alert in demo.alerts:
        if alert["mpc_orbits"] is not None:
            sources[alert["mpc_orbits"]["designation"]].append(
                alert["diaSource"]["midpointMjdTai"]
            )
    for designation, times in list(sources.items())[:3]:
        data = await demo.run(
            f'{{ lsstSolarSystemObject(designation: "{designation}") '
            "{ designation sources { midpointMjdTai } } }"
        )
        found = data["lsstSolarSystemObject"]
        assert found["designation"] == designation
        assert found["sources"]["midpointMjdTai"] == sorted(times)
