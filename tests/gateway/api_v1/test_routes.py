"""The other ``/api/v1`` routes over the samples (embedded store): conesearch, latests, sso,
cutouts, classes, schema, resolver, statistics, anomaly, tracklet, skymap; the router's
refusals, OpenAPI, metrics and request ids."""

from __future__ import annotations

import gzip
import io
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from astropy.coordinates import SkyCoord
from astropy.io import fits
from PIL import Image
from starlette.testclient import TestClient

from fink_gateway.gateway.config import Settings
from tests.data_paths import SCIENCE_FILES, TEST_DATA
from tests.gateway.api_v1.conftest import Served
from tests.gateway.api_v1.expected_objects import expected_points

PIXEL_NAMES = {"i:objectId", "i:candid", "i:magpsf", "i:sigmapsf", "i:jd", "i:jdstarthist",
               "i:drb", "i:ra", "i:dec", "i:fid", "i:distnr", "d:cdsxmatch", "d:nalerthist",
               "d:classification", "v:separation_degree"}  # fmt: skip


def valid_rows() -> list[dict[str, Any]]:
    return [row for valid, _ in expected_points().values() for row in valid]


def latest_rows() -> dict[str, dict[str, Any]]:
    """objectId → its newest valid alert."""
    out: dict[str, dict[str, Any]] = {}
    for row in valid_rows():
        if row["i:objectId"] not in out or row["i:jd"] > out[row["i:objectId"]]["i:jd"]:
            out[row["i:objectId"]] = row
    return out


def test_conesearch_finds_every_object_in_the_cone_nearest_first(served: Served) -> None:
    centre = latest_rows()["ZTF25abuovxv"]
    ra, dec, radius = centre["i:ra"], centre["i:dec"], 18000.0
    latest = latest_rows()
    coords = SkyCoord([r["i:ra"] for r in latest.values()], [r["i:dec"] for r in latest.values()],
                      unit="deg")  # fmt: skip
    distances = SkyCoord(ra, dec, unit="deg").separation(coords).deg
    inside = {oid for oid, d in zip(latest, distances, strict=True) if d <= radius / 3600}
    got = served.client.post("/api/v1/conesearch",
                             json={"ra": ra, "dec": dec, "radius": radius}).json()  # fmt: skip
    assert {r["i:objectId"] for r in got} == inside
    separations = [r["v:separation_degree"] for r in got]
    assert separations == sorted(separations) and separations[-1] <= radius / 3600
    assert set(got[0]) == PIXEL_NAMES
    for row in got:
        newest = latest[row["i:objectId"]]
        assert (row["i:candid"], row["i:magpsf"]) == (newest["i:candid"], newest["i:magpsf"])
        assert row["d:classification"] == newest["v:classification"]


def test_conesearch_arguments_as_fink_takes_them(served: Served) -> None:
    client = served.client
    sexagesimal = client.get("/api/v1/conesearch", params={
        "ra": "6h09m46.7s", "dec": "35.5722176", "radius": "60", "columns": "i:objectId"}).json()
    assert [set(r) for r in sexagesimal] == [{"i:objectId", "i:ra", "i:dec",
                                              "v:separation_degree"}]  # fmt: skip
    one = client.post("/api/v1/conesearch", json={"ra": 92.44, "dec": 35.57, "radius": 18000,
                                                  "n": 1}).json()  # fmt: skip
    assert len(one) == 1
    dated = client.post("/api/v1/conesearch", json={"ra": 92.44, "dec": 35.57, "radius": 60,
                                                    "startdate": "2026-06-01"}).json()
    assert dated == []
    too_wide = client.post("/api/v1/conesearch", json={"ra": 1, "dec": 2, "radius": 18001})
    assert too_wide.status_code == 400 and "18,000" in too_wide.json()["text"]
    missing = client.post("/api/v1/conesearch", json={"ra": 1, "dec": 2})
    assert missing.status_code == 400 and "`radius`" in missing.json()["text"]
    bad = client.post("/api/v1/conesearch", json={"ra": "north", "dec": 2, "radius": 3})
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize(("fink_class", "label"), [
    ("SN candidate", "SN candidate"), ("(SIMBAD) Blue", "Blue"), ("Solar System MPC", None),
])  # fmt: skip
def test_latests_gives_the_newest_alerts_of_a_class(
    served: Served, fink_class: str, label: str | None
) -> None:
    label = label or fink_class
    rows = sorted((r for r in valid_rows() if r["v:classification"] == label),
                  key=lambda r: -r["i:jd"])  # fmt: skip
    got = served.client.post("/api/v1/latests", json={"class": fink_class, "n": 3}).json()
    assert [r["i:candid"] for r in got] == [r["i:candid"] for r in rows[:3]]
    assert {r["v:classification"] for r in got} == {label}
    assert {"v:lastdate", "v:firstdate", "v:lapse", "v:constellation", "d:tracklet"} <= set(got[0])


