"""GraphiQL's Plots panel in a real browser (Debian's headless Chromium, driven by Playwright
through ``node/plots.mjs``) against a gateway serving the Fink samples (with cutouts), the SSO
light-curve file and demo alerts. One server and one browser run for the module: each test
checks one scenario of that run against the JSON the panel drew from — every trace's points
are the result's, per band and tag. A screenshot of each scenario goes to
``var/screenshots/plots/`` (its path printed): CI (``.ci/run``) has no artifact store, so they
stay on the machine that ran the tests."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fink_gateway.demo import demo_truth, generate_alerts
from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.graphiql import assets_are_local
from fink_gateway.ingest.pipeline import ingest_files, ingest_tables
from fink_gateway.settings import LimitSettings
from fink_gateway.store.embedded import EmbeddedStore
from tests.conformance.conftest import CHROMIUM, missing, node_tool, run_node
from tests.data_paths import FINK_ZTF, SCIENCE_FILES
from tests.live_server import serve_in_thread

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "plots"
SSO_FILE = FINK_ZTF / "sso_lightcurves_with_ephemerides_202504.parquet"
DEMO_ALERTS = 1000
DEMO_SEED = 11
MJD_OF_JD0 = 2400000.5

LIGHT_CURVE_OBJECT = "ZTF18aazvgoc"
"""A sample object with upper limits in g and r (and one detection in each)."""
BAD_QUALITY_OBJECT = "ZTF18aaxyyjv"
"""A sample object with bad-quality points in g and r."""
CONE = ("1h33m51.51s", 30.6680637, 600)
"""Around ZTF19aawtdou (sexagesimal RA, 23.464625 deg), 600 arcsec: several sample objects."""
CONE_RA_DEG = (1 + 33 / 60 + 51.51 / 3600) * 15
SSO = "8467"
"""An asteroid with stored ephemerides in the SSO light-curve file."""


def lsst_response() -> dict[str, Any]:
    """An LSST object's light curve in all six bands (the gateway has no LSST samples yet)."""
    n = 24
    mags: list[float | None] = [20 + 0.3 * math.sin(i / 3) + 0.1 * (i % 6) for i in range(n)]
    mags[5] = None  # a non-positive flux has no magnitude
    return {"data": {"lsstObject": {"diaObjectId": "169813006680588318", "lightcurve": {
        "midpointMjdTai": [60800 + 1.3 * i for i in range(n)],
        "band": ["ugrizy"[i % 6] for i in range(n)],
        "mag": mags,
        "magErr": [0.05 + 0.01 * (i % 4) for i in range(n)],
    }}}}


def skymap_response() -> dict[str, Any]:
    """Matches of a sky map (injected: the sample map's window holds no sample object)."""
    return {"data": {"skymap": {"eventName": "S190425z", "credibleLevel": 0.9, "matches": [
        {"objectId": f"ZTF19aaa{i:04d}", "credibleLevel": round(0.1 * i, 2),
         "alert": {"ra": 240.0 + 3 * i, "dec": 20.0 - 2 * i}}
        for i in range(8)
    ]}}}


EXAMPLE_TABS = {0: "lightcurve", 1: "sky", 2: "lightcurve", 3: "period", 4: "phasecurve",
                5: "cutouts"}
"""GraphiQL's example tabs (``resolvers/examples.py``) and the plot each one's result gives."""


