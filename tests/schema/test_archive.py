"""The archive queries (schema/archive.py) and the cutout fields through the schema, in
process (and one multipart upload over HTTP): tracklets, resolve, statistics, anomalies,
skymap, ``Alert.cutout`` and ``Object.cutouts``, on both backends.

One store per backend is filled ONCE for the module: the science samples with their stamps,
demo alerts without stamps, alerts placed in the shared bayestar map, a few TNS entries.
Test names avoid the words that ``-k`` filters of other areas use (sso, classes, conesearch).
"""

from __future__ import annotations

import base64
import gzip
import io
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pyarrow as pa
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.graphql_view import GatewayGraphQL
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.layout import tables
from fink_gateway.resolvers.args import encode_cursor
from fink_gateway.schema.build import build_schema
from fink_gateway.settings import LimitSettings, Settings, SkymapSettings
from fink_gateway.store.interface import Store
from tests.archive_data import BAYESTAR, PLACED, placed_alerts, tns_rows
from tests.conftest import BACKENDS, ingested_store
from tests.data_paths import SCIENCE_FILES
from tests.fit_pool import shared_work
from tests.schema.conftest import Executed, execute_in_process

pytestmark = pytest.mark.anyio

SCHEMA = build_schema()
SETTINGS = Settings(
    skymap=SkymapSettings(folder=str(BAYESTAR.parent)),
    limits=LimitSettings(timeout_seconds=120.0),  # behaviour, not speed: HBase on a busy CI
)
BENOIT = "ZTF25aabvany"  # one alert of asteroid 8467, with stamps
SUPERLUMINOUS = "ZTF25aatmfzy"  # three alerts with stamps


@dataclass
class Archive:
    """The module's store, and an in-process executor of the archive schema."""

    backend: str
    store: Store
    prefix: str
    demo: pa.Table

    def services(self, settings: Settings = SETTINGS) -> Services:
        return Services(self.store, settings, self.prefix, None, shared=shared_work())

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        settings: Settings = SETTINGS,
    ) -> Executed:
        return await execute_in_process(SCHEMA, self.services(settings), query, variables)


@pytest.fixture(scope="module", params=BACKENDS)
async def archive(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Archive]:
    folder = tmp_path_factory.mktemp("archive")
    async with ingested_store(request.param, folder, SCIENCE_FILES, with_cutouts=True) as found:
        store, prefix = found
        demo = pa.concat_tables(generate_alerts(600, 11, with_cutouts=False))
        await ingest_tables(store, prefix, [demo], source="demo", with_cutouts=False)
        writer = AlertWriter(store, prefix)
        await writer.prepare()
        await writer.write(placed_alerts())
        await writer.finish()
        await store.put_rows(tables.TNS_RESOLVER.name(prefix), tns_rows())
        yield Archive(request.param, store, prefix, demo)


def ok(result: Executed) -> Any:
    assert not result.errors, result.errors
    return result.data


# --- tracklets -----------------------------------------------------------------------------

TRACKLETS = """
query T($date: String, $id: String) {
  tracklets(date: $date, id: $id) { id time nAlerts alerts { objectId jd magpsf tracklet
                                                             classification { label } } }
}
"""


async def test_tracklets_by_date_and_by_id(archive: Archive) -> None:
    ids = sorted({t for t in archive.demo.column("tracklet").to_pylist() if t})
    one = ids[0]
    day = f"{one[5:9]}-{one[9:11]}-{one[11:13]}"
    data = ok(await archive.execute(TRACKLETS, {"date": day}))
    found = data["tracklets"]
    assert [t["id"] for t in found] == [i for i in ids if i.startswith(one[:13])]
    first = found[0]
    assert first["time"] == f"{day}T{one[14:16]}:{one[16:18]}:{one[18:20]}Z"
    assert first["nAlerts"] == len(first["alerts"]) >= 5
    assert {a["tracklet"] for a in first["alerts"]} == {one}
    assert {a["classification"]["label"] for a in first["alerts"]} == {"Tracklet"}
    by_id = ok(await archive.execute(TRACKLETS, {"id": one}))["tracklets"]
    assert by_id == [first]
    minute = ok(await archive.execute(TRACKLETS, {"date": f"{day} {one[14:16]}:{one[16:18]}"}))
    assert one in [t["id"] for t in minute["tracklets"]]


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"date": "2023-12-14", "id": "TRCK_20231214_061754_00"},
        {"id": "None"},
        {"date": "14/12/2023"},
    ],
    ids=["neither", "both", "none-literal", "bad-date"],
)
async def test_tracklets_reject_bad_arguments(archive: Archive, variables: dict[str, str]) -> None:
    result = await archive.execute(TRACKLETS, variables)
    assert result.codes() == ["INVALID_ARGUMENT"]
    assert result.stats.round_trips == 0


