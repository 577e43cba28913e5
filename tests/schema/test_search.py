"""The search queries through the schema, in process: ``conesearch``, ``alertsByClass`` and
``classes`` on the science samples plus demo alerts (``samples`` fixture), both backends."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from fink_gateway.resolvers.args import encode_cursor
from fink_gateway.settings import LimitSettings, Settings
from tests.schema.conftest import Executed, Samples

pytestmark = pytest.mark.anyio

CONE = """
query Cone($ra: Angle!, $dec: Angle!, $radius: Float!, $since: String, $until: String,
           $first: Int, $after: String) {
  conesearch(ra: $ra, dec: $dec, radius: $radius, since: $since, until: $until,
             first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { separation alert { objectId jd classification { label } } } }
  }
}
"""

CONE_WITH_LIGHTCURVES = """
query Cone($ra: Angle!, $dec: Angle!, $radius: Float!) {
  conesearch(ra: $ra, dec: $dec, radius: $radius, first: 1000) {
    totalCount
    nodes { separation object { objectId nAlerts lightcurve { jd magnr } } }
  }
}
"""

BY_CLASS = """
query ByClass($class: String!, $since: String, $until: String, $trend: Trend, $first: Int,
              $after: String) {
  alertsByClass(class: $class, since: $since, until: $until, trend: $trend, first: $first,
                after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { objectId jd magRate classification { label source } } }
  }
}
"""

ZTF25ABUOVXV = {"ra": 92.4445778, "dec": 35.5722176}
M33_FIELD = {"ra": 23.4646392, "dec": 30.6680637}


def ok(result: Executed) -> Any:
    assert not result.errors, result.errors
    return result.data


# --- conesearch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variables",
    [
        {"ra": 360.0},
        {"ra": -0.1},
        {"ra": "-0h30m"},
        {"ra": "400"},
        {"ra": "north"},
        {"dec": 90.5},
        {"dec": -91},
        {"dec": "up"},
        {"radius": 0.0},
        {"radius": -5.0},
        {"radius": 18000.5},
        {"since": "not a date"},
        {"until": "2025-13-45"},
        {"since": "2025-02-01", "until": "2025-01-01"},
        {"first": 1001},
        {"first": -1},
        {"after": "bm90IGEgY3Vyc29y"},
        {"after": encode_cursor("class", "SN candidate_2460983.8906481_ZTF25abuovxv")},
    ],
)
async def test_conesearch_rejects_bad_input_before_reading(
    samples: Samples, variables: dict[str, Any]
) -> None:
    result = await samples.execute(CONE, {**ZTF25ABUOVXV, "radius": 5.0, **variables})
    assert result.codes() == ["INVALID_ARGUMENT"]
    assert result.data is None
    assert result.stats.round_trips == 0


async def test_conesearch_rejects_a_boolean_angle(samples: Samples) -> None:
    query = "{ conesearch(ra: true, dec: 1, radius: 5) { totalCount } }"
    assert (await samples.execute(query)).codes() == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize(
    ("ra", "dec"),
    [
        (92.4445778, 35.5722176),
        ("92.4445778", "35.5722176"),
        ("6h09m46.70s", "+35d34m20.0s"),
        ("06:09:46.70", "35:34:20.0"),
        ("06 09 46.70", "+35 34 20.0"),
    ],
)
async def test_conesearch_accepts_degrees_and_sexagesimal(
    samples: Samples, ra: Any, dec: Any
) -> None:
    data = ok(await samples.execute(CONE, {"ra": ra, "dec": dec, "radius": 5.0}))
    (edge,) = data["conesearch"]["edges"]
    assert edge["node"]["alert"]["objectId"] == "ZTF25abuovxv"
    assert edge["node"]["separation"] < 1.0
    assert edge["node"]["alert"]["classification"]["label"] == "SN candidate"


async def test_conesearch_literal_angles_may_be_numbers_or_text(samples: Samples) -> None:
    query = """{ a: conesearch(ra: 92.4445778, dec: 35.5722176, radius: 5) { totalCount }
                 b: conesearch(ra: "6h09m46.7s", dec: 35, radius: 2700) { totalCount } }"""
    data = ok(await samples.execute(query))
    assert data["a"]["totalCount"] == 1
    assert data["b"]["totalCount"] >= 1


async def test_conesearch_pages_cover_every_match_once_nearest_first(samples: Samples) -> None:
    cone = {**M33_FIELD, "radius": 18000.0}
    whole = ok(await samples.execute(CONE, {**cone, "first": 1000}))["conesearch"]
    every = [e["node"]["alert"]["objectId"] for e in whole["edges"]]
    separations = [e["node"]["separation"] for e in whole["edges"]]
    assert separations == sorted(separations) and max(separations) <= 18000.0
    assert len(every) == len(set(every)) == whole["totalCount"] > 5
    seen, after = [], None
    while True:
        data = ok(await samples.execute(CONE, {**cone, "first": 3, "after": after}))
        page = data["conesearch"]
        assert page["totalCount"] == whole["totalCount"]
        seen += [e["node"]["alert"]["objectId"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == every


async def test_conesearch_window_is_on_first_detection(samples: Samples) -> None:
    query = """query($since: String, $until: String) {
      conesearch(ra: 92.4445778, dec: 35.5722176, radius: 5, since: $since, until: $until) {
        totalCount } }"""
    jdstarthist = "2460943.0072222"  # ZTF25abuovxv's first detection, FINK-REFERENCE §1.4

    async def count(since: str | None, until: str | None) -> int:
        data = ok(await samples.execute(query, {"since": since, "until": until}))
        return int(data["conesearch"]["totalCount"])

    assert await count(jdstarthist, jdstarthist) == 1
    assert await count("2460943.0072223", None) == 0
    assert await count(None, "2460943.0072221") == 0
    assert await count("2025-09-01", "2025-09-30") == 1  # first detected 2025-09-24
    assert await count("2025-10-01", None) == 0  # although its alerts are of November


def densest_demo_centre(samples: Samples, radius_arcsec: float) -> tuple[float, float]:
    """The demo object whose cone holds the most demo objects' latest alerts (deg)."""
    candidate = samples.demo.column("candidate").combine_chunks()
    alerts = pd.DataFrame(
        {
            "objectId": samples.demo.column("objectId").to_pylist(),
            "jd": candidate.field("jd").to_numpy(zero_copy_only=False),
            "ra": np.radians(candidate.field("ra").to_numpy(zero_copy_only=False)),
            "dec": np.radians(candidate.field("dec").to_numpy(zero_copy_only=False)),
        }
    )
    latest = alerts.loc[alerts.groupby("objectId")["jd"].idxmax()]
    ra, dec = latest["ra"].to_numpy(), latest["dec"].to_numpy()
    xyz = np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)], axis=1)
    near = xyz @ xyz.T >= np.cos(np.radians(radius_arcsec / 3600.0))
    best = int(np.argmax(near.sum(axis=1)))
    return float(np.degrees(ra[best])), float(np.degrees(dec[best]))


