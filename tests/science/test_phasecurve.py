"""Tests for fink_gateway.science.phasecurve (FINK-REFERENCE §9b, SSO file of §13)."""

from __future__ import annotations

from typing import Any

import astropy.units as u
import numpy as np
import pyarrow.parquet as pq
import pytest
from sbpy.photometry import HG, HG1G2, HG12_Pen16

from fink_gateway.science.phasecurve import (
    DEFAULT_BOUNDS,
    FINK_UTILS_BOUNDS,
    STATUS_NOT_RUN,
    FitCode,
    PhaseCurveFit,
    PhaseCurveModel,
    cos_aspect,
    fit_phase_curve,
    hg1g2_magnitude,
    hg12_magnitude,
    hg_magnitude,
    reduced_magnitude,
    shg1g2_magnitude,
)
from tests.data_paths import FINK_ZTF

SSO_FILE = FINK_ZTF / "sso_lightcurves_with_ephemerides_202504.parquet"
MODELS = list(PhaseCurveModel)
RMS_MAX_MAG = 0.1
"""Observed: 0.053–0.071 mag overall, at most 0.076 mag in one band (median σ ≈ 0.1 mag)."""

# §13: reduced-magnitude range (mag) of the two objects with ephemerides.
REDUCED_RANGES = {"33803": (16.04, 17.62), "8467": (13.09, 14.89)}


@pytest.fixture(scope="module")
def sso() -> dict[str, dict[str, Any]]:
    """The SSO light curves, one dict of lists per ``ssnamenr``."""
    return {row["ssnamenr"]: row for row in pq.read_table(SSO_FILE).to_pylist()}


def _column(row: dict[str, Any], name: str) -> np.ndarray:
    """A list column as float64; a null ephemeris list becomes NaN of the light-curve length."""
    values = row[name]
    return np.full(len(row["cjd"]), np.nan) if values is None else np.asarray(values, float)


def _fit(row: dict[str, Any], model: PhaseCurveModel | str, **kwargs: Any) -> PhaseCurveFit:
    reduced = reduced_magnitude(row["cmagpsf"], _column(row, "Dobs"), _column(row, "Dhelio"))
    return fit_phase_curve(
        _column(row, "Phase"),
        reduced,
        row["csigmapsf"],
        row["cfid"],
        model,
        ra_deg=row["cra"],
        dec_deg=row["cdec"],
        **kwargs,
    )


def _within(value: float | None, low: float, high: float) -> bool:
    return value is not None and low <= value <= high


@pytest.mark.parametrize("name", sorted(REDUCED_RANGES))
def test_reduced_magnitude_matches_reference_range(sso: dict[str, Any], name: str) -> None:
    row = sso[name]
    reduced = reduced_magnitude(row["cmagpsf"], row["Dobs"], row["Dhelio"])
    low, high = REDUCED_RANGES[name]
    assert reduced.min() == pytest.approx(low, abs=0.005)
    assert reduced.max() == pytest.approx(high, abs=0.005)


@pytest.mark.parametrize("unit", [u.au, u.km])
def test_reduced_magnitude_accepts_distance_quantities(unit: u.Unit) -> None:
    dobs, dhelio = (2.0 * u.au).to(unit), (3.0 * u.au).to(unit)
    assert reduced_magnitude(20.0, dobs, dhelio) == pytest.approx(20.0 - 5 * np.log10(6.0))


@pytest.mark.parametrize("name", ["33803", "8467"])
@pytest.mark.parametrize("model", MODELS)
def test_fit_phase_curve_converges_on_sso_objects(
    sso: dict[str, Any], name: str, model: PhaseCurveModel
) -> None:
    row = sso[name]
    fit = _fit(row, model)
    assert fit.fit_code == FitCode.OK, fit.message
    assert fit.status > 0
    assert fit.n_obs == len(row["cjd"])
    assert set(fit.bands) == {1, 2}
    assert sum(p.n_obs for p in fit.bands.values()) == fit.n_obs
    assert fit.rms is not None and fit.rms < RMS_MAX_MAG
    assert all(p.rms < RMS_MAX_MAG for p in fit.bands.values())
    assert fit.chi2red is not None and 0 < fit.chi2red < 2
    phases = _column(row, "Phase")
    assert fit.min_phase_deg == pytest.approx(phases.min())
    assert fit.max_phase_deg == pytest.approx(phases.max())
    assert fit.median_error == pytest.approx(np.median(row["csigmapsf"]))

    (low, *_), (high, *_) = DEFAULT_BOUNDS[model]
    g_names = {"HG": ("G",), "HG12": ("G12",)}.get(model, ("G1", "G2"))
    for p in fit.bands.values():
        assert low <= p.H <= high and np.isfinite(p.H_err)
        for g in g_names:
            assert _within(getattr(p, g), 0.0, 1.0)
            assert np.isfinite(getattr(p, f"{g}_err"))
    # the r band is brighter than g for these (red-ish) asteroids
    assert fit.bands[2].H < fit.bands[1].H

    if model is PhaseCurveModel.SHG1G2:
        assert _within(fit.R, 0.3, 1.0)
        assert _within(fit.alpha0_deg, 0.0, 360.0)
        assert _within(fit.delta0_deg, -90.0, 90.0)
        assert fit.min_cos_lambda is not None and fit.max_cos_lambda is not None
        assert 0 <= fit.min_cos_lambda <= (fit.mean_cos_lambda or 0) <= fit.max_cos_lambda <= 1
    else:
        assert fit.R is None and fit.alpha0_deg is None and fit.min_cos_lambda is None