# --- cutouts -------------------------------------------------------------------------------

ALERT_CUTOUTS = """
query C($id: String!, $first: Int, $format: CutoutFormat!) {
  object(objectId: $id) {
    alerts(first: $first) { nodes { jd cutout(kind: SCIENCE, format: $format) {
        kind format jd time fileName width height data array } } }
  }
}
"""


async def test_alert_cutout_formats(archive: Archive) -> None:
    png = ok(await archive.execute(ALERT_CUTOUTS, {"id": BENOIT, "format": "PNG"}))
    (node,) = png["object"]["alerts"]["nodes"]
    cutout = node["cutout"]
    assert cutout["data"].startswith("data:image/png;base64,") and cutout["array"] is None
    assert (cutout["kind"], cutout["format"], cutout["jd"]) == ("SCIENCE", "PNG", node["jd"])
    assert (cutout["width"], cutout["height"]) == (63, 63)
    assert cutout["fileName"].endswith("_targ_sci.fits.gz")
    fits_ = ok(await archive.execute(ALERT_CUTOUTS, {"id": BENOIT, "format": "FITS"}))
    raw = base64.b64decode(fits_["object"]["alerts"]["nodes"][0]["cutout"]["data"])
    assert raw.startswith(b"SIMPLE") and len(raw) % 2880 == 0
    array = ok(await archive.execute(ALERT_CUTOUTS, {"id": BENOIT, "format": "ARRAY"}))
    pixels = array["object"]["alerts"]["nodes"][0]["cutout"]["array"]
    assert len(pixels) == 63 and all(len(row) == 63 for row in pixels)


async def test_alert_cutouts_of_a_page_cost_one_store_call(archive: Archive) -> None:
    one = await archive.execute(ALERT_CUTOUTS, {"id": SUPERLUMINOUS, "first": 1, "format": "PNG"})
    many = await archive.execute(
        ALERT_CUTOUTS, {"id": SUPERLUMINOUS, "first": 100, "format": "PNG"}
    )
    nodes = ok(many)["object"]["alerts"]["nodes"]
    assert len(nodes) > 1 and all(n["cutout"] for n in nodes)
    assert many.stats.round_trips == one.stats.round_trips
    assert {b"i:objectId", b"i:jd"} <= many.stats.columns  # pushed down for `cutout`


async def test_alert_without_stamps_has_a_null_cutout(archive: Archive) -> None:
    demo_id = archive.demo.column("objectId")[0].as_py()
    data = ok(await archive.execute(ALERT_CUTOUTS, {"id": demo_id, "format": "PNG"}))
    assert {n["cutout"] is None for n in data["object"]["alerts"]["nodes"]} == {True}


