"""The Plots panel's finder (``static/plots/find.js``) on result shapes the browser tests do
not serve: run by Node on the module the browser loads, with graphql-js parsing the query."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.conftest import node_tool, run_node

CASES: list[dict[str, Any]] = [
    {
        "name": "alert_rows",
        "query": """{ alertsByClass(class: "SN candidate") { edges { node {
            objectId time band magpsf sigmapsf } } } }""",
        "data": {"alertsByClass": {"edges": [
            {"node": {"objectId": "A", "time": "2024-01-01T00:00:00Z", "band": "g",
                      "magpsf": 18.0, "sigmapsf": 0.1}},
            {"node": {"objectId": "B", "time": "2024-01-02T00:00:00Z", "band": "r",
                      "magpsf": 19.0, "sigmapsf": 0.2}},
            {"node": {"objectId": "A", "time": "2024-01-03T12:00:00Z", "band": "r",
                      "magpsf": 18.5, "sigmapsf": None}},
        ]}},
    },
    {
        "name": "skymap",
        "query": """{ skymap(path: "S1.fits", credibleLevel: 0.9) { eventName
            matches { objectId credibleLevel alert { ra dec } } } }""",
        "data": {"skymap": {"eventName": "S1", "matches": [
            {"objectId": "A", "credibleLevel": 0.1, "alert": {"ra": 10.0, "dec": -5.0}},
            {"objectId": "B", "credibleLevel": 0.7, "alert": {"ra": 12.0, "dec": -6.0}},
        ]}},
    },
    {
        "name": "lsst_cone",
        "query": """query ($ra: Angle!) { lsstConesearch(ra: $ra, dec: "-30:00:00",
            radius: 5) { separationArcsec object { diaObjectId ra dec } } }""",
        "variables": {"ra": "10:00:00"},
        "data": {"lsstConesearch": [
            {"separationArcsec": 1.5, "object": {"diaObjectId": "1", "ra": 150.0, "dec": -30.0}},
            {"separationArcsec": 4.0, "object": None},
        ]},
    },
    {
        "name": "two_operations",
        "query": """query A { x: object(objectId: "A") { objectId } }
            query B { y: object(objectId: "B") {
              id: objectId c: lightcurve { t: mjd m: mag } } }""",
        "data": {"y": {"id": "B", "c": {"t": [60000.0, 60001.0], "m": [20.0, None]}}},
    },
    {
        "name": "unparsable_query",
        "query": "{ object(objectId: ",
        "data": {"object": {"objectId": "C", "lightcurve": {"jd": [2460000.5], "magpsf": [18.0],
                                                           "fid": [2]}}},
    },
    {
        "name": "failed_fits",
        "query": """{ object(objectId: "D") { objectId period { status message phase magnitude
            band } } solarSystemObject(nameOrNumber: "1") { ssnamenr
            phaseCurve { status message bands { band } } } }""",
        "data": {
            "object": {"objectId": "D", "period": {"status": "insufficient_data",
                       "message": "too few points", "phase": [], "magnitude": [], "band": []}},
            "solarSystemObject": {"ssnamenr": "1", "phaseCurve": {
                "status": "BAD_INPUT", "message": "no ephemerides", "bands": []}},
        },
    },
    {
        "name": "array_cutout",
        "query": """{ object(objectId: "E") { objectId
            cutouts(kind: TEMPLATE, format: ARRAY) { jd array } } }""",
        "data": {"object": {"objectId": "E", "cutouts": [
            {"jd": 2460000.5, "array": [[1.0, 2.0], [None, 4.0]]},
        ]}},
    },
]


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    command = node_tool("plots-find.mjs")
    path: Path = tmp_path_factory.mktemp("plots-find") / "cases.json"
    path.write_text(json.dumps(CASES))
    return run_node([*command, str(path)], timeout_s=60)


def test_find_groups_alert_rows_into_a_light_curve_per_object(found: dict[str, Any]) -> None:
    curves = found["alert_rows"]["lightcurves"]
    assert [(c["label"], c["band"], c["source"]) for c in curves] == [
        ("A", ["g", "r"], "alertsByClass"), ("B", ["r"], "alertsByClass")]
    assert curves[0]["mjd"] == [60310.0, 60312.5]  # ISO times as MJD
    assert curves[0]["error"] == [0.1, None] and curves[1]["value"] == [19.0]


def test_find_places_sky_map_matches_without_a_centre(found: dict[str, Any]) -> None:
    (sky,) = found["skymap"]["sky"]
    assert sky["kind"] == "skymap" and sky["centre"] is None
    assert [(p["label"], p["ra"], p["dec"], p["credibleLevel"]) for p in sky["points"]] == [
        ("A", 10.0, -5.0, 0.1), ("B", 12.0, -6.0, 0.7)]


def test_find_reads_a_cone_centre_from_variables_and_sexagesimal_text(
    found: dict[str, Any],
) -> None:
    (sky,) = found["lsst_cone"]["sky"]
    assert sky["kind"] == "cone" and sky["radiusArcsec"] == 5
    assert sky["centre"] == {"ra": 150.0, "dec": -30.0}
    assert [(p["label"], p["separationArcsec"]) for p in sky["points"]] == [("1", 1.5)]
    assert sky["unplaced"] == 1


def test_find_picks_the_operation_that_made_the_result(found: dict[str, Any]) -> None:
    (curve,) = found["two_operations"]["lightcurves"]
    assert curve["label"] == "B" and curve["mjd"] == [60000.0, 60001.0]
    assert curve["valueLabel"] == "Magnitude (AB)" and curve["value"] == [20.0, None]


def test_find_falls_back_to_keys_as_field_names(found: dict[str, Any]) -> None:
    (curve,) = found["unparsable_query"]["lightcurves"]
    assert curve["label"] == "C" and curve["band"] == ["r"] and curve["mjd"] == [60000.0]


def test_find_keeps_failed_fits_with_their_status(found: dict[str, Any]) -> None:
    (period,) = found["failed_fits"]["periods"]
    assert (period["status"], period["message"]) == ("insufficient_data", "too few points")
    (phase,) = found["failed_fits"]["phaseCurves"]
    assert (phase["label"], phase["status"], phase["models"]) == ("1", "BAD_INPUT", [])


def test_find_takes_pixel_arrays_as_cutouts(found: dict[str, Any]) -> None:
    (cutout,) = found["array_cutout"]["cutouts"]
    assert cutout["kind"] == "TEMPLATE" and cutout["src"] is None
    assert cutout["array"] == [[1.0, 2.0], [None, 4.0]]
    assert cutout["time"] == "2023-02-25T00:00:00.000Z"