async def test_conesearch_with_lightcurves_costs_constant_round_trips(samples: Samples) -> None:
    ra, dec = densest_demo_centre(samples, 18000.0)
    cones = [
        {**M33_FIELD, "radius": 5.0},  # 1 object
        {**M33_FIELD, "radius": 1800.0},  # ~10
        {"ra": ra, "dec": dec, "radius": 18000.0},  # many
    ]
    totals, trips = [], []
    for cone in cones:
        result = await samples.execute(CONE_WITH_LIGHTCURVES, cone)
        data = ok(result)["conesearch"]
        totals.append(data["totalCount"])
        trips.append(result.stats.round_trips)
        for node in data["nodes"]:
            assert len(node["object"]["lightcurve"]["jd"]) == node["object"]["nAlerts"] > 0
        assert b"i:magnr" in result.stats.columns  # pushed down from the sub-selection
        assert not {b"i:pid", b"d:rf_snia_vs_nonia", b"d:lc_features_g"} & result.stats.columns
    assert totals[0] == 1 and 5 <= totals[1] <= 15 and totals[2] >= 20, totals
    assert trips == [trips[0]] * 3, trips


# --- alertsByClass -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "variables",
    [
        {"class": "SN candidat"},
        {"class": "(TNS) Supernova"},
        {"class": "(SIMBAD) SN candidate"},
        {"since": "yesterday"},
        {"until": "2025-02-30"},
        {"since": "2025-02-01", "until": "2025-01-01"},
        {"first": 1001},
        {"first": -3},
        {"after": "bm90IGEgY3Vyc29y"},
        {"after": encode_cursor("cone", "0")},
        {"after": encode_cursor("class", "Unknown_2460983.8906481_ZTF25abuovxv")},
    ],
)
async def test_alerts_by_class_rejects_bad_input(
    samples: Samples, variables: dict[str, Any]
) -> None:
    result = await samples.execute(BY_CLASS, {"class": "SN candidate", **variables})
    assert result.codes() == ["INVALID_ARGUMENT"]
    assert result.data is None