async def test_object_cutouts_newest_first(archive: Archive) -> None:
    query = """query O($id: String!) { object(objectId: $id) {
        alerts { nodes { jd } }
        cutouts(kind: DIFFERENCE, format: ARRAY, first: 3) { kind jd width array } } }"""
    data = ok(await archive.execute(query, {"id": SUPERLUMINOUS}))["object"]
    jds = [n["jd"] for n in data["alerts"]["nodes"]][:3]
    assert [c["jd"] for c in data["cutouts"]] == jds
    assert {c["kind"] for c in data["cutouts"]} == {"DIFFERENCE"}


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ("pmin: 60, pmax: 40", "INVALID_ARGUMENT"),
        ("pmax: 101", "INVALID_ARGUMENT"),
        ('colormap: "rainbow-unicorn"', "INVALID_ARGUMENT"),
        ("stretch: CUBIC", "GRAPHQL_VALIDATION_FAILED"),
        ("format: JPEG", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_alert_cutout_rejects_bad_options(
    archive: Archive, arguments: str, code: str
) -> None:
    query = f"""{{ object(objectId: "{BENOIT}") {{ alerts {{ nodes {{
        cutout(kind: TEMPLATE, {arguments}) {{ width }} }} }} }} }}"""
    assert code in (await archive.execute(query)).codes()


# --- resolve -------------------------------------------------------------------------------

RESOLVE = """
query R($name: String!, $kind: ResolverKind!, $reverse: Boolean, $auto: Boolean, $limit: Int) {
  resolve(name: $name, kind: $kind, reverse: $reverse, autocomplete: $auto, limit: $limit) {
    __typename
    ... on TnsMatch { fullname internalName objectId ra dec type redshift }
    ... on SsoMatch { ssnamenr name number objectId }
    ... on ObjectMatch { objectId candid jd time ra dec cdsxmatch }
  }
}
"""


async def test_resolve_tns_forward_and_reverse(archive: Archive) -> None:
    data = ok(await archive.execute(RESOLVE, {"name": "sn 2023ABC", "kind": "TNS"}))
    assert [m["internalName"] for m in data["resolve"]] == ["ATLAS23xyz", "ZTF23aaaaaab"]
    assert [m["objectId"] for m in data["resolve"]] == [None, "ZTF23aaaaaab"]
    assert data["resolve"][0]["__typename"] == "TnsMatch"
    back = ok(
        await archive.execute(RESOLVE, {"name": "ZTF23aaaaaac", "kind": "TNS", "reverse": True})
    )
    assert [m["fullname"] for m in back["resolve"]] == ["SN 2023abd"]


async def test_resolve_solar_system_names_both_ways(archive: Archive) -> None:
    data = ok(await archive.execute(RESOLVE, {"name": "8467", "kind": "SSO"}))
    assert data["resolve"] == [
        {
            "__typename": "SsoMatch",
            "ssnamenr": "8467",
            "name": "8467",
            "number": "8467",
            "objectId": None,
        }
    ]
    back = ok(await archive.execute(RESOLVE, {"name": BENOIT, "kind": "SSO", "reverse": True}))
    assert [(m["ssnamenr"], m["objectId"]) for m in back["resolve"]] == [("8467", BENOIT)]
    completed = ok(await archive.execute(RESOLVE, {"name": "84", "kind": "SSO", "auto": True}))
    assert "8467" in [m["ssnamenr"] for m in completed["resolve"]]


async def test_resolve_object_gives_its_alerts(archive: Archive) -> None:
    data = ok(await archive.execute(RESOLVE, {"name": SUPERLUMINOUS, "kind": "OBJECT", "limit": 2}))
    matches = data["resolve"]
    assert len(matches) == 2 and matches[0]["jd"] > matches[1]["jd"]
    assert {m["__typename"] for m in matches} == {"ObjectMatch"}
    assert all(m["candid"].isdigit() and m["cdsxmatch"] for m in matches)


@pytest.mark.parametrize(
    "variables",
    [
        {"name": "", "kind": "TNS"},
        {"name": "x", "kind": "TNS", "limit": 0},
        {"name": "SN 2023abc", "kind": "TNS", "reverse": True},
        {"name": "8467", "kind": "OBJECT"},
    ],
    ids=["empty", "limit", "reverse-needs-id", "object-needs-id"],
)
async def test_resolve_rejects_bad_arguments(archive: Archive, variables: dict[str, Any]) -> None:
    assert (await archive.execute(RESOLVE, variables)).codes() == ["INVALID_ARGUMENT"]


# --- statistics ----------------------------------------------------------------------------

STATISTICS = """query S($date: String!) { statistics(date: $date) {
    night raw sci nG nR exposures fields simbadTotal simbadExtragalactic classes { class count }
} }"""


async def test_statistics_of_a_year(archive: Archive) -> None:
    nights = ok(await archive.execute(STATISTICS, {"date": "2025"}))["statistics"]
    assert [n["night"] for n in nights][:3] == ["20250114", "20250116", "20250131"]
    first = nights[0]
    assert (first["sci"], first["nG"] + first["nR"], first["exposures"]) == (1, 1, 1)
    assert first["classes"] == [{"class": "Solar System MPC", "count": 1}]
    (day,) = ok(await archive.execute(STATISTICS, {"date": "20250116"}))["statistics"]
    assert day["night"] == "20250116"
    (iso,) = ok(await archive.execute(STATISTICS, {"date": "2025-01-16"}))["statistics"]
    assert iso == day
    month = ok(await archive.execute(STATISTICS, {"date": "2025-01"}))["statistics"]
    assert [n["night"] for n in month] == ["20250114", "20250116", "20250131"]


async def test_statistics_rejects_a_bad_date(archive: Archive) -> None:
    result = await archive.execute(STATISTICS, {"date": "2025-1-16"})
    assert result.codes() == ["INVALID_ARGUMENT"]


# --- anomalies -----------------------------------------------------------------------------

ANOMALIES = """
query A($since: String, $until: String, $first: Int, $after: String) {
  anomalies(since: $since, until: $until, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { objectId jd anomalyScore magpsf classification { label } } }
  }
}
"""


async def test_anomalies_pages_newest_first(archive: Archive) -> None:
    window = {"since": "2460000.5", "until": "2460060.5"}
    whole = ok(await archive.execute(ANOMALIES, {**window, "first": 1000}))["anomalies"]
    jds = [e["node"]["jd"] for e in whole["edges"]]
    assert jds == sorted(jds, reverse=True) and whole["totalCount"] == len(jds) > 5
    assert all(2460000.5 <= jd <= 2460060.5 for jd in jds)
    assert all(e["node"]["anomalyScore"] is not None for e in whole["edges"])
    seen, after = [], None
    while True:
        page = ok(await archive.execute(ANOMALIES, {**window, "first": 4, "after": after}))
        part = page["anomalies"]
        seen += [e["node"]["jd"] for e in part["edges"]]
        if not part["pageInfo"]["hasNextPage"]:
            break
        after = part["pageInfo"]["endCursor"]
    assert seen == jds


@pytest.mark.parametrize(
    "variables",
    [
        {"after": "garbage"},
        {"after": encode_cursor("jd", "2460000.5")},
        {"first": -1},
        {"since": "2460100.5", "until": "2460000.5"},
    ],
    ids=["cursor", "foreign-cursor", "first", "window"],
)
async def test_anomalies_reject_bad_arguments(archive: Archive, variables: dict[str, Any]) -> None:
    assert (await archive.execute(ANOMALIES, variables)).codes() == ["INVALID_ARGUMENT"]


# --- skymap --------------------------------------------------------------------------------

SKYMAP = """
query M($path: String, $map: Upload, $level: Float!, $before: Float, $after: Float) {
  skymap(path: $path, bayestar: $map, credibleLevel: $level, daysBefore: $before,
         daysAfter: $after) {
    eventName eventTime eventJd nside credibleLevel nPixels area windowStart windowEnd
    matches { objectId pixel credibleLevel alert { objectId jd jdstarthist classification {
      label } } object { objectId nAlerts } }
  }
}
"""
FOUND = sorted(p.object_id for p in PLACED if p.found)


async def test_skymap_from_the_map_folder(archive: Archive) -> None:
    data = ok(await archive.execute(SKYMAP, {"path": "bayestar.fits.gz", "level": 0.9}))
    sky = data["skymap"]
    assert (sky["eventName"], sky["nside"], sky["nPixels"]) == ("G364600", 512, 5960)
    assert sky["eventTime"] == "2020-02-19T09:44:15.197Z"
    assert sky["area"] == pytest.approx(1250.55, abs=0.01)
    assert sky["windowEnd"] - sky["windowStart"] == pytest.approx(7.0)
    assert sorted(m["objectId"] for m in sky["matches"]) == FOUND
    for match in sky["matches"]:
        assert match["alert"]["objectId"] == match["object"]["objectId"] == match["objectId"]
        assert match["object"]["nAlerts"] == 1 and match["credibleLevel"] <= 0.9


async def test_skymap_from_an_upload_in_process(archive: Archive) -> None:
    upload = io.BytesIO(BAYESTAR.read_bytes())
    # 0.5: 1513 pixels, a quarter of the scans (the alerts are in the most probable pixel)
    data = ok(await archive.execute(SKYMAP, {"map": upload, "level": 0.5, "after": 3.0}))
    found = sorted(m["objectId"] for m in data["skymap"]["matches"])
    assert found == ["ZTF20skyedge", "ZTF20skyinaa"]  # late and long-lived ones left out


@pytest.mark.parametrize(
    ("variables", "settings"),
    [
        ({"path": "bayestar.fits.gz", "level": 0.9}, Settings()),  # server files disabled
        ({"path": "../fink-ztf/colnames_ztf.csv", "level": 0.9}, SETTINGS),
        ({"level": 0.9}, SETTINGS),
        ({"path": "bayestar.fits.gz", "level": 1.5}, SETTINGS),
        ({"path": "bayestar.fits.gz", "level": 0.9, "after": 30.0}, SETTINGS),
        ({"map": io.BytesIO(b"not a map"), "level": 0.9}, SETTINGS),
    ],
    ids=["disabled", "outside", "no-map", "level", "after", "not-fits"],
)
async def test_skymap_rejects_bad_arguments(
    archive: Archive, variables: dict[str, Any], settings: Settings
) -> None:
    result = await archive.execute(SKYMAP, variables, settings=settings)
    assert result.codes() == ["INVALID_ARGUMENT"]


async def test_skymap_upload_over_http_multipart(archive: Archive) -> None:
    view = GatewayGraphQL(archive.services(), schema=SCHEMA, multipart_uploads_enabled=True)
    app = Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])
    operations = {"query": SKYMAP, "variables": {"map": None, "level": 0.5}}
    body = BAYESTAR.read_bytes()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        response = await client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.map"]}),
            },
            files={"0": ("bayestar.fits.gz", body, "application/gzip")},
        )
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload, payload
    assert sorted(m["objectId"] for m in payload["data"]["skymap"]["matches"]) == FOUND
    assert gzip.decompress(body)[:6] == b"SIMPLE"