def scenarios(variable_star: str) -> list[dict[str, Any]]:
    """What the browser does: the example tabs as served, then one scenario per kind of plot
    (see node/plots.mjs)."""
    ra, dec, radius = CONE
    return [
        *({"name": f"tab{index}", "tab": index} for index in EXAMPLE_TABS),
        {
            "name": "lightcurve",
            "query": f"""query LightCurve {{
  object(objectId: "{LIGHT_CURVE_OBJECT}") {{
    objectId
    lightcurve(withUpperLimits: true) {{
      jd band magpsf sigmapsf diffmaglim tag dcMag dcSigmag
    }}
  }}
}}
""",
            "screenshot": "lightcurve.png",
            "downloads": True,
            "clicks": [
                {"selector": "[data-control=time] [data-value=date]", "label": "date"},
                {"selector": "[data-control=magnitude] [data-value=dc]", "label": "dc"},
                {"selector": "[data-control=time] [data-value=mjd]", "label": "mjd"},
                {"selector": "[data-control=magnitude] [data-value=difference]",
                 "label": "difference"},
            ],
        },
        {
            "name": "aliases",
            "query": """query Two($a: String!, $b: String!) {
  first: object(objectId: $a) {
    id: objectId
    curve: lightcurve(withUpperLimits: true) {
      t: jd  m: magpsf  e: sigmapsf  b: band  q: tag  lim: diffmaglim
    }
  }
  second: object(objectId: $b) { ...Curve }
}
fragment Curve on Object {
  objectId
  lightcurve(withUpperLimits: true) { mjd magpsf sigmapsf fid tag diffmaglim }
}
""",
            "variables": {"a": LIGHT_CURVE_OBJECT, "b": BAD_QUALITY_OBJECT},
            "screenshot": "aliases.png",
            "clicks": [
                {"selector": "[data-control=layout] [data-value=multiples]", "label": "multiples"},
                {"selector": "[data-control=layout] [data-value=overlay]", "label": "overlay"},
            ],
        },
        {
            "name": "period",
            "query": f"""query Period {{
  object(objectId: "{variable_star}") {{
    objectId
    period {{
      status periodDays power nPoints phase magnitude sigma band phaseGrid
      models {{ band magnitude }}
    }}
  }}
}}
""",
            "screenshot": "period.png",
        },
        {
            "name": "phasecurve",
            "query": f"""query PhaseCurve {{
  solarSystemObject(nameOrNumber: "{SSO}") {{
    ssnamenr
    lightcurve {{ band phase reducedMag sigmapsf }}
    fit: phaseCurve(model: HG1G2) {{
      status
      bands {{ band modelCurve {{ phase reducedMag }} }}
    }}
  }}
}}
""",
            "screenshot": "phasecurve.png",
        },
        {
            "name": "cutouts",
            "query": f"""query Cutouts {{
  object(objectId: "{LIGHT_CURVE_OBJECT}") {{
    objectId
    science: cutouts(kind: SCIENCE) {{ time data }}
    template: cutouts(kind: TEMPLATE) {{ time data }}
    difference: cutouts(kind: DIFFERENCE) {{ time data }}
  }}
}}
""",
            "screenshot": "cutouts.png",
        },
        {
            "name": "array_cutouts",
            "query": f"""query Pixels {{
  object(objectId: "{LIGHT_CURVE_OBJECT}") {{
    objectId
    cutouts(kind: DIFFERENCE, format: ARRAY, first: 1) {{ kind jd array }}
  }}
}}
""",
        },
        {
            "name": "cone",
            "query": f"""query Cone {{
  near: conesearch(ra: "{ra}", dec: {dec}, radius: {radius}) {{
    edges {{ node {{ separation alert {{ objectId ra dec }} }} }}
  }}
}}
""",
            "screenshot": "cone.png",
        },
        {
            "name": "lsst",
            "query": """query Lsst {
  lsstObject(diaObjectId: "169813006680588318") {
    diaObjectId
    lightcurve { midpointMjdTai band mag magErr }
  }
}
""",
            "response": json.dumps(lsst_response(), indent=2),
            "screenshot": "lsst.png",
        },
        {
            "name": "skymap",
            "query": """query Skymap {
  skymap(path: "S190425z.fits.gz", credibleLevel: 0.9) {
    eventName credibleLevel
    matches { objectId credibleLevel alert { ra dec } }
  }
}
""",
            "response": json.dumps(skymap_response(), indent=2),
            "screenshot": "skymap.png",
        },
        {
            "name": "showcase",
            "query": f"""# A variable star: its light curve and its period
query VariableStar {{
  object(objectId: "{variable_star}") {{
    objectId
    lightcurve(withUpperLimits: true) {{
      jd band magpsf sigmapsf diffmaglim tag
    }}
    period {{
      periodDays power
      phase magnitude sigma band
      phaseGrid models {{ band magnitude }}
    }}
  }}
}}
""",
            "screenshot": "showcase.png",
        },
        {
            "name": "nothing",
            "query": "query Version { version }\n",
            "screenshot": "hint.png",
            "example": "lightcurve",
        },
    ]