def test_latests_trend_filters_the_alerts_read(served: Served) -> None:
    every = served.client.post("/api/v1/latests", json={"class": "SN candidate", "n": 5}).json()
    rising = served.client.post("/api/v1/latests", json={
        "class": "SN candidate", "n": 5, "trend": "rising",
        "columns": "i:objectId,i:candid,d:mag_rate"}).json()  # fmt: skip
    assert [r["i:candid"] for r in rising] == [
        r["i:candid"] for r in every if r["d:mag_rate"] < 0]
    assert all(set(r) == {"i:objectId", "i:candid", "d:mag_rate"} for r in rising)
    refused = served.client.post("/api/v1/latests", json={"class": "SN candidate",
                                                          "trend": "new_low_state"})
    assert refused.status_code == 400


def test_sso_gives_the_alerts_of_named_objects(served: Served) -> None:
    expected = {r["i:candid"] for r in valid_rows() if r["i:ssnamenr"] == "8467"}
    got = served.client.post("/api/v1/sso", json={"n_or_d": "8467"}).json()
    assert {r["i:candid"] for r in got} == expected and len(expected) == 3
    assert {(r["sso_name"], r["sso_number"]) for r in got} == {("8467", 8467)}
    assert {r["v:classification"] for r in got} == {"Solar System MPC"}
    both = served.client.post("/api/v1/sso", json={"n_or_d": "8467, 4371",
                                                   "columns": "i:candid"}).json()
    assert {r["i:ssnamenr"] for r in both} == {"8467", "4371"}
    assert all(set(r) == {"i:candid", "i:ssnamenr", "sso_name", "sso_number"} for r in both)


def test_sso_with_ephemerides_and_stamps(served: Served) -> None:
    got = served.client.post("/api/v1/sso", json={"n_or_d": "8467", "withEphem": True,
                                                  "withcutouts": True}).json()  # fmt: skip
    for row in got:
        assert 1.18 <= row["Phase"] <= 19.01  # FINK-REFERENCE §13: Phase of 8467
        assert 2.09 <= row["Dobs"] <= 3.50 and 3.04 <= row["Dhelio"] <= 3.37
        reduced = row["i:magpsf"] - 5 * np.log10(row["Dobs"] * row["Dhelio"])
        assert row["i:magpsf_red"] == pytest.approx(reduced, abs=1e-5)
        assert np.array(row["b:cutoutScience_stampData"]).shape == (63, 63)
    residuals = served.client.post("/api/v1/sso", json={"n_or_d": "8467",
                                                        "withResiduals": True})
    assert residuals.status_code == 400


def _sample_stamp(candid: int, kind: str) -> np.ndarray:
    for path in SCIENCE_FILES:
        for row in pq.read_table(path, columns=["candid", f"cutout{kind}"]).to_pylist():
            if row["candid"] == candid:
                raw = gzip.decompress(row[f"cutout{kind}"]["stampData"])
                with fits.open(io.BytesIO(raw), ignore_missing_simple=True) as hdus:
                    return np.asarray(hdus[0].data, dtype=np.float64)
    raise AssertionError(f"no alert {candid}")