async def test_alerts_by_class_unknown_class_lists_valid_ones(samples: Samples) -> None:
    result = await samples.execute(BY_CLASS, {"class": "Supernovae"})
    (error,) = result.errors
    assert error["extensions"]["code"] == "INVALID_ARGUMENT"
    for part in ("SN candidate", "Unknown", "(TNS) <type>", "SN Ia", "(SIMBAD) <label>",
                 "`classes`"):  # fmt: skip
        assert part in error["message"]


@pytest.mark.parametrize(
    ("name", "source"), [("SN candidate", "FINK"), ("(SIMBAD) RRLyr", "SIMBAD")]
)
async def test_alerts_by_class_pages_newest_first(samples: Samples, name: str, source: str) -> None:
    whole = ok(await samples.execute(BY_CLASS, {"class": name, "first": 1000}))["alertsByClass"]
    nodes = [e["node"] for e in whole["edges"]]
    assert len(nodes) == whole["totalCount"] > 1
    assert all(n["classification"] == {"label": name.removeprefix("(SIMBAD) "), "source": source}
               for n in nodes)  # fmt: skip
    jds = [n["jd"] for n in nodes]
    assert jds == sorted(jds, reverse=True)
    seen, after = [], None
    while True:
        variables = {"class": name, "first": 2, "after": after}
        page = ok(await samples.execute(BY_CLASS, variables))["alertsByClass"]
        assert len(page["edges"]) <= 2
        seen += [(e["node"]["objectId"], e["node"]["jd"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [(n["objectId"], n["jd"]) for n in nodes]


async def test_alerts_by_class_default_window_starts_2019_11_01(samples: Samples) -> None:
    async def total(**variables: Any) -> int:
        data = ok(await samples.execute(BY_CLASS, {"class": "(SIMBAD) LPV*", **variables}))
        return int(data["alertsByClass"]["totalCount"])

    before = await total(since="2019-09-01", until="2019-10-31")
    assert before == 1  # the 2019-09-03 sample alert
    assert await total(since="2019-09-01") == before + await total()


@pytest.mark.parametrize(("trend", "sign"), [("RISING", -1), ("FADING", 1)])
async def test_alerts_by_class_trend_keeps_full_pages(
    samples: Samples, trend: str, sign: int
) -> None:
    variables = {"class": "SN candidate", "trend": trend, "first": 2}
    page = ok(await samples.execute(BY_CLASS, variables))["alertsByClass"]
    assert page["totalCount"] >= 2
    assert len(page["edges"]) == 2
    assert all(np.sign(e["node"]["magRate"]) == sign for e in page["edges"])


async def test_alerts_by_class_scans_once_and_counts_only_when_asked(samples: Samples) -> None:
    query = '{ alertsByClass(class: "SN candidate", first: 3) { edges { node { objectId } } } }'
    services = samples.services()
    await samples.execute(query, services=services)  # types cached, as in a running gateway
    result = await samples.execute(query, services=services)
    assert len(ok(result)["alertsByClass"]["edges"]) == 3
    assert result.stats.round_trips == 2  # the data version, then one reversed scan
    with_total = query.replace("{ edges", "{ totalCount edges")
    counted = await samples.execute(with_total, services=services)
    assert ok(counted)["alertsByClass"]["totalCount"] >= 3
    assert counted.stats.round_trips == 3  # and one scan to count


# --- classes -----------------------------------------------------------------------------


async def test_classes_lists_every_source_and_labels_in_the_data(samples: Samples) -> None:
    data = ok(await samples.execute("{ classes { name source label } }"))
    by_source: dict[str, set[str]] = {}
    for entry in data["classes"]:
        by_source.setdefault(entry["source"], set()).add(entry["name"])
    assert len(by_source["FINK"]) == 12 and {"SN candidate", "Unknown"} <= by_source["FINK"]
    assert {"(TNS) SN Ia", "(TNS) Varstar", "(TNS) TDE-H-He"} <= by_source["TNS"]
    assert {"(SIMBAD) RRLyr", "(SIMBAD) YSO_Candidate", "(SIMBAD) NIR"} <= by_source["SIMBAD"]
    for name in ("(TNS) TDE-H-He", "(SIMBAD) NIR"):
        result = await samples.execute(BY_CLASS, {"class": name})
        assert ok(result)["alertsByClass"]["totalCount"] >= 1


async def test_cone_search_radius_cap_comes_from_settings(samples: Samples) -> None:
    settings = Settings(limits=LimitSettings(cone_radius_max_arcsec=60.0))
    services = samples.services(settings=settings)
    variables = {**ZTF25ABUOVXV, "radius": 61.0}
    result = await samples.execute(CONE, variables, services=services)
    assert result.codes() == ["INVALID_ARGUMENT"]
    assert "at most 60 arcsec" in result.errors[0]["message"]