@pytest.mark.parametrize("model", MODELS)
def test_model_curve_reproduces_fit_residuals(sso: dict[str, Any], model: PhaseCurveModel) -> None:
    row = sso["8467"]
    fit = _fit(row, model)
    reduced = reduced_magnitude(row["cmagpsf"], row["Dobs"], row["Dhelio"])
    fid = np.asarray(row["cfid"])
    for band, params in fit.bands.items():
        mask = fid == band
        curve = fit.model_curve(
            _column(row, "Phase")[mask],
            band,
            ra_deg=np.asarray(row["cra"])[mask],
            dec_deg=np.asarray(row["cdec"])[mask],
        )
        assert np.sqrt(np.mean((curve - reduced[mask]) ** 2)) == pytest.approx(params.rms)


def test_model_curve_samples_mean_aspect_for_shg1g2(sso: dict[str, Any]) -> None:
    fit = _fit(sso["33803"], "SHG1G2")
    grid = np.linspace(0.0, 40.0, 81)
    curve = fit.model_curve(grid, 1)
    assert curve.shape == grid.shape and np.all(np.isfinite(curve))
    assert np.all(np.diff(curve) > 0)  # fainter with phase
    p = fit.bands[1]
    assert p.G1 is not None and p.G2 is not None and fit.R is not None
    shift = 2.5 * np.log10(1 - (1 - fit.R) * (fit.mean_cos_lambda or 0.0))
    np.testing.assert_allclose(curve, hg1g2_magnitude(grid, p.H, p.G1, p.G2) + shift)
    with pytest.raises(ValueError, match="not fitted"):
        fit.model_curve(grid, 3)


def test_fit_phase_curve_without_ephemerides_is_bad_input(sso: dict[str, Any]) -> None:
    for model in MODELS:
        fit = _fit(sso["2005XM12"], model)
        assert fit.fit_code == FitCode.BAD_INPUT
        assert fit.status == STATUS_NOT_RUN
        assert fit.bands == {} and fit.rms is None and fit.n_obs == 9
        assert np.all(np.isnan(fit.model_curve([5.0, 10.0], 1)))


def test_fit_phase_curve_with_too_few_points_is_bad_input() -> None:
    fit = fit_phase_curve([5.0, 10.0, 15.0], [15.0, 15.3, 15.6], [0.1] * 3, [1, 1, 1], "HG")
    assert fit.fit_code == FitCode.BAD_INPUT
    assert "3 points for 2 parameters" in fit.message


def test_fit_phase_curve_rejects_misuse() -> None:
    args = ([5.0] * 5, [15.0] * 5, [0.1] * 5, [1] * 5)
    with pytest.raises(ValueError, match="unknown phase-curve model"):
        fit_phase_curve(*args, "SOCCA")
    with pytest.raises(ValueError, match="needs ra_deg and dec_deg"):
        fit_phase_curve(*args, "SHG1G2")
    with pytest.raises(ValueError, match="same length"):
        fit_phase_curve([5.0] * 4, *args[1:], "HG")
    with pytest.raises(ValueError, match="outside bounds"):
        fit_phase_curve(*args, "HG", p0=[15.0, 2.0])
    with pytest.raises(ValueError, match="needs p0 and bounds of 3"):
        fit_phase_curve(*args, "HG1G2", p0=[15.0, 0.15])


def test_fit_phase_curve_with_fink_utils_bounds(sso: dict[str, Any]) -> None:
    for model in MODELS:
        fit = _fit(sso["8467"], model, bounds=FINK_UTILS_BOUNDS[model])
        assert fit.fit_code == FitCode.OK and fit.rms is not None and fit.rms < RMS_MAX_MAG


SAMPLE_PHASES_DEG = np.array([0.0, 2.0, 7.5, 20.0, 60.0])


