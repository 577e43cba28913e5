"""Tests for fink_gateway.science.periods (FINK-REFERENCE §9a)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from fink_gateway.demo import demo_truth, generate_alerts
from fink_gateway.science import periods
from fink_gateway.science.periods import MIN_POINTS, PeriodFit, fit_period, periodic_input
from fink_gateway.science.photometry import dc_magnitude

DEMO_SEED = 0
DEMO_ALERTS = 3000
N_VARIABLES = 4
"""Demo variables checked: the first (by objectId) with at least 30 alerts."""

_FIELDS = ("jd", "magpsf", "sigmapsf", "fid", "magnr", "sigmagnr", "isdiffpos", "distnr")

LightCurve = dict[str, npt.NDArray[Any]]


@pytest.fixture(scope="module")
def demo_variables() -> list[tuple[str, float, LightCurve]]:
    """(objectId, true period in days, alert columns) of demo variable stars."""
    table = pa.concat_tables(list(generate_alerts(DEMO_ALERTS, DEMO_SEED, with_cutouts=False)))
    candidate = table.column("candidate").combine_chunks()
    columns = {name: candidate.field(name).to_numpy(zero_copy_only=False) for name in _FIELDS}
    object_ids = table.column("objectId").to_numpy(zero_copy_only=False)
    found = []
    for object_id in np.unique(object_ids):
        truth = demo_truth(str(object_id), DEMO_SEED)
        rows = object_ids == object_id
        if truth.kind == "variable" and rows.sum() >= 30:
            assert truth.period_days is not None
            found.append(
                (str(object_id), truth.period_days, {k: v[rows] for k, v in columns.items()})
            )
    assert len(found) >= N_VARIABLES
    return found[:N_VARIABLES]


def _input(curve: LightCurve) -> tuple[npt.NDArray[Any], ...]:
    latest = int(np.argmax(curve["jd"]))
    return periodic_input(*(curve[k] for k in _FIELDS[:-1]), curve["distnr"][latest])


def _sinusoid(
    n: int, period_days: float, seed: int = 0, noise_mag: float = 0.01
) -> tuple[npt.NDArray[np.float64], ...]:
    """ZTF-like nightly sampling over 300 d of a two-band sinusoid (JD, mag, mag, fid)."""
    rng = np.random.default_rng(seed)
    jd = 2460000.0 + np.sort(rng.integers(0, 300, n) + rng.uniform(0.64, 0.93, n))
    band = rng.integers(1, 3, n)
    mag = np.where(band == 1, 17.3, 17.0) + 0.4 * np.sin(2 * np.pi * jd / period_days)
    mag += rng.normal(0.0, noise_mag, n)
    return jd, mag, np.full(n, noise_mag), band.astype(np.float64)


@pytest.mark.parametrize("method", ["multiband", "fast"])
def test_fit_period_recovers_demo_variable_periods(
    demo_variables: list[tuple[str, float, LightCurve]], method: periods.PeriodMethod
) -> None:
    for object_id, true_period, curve in demo_variables:
        fit = fit_period(*_input(curve), method=method)
        assert fit.ok, (object_id, fit.message)
        assert fit.period_days is not None and fit.power is not None
        assert abs(fit.period_days - true_period) / true_period < 1e-3, object_id
        assert fit.power > 0.9, object_id
        assert fit.bands == (1, 2)


def test_periodic_input_uses_dc_magnitudes_when_a_source_is_behind(
    demo_variables: list[tuple[str, float, LightCurve]],
) -> None:
    curve = demo_variables[0][2]
    jd, mag, sigma, band = _input(curve)  # demo variables sit on their reference source
    dc_mag, dc_sigma = dc_magnitude(*(curve[k] for k in _FIELDS[1:7] if k != "fid"))
    np.testing.assert_allclose(mag, dc_mag)
    np.testing.assert_allclose(sigma, dc_sigma)
    np.testing.assert_array_equal(jd, curve["jd"])
    assert band.dtype == np.int64 and set(band.tolist()) <= {1, 2}

    far = periodic_input(*(curve[k] for k in _FIELDS[:-1]), 5.0)  # 5 px: no source behind
    np.testing.assert_array_equal(far[1], curve["magpsf"])
    np.testing.assert_array_equal(far[2], curve["sigmapsf"])


def test_periodic_input_drops_large_dc_errors_and_nans() -> None:
    jd = [2460000.7, 2460001.7, np.nan, 2460003.7]
    magpsf = [18.0, 18.0, 18.0, 18.0]
    sigmapsf = [0.05, 5.0, 0.05, 0.05]  # a 5 mag difference error gives a DC error > 1 mag
    fid = [1, 2, 1, 2]
    magnr = [17.0, 17.0, 17.0, -999.0]  # a sentinel reference magnitude → NaN DC magnitude
    sigmagnr = [0.02] * 4
    isdiffpos = ["t", "t", "t", "t"]
    out_jd, mag, sigma, band = periodic_input(
        jd, magpsf, sigmapsf, fid, magnr, sigmagnr, isdiffpos, 0.3
    )
    np.testing.assert_array_equal(out_jd, [2460000.7])
    assert np.all(sigma < 1.0) and np.all(np.isfinite(mag))
    np.testing.assert_array_equal(band, [1])
    # Difference magnitudes (no source behind): only the NaN JD goes, large errors stay.
    assert periodic_input(jd, magpsf, sigmapsf, fid, magnr, sigmagnr, isdiffpos, 3.0)[0].size == 3


def test_fit_period_folds_points_and_model_on_one_phase_reference() -> None:
    jd, mag, sigma, band = _sinusoid(120, 0.37)
    fit = fit_period(jd, mag, sigma, band, n_phase=100)
    assert fit.ok and fit.period_days is not None
    assert abs(fit.period_days - 0.37) / 0.37 < 1e-4
    assert fit.phase_grid.shape == (100,)
    assert fit.phase_grid[0] == 0.0 and fit.phase_grid[-1] < 1.0
    assert np.all((fit.phase >= 0.0) & (fit.phase < 1.0))
    np.testing.assert_allclose(fit.phase, np.mod(fit.jd, fit.period_days) / fit.period_days)
    assert set(fit.model_curves) == {1, 2}
    for b, curve in fit.model_curves.items():
        points = fit.band == b
        folded = np.interp(fit.phase[points], fit.phase_grid, curve, period=1.0)
        np.testing.assert_allclose(folded, fit.mag[points], atol=0.05)
    assert fit.chi2 is not None and fit.reduced_chi2 is not None
    assert fit.reduced_chi2 == pytest.approx(fit.chi2 / (fit.n_points - 1))
    assert fit.reduced_chi2 == pytest.approx(1.0, abs=0.4)  # σ is the true noise


def test_fit_period_noise_has_low_power() -> None:
    rng = np.random.default_rng(7)
    jd, _, sigma, band = _sinusoid(150, 0.5, seed=7, noise_mag=0.1)
    noise = 17.0 + rng.normal(0.0, 0.1, jd.size)
    for method in ("multiband", "fast"):
        fit = fit_period(jd, noise, sigma, band, method=method)
        assert fit.ok and fit.power is not None
        assert fit.power < 0.3


@pytest.mark.parametrize(
    ("keep", "why"),
    [
        (slice(0, MIN_POINTS - 1), "usable points"),
        (slice(0, 0), "usable points"),
    ],
)
def test_fit_period_too_few_points_is_insufficient(keep: slice, why: str) -> None:
    jd, mag, sigma, band = _sinusoid(60, 0.3)
    fit = fit_period(jd[keep], mag[keep], sigma[keep], band[keep])
    assert fit.status == "insufficient_data" and not fit.ok
    assert fit.message is not None and why in fit.message
    assert fit.period_days is None and fit.power is None and fit.chi2 is None
    assert fit.phase.size == 0 and fit.model_curves == {}


def test_fit_period_ignores_nans_and_reports_what_is_left() -> None:
    jd, mag, sigma, band = _sinusoid(60, 0.3)
    mag[MIN_POINTS - 1 :] = np.nan
    fit = fit_period(jd, mag, sigma, band)
    assert fit.status == "insufficient_data"
    assert fit.n_points == MIN_POINTS - 1


def test_fit_period_short_baseline_is_insufficient() -> None:
    jd = 2460000.7 + np.linspace(0.0, 1.0, 30)  # one day, shorter than the 1.2 d longest period
    fit = fit_period(jd, 17.0 + 0.1 * np.sin(jd), np.full(30, 0.05), np.ones(30))
    assert fit.status == "insufficient_data"
    assert fit.message is not None and "time span" in fit.message


def test_fit_period_drops_bands_with_too_few_points() -> None:
    jd, mag, sigma, band = _sinusoid(60, 0.3)
    band[:2] = 3  # two i points: fewer than the 3 parameters of their band model
    fit = fit_period(jd, mag, sigma, band)
    assert fit.ok
    assert fit.dropped_bands == (3,)
    assert fit.bands == (1, 2) and fit.n_points == 58


def test_fit_period_gatspy_error_is_a_failed_status(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def fit(self, *args: object) -> None:
            raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(periods, "_model", lambda *args: Broken())
    jd, mag, sigma, band = _sinusoid(60, 0.3)
    fit = fit_period(jd, mag, sigma, band)
    assert isinstance(fit, PeriodFit)
    assert fit.status == "failed"
    assert fit.message == "LinAlgError: Singular matrix"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "slow"},
        {"nterms_base": 0, "nterms_band": 0},
        {"nterms_base": -1},
        {"method": "fast", "nterms_band": 0},
        {"min_period_days": 1.2, "max_period_days": 0.1},
        {"min_period_days": 0.0},
        {"n_phase": 0},
    ],
)
def test_fit_period_rejects_invalid_arguments(kwargs: dict[str, Any]) -> None:
    jd, mag, sigma, band = _sinusoid(30, 0.3)
    with pytest.raises(ValueError):
        fit_period(jd, mag, sigma, band, **kwargs)
