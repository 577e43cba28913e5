"""The Solar System part of the schema, in process, on both backends: exact name resolution,
alerts, the light curve with stored or Miriade ephemerides, and phase-curve fits that equal
``science.phasecurve.fit_phase_curve`` on the same points."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import pyarrow.parquet as pq
import pytest

from fink_gateway.gateway.context import Services
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.ingest.sso_names import sso_resolver_rows
from fink_gateway.layout import tables
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.schema.build import build_schema
from fink_gateway.schema.sso import SolarSystemQuery
from fink_gateway.science.phasecurve import PhaseCurveFit, fit_phase_curve, reduced_magnitude
from fink_gateway.settings import EphemerisSettings, LimitSettings, Settings
from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, StoreFactory, store_opener
from tests.data_paths import FINK_ZTF, SAMPLE_FILES
from tests.fit_pool import shared_work
from tests.resolvers.miriade_server import MIRIADE_8467, closed_port_url, fake_miriade
from tests.resolvers.test_sso import (
    ALERT_JDS_8467,
    EXTRA_NAMES,
    SCIENCE_FILES,
    SSO_FILE,
    shortest,
    sso_file,
)
from tests.schema.conftest import Executed, execute_in_process

pytestmark = pytest.mark.anyio

SCHEMA = build_schema(extra_queries=(SolarSystemQuery,))
ALERTS_2025 = [FINK_ZTF / f for f in SAMPLE_FILES["benoit_julien_2025"]]


@dataclass
class Stores:
    """One backend: ``full`` has the science samples and the SSO file, ``alerts`` only the
    three 8467 alerts of 2025 (no stored ephemerides)."""

    store: Store
    full: str
    alerts: str

    async def run(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        prefix: str | None = None,
        miriade_url: str = "",
        services: Services | None = None,
    ) -> Executed:
        settings = Settings(ephemerides=EphemerisSettings(miriade_url, 5.0))
        services = services or Services(
            self.store, settings, prefix or self.full, None, shared=shared_work()
        )
        return await execute_in_process(SCHEMA, services, query, variables)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def stores(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stores]:
    opener = store_opener(request.param, tmp_path_factory.mktemp(f"sso-schema-{request.param}"))
    factory = StoreFactory(request.param, opener)
    store, full = await factory()
    _, alerts = await factory()
    try:
        report = await ingest_files(store, full, [*SCIENCE_FILES, SSO_FILE], with_cutouts=False)
        assert not report.failures
        await store.put_rows(tables.SSO_RESOLVER.name(full), sso_resolver_rows(EXTRA_NAMES))
        report = await ingest_files(store, alerts, ALERTS_2025, with_cutouts=False)
        assert not report.failures
        yield Stores(store, full, alerts)
    finally:
        await factory.clean_up()


# --- resolution ------------------------------------------------------------------------------

NAMES = """query($q: String!) {
  solarSystemObject(nameOrNumber: $q) { ssnamenr name number ambiguous candidates { ssnamenr } }
}"""


@pytest.mark.parametrize(
    ("text", "ssnamenr"),
    [("78", "78"), ("780", "780"), ("7800", "7800"), ("8467", "8467"), ("7", None),
     ("2005 XM12", "2005XM12"), ("2005XM12", "2005XM12"), ("2005 xm12", "2005XM12"),
     ("2005xm12", "2005XM12"), ("Ceres", None)],
)  # fmt: skip
async def test_solar_system_object_resolves_exactly(
    stores: Stores, text: str, ssnamenr: str | None
) -> None:
    run = await stores.run(NAMES, {"q": text})
    assert run.errors == []
    found = run.data["solarSystemObject"]
    assert (found and found["ssnamenr"]) == ssnamenr
    if found:
        assert found["ambiguous"] is False and found["candidates"] == [{"ssnamenr": ssnamenr}]


async def test_names_and_numbers_come_from_the_resolver(stores: Stores) -> None:
    run = await stores.run(NAMES, {"q": "2005 XM12"})
    assert run.data["solarSystemObject"]["name"] == "2005 XM12"
    assert run.data["solarSystemObject"]["number"] is None
    run = await stores.run(NAMES, {"q": "8467"})
    assert run.data["solarSystemObject"]["number"] == 8467


async def test_ambiguous_name_lists_every_candidate(stores: Stores) -> None:
    run = await stores.run(NAMES, {"q": "2010 XY3"})
    assert run.errors == []
    assert run.data["solarSystemObject"] == {
        "ssnamenr": "2010XY03", "name": "2010 XY3", "number": None, "ambiguous": True,
        "candidates": [{"ssnamenr": "2010XY03"}, {"ssnamenr": "2010XY3"}],
    }  # fmt: skip


async def test_solar_system_objects_keep_the_order_asked(stores: Stores) -> None:
    run = await stores.run(
        '{ solarSystemObjects(namesOrNumbers: ["780", "nope", "2005 XM12", "78"]) { ssnamenr } }'
    )
    assert run.errors == []
    assert run.data["solarSystemObjects"] == [
        {"ssnamenr": "780"}, None, {"ssnamenr": "2005XM12"}, {"ssnamenr": "78"}
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["", "   ", "x" * 101])
async def test_invalid_names_are_invalid_arguments(stores: Stores, text: str) -> None:
    run = await stores.run(NAMES, {"q": text})
    assert run.codes() == ["INVALID_ARGUMENT"]


# --- alerts -----------------------------------------------------------------------------------


def asteroid_alerts() -> dict[str, list[tuple[float, str]]]:
    """ssnamenr → (jd, objectId) of the samples' roid = 3 alerts passing Fink's cuts, newest
    first."""
    out: dict[str, list[tuple[float, str]]] = {}
    for path in SCIENCE_FILES:
        table = pq.read_table(path)
        if "roid" not in table.column_names:
            continue
        candidate = table.column("candidate").combine_chunks()
        for i, roid in enumerate(table.column("roid").to_pylist()):
            c = {k: candidate.field(k)[i].as_py() for k in ("ssnamenr", "jd", "nbad", "rb", "fid")}
            if roid == 3 and c["nbad"] == 0 and c["rb"] >= 0.55 and c["fid"] != 3:
                out.setdefault(c["ssnamenr"], []).append((c["jd"], table["objectId"][i].as_py()))
    return {k: sorted(v, reverse=True) for k, v in out.items()}


ALERTS = """query($q: String!, $after: String) {
  solarSystemObject(nameOrNumber: $q) {
    alerts(first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { objectId jd ssnamenr magpsf classification { label } }
    }
  }
}"""


async def test_asteroid_alerts_of_the_samples_appear(stores: Stores) -> None:
    expected = asteroid_alerts()
    assert len(expected) == 7 and len(expected["8467"]) == 3
    for ssnamenr, alerts in expected.items():
        seen: list[tuple[float, str]] = []
        after = None
        while True:
            run = await stores.run(ALERTS, {"q": ssnamenr, "after": after})
            assert run.errors == []
            connection = run.data["solarSystemObject"]["alerts"]
            assert connection["totalCount"] == len(alerts)
            for node in connection["nodes"]:
                assert node["ssnamenr"] == ssnamenr
                assert node["classification"]["label"] == "Solar System MPC"
                seen.append((node["jd"], node["objectId"]))
            if not connection["pageInfo"]["hasNextPage"]:
                break
            after = connection["pageInfo"]["endCursor"]
        assert seen == alerts


async def test_file_points_are_not_alerts(stores: Stores) -> None:
    run = await stores.run(ALERTS, {"q": "33803"})
    assert run.data["solarSystemObject"]["alerts"]["totalCount"] == 0


# --- light curve and phase curve -------------------------------------------------------------


@dataclass
class Expected:
    """8467 in the SSO file, sorted by JD, in the units and precision the gateway stores."""

    jd: np.ndarray
    ra: np.ndarray
    dec: np.ndarray
    mag: np.ndarray
    sigma: np.ndarray
    fid: np.ndarray
    phase: np.ndarray
    dobs: np.ndarray
    dhelio: np.ndarray
    elong: np.ndarray
    ra_eph: np.ndarray
    dec_eph: np.ndarray

    @property
    def reduced(self) -> np.ndarray:
        return reduced_magnitude(self.mag, self.dobs, self.dhelio)

    def fit(self, model: str, fids: list[int] | None = None) -> PhaseCurveFit:
        keep = np.isin(self.fid, fids or [1, 2])
        return fit_phase_curve(self.phase[keep], self.reduced[keep], self.sigma[keep],
                               self.fid[keep], model, ra_deg=self.ra[keep],
                               dec_deg=self.dec[keep])  # fmt: skip


def expected_8467() -> Expected:
    row = sso_file()["8467"]
    order = np.argsort(row["cjd"])

    def f64(name: str) -> np.ndarray:
        return np.asarray(row[name], dtype=np.float64)[order]

    def f32(name: str) -> np.ndarray:
        return shortest(row[name])[order]

    return Expected(
        f64("cjd"), f64("cra"), f64("cdec"), f32("cmagpsf"), f32("csigmapsf"),
        np.asarray(row["cfid"])[order], f32("Phase"), f32("Dobs"), f32("Dhelio"), f32("Elong"),
        f32("RA"), f32("DEC"),
    )  # fmt: skip


LIGHTCURVE = """{ solarSystemObject(nameOrNumber: "8467") { lightcurve {
  length jd mjd magpsf sigmapsf fid band ra dec objectId ephemerisSource
  phase dobs dhelio elong raEphemeris decEphemeris reducedMag deltaRaCosDec deltaDec
} } }"""


async def test_lightcurve_joins_points_and_stored_ephemerides(stores: Stores) -> None:
    run = await stores.run(LIGHTCURVE)
    assert run.errors == []
    lc = run.data["solarSystemObject"]["lightcurve"]
    e = expected_8467()
    assert lc["length"] == 216 and lc["ephemerisSource"] == "STORED"
    for field, values in (("jd", e.jd), ("magpsf", e.mag), ("sigmapsf", e.sigma), ("ra", e.ra),
                          ("dec", e.dec), ("phase", e.phase), ("dobs", e.dobs),
                          ("dhelio", e.dhelio), ("elong", e.elong), ("raEphemeris", e.ra_eph),
                          ("decEphemeris", e.dec_eph), ("reducedMag", e.reduced)):  # fmt: skip
        np.testing.assert_array_equal(lc[field], values, err_msg=field)
    assert lc["fid"] == e.fid.tolist()
    assert lc["band"] == ["g" if f == 1 else "r" for f in e.fid.tolist()]
    np.testing.assert_allclose(lc["mjd"], e.jd - 2400000.5)
    np.testing.assert_allclose(
        lc["deltaRaCosDec"], (e.ra - e.ra_eph) * np.cos(np.radians(e.dec)) * 3600, atol=1e-9
    )
    np.testing.assert_allclose(lc["deltaDec"], (e.dec - e.dec_eph) * 3600, atol=1e-9)
    assert max(np.abs(lc["deltaRaCosDec"])) < 5 and max(np.abs(lc["deltaDec"])) < 5  # arcsec
    assert [o for o in lc["objectId"] if o] == ["ZTF25aabvany", "ZTF25aabzjns", "ZTF25aadhncf"]


async def test_lightcurve_bands_filter_points_and_ephemerides(stores: Stores) -> None:
    run = await stores.run(
        '{ solarSystemObject(nameOrNumber: "8467") { lightcurve(bands: [g]) { jd phase fid } } }'
    )
    lc = run.data["solarSystemObject"]["lightcurve"]
    e = expected_8467()
    g = e.fid == 1
    assert lc["fid"] == [1] * int(g.sum())
    np.testing.assert_array_equal(lc["jd"], e.jd[g])
    np.testing.assert_array_equal(lc["phase"], e.phase[g])


async def test_ephemerides_are_read_only_when_selected(stores: Stores) -> None:
    run = await stores.run('{ solarSystemObject(nameOrNumber: "8467") { lightcurve { jd } } }')
    assert not any(c.startswith(b"e:") for c in run.stats.columns)
    run = await stores.run('{ solarSystemObject(nameOrNumber: "8467") { ssnamenr } }')
    assert b"i:magpsf" not in run.stats.columns


PHASE_CURVE = """query($model: PhaseCurveModel!, $bands: [Band!]) {
  solarSystemObject(nameOrNumber: "8467") {
    lightcurve { jd phase reducedMag }
    phaseCurve(model: $model, bands: $bands) {
      model status ok optimizerStatus message nPoints chi2red rms minPhase maxPhase medianError
      R RError alpha0 alpha0Error delta0 delta0Error minCosLambda meanCosLambda maxCosLambda
      bands { fid band H HError G GError G12 G12Error G1 G1Error G2 G2Error rms nPoints
              medianError minPhase maxPhase modelCurve(nPoints: 5) { phase reducedMag }
              atPhases: modelCurve(phase: [0, 10.5]) { phase reducedMag } }
    }
  }
}"""


@pytest.mark.parametrize("model", ["SHG1G2", "HG1G2", "HG12", "HG"])
async def test_phase_curve_equals_the_science_fit(stores: Stores, model: str) -> None:
    run = await stores.run(PHASE_CURVE, {"model": model})
    assert run.errors == []
    found = run.data["solarSystemObject"]
    e = expected_8467()
    np.testing.assert_array_equal(found["lightcurve"]["phase"], e.phase)
    np.testing.assert_array_equal(found["lightcurve"]["reducedMag"], e.reduced)
    fit = e.fit(model)
    assert fit.ok
    curve = found["phaseCurve"]
    approx = pytest.approx  # same points, same order: equal up to rounding
    assert (curve["model"], curve["status"], curve["ok"]) == (model, "OK", True)
    assert (curve["nPoints"], curve["optimizerStatus"], curve["message"]) == (
        216,
        fit.status,
        fit.message,
    )
    for field, value in (("chi2red", fit.chi2red), ("rms", fit.rms), ("R", fit.R),
                         ("RError", fit.R_err), ("alpha0", fit.alpha0_deg),
                         ("alpha0Error", fit.alpha0_err_deg), ("delta0", fit.delta0_deg),
                         ("delta0Error", fit.delta0_err_deg), ("minPhase", fit.min_phase_deg),
                         ("meanCosLambda", fit.mean_cos_lambda)):  # fmt: skip
        assert curve[field] == (None if value is None else approx(value, rel=1e-9)), field
    assert [b["band"] for b in curve["bands"]] == ["g", "r"]
    for band in curve["bands"]:
        p = fit.bands[band["fid"]]
        for field, value in (("H", p.H), ("HError", p.H_err), ("G", p.G), ("G12", p.G12),
                             ("G1", p.G1), ("G1Error", p.G1_err), ("G2", p.G2), ("rms", p.rms),
                             ("maxPhase", p.max_phase_deg)):  # fmt: skip
            assert band[field] == (None if value is None else approx(value, rel=1e-9)), field
        assert band["nPoints"] == p.n_obs
        phases = np.linspace(0, p.max_phase_deg, 5)
        np.testing.assert_allclose(band["modelCurve"]["phase"], phases)
        np.testing.assert_allclose(band["modelCurve"]["reducedMag"],
                                   fit.model_curve(phases, band["fid"]), rtol=1e-9)  # fmt: skip
        np.testing.assert_allclose(band["atPhases"]["reducedMag"],
                                   fit.model_curve([0, 10.5], band["fid"]), rtol=1e-9)  # fmt: skip


async def test_phase_curve_of_one_band(stores: Stores) -> None:
    run = await stores.run(PHASE_CURVE, {"model": "HG1G2", "bands": ["r"]})
    curve = run.data["solarSystemObject"]["phaseCurve"]
    fit = expected_8467().fit("HG1G2", [2])
    assert [b["fid"] for b in curve["bands"]] == [2]
    assert curve["nPoints"] == fit.n_obs
    assert curve["bands"][0]["H"] == pytest.approx(fit.bands[2].H, rel=1e-9)


async def test_phase_curve_is_cached_across_requests(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = Services(
        stores.store, Settings(), stores.full, ResultCache("memory"), shared=shared_work()
    )
    first = await stores.run(PHASE_CURVE, {"model": "SHG1G2"}, services=services)

    async def no_fit(*args: object) -> None:
        raise AssertionError("the cached fit should have been used")

    monkeypatch.setattr(services.shared.fits, "run", no_fit)
    second = await stores.run(PHASE_CURVE, {"model": "SHG1G2"}, services=services)
    assert first.errors == second.errors == []
    assert second.data == first.data


async def test_phase_curves_count_against_the_fit_limit(stores: Stores) -> None:
    settings = Settings(limits=LimitSettings(max_fits_per_request=1))
    services = Services(stores.store, settings, stores.full, None, shared=shared_work())
    run = await stores.run(
        """{ solarSystemObject(nameOrNumber: "8467") {
             a: phaseCurve(model: HG) { status } b: phaseCurve(model: HG12) { status } } }""",
        services=services,
    )
    assert run.codes() == ["QUERY_TOO_COSTLY"]


async def test_object_without_ephemerides_has_null_reduced_mag_and_a_failed_fit(
    stores: Stores,
) -> None:
    run = await stores.run("""{ solarSystemObject(nameOrNumber: "2005 XM12") {
      lightcurve { length jd phase reducedMag deltaDec ephemerisSource }
      phaseCurve(model: SHG1G2) { status ok message nPoints bands { H } R }
    } }""")
    assert run.errors == []
    found = run.data["solarSystemObject"]
    lc = found["lightcurve"]
    assert lc["length"] == 9 and lc["ephemerisSource"] is None
    assert lc["phase"] == lc["reducedMag"] == lc["deltaDec"] == [None] * 9
    assert found["phaseCurve"] == {"status": "BAD_INPUT", "ok": False, "nPoints": 0,
                                   "message": "no ephemerides for this object", "bands": [],
                                   "R": None}  # fmt: skip


async def test_model_curve_rejects_bad_sampling(stores: Stores) -> None:
    run = await stores.run("""{ solarSystemObject(nameOrNumber: "8467") {
      phaseCurve(model: HG) { bands { modelCurve(phase: [-1]) { phase } } } } }""")
    assert set(run.codes()) == {"INVALID_ARGUMENT"}


# --- Miriade ---------------------------------------------------------------------------------

MIRIADE_QUERY = """{ solarSystemObject(nameOrNumber: "8467") {
  lightcurve { jd ephemerisSource phase dobs reducedMag deltaDec }
  phaseCurve(model: HG) { status nPoints }
} }"""


async def test_miriade_gives_ephemerides_when_none_are_stored(stores: Stores) -> None:
    reply = orjson.loads(MIRIADE_8467.read_bytes())["data"]
    with fake_miriade() as fake:
        settings = Settings(ephemerides=EphemerisSettings(fake.url, 5.0))
        services = Services(stores.store, settings, stores.alerts, None, shared=shared_work())
        run = await stores.run(MIRIADE_QUERY, services=services)
        again = await stores.run(MIRIADE_QUERY, services=services)
    assert run.errors == [] and again.data == run.data
    assert len(fake.received) == 1  # one call per object, then the application's client cache
    lc = run.data["solarSystemObject"]["lightcurve"]
    assert lc["jd"] == ALERT_JDS_8467 and lc["ephemerisSource"] == "MIRIADE"
    assert lc["phase"] == [r["Phase"] for r in reply]
    assert lc["dobs"] == [r["Dobs"] for r in reply]
    e = expected_8467()
    where = np.searchsorted(e.jd, ALERT_JDS_8467)
    np.testing.assert_allclose(lc["reducedMag"], e.reduced[where], rtol=1e-12)
    np.testing.assert_allclose(lc["deltaDec"], (e.dec - e.dec_eph)[where] * 3600, atol=2e-3)
    # 3 points cannot fit 2 bands × (H, G): a result with a status, not an error
    assert run.data["solarSystemObject"]["phaseCurve"] == {"status": "BAD_INPUT", "nPoints": 3}


async def test_stored_ephemerides_win_over_miriade(stores: Stores) -> None:
    with fake_miriade() as fake:
        run = await stores.run(LIGHTCURVE, miriade_url=fake.url)
    assert run.data["solarSystemObject"]["lightcurve"]["ephemerisSource"] == "STORED"
    assert fake.received == []


async def test_unreachable_miriade_is_upstream_unavailable(stores: Stores) -> None:
    run = await stores.run(MIRIADE_QUERY, prefix=stores.alerts, miriade_url=closed_port_url())
    assert run.codes() and set(run.codes()) == {"UPSTREAM_UNAVAILABLE"}
    found = run.data["solarSystemObject"]
    assert found["lightcurve"]["jd"] == ALERT_JDS_8467  # the rest of the answer survives
    assert found["lightcurve"]["phase"] is None and found["phaseCurve"] is None
    assert "Miriade" in run.errors[0]["message"]


async def test_without_miriade_unknown_ephemerides_are_null(stores: Stores) -> None:
    run = await stores.run(MIRIADE_QUERY, prefix=stores.alerts)
    assert run.errors == []
    lc = run.data["solarSystemObject"]["lightcurve"]
    assert lc["ephemerisSource"] is None and lc["phase"] == [None] * 3