@pytest.mark.parametrize("phase", [SAMPLE_PHASES_DEG, np.radians(SAMPLE_PHASES_DEG) * u.rad])
def test_magnitudes_match_sbpy_models(phase: Any) -> None:
    rad = np.radians(SAMPLE_PHASES_DEG)
    np.testing.assert_allclose(hg_magnitude(phase, 15.0, 0.2), HG.evaluate(rad, 15.0, 0.2))
    np.testing.assert_allclose(
        hg1g2_magnitude(phase, 15.0, 0.3, 0.4), HG1G2.evaluate(rad, 15.0, 0.3, 0.4)
    )
    np.testing.assert_allclose(
        hg12_magnitude(phase, 15.0, 0.5), HG12_Pen16.evaluate(rad, 15.0, 0.5)
    )


def test_cos_aspect_of_pole_and_equator() -> None:
    assert cos_aspect(0.0, 90.0, 123.0, 90.0) == pytest.approx(1.0)
    assert cos_aspect(10.0, 0.0, 100.0, 0.0) == pytest.approx(0.0, abs=1e-12)
    assert cos_aspect(10.0, 0.0, 190.0, 0.0) == pytest.approx(-1.0)


TRUTH = {
    1: {"H": 15.6, "G": 0.25, "G12": 0.40, "G1": 0.30, "G2": 0.35},
    2: {"H": 15.1, "G": 0.20, "G12": 0.55, "G1": 0.25, "G2": 0.40},
}
SPIN = {"R": 0.7, "alpha0_deg": 60.0, "delta0_deg": 30.0}


def _band_magnitudes(
    model: PhaseCurveModel, truth: dict[str, float], phase: Any, ra: Any, dec: Any
) -> np.ndarray:
    if model is PhaseCurveModel.HG:
        return hg_magnitude(phase, truth["H"], truth["G"])
    if model is PhaseCurveModel.HG12:
        return hg12_magnitude(phase, truth["H"], truth["G12"])
    if model is PhaseCurveModel.HG1G2:
        return hg1g2_magnitude(phase, truth["H"], truth["G1"], truth["G2"])
    return shg1g2_magnitude(phase, ra, dec, truth["H"], truth["G1"], truth["G2"], **SPIN)


def _synthetic(model: PhaseCurveModel, n: int = 300, noise_mag: float = 0.02) -> dict[str, Any]:
    """Two bands of ``n`` points over 0.5–30° of phase, directions uniform on the sky."""
    rng = np.random.default_rng(42)
    phase = rng.uniform(0.5, 30.0, n)
    band = np.where(rng.random(n) < 0.5, 1, 2)
    ra = rng.uniform(0.0, 360.0, n)
    dec = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, n)))
    mag = np.empty(n)
    for b, truth in TRUTH.items():
        m = band == b
        mag[m] = _band_magnitudes(model, truth, phase[m], ra[m], dec[m])
    return {
        "phase_deg": phase,
        "reduced_mag": mag + rng.normal(0.0, noise_mag, n),
        "sigma_mag": np.full(n, noise_mag),
        "band": band,
        "ra_deg": ra,
        "dec_deg": dec,
    }


@pytest.mark.parametrize("model", MODELS)
def test_fit_phase_curve_recovers_synthetic_parameters(model: PhaseCurveModel) -> None:
    data = _synthetic(model)
    fit = fit_phase_curve(model=model, **data)
    assert fit.fit_code == FitCode.OK
    assert fit.rms == pytest.approx(0.02, abs=0.003)
    assert fit.chi2red == pytest.approx(1.0, abs=0.2)
    g_names = {"HG": ("G",), "HG12": ("G12",)}.get(model, ("G1", "G2"))
    for band, truth in TRUTH.items():
        p = fit.bands[band]
        assert abs(p.H - truth["H"]) < 0.05
        for g in g_names:
            assert abs(getattr(p, g) - truth[g]) < 0.05
    if model is PhaseCurveModel.SHG1G2:
        assert fit.R is not None and abs(fit.R - SPIN["R"]) < 0.05
        # |cosΛ| cannot tell the spin axis from its antipode: compare the axes up to sign.
        assert fit.alpha0_deg is not None and fit.delta0_deg is not None
        cos_between = cos_aspect(
            fit.alpha0_deg, fit.delta0_deg, SPIN["alpha0_deg"], SPIN["delta0_deg"]
        )
        assert abs(cos_between) > np.cos(np.radians(5.0))


def test_fit_phase_curve_accepts_phase_quantities() -> None:
    data = _synthetic(PhaseCurveModel.HG)
    in_deg = fit_phase_curve(model="HG", **data)
    data["phase_deg"] = np.radians(data["phase_deg"]) * u.rad
    data["ra_deg"] = data["ra_deg"] * u.deg
    in_rad = fit_phase_curve(model="hg", **data)
    for band in (1, 2):
        a, b = in_rad.bands[band], in_deg.bands[band]
        np.testing.assert_allclose([a.H, a.G or np.nan], [b.H, b.G or np.nan], rtol=1e-6)
