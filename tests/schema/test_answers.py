"""Answers do not change: a corpus of queries whose JSON was recorded before the read path was
rewritten (issue 8) must come back byte for byte, on both backends.

The corpus covers every sample object's light curve with all its columns (with and without
upper limits, filtered by band), the demo objects' longer light curves, summaries
(``lastAlert`` with every Alert field, ``nAlerts``, ``firstSeen``…), alert pages, cone and
class searches. The recorded answers live in ``answers/`` beside this file; to record them
again (only when an answer is *meant* to change), run
``FINK_GATEWAY_RECORD_ANSWERS=1 scripts/test tests/schema/test_answers.py -k embedded``
and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from fink_gateway.gateway.graphql_view import encode_response
from fink_gateway.schema.build import build_schema
from fink_gateway.store.interface import StoreStats
from tests.schema.conftest import SCHEMA, Samples

pytestmark = pytest.mark.anyio

ANSWERS = Path(__file__).parent / "answers"
RECORD = os.environ.get("FINK_GATEWAY_RECORD_ANSWERS") == "1"

LIGHTCURVE = """length jd mjd magpsf sigmapsf diffmaglim fid band isdiffpos tag candid ra dec
  magnr sigmagnr distnr dcMag dcSigmag dcFlag
  color { gMinusR sigmaGMinusR rateGMinusR sigmaRateGMinusR rate sigmaRate }"""

CLASSIFICATION = """label source snIaScore snScore earlySnIaScore kilonovaScore
  microlensingScore roid anomalyScore slsnScore tnsType"""

SUMMARY = """objectId nAlerts firstSeen lastSeen lapse position { ra dec }
  classification { CLASSIFICATION }
  crossmatch { simbad gaiaDr3Name gaiaParallax gaiaParallaxError gaiaClass vsx gcvs tnsType
    x3hsp x4lac spicyClass mangroveHyperledaName mangrove2massName mangroveLumDist }""".replace(
    "CLASSIFICATION", CLASSIFICATION
)


ADDED_SINCE_RECORDING = frozenset({"constellation"})
"""Alert fields added after the answers were recorded (issue 11): new fields, left out so
that the recorded answers keep proving the old ones unchanged."""


@cache
def alert_fields() -> str:
    """Every argument-free scalar field of Alert (those recorded), and its classification."""
    result = build_schema().execute_sync(
        """{ __type(name: "Alert") { fields { name args { name }
             type { kind ofType { kind ofType { kind } } } } } }"""
    )
    assert result.data is not None
    names = []
    for field in result.data["__type"]["fields"]:
        kind = field["type"]
        while kind["kind"] in ("NON_NULL", "LIST"):
            kind = kind["ofType"]
        recorded = field["name"] not in ADDED_SINCE_RECORDING
        if recorded and not field["args"] and kind["kind"] in ("SCALAR", "ENUM"):
            names.append(field["name"])
    return " ".join(names) + " classification { " + CLASSIFICATION + " }"


def corpus(samples: Samples) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """name → (query, variables)."""
    ids = {"ids": samples.object_ids}
    demo = {"ids": samples.demo_ids[:150]}
    objects = "query($ids: [String!]!) { objects(objectIds: $ids) { %s } }"
    page = "edges { cursor node { objectId jd magpsf candid } } pageInfo { hasNextPage endCursor } "
    return {
        "lightcurves_with_limits": (
            objects % f"objectId lightcurve(withUpperLimits: true) {{ {LIGHTCURVE} }}", ids
        ),
        "lightcurves_valid": (objects % f"objectId lightcurve {{ {LIGHTCURVE} }}", ids),
        "lightcurves_bands": (
            objects % "objectId g: lightcurve(withUpperLimits: true, bands: [g]) { jd fid tag "
            "magpsf candid } r: lightcurve(bands: [r]) { jd fid magpsf dcMag }",
            ids,
        ),
        "lightcurves_demo": (
            objects % f"objectId lightcurve(withUpperLimits: true) {{ {LIGHTCURVE} }}", demo
        ),
        "summaries": (objects % SUMMARY, ids),
        "summaries_demo": (objects % SUMMARY, demo),
        "last_alerts": (objects % f"objectId lastAlert {{ {alert_fields()} }}", ids),
        "peer_shapes": (
            objects % "objectId lastAlert { objectId jd fid magpsf sigmapsf ra dec } "
            "lightcurve(withUpperLimits: true) { jd magpsf sigmapsf fid }",
            {"ids": samples.object_ids + samples.demo_ids[:20] + ["ZTF00unknown"]},
        ),
        "alert_pages": (
            objects % f"objectId alerts(first: 2) {{ {page} totalCount }} "
            "old: alerts(first: 3, until: \"2459000\") { totalCount nodes { jd } }",
            ids,
        ),
        "conesearch": (
            """{ a: conesearch(ra: 92.4445778, dec: 35.5722176, radius: 18000) {
                   totalCount edges { cursor node { separation object { objectId nAlerts }
                   alert { candid jd magpsf } } } }
                 b: conesearch(ra: "06h09m46.7s", dec: 35.5722, radius: 60) {
                   edges { node { separation object { objectId lastSeen } } } } }""",
            {},
        ),
        "alerts_by_class": (
            """{ a: alertsByClass(class: "SN candidate", first: 20) { PAGE totalCount }
                 b: alertsByClass(class: "(SIMBAD) RRLyr", first: 5) { PAGE }
                 c: alertsByClass(class: "Solar System MPC", first: 5) { PAGE } }"""
            .replace("PAGE", page),
            {},
        ),
    }


async def answer(samples: Samples, query: str, variables: Mapping[str, Any]) -> bytes:
    """The response body the HTTP view sends for this query (data and errors)."""
    context = samples.services().new_context()
    result = await SCHEMA.execute(query, variable_values=dict(variables), context_value=context)
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [{"message": e.message, "path": e.path} for e in result.errors]
    return encode_response(body)


NAMES = [
    "lightcurves_with_limits", "lightcurves_valid", "lightcurves_bands", "lightcurves_demo",
    "summaries", "summaries_demo", "last_alerts", "peer_shapes", "alert_pages", "conesearch",
    "alerts_by_class",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
async def test_answer_is_byte_identical_to_the_recorded_one(samples: Samples, name: str) -> None:
    query, variables = corpus(samples)[name]
    body = await answer(samples, query, variables)
    path = ANSWERS / f"{name}.json"
    if RECORD:
        ANSWERS.mkdir(exist_ok=True)
        path.write_bytes(body)
    assert path.exists(), f"no recorded answer {path.name}"
    recorded = path.read_bytes()
    if body != recorded:  # show the first difference in readable form
        assert orjson.loads(body) == orjson.loads(recorded)
    assert body == recorded


def test_introspection_runs_with_telemetry_on() -> None:
    """The telemetry extension times resolvers, not introspection fields (it used to fail)."""
    context = SimpleNamespace(reader=SimpleNamespace(stats=StoreStats()), request_id="t")
    result = build_schema(telemetry=True).execute_sync(
        '{ __type(name: "Alert") { name } }', context_value=context
    )
    assert result.errors is None
    assert result.data == {"__type": {"name": "Alert"}}