def most_observed_variable_star() -> str:
    """The demo variable star with the most alerts (its period fit converges)."""
    demo = pa.concat_tables(generate_alerts(DEMO_ALERTS, DEMO_SEED, with_cutouts=False))
    counts = pc.value_counts(demo.column("objectId")).to_pylist()
    stars = [(item["counts"], item["values"]) for item in counts
             if demo_truth(item["values"], DEMO_SEED).kind == "variable"]
    return max(stars)[1]


async def _fill(path: Path) -> None:
    store = EmbeddedStore(path)
    try:
        report = await ingest_files(store, "ztf", [*SCIENCE_FILES, SSO_FILE], with_cutouts=True)
        assert not report.failures, report.failures
        # with stamps: the example tabs name demo objects, whose cutouts the panel then shows
        demo = pa.concat_tables(generate_alerts(DEMO_ALERTS, DEMO_SEED, with_cutouts=True))
        await ingest_tables(store, "ztf", [demo], source="demo", with_cutouts=True)
    finally:
        await store.close()


@pytest.fixture(scope="module")
def plots_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """GraphiQL's URL on a gateway serving the samples, the SSO file and demo alerts."""
    path = tmp_path_factory.mktemp("plots") / "store.db"
    asyncio.run(_fill(path))
    # the first fits start the worker processes (and import sbpy): on a loaded 2-core machine
    # that alone can pass the default 10 s, and request time limits are not under test here
    limits = dataclasses.replace(LimitSettings(), timeout_seconds=120.0)
    app = build_app(Settings(store=str(path), limits=limits), EmbeddedStore(path), "ztf")
    with serve_in_thread(app) as url:
        yield f"{url}/graphql"


@pytest.fixture(scope="module")
def browser(
    plots_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """What the panel drew in every scenario (one Chromium run for the module)."""
    command = node_tool("plots.mjs")
    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} is not installed: run scripts/test-deps (as root)")
    if not assets_are_local():
        missing("GraphiQL's and Plotly's files are not in fink_gateway/gateway/static/vendor: "
                "run scripts/fetch-graphiql")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.iterdir():
        old.unlink()
    path = tmp_path_factory.mktemp("plots-scenarios") / "scenarios.json"
    path.write_text(json.dumps(scenarios(most_observed_variable_star())))
    out = run_node([*command, plots_url, str(path), str(SCREENSHOTS), str(CHROMIUM)], timeout_s=480)
    out["plotsUrl"] = plots_url
    return out


def scenario(browser: dict[str, Any], name: str) -> dict[str, Any]:
    record = browser[name]
    assert "error" not in record, f"{name}: {record['error']} (screenshot {record['screenshot']})"
    return record


def data_of(record: dict[str, Any]) -> dict[str, Any]:
    response = json.loads(record["response"])
    assert not response.get("errors"), response["errors"]
    return response["data"]


def only_plot(record: dict[str, Any], kind: str) -> dict[str, Any]:
    plots = record["plots"]
    assert [plot["kind"] for plot in plots] == [kind], plots
    return plots[0]


def inverted(axis: dict[str, Any]) -> bool:
    """The axis shows its largest value at the bottom (a magnitude axis)."""
    low, high = axis["range"]
    return bool(low > high)