def test_cutouts_as_png_fits_and_arrays(served: Served) -> None:
    client, oid = served.client, "ZTF25abuovxv"
    png = client.post("/api/v1/cutouts", json={"objectId": oid, "kind": "Science"})
    assert png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (63, 63)
    older = 3229390645815015015
    stamp = client.post("/api/v1/cutouts", json={"objectId": oid, "kind": "Template",
                                                 "output-format": "FITS", "candid": older})
    with fits.open(io.BytesIO(stamp.content), ignore_missing_simple=True) as hdus:
        assert np.array_equal(hdus[0].data, _sample_stamp(older, "Template"), equal_nan=True)
    arrays = client.get("/api/v1/cutouts", params={"objectId": oid, "kind": "All",
                                                   "output-format": "array"}).json()
    latest = 3231437615815015011
    for kind in ("Science", "Template", "Difference"):
        pixels = np.array(arrays[f"b:cutout{kind}_stampData"], dtype=np.float64)
        assert np.allclose(pixels, _sample_stamp(latest, kind), equal_nan=True, rtol=0, atol=0)


def test_cutouts_refusals(served: Served) -> None:
    client = served.client
    assert client.post("/api/v1/cutouts", json={"objectId": "ZTF25abuovxv"}).status_code == 400
    png_all = client.post("/api/v1/cutouts", json={"objectId": "ZTF25abuovxv", "kind": "All"})
    assert png_all.status_code == 400 and "kind=All" in png_all.json()["text"]
    unknown = client.post("/api/v1/cutouts", json={"objectId": "ZTF99zzzzzzz", "kind": "Science"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "NOT_FOUND"
    stretch = client.post("/api/v1/cutouts", json={"objectId": "ZTF25abuovxv",
                                                   "kind": "Science", "stretch": "cubic"})
    assert stretch.status_code == 400


def test_classes_and_schema_answer_a_bare_get(served: Served) -> None:
    classes = served.client.get("/api/v1/classes").json()
    fink, tns, simbad = classes.values()
    assert "SN candidate" in fink and "Unknown" not in fink
    assert "(TNS) SN Ia" in tns and all(n.startswith("(SIMBAD) ") for n in simbad)
    assert fink == sorted(fink, key=str.lower)
    schema = served.client.get("/api/v1/schema").json()
    assert schema["ZTF original fields (i:)"]["magpsf"]["type"] == "float"
    assert "Unit: mag" in schema["ZTF original fields (i:)"]["magpsf"]["doc"]
    assert "classification" in schema["Fink on-the-fly added values (v:)"]
    assert "tag" in schema["Fink science module outputs (d:)"]


def test_resolver_routes(served: Served) -> None:
    client = served.client
    sso = client.post("/api/v1/resolver", json={"resolver": "ssodnet", "name": "8467",
                                                 "nmax": 1}).json()  # fmt: skip
    assert {r["i:ssnamenr"] for r in sso} == {"8467"}
    reverse = client.post("/api/v1/resolver", json={"resolver": "simbad",
                                                    "name": "ZTF25abuovxv", "reverse": True})
    rows = reverse.json()
    assert {r["i:objectId"] for r in rows} == {"ZTF25abuovxv"}
    assert set(rows[0]) == {"i:objectId", "d:cdsxmatch", "i:ra", "i:dec", "i:candid", "i:jd"}
    sesame = client.post("/api/v1/resolver", json={"resolver": "simbad", "name": "M31"})
    assert sesame.status_code == 400
    assert client.post("/api/v1/resolver", json={"resolver": "x", "name": "y"}).status_code == 400


def test_statistics_are_the_nights_counts(served: Served) -> None:
    graphql = served.client.post("/graphql", json={
        "query": '{ statistics(date: "2021") { night sci classes { class count } } }'}).json()
    nights = graphql["data"]["statistics"]
    got = served.client.post("/api/v1/statistics", json={"date": "2021"}).json()
    assert [r["key:key"] for r in got] == [f"ztf_{n['night']}" for n in nights]
    for row, night in zip(got, nights, strict=True):
        assert row["basic:sci"] == night["sci"]
        assert all(row[f"class:{c['class']}"] == c["count"] for c in night["classes"])
    schema = served.client.post("/api/v1/statistics", json={"date": "2021", "schema": True})
    assert "basic:sci" in {r["schema"] for r in schema.json()}


def test_anomaly_and_tracklet(served: Served) -> None:
    graphql = served.client.post("/graphql", json={
        "query": "{ anomalies(first: 3) { nodes { candid } } }"}).json()
    expected = [int(n["candid"]) for n in graphql["data"]["anomalies"]["nodes"]]
    got = served.client.post("/api/v1/anomaly", json={"n": 3}).json()
    assert [r["i:candid"] for r in got] == expected
    assert got and {"v:classification", "v:constellation", "i:magzpsci"} <= set(got[0])
    assert served.client.post("/api/v1/tracklet", json={"date": "2021-11-19"}).json() == []
    assert served.client.post("/api/v1/tracklet", json={"columns": "i:jd"}).status_code == 400


def test_skymap_takes_the_map_as_fink_scripts_send_it(served: Served) -> None:
    data = (TEST_DATA / "skymap" / "bayestar.fits.gz").read_bytes()
    response = served.client.post("/api/v1/skymap", json={
        "bayestar": str(data), "credible_level": 0.9})  # fmt: skip
    assert response.status_code == 200 and response.json() == []  # no sample in the window
    refused = served.client.post("/api/v1/skymap", json={"bayestar": "__import__('os')",
                                                         "credible_level": 0.9})
    assert refused.status_code == 400


def test_unknown_routes_and_output_formats_are_coded(served: Served) -> None:
    unknown = served.client.get("/api/v1/ssoft")
    assert unknown.status_code == 404
    body = unknown.json()
    assert body["status"] == "error" and body["code"] == "NOT_FOUND"
    assert body["requestId"] == unknown.headers["x-request-id"]
    fmt = served.client.post("/api/v1/latests", json={"class": "SN candidate",
                                                      "output-format": "hdf5"})
    assert fmt.status_code == 400 and "hdf5" in fmt.json()["text"]
    body_error = served.client.post("/api/v1/objects", content=b"{not json",
                                    headers={"content-type": "application/json"})
    assert body_error.status_code == 400 and "Traceback" not in body_error.text


def test_arguments_by_query_string_json_or_form(served: Served) -> None:
    client = served.client
    by_get = client.get("/api/v1/objects", params={"objectId": "ZTF25abuovxv"}).json()
    by_form = client.post("/api/v1/objects", data={"objectId": "ZTF25abuovxv"}).json()
    by_json = client.post("/api/v1/objects", json={"objectId": "ZTF25abuovxv"}).json()
    assert by_get == by_form == by_json and len(by_json) == 2


def test_routes_run_under_the_graphql_limits(served: Served) -> None:
    settings = Settings()
    limits = type(settings.limits)(**{**vars(settings.limits), "max_object_ids": 2})
    app = served.app(type(settings)(**{**vars(settings), "limits": limits}))
    with TestClient(app) as client:
        ok = client.post("/api/v1/objects", json={"objectId": "ZTF25abuovxv,ZTF18abadigg"})
        assert ok.status_code == 200
        over = client.post("/api/v1/objects",
                           json={"objectId": "ZTF25abuovxv,ZTF18abadigg,ZTF18aazvgoc"})
        assert over.status_code == 400 and over.json()["code"] == "INVALID_ARGUMENT"
        metrics = client.get("/metrics").text
    assert 'route="/api/v1/objects"' in metrics
    assert "fink_gateway_graphql_operations_total 2.0" in metrics


def test_openapi_describes_every_route_from_the_catalogue(served: Served) -> None:
    document = served.client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    for name in ("objects", "conesearch", "latests", "sso", "cutouts", "classes", "schema",
                 "resolver", "statistics", "anomaly", "tracklet", "skymap"):
        assert f"/api/v1/{name}" in paths and {"get", "post"} <= set(paths[f"/api/v1/{name}"])
    parameters = {p["name"]: p for p in paths["/api/v1/objects"]["get"]["parameters"]}
    assert parameters["objectId"]["required"] and parameters["output-format"]["schema"]["enum"]
    magpsf = document["components"]["schemas"]["objects"]["properties"]["i:magpsf"]
    assert "PSF-fit magnitude" in magpsf["description"] and "Unit: mag" in magpsf["description"]
