"""The object / light-curve part of the schema, on the real Fink samples, on both backends.

Expected values are computed here from the parquet files (read in place) following
FINK-REFERENCE §6 (light curves with upper limits), §7 (classification) and §2 (float32 text).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import shutil
import socket
import subprocess
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from astropy.time import Time
from starlette.testclient import TestClient

from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.layout import tables
from fink_gateway.layout.columns import BY_NAME
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.resolvers.args import encode_cursor
from fink_gateway.science.classification import CLASSIFICATION_INPUTS, classify
from fink_gateway.science.times import MJD_OFFSET
from fink_gateway.store.factory import open_store
from tests.data_paths import FINK_ZTF, SAMPLE_FILES, classification_frame, read_sample
from tests.faults.conftest import free_port
from tests.schema.conftest import SCIENCE_FILES, Executed, Samples

pytestmark = pytest.mark.anyio

REDIS_ENV = "FINK_GATEWAY_TEST_REDIS"

# ---------------------------------------------------------------------------------------------
# Expected light curves, from the parquet files (FINK-REFERENCE §6)


@dataclasses.dataclass(frozen=True)
class Point:
    """One light-curve point, float32 columns rounded to float32."""

    jd: float
    tag: str
    fid: int
    magpsf: float | None
    sigmapsf: float | None
    diffmaglim: float | None
    isdiffpos: str | None
    candid: str | None  # decimal text (BigInt)


def _f32(value: float | None) -> float | None:
    """The float32 a value is stored as (None for null and NaN)."""
    if value is None or math.isnan(value):
        return None
    return float(np.float32(value))


def _and(a: bool | None, b: bool | None) -> bool | None:
    """SQL (Spark) three-valued AND."""
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _not(a: bool | None) -> bool | None:
    return None if a is None else not a


def _is_upper(entry: Mapping[str, Any]) -> bool:
    """``ztf.upper`` status: magpsf IS NULL."""
    return entry["magpsf"] is None


def _is_bad(entry: Mapping[str, Any]) -> bool | None:
    """``ztf.uppervalid`` status: magpsf NOT NULL AND NOT (rb >= 0.55 AND nbad == 0)."""
    rb, nbad = entry.get("rb"), entry.get("nbad")
    good = _and(None if rb is None else rb >= 0.55, None if nbad is None else nbad == 0)
    return _and(entry["magpsf"] is not None, _not(good))


def _point(entry: Mapping[str, Any], tag: str, candid: int | None) -> Point:
    detected = tag != "upperlim"
    return Point(
        jd=entry["jd"],
        tag=tag,
        fid=int(entry["fid"]),
        magpsf=_f32(entry["magpsf"]) if detected else None,
        sigmapsf=_f32(entry["sigmapsf"]) if detected else None,
        diffmaglim=_f32(entry["diffmaglim"]),
        isdiffpos=entry["isdiffpos"] if detected else None,
        candid=None if candid is None else str(candid),
    )


@functools.cache
def expected_lightcurves() -> dict[str, list[Point]]:
    """objectId → points with upper limits, oldest first, as Fink's API builds them.

    Valid points are the alerts that pass Fink's entry cuts (§1.1). Only alerts whose LAST
    previous entry is an upper limit (bad-quality detection) feed the upper (uppervalid)
    table, and then with all their entries of that status, keyed by JD. Bad-quality points at
    exactly the JD of a valid alert are dropped.
    """
    valid: dict[str, dict[float, Point]] = defaultdict(dict)
    upper: dict[str, dict[float, Point]] = defaultdict(dict)
    bad: dict[str, dict[float, Point]] = defaultdict(dict)
    columns = ["objectId", "candid", "candidate", "prv_candidates"]
    for path in SCIENCE_FILES:
        for alert in pq.read_table(path, columns=columns).to_pylist():
            c = alert["candidate"]
            if not (c["nbad"] == 0 and c["rb"] >= 0.55 and c["fid"] != 3):
                continue
            oid = alert["objectId"]
            valid[oid][c["jd"]] = _point(c, "valid", alert["candid"])
            history = [e for e in alert["prv_candidates"] or [] if e["jd"] is not None]
            if history and _is_upper(history[-1]):
                upper[oid].update(
                    (e["jd"], _point(e, "upperlim", None)) for e in history if _is_upper(e)
                )
            if history and _is_bad(history[-1]):
                bad[oid].update(
                    (e["jd"], _point(e, "badquality", None)) for e in history if _is_bad(e)
                )
    out = {}
    for oid, points in valid.items():
        kept = [p for jd, p in bad[oid].items() if jd not in points]
        out[oid] = sorted([*points.values(), *upper[oid].values(), *kept], key=lambda p: p.jd)
    return out


def received_points(lightcurve: Mapping[str, list[Any]]) -> list[Point]:
    names = [f.name for f in dataclasses.fields(Point)]
    assert {len(lightcurve[n]) for n in names} == {len(lightcurve["jd"])}, "unaligned columns"
    points = []
    for values in zip(*(lightcurve[n] for n in names), strict=True):
        row = dict(zip(names, values, strict=True))
        for name in ("magpsf", "sigmapsf", "diffmaglim"):
            row[name] = _f32(row[name])
        points.append(Point(**row))
    return points


LIGHTCURVE_FIELDS = "jd magpsf sigmapsf fid tag diffmaglim isdiffpos candid"


async def test_every_sample_object_matches_its_parquet_rows(samples: Samples) -> None:
    expected = expected_lightcurves()
    assert sorted(expected) == samples.object_ids
    # every object in one request: aliased root fields share one batched read per table
    fields = "\n".join(
        f'o{i}: object(objectId: "{oid}") {{ objectId nAlerts alerts {{ totalCount }} '
        f"lightcurve(withUpperLimits: true) {{ {LIGHTCURVE_FIELDS} }} }}"
        for i, oid in enumerate(samples.object_ids)
    )
    result = await samples.execute(f"{{ {fields} }}")
    assert not result.errors, result.errors[:3]
    # data version, then main/upper/uppervalid: their types and one scan each
    assert result.stats.round_trips == 7
    tags: dict[str, int] = defaultdict(int)
    for i, oid in enumerate(samples.object_ids):
        got = result.data[f"o{i}"]
        want = expected[oid]
        assert got["objectId"] == oid
        n_valid = sum(p.tag == "valid" for p in want)
        assert got["nAlerts"] == got["alerts"]["totalCount"] == n_valid, oid
        assert received_points(got["lightcurve"]) == want, oid
        for p in want:
            tags[p.tag] += 1
    # the samples exercise every kind of point (FINK-REFERENCE §13)
    assert tags["valid"] == 157
    assert tags["upperlim"] > 0 and tags["badquality"] > 0


async def test_lightcurve_candid_keeps_64_bit_precision_beside_upper_limits(
    samples: Samples,
) -> None:
    query = """{ object(objectId: "ZTF25abuovxv") {
        lightcurve(withUpperLimits: true) { tag candid }
        alerts { nodes { candid } } } }"""
    result = await samples.execute(query)
    assert not result.errors
    lightcurve = result.data["object"]["lightcurve"]
    valid = [
        c for c, t in zip(lightcurve["candid"], lightcurve["tag"], strict=True) if t == "valid"
    ]
    assert valid == ["3229390645815015015", "3231437615815015011"]  # exact, as text
    assert sorted(n["candid"] for n in result.data["object"]["alerts"]["nodes"]) == valid
    assert None in lightcurve["candid"]  # the bad-quality points have none


async def test_lightcurve_bands_filter_points(samples: Samples) -> None:
    query = """{ object(objectId: "ZTF18abadigg") {
        all: lightcurve(withUpperLimits: true) { fid band }
        g: lightcurve(withUpperLimits: true, bands: [g]) { fid band jd } } }"""
    result = await samples.execute(query)
    assert not result.errors
    obj = result.data["object"]
    assert set(obj["all"]["fid"]) == {1, 2}
    assert set(obj["g"]["fid"]) == {1} and set(obj["g"]["band"]) == {"g"}
    assert len(obj["g"]["jd"]) == obj["all"]["fid"].count(1)


async def test_bad_quality_point_at_a_valid_jd_is_dropped(samples: Samples) -> None:
    # FINK-REFERENCE §6 step 3: a new alert whose last previous entry is a bad-quality copy
    # (rb < 0.55) of an existing valid alert feeds ztf.uppervalid with that JD, but the light
    # curve keeps only the valid point there
    oid = samples.demo_ids[-3]  # written to by this test only
    rows = samples.demo.filter(pc.equal(samples.demo.column("objectId"), oid)).to_pylist()
    latest = max(rows, key=lambda r: r["candidate"]["jd"])
    duplicate = {
        name: latest["candidate"].get(name)
        for name in samples.demo.schema.field("prv_candidates").type.value_type.names
    }
    duplicate["rb"] = 0.3
    alert = {**latest, "candid": latest["candid"] + 2}
    alert["candidate"] = {**latest["candidate"], "jd": latest["candidate"]["jd"] + 2.0}
    alert["prv_candidates"] = [*(latest["prv_candidates"] or []), duplicate]
    extra = pa.Table.from_pylist([alert], schema=samples.demo.schema)
    await ingest_tables(samples.store, samples.prefix, [extra], source="extra", with_cutouts=False)

    jd = latest["candidate"]["jd"]
    (stored,) = await samples.store.get_rows(
        tables.UPPERVALID.name(samples.prefix), [f"{oid}_{jd!r}".encode()]
    )
    assert stored is not None  # the bad-quality copy is in ztf.uppervalid ...
    query = """query($id: String!) { object(objectId: $id) {
        lightcurve(withUpperLimits: true) { jd tag } } }"""
    result = await samples.execute(query, {"id": oid})
    assert not result.errors
    lightcurve = result.data["object"]["lightcurve"]
    at_jd = [t for j, t in zip(lightcurve["jd"], lightcurve["tag"], strict=True) if j == jd]
    assert at_jd == ["valid"]  # ... but not in the light curve
    assert lightcurve["jd"][-1] == alert["candidate"]["jd"]


# ---------------------------------------------------------------------------------------------
# Batching: store round trips do not grow with the number of objects


OBJECTS_QUERY = """query($ids: [String!]!) {
  objects(objectIds: $ids) { objectId lightcurve(withUpperLimits: %s) { jd magpsf } } }"""


@pytest.mark.parametrize("with_upper_limits", [False, True])
async def test_objects_round_trips_do_not_grow_with_the_number_of_objects(
    samples: Samples, with_upper_limits: bool
) -> None:
    query = OBJECTS_QUERY % str(with_upper_limits).lower()
    trips = {}
    for k in (1, 10, 100):
        ids = samples.demo_ids[:k]
        result = await samples.execute(query, {"ids": ids})  # new services: cold types cache
        assert not result.errors, result.errors[:3]
        assert [o["objectId"] for o in result.data["objects"]] == ids
        assert all(o["lightcurve"]["jd"] for o in result.data["objects"])
        trips[k] = result.stats.round_trips
    # data version, main-table types and one scan; with limits, the same for upper/uppervalid
    expected = 7 if with_upper_limits else 3
    assert trips == {1: expected, 10: expected, 100: expected}


async def test_http_telemetry_round_trips_do_not_grow(samples: Samples) -> None:
    settings = dataclasses.replace(Settings(), telemetry=True)
    app = build_app(settings, samples.open_store(), samples.prefix)
    query = OBJECTS_QUERY % "false"
    ids = samples.demo_ids

    def round_trips(object_ids: list[str]) -> int:
        response = client.post("/graphql", json={"query": query, "variables": {"ids": object_ids}})
        assert response.status_code == 200
        body = response.json()
        assert "errors" not in body, body["errors"][:3]
        assert len(body["data"]["objects"]) == len(object_ids)
        return int(body["extensions"]["telemetry"]["store"]["roundTrips"])

    with TestClient(app) as client:
        round_trips(ids[111:112])  # loads the types, shared by later requests
        # disjoint ids, so that the app's result cache never answers
        trips = {k: round_trips(ids[start : start + k])
                 for k, start in ((1, 0), (10, 1), (100, 11))}  # fmt: skip
    assert trips == {1: 2, 10: 2, 100: 2}  # data version + one scan


# ---------------------------------------------------------------------------------------------
# Column push-down

VERSION_COLUMN = b"m:version"


async def columns_read(samples: Samples, selection: str) -> set[bytes]:
    query = "query($id: String!) { object(objectId: $id) { " + selection + " } }"
    result = await samples.execute(query, {"id": "ZTF25abuovxv"})
    assert not result.errors, result.errors
    return result.stats.columns


async def test_lightcurve_reads_only_the_selected_columns(samples: Samples) -> None:
    base = await columns_read(samples, "lightcurve { jd magpsf }")
    # i:fid: the light curve always reads it (band filter); m:version: the data version
    assert base == {b"i:jd", b"i:magpsf", b"i:fid", VERSION_COLUMN}

    labelled = await columns_read(samples, "lightcurve { jd magpsf } classification { label }")
    inputs = {BY_NAME[name].column for name in CLASSIFICATION_INPUTS}
    assert labelled == base | inputs

    scores = await columns_read(samples, "classification { label anomalyScore tnsType }")
    assert scores == {VERSION_COLUMN, b"d:anomaly_score", b"d:tns"} | inputs

    assert await columns_read(samples, "alerts { nodes { rb } }") == {
        b"i:jd",
        b"i:rb",
        VERSION_COLUMN,
    }


# ---------------------------------------------------------------------------------------------
# Classification (FINK-REFERENCE §7)


@functools.cache
def sample_labels() -> dict[str, list[tuple[float, str]]]:
    """objectId → (jd, label) of each alert, oldest first, classified from the parquet rows."""
    out: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for name in SAMPLE_FILES:
        frame = classification_frame(read_sample(name))
        for oid, jd, label in zip(frame["objectId"], frame["jd"], classify(frame), strict=True):
            out[oid].append((float(jd), str(label)))
    return {oid: sorted(rows) for oid, rows in out.items()}


SELECTIONS = (
    "classification { label }",
    "lightcurve { jd magpsf } classification { label }",
    "lightcurve(withUpperLimits: true) { jd dcMag } classification { label source }",
    "nAlerts lastAlert { magpsf } classification { label snIaScore }",
    "crossmatch { simbad } position { ra } classification { label tnsType anomalyScore }",
    "alerts(first: 1) { nodes { jd } } classification { label }",
)


@pytest.mark.parametrize("selection", SELECTIONS)
async def test_classification_is_the_same_whatever_else_is_selected(
    samples: Samples, selection: str
) -> None:
    expected = sample_labels()
    query = f"query($ids: [String!]!) {{ objects(objectIds: $ids) {{ objectId {selection} }} }}"
    result = await samples.execute(query, {"ids": samples.object_ids})
    assert not result.errors, result.errors[:3]
    got = {o["objectId"]: o["classification"]["label"] for o in result.data["objects"]}
    assert got == {oid: rows[-1][1] for oid, rows in expected.items()}
    assert got["ZTF25abuovxv"] == "SN candidate"  # 'Ambiguous' in the file, which lacks mulens


async def test_alert_classification_matches_every_parquet_row(samples: Samples) -> None:
    expected = sample_labels()
    query = """query($ids: [String!]!) { objects(objectIds: $ids) { objectId
        alerts { nodes { jd classification { label } } }
        lastAlert { classification { label } } } }"""
    result = await samples.execute(query, {"ids": samples.object_ids})
    assert not result.errors, result.errors[:3]
    for obj in result.data["objects"]:
        nodes = obj["alerts"]["nodes"]
        got = sorted((n["jd"], n["classification"]["label"]) for n in nodes)
        assert got == expected[obj["objectId"]]
        assert obj["lastAlert"]["classification"]["label"] == got[-1][1]


async def test_classification_scores_come_from_the_latest_alert(samples: Samples) -> None:
    # the superluminous sample's TNS-classified objects, latest alert (FINK-REFERENCE §1.4)
    table = pq.read_table(
        FINK_ZTF / "superluminous_test_alerts.parquet",
        columns=["objectId", "tns", "anomaly_score", "slsn_score", "snn_snia_vs_nonia"],
    )
    rows = {r["objectId"]: r for r in table.to_pylist() if r["tns"]}
    assert sorted(r["tns"] for r in rows.values()) == ["SN II", "SN IIP", "SN Ic", "TDE-H-He"]
    query = """query($ids: [String!]!) { objects(objectIds: $ids) { objectId
        classification { tnsType anomalyScore slsnScore snIaScore } } }"""
    result = await samples.execute(query, {"ids": sorted(rows)})
    assert not result.errors, result.errors
    for obj in result.data["objects"]:
        row = rows[obj["objectId"]]
        assert obj["classification"] == {
            "tnsType": row["tns"],
            "anomalyScore": row["anomaly_score"],  # double
            "slsnScore": float(str(np.float32(row["slsn_score"]))),  # float: its float32 text
            "snIaScore": row["snn_snia_vs_nonia"],  # double
        }


async def test_position_is_the_mean_of_the_alerts(samples: Samples) -> None:
    query = """{ object(objectId: "ZTF25abuovxv") {
        position { ra dec galacticL galacticB constellation } } }"""
    result = await samples.execute(query)
    assert not result.errors
    position = result.data["object"]["position"]
    assert position["ra"] == pytest.approx(92.4445778, abs=1e-4)  # FINK-REFERENCE §1.4
    assert position["dec"] == pytest.approx(35.5722176, abs=1e-4)
    assert position["constellation"] == "Auriga"  # FINK-REFERENCE §8
    assert position["galacticL"] == pytest.approx(176.77, abs=0.01)
    assert position["galacticB"] == pytest.approx(7.72, abs=0.01)


# ---------------------------------------------------------------------------------------------
# Pagination and date windows


def demo_alert_jds(samples: Samples) -> dict[str, list[float]]:
    """objectId → JDs of its demo alerts that pass Fink's cuts, newest first."""
    candidate = samples.demo.column("candidate").combine_chunks()
    keep = (
        (candidate.field("nbad").to_numpy(zero_copy_only=False) == 0)
        & (candidate.field("rb").to_numpy(zero_copy_only=False) >= 0.55)
        & (candidate.field("fid").to_numpy(zero_copy_only=False) != 3)
    )
    out: dict[str, list[float]] = defaultdict(list)
    ids = samples.demo.column("objectId").to_pylist()
    for oid, jd, ok in zip(ids, candidate.field("jd").to_pylist(), keep, strict=True):
        if ok:
            out[oid].append(jd)
    return {oid: sorted(jds, reverse=True) for oid, jds in out.items()}


