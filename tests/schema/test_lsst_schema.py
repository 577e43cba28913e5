"""Rubin LSST through the schema, on both backends, against the real sample (tests/data/
fink-lsst): every diaObject's light curve equals the sources of its alerts in the parquet
(Fink's diaSource_static holds each alert's current source), cone search equals brute force,
Solar System sources by designation, 64-bit ids exact as text, mixed-survey queries."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from fink_gateway.gateway.context import Services
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.science.coords import separation_deg
from fink_gateway.settings import Settings
from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, module_store
from tests.data_paths import SCIENCE_FILES, TEST_DATA
from tests.fit_pool import shared_work
from tests.ingest.lsst_samples import expected_sources
from tests.schema.conftest import SCHEMA, Executed, execute_in_process

pytestmark = pytest.mark.anyio

LSST_SAMPLE = TEST_DATA / "fink-lsst" / "rubin_sample_data_10_0.parquet"
ZTF_SAMPLE = [p for p in SCIENCE_FILES if p.name == "science_20250114.parquet"]
TAG = "sample_stream"
"""The sample ingested as the stream of a filter of that name (every alert is a member)."""


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Both:
    store: Store
    prefix: str

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> Executed:
        settings = Settings(lsst_table_prefix=f"{self.prefix}.rubin")
        services = Services(self.store, settings, self.prefix, None, shared=shared_work())
        return await execute_in_process(SCHEMA, services, query, variables)


@pytest.fixture(scope="module", params=BACKENDS)
async def both(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Both]:
    """One ZTF sample file and the LSST sample, ingested once per backend."""
    async with module_store(request.param, tmp_path_factory.mktemp("lsst")) as (store, prefix):
        files = [*ZTF_SAMPLE, LSST_SAMPLE]
        report = await ingest_files(
            store, prefix, files, lsst_prefix=f"{prefix}.rubin", lsst_tags=[TAG]
        )
        assert not report.failures, report.failures
        yield Both(store, prefix)


def ok(result: Executed) -> Any:
    assert not result.errors, result.errors
    return result.data


def sample_alerts() -> list[dict[str, Any]]:
    return pq.read_table(LSST_SAMPLE).to_pylist()


def f32(value: float | None) -> float | None:
    """A value as Fink stores a float column: the float32 nearest, printed shortest."""
    return None if value is None else float(str(np.float32(value)))


LIGHTCURVE = """query L($ids: [BigInt!]!) { lsstObjects(diaObjectIds: $ids) {
  diaObjectId name survey ra dec nDiaSources
  lightcurve { length midpointMjdTai band psfFlux psfFluxErr mag magErr sourceId
               snr: column(name: "r:snr") }
} }"""


async def test_every_light_curve_equals_the_sample(both: Both) -> None:
    expected = expected_sources()
    ids = sorted(expected)
    assert len(ids) == 22
    data = ok(await both.run(LIGHTCURVE, {"ids": [str(i) for i in ids]}))
    for oid, got in zip(ids, data["lsstObjects"], strict=True):
        assert got["diaObjectId"] == str(oid) and got["name"] == str(oid)
        assert got["survey"] == "LSST"
        sources = expected[oid]
        curve = got["lightcurve"]
        assert curve["length"] == len(sources)
        assert curve["midpointMjdTai"] == [s["midpointMjdTai"] for s in sources]
        assert curve["band"] == [s["band"] for s in sources]
        assert curve["psfFlux"] == [f32(s["psfFlux"]) for s in sources]
        assert curve["psfFluxErr"] == [f32(s["psfFluxErr"]) for s in sources]
        assert curve["sourceId"] == [str(s["diaSourceId"]) for s in sources]
        assert curve["snr"] == [f32(s["snr"]) for s in sources]
        for mag, flux in zip(curve["mag"], curve["psfFlux"], strict=True):
            if flux > 0:
                assert mag == pytest.approx(31.4 - 2.5 * math.log10(flux), abs=1e-6)  # float32
            else:
                assert mag is None


async def test_ids_are_exact_and_unknown_or_longer_ids_are_null(both: Both) -> None:
    oid = 169645854020337671  # §9.2 B, float64 would print …680
    query = """query O($id: BigInt!) { lsstObject(diaObjectId: $id) { diaObjectId nDiaSources
               record(names: ["r:diaObjectId", "r:nDiaSources"]) } }"""
    data = ok(await both.run(query, {"id": str(oid)}))
    assert data["lsstObject"]["diaObjectId"] == "169645854020337671"
    assert data["lsstObject"]["record"]["r:diaObjectId"] == "169645854020337671"
    assert data["lsstObject"]["nDiaSources"] == 17
    as_number = ok(await both.run(query, {"id": oid}))  # a JSON integer is read exactly too
    assert as_number == data
    for other in ("169645854020337", "1696458540203376711"):  # a shorter and a longer id
        assert ok(await both.run(query, {"id": other}))["lsstObject"] is None


async def test_bad_ids_are_coded_errors(both: Both) -> None:
    query = "query O($id: BigInt!) { lsstObject(diaObjectId: $id) { diaObjectId } }"
    for bad in ("12a", "-5", "99999999999999999999"):
        result = await both.run(query, {"id": bad})
        assert (result.errors and "diaObjectId" in str(result.errors)) or "BigInt" in str(
            result.errors
        )


async def test_cone_search_equals_brute_force(both: Both) -> None:
    alerts = [a for a in sample_alerts() if a["diaObject"] is not None]
    centre = alerts[0]["diaSource"]
    ra0, dec0, radius = centre["ra"], centre["dec"], 3 * 3600.0
    newest: dict[int, dict[str, Any]] = {}
    for alert in alerts:
        source = alert["diaSource"]
        known = newest.get(source["diaObjectId"])
        if known is None or source["midpointMjdTai"] > known["midpointMjdTai"]:
            newest[source["diaObjectId"]] = source
    expected = sorted(
        (float(separation_deg(ra0, dec0, np.array([s["ra"]]), np.array([s["dec"]]))[0]) * 3600, k)
        for k, s in newest.items()
    )
    expected = [(sep, k) for sep, k in expected if sep <= radius]
    assert len(expected) >= 2
    query = """query C($ra: Angle!, $dec: Angle!, $r: Float!) {
      lsstConesearch(ra: $ra, dec: $dec, radius: $r) {
        separationArcsec object { diaObjectId } } }"""
    data = ok(await both.run(query, {"ra": ra0, "dec": dec0, "r": radius}))
    matches = data["lsstConesearch"]
    got = [(m["separationArcsec"], int(m["object"]["diaObjectId"])) for m in matches]
    assert [k for _, k in got] == [k for _, k in expected]
    assert [s for s, _ in got] == pytest.approx([s for s, _ in expected], abs=1e-6)


async def test_solar_system_sources_by_designation(both: Both) -> None:
    expected: dict[str, list[float]] = defaultdict(list)
    for alert in sample_alerts():
        if alert["mpc_orbits"] is not None:
            packed = alert["mpc_orbits"]["packed_primary_provisional_designation"]
            expected[packed].append(alert["diaSource"]["midpointMjdTai"])
    assert sorted(expected) == ["J99JB9X", "K01S97B", "K17SA9A"]
    query = """query S($d: String!) { lsstSolarSystemObject(designation: $d) {
      packedDesignation designation sources { length midpointMjdTai band psfFlux } } }"""
    names = (("2001 SB97", "K01S97B"), ("K17SA9A", "K17SA9A"), ("1999 JX119", "J99JB9X"))
    for name, packed in names:
        data = ok(await both.run(query, {"d": name}))["lsstSolarSystemObject"]
        assert data["packedDesignation"] == packed
        assert data["sources"]["midpointMjdTai"] == sorted(expected[packed])
    assert ok(await both.run(query, {"d": "2001 SB98"}))["lsstSolarSystemObject"] is None
    bad = await both.run(query, {"d": "Ceres"})
    assert bad.codes() == ["INVALID_ARGUMENT"]


async def test_one_query_asks_both_surveys(both: Both) -> None:
    lsst = next(a["diaSource"] for a in sample_alerts() if a["diaObject"] is not None)
    ztf = pq.read_table(ZTF_SAMPLE[0], columns=["objectId", "candidate"]).to_pylist()[0]
    query = """query B($z: String!, $l: BigInt!, $ra: Angle!, $dec: Angle!) {
      object(objectId: $z) { survey name lightcurve { length } }
      lsstObject(diaObjectId: $l) { survey name lightcurve { length } }
      zsky: skySearch(ra: $ra, dec: $dec, radius: 5) { survey object { survey name } }
      lsky: skySearch(ra: LRA, dec: LDEC, radius: 5, surveys: [LSST]) {
        survey separationArcsec object { name ... on DiaObject { lightcurve { length } } } }
    }""".replace("LRA", str(lsst["ra"])).replace("LDEC", str(lsst["dec"]))
    variables = {"z": ztf["objectId"], "l": str(lsst["diaObjectId"]),
                 "ra": ztf["candidate"]["ra"], "dec": ztf["candidate"]["dec"]}  # fmt: skip
    data = ok(await both.run(query, variables))
    assert data["object"]["survey"] == "ZTF" and data["object"]["name"] == ztf["objectId"]
    assert data["lsstObject"]["survey"] == "LSST"
    assert {"survey": "ZTF", "object": {"survey": "ZTF", "name": ztf["objectId"]}} in data["zsky"]
    assert all(m["survey"] == "ZTF" for m in data["zsky"])  # no LSST object near a ZTF one
    first = data["lsky"][0]
    assert first["object"]["name"] == str(lsst["diaObjectId"])
    assert first["separationArcsec"] == pytest.approx(0.0, abs=1e-6)
    assert first["object"]["lightcurve"]["length"] >= 1


TAG_PAGE = """query T($tag: String!, $first: Int, $after: String, $since: String, $until: String) {
  lsstAlertsByTag(tag: $tag, first: $first, after: $after, since: $since, until: $until) {
    edges { cursor node { diaObjectId diaSourceId midpointMjdTai band psfFlux
                          object { diaObjectId } } }
    pageInfo { hasNextPage endCursor } } }"""


def expected_tag_keys() -> list[tuple[float, int, int]]:
    """(midpointMjdTai, diaObjectId, diaSourceId) of the tag rows, newest key first: one row
    per key <mjd>_<diaObjectId> (the last alert written wins a shared key, as in Fink)."""
    rows: dict[str, tuple[float, int, int]] = {}
    for alert in sample_alerts():
        s = alert["diaSource"]
        rows[f"{s['midpointMjdTai']!r}_{s['diaObjectId']}"] = (
            s["midpointMjdTai"], s["diaObjectId"], s["diaSourceId"]
        )
    return [rows[k] for k in sorted(rows, reverse=True)]


async def test_tag_alerts_page_newest_first(both: Both) -> None:
    assert ok(await both.run("{ lsstTags }"))["lsstTags"] == [TAG]
    expected = expected_tag_keys()
    got: list[dict[str, Any]] = []
    after = None
    for _ in range(10):
        data = ok(await both.run(TAG_PAGE, {"tag": TAG, "first": 7, "after": after}))
        page = data["lsstAlertsByTag"]
        got += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [(n["midpointMjdTai"], int(n["diaObjectId"]), int(n["diaSourceId"])) for n in got] == (
        expected
    )
    for node in got:  # Solar System alerts (diaObjectId 0) have no object
        assert (node["object"] is None) == (node["diaObjectId"] == "0")


async def test_tag_window_is_exact_and_unknown_tags_are_coded(both: Both) -> None:
    expected = expected_tag_keys()
    middle = expected[len(expected) // 2][0]
    since_mjd_utc = middle - 37.0 / 86400  # the window is UTC, the keys TAI (37 s ahead)
    data = ok(await both.run(TAG_PAGE, {"tag": TAG, "first": 100, "since": f"{since_mjd_utc!r}"}))
    got = [e["node"]["midpointMjdTai"] for e in data["lsstAlertsByTag"]["edges"]]
    assert got == [m for m, _, _ in expected if m >= middle - 1e-9]
    bad = await both.run(TAG_PAGE, {"tag": "no_such_tag"})
    assert bad.codes() == ["INVALID_ARGUMENT"] and TAG in bad.errors[0]["message"]