def by_role(plot: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [trace for trace in plot["traces"] if trace["meta"]["role"] == role]


def close(a: list[float | None], b: list[float | None], tol: float = 1e-6) -> bool:
    return len(a) == len(b) and all(
        (x is None and y is None) or (x is not None and y is not None and abs(x - y) <= tol)
        for x, y in zip(a, b, strict=True)
    )


def band_tag_points(curve: dict[str, Any]) -> Counter[tuple[str, str]]:
    return Counter(zip(curve["band"], curve["tag"], strict=True))


# --- the page ----------------------------------------------------------------------------


def test_plots_page_uses_only_the_gateways_files(
    browser: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert browser["pageErrors"] == [] and browser["failedRequests"] == []
    origin = browser["plotsUrl"].removesuffix("/graphql") + "/"
    # the data never leaves the browser: every request goes to the gateway (data: and blob:
    # URLs are the cutouts' images and the downloads, made in the page)
    outside = [url for url in browser["requests"]
               if not url.startswith((origin, "data:", "blob:"))]
    assert outside == []
    assert browser["openedOnFirstVisit"]
    with capsys.disabled():
        print(f"\nPlots panel screenshots: {SCREENSHOTS}/*.png")


@pytest.mark.parametrize(("tab", "kind"), EXAMPLE_TABS.items())
def test_plots_example_tabs_give_their_plot(browser: dict[str, Any], tab: int, kind: str) -> None:
    record = scenario(browser, f"tab{tab}")
    data_of(record)  # no errors
    assert kind in record["sections"], (record["query"], record["sections"], record["notes"])
    assert record["notes"] == []  # a fit that failed, a match without position... would say


# --- light curves -------------------------------------------------------------------------


def test_plots_light_curve_has_one_trace_per_band_and_tag_with_the_results_points(
    browser: dict[str, Any],
) -> None:
    record = scenario(browser, "lightcurve")
    curve = data_of(record)["object"]["lightcurve"]
    assert {"upperlim", "valid"} <= set(curve["tag"])
    plot = only_plot(record, "lightcurve")
    traces = {(t["meta"]["band"], t["meta"]["tag"]): t for t in plot["traces"]}
    assert len(traces) == len(plot["traces"])
    assert Counter({key: len(t["x"]) for key, t in traces.items()}) == band_tag_points(curve)
    assert inverted(plot["yaxis"]) and plot["xaxis"]["title"] == "MJD"
    for (band, tag), trace in traces.items():
        points = [i for i, (b, t) in enumerate(zip(curve["band"], curve["tag"], strict=True))
                  if (b, t) == (band, tag)]
        assert close(trace["x"], [curve["jd"][i] - MJD_OF_JD0 for i in points])
        if tag == "upperlim":
            assert trace["symbol"] == "triangle-down-open" and trace["errors"] is None
            assert close(trace["y"], [curve["diffmaglim"][i] for i in points])
        else:
            assert close(trace["y"], [curve["magpsf"][i] for i in points])
            assert close(trace["errors"], [curve["sigmapsf"][i] for i in points])


def test_plots_light_curve_downloads_as_png_and_svg(browser: dict[str, Any]) -> None:
    downloads = scenario(browser, "lightcurve")["downloads"]
    assert [d["name"] for d in downloads] == [
        f"{LIGHT_CURVE_OBJECT}-lightcurve.png", f"{LIGHT_CURVE_OBJECT}-lightcurve.svg"]
    png, svg = downloads
    assert png["head"].startswith("\x89PNG") and png["size"] > 5_000
    assert svg["head"].startswith("<svg") and svg["size"] > 5_000


def test_plots_light_curve_switches_to_dates_and_dc_magnitudes(browser: dict[str, Any]) -> None:
    record = scenario(browser, "lightcurve")
    curve = data_of(record)["object"]["lightcurve"]
    assert record["controls"] == ["time", "magnitude"]
    dates = only_plot(record["after"]["date"], "lightcurve")
    assert dates["xaxis"]["type"] == "date" and dates["xaxis"]["title"] == "Date (UTC)"
    dc = only_plot(record["after"]["dc"], "lightcurve")
    assert dc["yaxis"]["title"] == "DC magnitude" and inverted(dc["yaxis"])
    # no DC magnitude for an upper limit: those traces go
    assert {t["meta"]["tag"] for t in dc["traces"]} == set(curve["tag"]) - {"upperlim"}
    for trace in dc["traces"]:
        points = [i for i, (b, t) in enumerate(zip(curve["band"], curve["tag"], strict=True))
                  if (b, t) == (trace["meta"]["band"], trace["meta"]["tag"])]
        assert close(trace["y"], [curve["dcMag"][i] for i in points])
    back = only_plot(record["after"]["difference"], "lightcurve")
    assert back["xaxis"]["title"] == "MJD" and back["yaxis"]["title"] == "Difference magnitude"


def test_plots_light_curves_follow_aliases_fragments_and_variables(
    browser: dict[str, Any],
) -> None:
    record = scenario(browser, "aliases")
    data = data_of(record)
    first = data["first"]["curve"]
    expected = Counter({
        (LIGHT_CURVE_OBJECT, b, t): n for (b, t), n in
        Counter(zip(first["b"], first["q"], strict=True)).items()
    })
    second = data["second"]["lightcurve"]
    fids = {1: "g", 2: "r", 3: "i"}
    expected.update((BAD_QUALITY_OBJECT, fids[f], t)
                    for f, t in zip(second["fid"], second["tag"], strict=True))
    plot = only_plot(record, "lightcurve")  # overlaid: one plot, legend by objectId
    got = Counter({(t["meta"]["owner"], t["meta"]["band"], t["meta"]["tag"]): len(t["x"])
                   for t in plot["traces"]})
    assert got == expected and len(plot["traces"]) == len(expected)
    assert all(t["name"].startswith(t["meta"]["owner"]) for t in plot["traces"])
    faded = [t for t in plot["traces"] if t["meta"]["tag"] == "badquality"]
    assert faded and all(t["opacity"] < 0.5 for t in faded)
    multiples = record["after"]["multiples"]["plots"]
    assert [p["title"] for p in multiples] == [LIGHT_CURVE_OBJECT, BAD_QUALITY_OBJECT]
    assert all(inverted(p["yaxis"]) for p in multiples)


def test_plots_lsst_light_curve_has_one_trace_per_band(browser: dict[str, Any]) -> None:
    record = scenario(browser, "lsst")
    curve = data_of(record)["lsstObject"]["lightcurve"]
    plot = only_plot(record, "lightcurve")
    assert Counter({t["meta"]["band"]: len(t["x"]) for t in plot["traces"]}) == Counter(
        curve["band"])
    assert [t["meta"]["band"] for t in plot["traces"]] == list("ugrizy")
    assert len({t["symbol"] for t in plot["traces"]}) == 6  # Fink's marker per LSST band
    assert plot["xaxis"]["title"] == "MJD (TAI)" and plot["title"] == "169813006680588318"
    assert plot["yaxis"]["title"] == "Magnitude (AB)" and inverted(plot["yaxis"])


# --- fits, cutouts, sky -------------------------------------------------------------------


def test_plots_period_fit_is_folded_with_a_model_per_band(browser: dict[str, Any]) -> None:
    record = scenario(browser, "period")
    fit = data_of(record)["object"]["period"]
    assert fit["status"] == "ok"
    plot = only_plot(record, "period")
    points = by_role(plot, "points")
    assert Counter({t["meta"]["band"]: len(t["x"]) for t in points}) == Counter(fit["band"])
    assert sum(len(t["x"]) for t in points) == fit["nPoints"]
    for trace in points:
        indices = [i for i, band in enumerate(fit["band"]) if band == trace["meta"]["band"]]
        assert close(trace["x"], [fit["phase"][i] for i in indices])
        assert close(trace["y"], [fit["magnitude"][i] for i in indices])
    models = by_role(plot, "model")
    assert sorted(t["meta"]["band"] for t in models) == sorted(m["band"] for m in fit["models"])
    assert all(len(t["x"]) == len(fit["phaseGrid"]) for t in models)
    assert inverted(plot["yaxis"]) and f"P = {fit['periodDays']:.6g} d" in plot["title"]


def test_plots_phase_curve_has_points_and_model_per_band(browser: dict[str, Any]) -> None:
    record = scenario(browser, "phasecurve")
    sso = data_of(record)["solarSystemObject"]
    assert sso["fit"]["status"] == "OK"
    plot = only_plot(record, "phasecurve")
    points = by_role(plot, "points")
    lightcurve = sso["lightcurve"]
    assert Counter({t["meta"]["band"]: len(t["x"]) for t in points}) == Counter(
        lightcurve["band"])
    models = by_role(plot, "model")
    expected = {b["band"]: len(b["modelCurve"]["phase"]) for b in sso["fit"]["bands"]}
    assert {t["meta"]["band"]: len(t["x"]) for t in models} == expected
    assert plot["title"] == f"{SSO} · HG1G2" and inverted(plot["yaxis"])
    assert plot["xaxis"]["title"] == "Phase angle (deg)"


def test_plots_cutouts_are_every_png_of_the_result(browser: dict[str, Any]) -> None:
    record = scenario(browser, "cutouts")
    data = data_of(record)["object"]
    expected = Counter({alias.upper(): len(data[alias])
                        for alias in ("science", "template", "difference")})
    assert sum(expected.values()) > 0
    assert record["plots"] == [] and record["sections"] == ["cutouts"]
    # the kind comes from the field's argument: the query did not select it
    assert Counter(c["kind"] for c in record["cutouts"]) == expected
    assert all(c["loaded"] and c["width"] == 63 for c in record["cutouts"])
    assert all(LIGHT_CURVE_OBJECT in c["caption"] for c in record["cutouts"])


def test_plots_cone_search_matches_sit_at_their_separation_around_the_centre(
    browser: dict[str, Any],
) -> None:
    record = scenario(browser, "cone")
    edges = data_of(record)["near"]["edges"]
    assert len(edges) > 2
    plot = only_plot(record, "sky")
    (matches,) = by_role(plot, "matches")
    (centre,) = by_role(plot, "centre")
    assert len(matches["x"]) == len(edges)
    assert abs(centre["meta"]["ra"] - CONE_RA_DEG) < 1e-9
    assert abs(centre["meta"]["dec"] - CONE[1]) < 1e-9
    unit = {"arcsec": 1, "arcmin": 60, "deg": 3600}[
        plot["xaxis"]["title"].split("(")[1].split(",")[0]]
    for x, y, edge in zip(matches["x"], matches["y"], edges, strict=True):
        assert abs(math.hypot(x, y) * unit - edge["node"]["separation"]) < 0.01
    assert len(by_role(plot, "radius")) == 1


def test_plots_pixel_arrays_are_drawn_as_images(browser: dict[str, Any]) -> None:
    record = scenario(browser, "array_cutouts")
    (cutout,) = data_of(record)["object"]["cutouts"]
    assert len(cutout["array"]) == 63
    assert [(c["kind"], c["loaded"], c["width"]) for c in record["cutouts"]] == [
        ("DIFFERENCE", True, 63)]


def test_plots_sky_map_matches_are_placed_at_their_coordinates(browser: dict[str, Any]) -> None:
    record = scenario(browser, "skymap")
    matches = data_of(record)["skymap"]["matches"]
    plot = only_plot(record, "sky")
    (trace,) = plot["traces"]
    assert close(trace["x"], [m["alert"]["ra"] for m in matches])
    assert close(trace["y"], [m["alert"]["dec"] for m in matches])
    assert plot["xaxis"]["title"] == "RA (deg)" and inverted(plot["xaxis"])  # east to the left


def test_plots_draw_every_kind_a_result_holds(browser: dict[str, Any]) -> None:
    record = scenario(browser, "showcase")
    assert record["sections"] == ["lightcurve", "period"]
    curve = data_of(record)["object"]["lightcurve"]
    plot = record["plots"][0]
    got = Counter({(t["meta"]["band"], t["meta"]["tag"]): len(t["x"]) for t in plot["traces"]})
    assert got == band_tag_points(curve)


# --- nothing to plot ----------------------------------------------------------------------


def test_plots_hint_names_the_fields_and_inserts_an_example(browser: dict[str, Any]) -> None:
    record = scenario(browser, "nothing")
    assert record["state"] == "hint" and record["plots"] == []
    kinds = ["lightcurve", "period", "phasecurve", "cutouts", "sky"]
    assert record["hint"]["kinds"] == kinds and record["hint"]["examples"] == kinds
    for field in ("magpsf", "phaseGrid", "reducedMag", "cutouts", "separation"):
        assert field in record["hint"]["text"]
    example = record["example"]
    assert "lightcurve(withUpperLimits: true)" in example["query"]
    assert example["tabs"] == 8  # GraphiQL's six example tabs, the live one, and the new one
    curve = json.loads(example["response"])["data"]["object"]["lightcurve"]
    plot = only_plot(example, "lightcurve")
    got = Counter({(t["meta"]["band"], t["meta"]["tag"]): len(t["x"]) for t in plot["traces"]})
    assert got == band_tag_points(curve)