def busiest_demo_object(samples: Samples) -> tuple[str, list[float]]:
    jds = demo_alert_jds(samples)
    oid = max(sorted(jds), key=lambda o: len(jds[o]))
    return oid, jds[oid]


PAGE_QUERY = """query($id: String!, $first: Int, $after: String, $since: String, $until: String) {
  object(objectId: $id) { alerts(first: $first, after: $after, since: $since, until: $until) {
    totalCount edges { cursor node { jd } } pageInfo { hasNextPage endCursor } } } }"""


async def walk_pages(
    samples: Samples, oid: str, first: int = 2, **window: str
) -> tuple[list[float], set[int]]:
    """JDs of every page, in order, and the totalCount of each page."""
    jds: list[float] = []
    totals: set[int] = set()
    after = None
    for _ in range(1000):
        variables = {"id": oid, "first": first, "after": after, **window}
        result = await samples.execute(PAGE_QUERY, variables)
        assert not result.errors, result.errors
        page = result.data["object"]["alerts"]
        assert len(page["edges"]) <= first
        jds += [e["node"]["jd"] for e in page["edges"]]
        totals.add(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            return jds, totals
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("pagination does not end")


async def test_alert_pages_visit_every_alert_once_newest_first(samples: Samples) -> None:
    oid, jds = busiest_demo_object(samples)
    assert len(jds) >= 5
    visited, totals = await walk_pages(samples, oid)
    assert visited == jds
    assert totals == {len(jds)}


async def test_alert_date_windows_are_inclusive_in_jd_mjd_and_iso(samples: Samples) -> None:
    oid, jds = busiest_demo_object(samples)
    newest_first = jds
    since, until = newest_first[-2], newest_first[1]  # drop the oldest and the newest
    inside = [jd for jd in newest_first if since <= jd <= until]
    assert len(inside) == len(jds) - 2
    windows = (
        {"since": repr(since), "until": repr(until)},
        {"since": repr(since - MJD_OFFSET), "until": repr(until - MJD_OFFSET)},
    )
    for window in windows:
        visited, totals = await walk_pages(samples, oid, first=7, **window)
        assert visited == inside, window
        assert totals == {len(inside)}
    # an ISO date between the two oldest alerts keeps all but the oldest
    middle = Time((newest_first[-1] + newest_first[-2]) / 2, format="jd").isot
    visited, _ = await walk_pages(samples, oid, first=100, since=middle)
    assert visited == newest_first[:-1]
    visited, _ = await walk_pages(samples, oid, first=100, until=middle)
    assert visited == newest_first[-1:]


# ---------------------------------------------------------------------------------------------
# Cross-request cache


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[ResultCache]:
    if request.param == "redis":
        import os

        url = os.environ.get(REDIS_ENV, "").strip()
        if not url:
            pytest.skip(f"{REDIS_ENV}=redis://host:port/db is not set")
        result_cache = ResultCache("redis", url)
    else:
        result_cache = ResultCache("memory")
    try:
        yield result_cache
    finally:
        await result_cache.close()


CACHED_QUERY = """query($ids: [String!]!) {
  objects(objectIds: $ids) { objectId nAlerts lightcurve { jd magpsf } } }"""


async def test_cache_answers_a_repeated_request_without_reading_rows(
    samples: Samples, cache: ResultCache
) -> None:
    services = samples.services(cache)
    variables = {"ids": samples.demo_ids[120:130]}
    first = await samples.execute(CACHED_QUERY, variables, services=services)
    second = await samples.execute(CACHED_QUERY, variables, services=services)
    assert not first.errors and not second.errors
    assert second.data == first.data
    assert first.stats.round_trips == 3  # data version, types, one scan
    assert second.stats.round_trips == 1  # data version only: the rows come from the cache
    assert cache.hits >= 10


def _with_fields(struct: pa.StructArray, **values: pa.Array) -> pa.StructArray:
    arrays = [values.get(f.name, struct.field(f.name)) for f in struct.type]
    return pa.StructArray.from_arrays(arrays, fields=list(struct.type))


def later_alert(samples: Samples, oid: str, days: float) -> pa.Table:
    """A copy of the object's latest demo alert, ``days`` later (new key, new candid)."""
    rows = samples.demo.filter(pc.equal(samples.demo.column("objectId"), oid))
    jd = rows.column("candidate").combine_chunks().field("jd")
    latest = rows.slice(int(np.argmax(jd.to_numpy(zero_copy_only=False))), 1)
    candidate = latest.column("candidate").combine_chunks()
    candid = pc.add(latest.column("candid").combine_chunks(), 1)
    moved = _with_fields(candidate, jd=pc.add(candidate.field("jd"), days), candid=candid)
    latest = latest.set_column(latest.schema.get_field_index("candidate"), "candidate", moved)
    return latest.set_column(latest.schema.get_field_index("candid"), "candid", candid)


async def test_ingest_invalidates_the_cache(samples: Samples, cache: ResultCache) -> None:
    # one demo object per cache backend: the module's store is shared by every test
    oid = samples.demo_ids[-1 if cache.backend == "memory" else -2]
    services = samples.services(cache)
    query = "query($id: String!) { object(objectId: $id) { nAlerts lightcurve { jd } } }"
    before = await samples.execute(query, {"id": oid}, services=services)
    cached = await samples.execute(query, {"id": oid}, services=services)
    assert cached.data == before.data and cached.stats.round_trips == 1

    extra = later_alert(samples, oid, days=1.0)
    report = await ingest_tables(samples.store, samples.prefix, [extra], source="extra",
                                 with_cutouts=False)  # fmt: skip
    assert report.counts.alerts == 1
    after = await samples.execute(query, {"id": oid}, services=services)
    assert not after.errors
    new_jd = extra.column("candidate").combine_chunks().field("jd")[0].as_py()
    assert after.data["object"]["nAlerts"] == before.data["object"]["nAlerts"] + 1
    assert after.data["object"]["lightcurve"]["jd"][-1] == new_jd
    assert after.stats.round_trips > 1  # read again from the store


async def test_queries_work_when_redis_is_unreachable(
    samples: Samples, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ResultCache("redis", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    services = samples.services(cache)
    variables = {"ids": samples.demo_ids[130:132]}
    try:
        with caplog.at_level(logging.WARNING, logger="fink_gateway.cache"):
            first = await samples.execute(CACHED_QUERY, variables, services=services)
            second = await samples.execute(CACHED_QUERY, variables, services=services)
    finally:
        await cache.close()
    assert not first.errors and not second.errors
    assert second.data == first.data and len(first.data["objects"]) == 2
    assert second.stats.round_trips == 2  # no cache: data version + scan every time
    warnings = [r for r in caplog.records if r.name == "fink_gateway.cache"]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()


async def test_queries_survive_redis_being_killed(
    samples: Samples, caplog: pytest.LogCaptureFixture
) -> None:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    cache = ResultCache("redis", f"redis://127.0.0.1:{port}/0")
    try:
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        services = samples.services(cache)
        variables = {"ids": samples.demo_ids[132:134]}
        first = await samples.execute(CACHED_QUERY, variables, services=services)
        cached = await samples.execute(CACHED_QUERY, variables, services=services)
        assert cached.stats.round_trips == 1
        process.kill()
        process.wait()
        with caplog.at_level(logging.WARNING, logger="fink_gateway.cache"):
            after = await samples.execute(CACHED_QUERY, variables, services=services)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        await cache.close()
    assert not after.errors and after.data == first.data
    assert after.stats.round_trips == 2
    assert any("unavailable" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------------------------------
# Bad input


def assert_invalid_argument(result: Executed) -> None:
    assert result.errors, "expected an error"
    assert result.codes() == ["INVALID_ARGUMENT"] * len(result.errors), result.errors
    for error in result.errors:
        assert "Traceback" not in error["message"] and 'File "' not in error["message"]


BAD_OBJECT_ARGUMENTS = (
    '{ object(objectId: "ZTF25abuovx") { nAlerts } }',
    '{ object(objectId: "ztf25abuovxv") { nAlerts } }',
    '{ object(objectId: "ZTF25abuovxv ") { nAlerts } }',
    '{ object(objectId: "ZTF25abuovxv") { alerts(first: 1001) { totalCount } } }',
    '{ object(objectId: "ZTF25abuovxv") { alerts(first: -1) { totalCount } } }',
    '{ object(objectId: "ZTF25abuovxv") { alerts(after: "not a cursor") { totalCount } } }',
    *(
        f'{{ object(objectId: "ZTF25abuovxv") {{ alerts(after: "{cursor}") {{ totalCount }} }} }}'
        for cursor in (
            encode_cursor("pixel", "40835"),  # another kind of cursor
            encode_cursor("jd", "abc"),
            encode_cursor("jd", "nan"),
        )
    ),
    '{ object(objectId: "ZTF25abuovxv") { alerts(since: "yesterday") { totalCount } } }',
    '{ object(objectId: "ZTF25abuovxv") { alerts(until: "2025-13-45") { totalCount } } }',
    '{ object(objectId: "ZTF25abuovxv") { alerts(since: "2460990", until: "2460980") '
    "{ totalCount } } }",
)


@pytest.mark.parametrize("query", BAD_OBJECT_ARGUMENTS)
async def test_object_rejects_bad_arguments_with_a_code(samples: Samples, query: str) -> None:
    result = await samples.execute(query)
    assert_invalid_argument(result)
    assert result.data == {"object": None}


async def test_objects_rejects_too_many_ids(samples: Samples) -> None:
    cap = Settings().limits.max_object_ids
    query = "query($ids: [String!]!) { objects(objectIds: $ids) { nAlerts } }"
    result = await samples.execute(query, {"ids": ["ZTF25abuovxv"] * (cap + 1)})
    assert_invalid_argument(result)
    assert str(cap) in result.errors[0]["message"]
    at_cap = await samples.execute(query, {"ids": ["ZTF25abuovxv"] * cap})
    assert not at_cap.errors and len(at_cap.data["objects"]) == cap

    malformed = await samples.execute(query, {"ids": ["ZTF25abuovxv", "ZTF"]})
    assert_invalid_argument(malformed)


async def test_unknown_object_is_null_without_error(samples: Samples) -> None:
    result = await samples.execute('{ object(objectId: "ZTF99zzzzzzz") { nAlerts } }')
    assert result.errors == [] and result.data == {"object": None}
    listed = await samples.execute(
        '{ objects(objectIds: ["ZTF25abuovxv", "ZTF99zzzzzzz", "ZTF25abuovxv"]) { nAlerts } }'
    )
    assert listed.errors == []
    assert listed.data == {"objects": [{"nAlerts": 2}, None, {"nAlerts": 2}]}


@pytest.mark.parametrize(
    "query",
    [
        '{ object(objectId: "ZTF25abuovxv" { nAlerts } }',  # syntax
        '{ object(objectId: "ZTF25abuovxv") { noSuchField } }',
        "{ object(objectId: 5) { nAlerts } }",
        "{ object { nAlerts } }",
    ],
)
async def test_invalid_documents_are_validation_failures(samples: Samples, query: str) -> None:
    result = await samples.execute(query)
    assert result.errors and set(result.codes()) == {"GRAPHQL_VALIDATION_FAILED"}
    assert result.data is None


# ---------------------------------------------------------------------------------------------
# HTTP


@pytest.fixture
def client(samples: Samples) -> Any:
    """A client of the whole app over its own connection to the samples store."""
    app = build_app(Settings(), samples.open_store(), samples.prefix)
    with TestClient(app) as test_client:
        yield test_client


async def test_http_get_in_a_browser_serves_graphiql(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_http_json_prints_float32_as_fink_and_nan_as_null(client: TestClient) -> None:
    query = """{ a: object(objectId: "ZTF18aazhkti") {
        lightcurve { magpsf } lastAlert { magpsf } }
      b: object(objectId: "ZTF18abadigg") { lightcurve(withUpperLimits: true) { magpsf tag } }
      c: object(objectId: "ZTF25aabvany") { lastAlert { plx plxError }
        crossmatch { gaiaParallax } } }"""
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    text = response.text
    assert "18.812384" in text and "18.8123836" not in text  # stored float32 18.812384f
    body = orjson.loads(text)
    assert "errors" not in body, body.get("errors")
    data = body["data"]
    assert 18.812384 in data["a"]["lightcurve"]["magpsf"]
    limits = data["b"]["lightcurve"]
    assert [m for m, t in zip(limits["magpsf"], limits["tag"], strict=True) if t == "upperlim"]
    assert all(
        m is None for m, t in zip(limits["magpsf"], limits["tag"], strict=True) if t == "upperlim"
    )
    # d:Plx / d:e_Plx are NaN in the 2025 samples: null, as Fink's JSON prints them
    assert data["c"]["lastAlert"] == {"plx": None, "plxError": None}
    assert data["c"]["crossmatch"] == {"gaiaParallax": None}


@pytest.mark.parametrize(
    "query, code",
    [
        ('{ object(objectId: "ZTF25abuovxv" { nAlerts } }', "GRAPHQL_VALIDATION_FAILED"),
        ('{ object(objectId: "ZTF25abuovxv") { noSuchField } }', "GRAPHQL_VALIDATION_FAILED"),
        ('{ object(objectId: "ZTF25") { nAlerts } }', "INVALID_ARGUMENT"),
    ],
)
async def test_http_errors_carry_their_code(client: TestClient, query: str, code: str) -> None:
    response = client.post("/graphql", json={"query": query})
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    assert "Traceback" not in response.text


async def test_http_health_and_readiness(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_http_readiness_fails_when_hbase_is_unreachable() -> None:
    url = "hbase://127.0.0.1:1"  # nothing listens on port 1
    app = build_app(Settings(store=url), open_store(url), "ztf")
    with TestClient(app) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json() == {"status": "unavailable", "code": "BACKEND_UNAVAILABLE"}
        assert client.get("/healthz").status_code == 200
        response = client.post("/graphql", json={"query": '{ object(objectId: "ZTF25abuovxv") '
                                                          "{ nAlerts } }"})  # fmt: skip
        assert [e["extensions"]["code"] for e in response.json()["errors"]] == [
            "BACKEND_UNAVAILABLE"
        ]
