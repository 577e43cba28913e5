"""Tests for fink_gateway.science.photometry (FINK-REFERENCE §8)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from fink_gateway.science.photometry import (
    AB_ZERO_POINT_JY,
    ColourBlock,
    apparent_flux,
    band_of,
    colour_block,
    dc_magnitude,
    difference_flux,
    is_source_behind,
    per_band_rates,
)
from tests.data_paths import FINK_ZTF

# §8 worked examples: (magpsf, sigmapsf, magnr, sigmagnr, isdiffpos) → (dc mag, sigma).
DC_EXAMPLES = [
    ((15.566096, 0.050197, 13.096999, 0.016, "f"), (13.21488, 0.01874)),
    ((19.3115768, 0.16184, 20.645, 0.112, "t"), (19.03271, 0.12773)),
]

# §8 example 4: the two alerts of ZTF18aazvgoc (r first, then g).
PAIR_JD = np.array([2459540.6356713, 2459540.7386921])
PAIR_MAG = np.array([15.566096305847168, 16.972139358520508])
PAIR_SIGMA = np.array([0.050196513533592224, 0.08188428729772568])
PAIR_FID = np.array([2, 1])
G_MINUS_R = 1.406043
SIGMA_G_MINUS_R = 0.096045

OBJECT_ID = "ZTF18aazvgoc"
OBJECT_FILE = FINK_ZTF / "superluminous_test_alerts.parquet"


def block_columns(block: ColourBlock) -> dict[str, np.ndarray]:
    return {name: getattr(block, name) for name in block.__dataclass_fields__}


# --- DC magnitude and fluxes -------------------------------------------------------------------


@pytest.mark.parametrize(("inputs", "expected"), DC_EXAMPLES)
def test_dc_magnitude_matches_worked_examples(inputs, expected):
    mag, sigma = dc_magnitude(*inputs)
    assert mag == pytest.approx(expected[0], abs=5e-6)
    assert sigma == pytest.approx(expected[1], abs=5e-6)


def test_dc_magnitude_vectorised_and_float32():
    columns = list(zip(*(inputs for inputs, _ in DC_EXAMPLES), strict=True))
    expected = np.array([out for _, out in DC_EXAMPLES])
    mag64, sigma64 = dc_magnitude(*(np.array(c) for c in columns[:4]), np.array(columns[4]))
    mag32, sigma32 = dc_magnitude(
        *(np.array(c, dtype=np.float32) for c in columns[:4]), np.array(columns[4])
    )
    np.testing.assert_allclose(mag64, expected[:, 0], atol=5e-6)
    np.testing.assert_allclose(sigma64, expected[:, 1], atol=5e-6)
    assert mag32.dtype == np.float64
    np.testing.assert_allclose(mag32, mag64, atol=1e-5)
    np.testing.assert_allclose(sigma32, sigma64, atol=1e-6)


def test_dc_magnitude_is_nan_for_missing_magnitude_negative_magnr_or_flux():
    mag, sigma = dc_magnitude(
        np.array([np.nan, 18.0, 15.0, 19.0, 19.0]),
        np.array([0.1, 0.1, 0.1, 0.1, np.nan]),
        np.array([17.0, -999.0, 16.0, np.nan, 17.0]),
        np.array([0.02, 0.02, 0.02, 0.02, 0.02]),
        np.array(["t", "t", "f", "t", "1"], dtype=object),
    )
    # NaN magpsf, magnr < 0, negative flux (difference brighter than reference), NaN magnr.
    assert np.isnan(mag[:4]).all() and np.isnan(sigma[:4]).all()
    # A NaN error leaves the magnitude defined.
    assert np.isfinite(mag[4]) and np.isnan(sigma[4])


def test_dc_magnitude_accepts_prv_candidate_flags():
    positive = dc_magnitude(19.0, 0.1, 17.0, 0.02, np.array(["t", "1", None, "f", "0"]))[0]
    assert positive[0] == positive[1] < 17.0
    assert positive[2] == positive[3] == positive[4] > 17.0


def test_apparent_flux_units_and_dc_magnitude_agree():
    inputs = DC_EXAMPLES[1][0]
    flux, sigma = apparent_flux(*inputs, jansky=False)
    flux_jy, sigma_jy = apparent_flux(*inputs)  # Jansky by default, as fink-utils
    assert flux_jy == pytest.approx(flux * AB_ZERO_POINT_JY)
    assert sigma_jy == pytest.approx(sigma * AB_ZERO_POINT_JY)
    assert -2.5 * np.log10(flux) == pytest.approx(19.03271, abs=5e-6)


def test_apparent_flux_keeps_negative_flux_but_not_invalid_reference():
    flux, sigma = apparent_flux([15.0, 15.0, np.nan], 0.1, [16.0, -1.0, 16.0], 0.02, "f")
    assert flux[0] < 0 and np.isfinite(sigma[0])
    assert np.isnan(flux[1:]).all() and np.isnan(sigma[1:]).all()


def test_difference_flux_flips_sign_for_negative_subtractions():
    flux, sigma = difference_flux(
        np.array([18.0, 18.0, np.nan]), np.array([0.1, 0.1, 0.1]), np.array(["t", "f", "t"])
    )
    assert flux[0] == pytest.approx(AB_ZERO_POINT_JY * 10 ** (-0.4 * 18.0))
    assert flux[1] == -flux[0]
    assert sigma[0] == sigma[1] == pytest.approx(flux[0] * 0.1 / 1.0857)
    assert np.isnan(flux[2]) and np.isnan(sigma[2])
    plain, _ = difference_flux(18.0, 0.1, "1", jansky=False)
    assert plain == pytest.approx(10 ** (-0.4 * 18.0))


def test_is_source_behind_distance_chi_and_sharp():
    distnr = np.array([1.5, 2.5, 0.0, 1.0, -0.1, np.nan])
    assert is_source_behind(distnr).tolist() == [True, False, True, True, False, False]
    chinr = np.array([0.0, 0.0, 3.0, 0.0, 1.0, 1.0])
    sharpnr = np.array([0.0, 0.0, 0.0, 3.0, 0.0, 0.0])
    assert is_source_behind(distnr, chinr, sharpnr).tolist() == [
        True, False, True, False, False, False,
    ]  # fmt: skip
    # With one DAOPhot parameter only, Fink's answer is the distance test alone.
    assert is_source_behind(distnr, chinr=chinr).tolist() == is_source_behind(distnr).tolist()


# --- Rates and colour ---------------------------------------------------------------------------


def test_per_band_rates_consecutive_points_of_each_filter():
    jd = np.array([0.0, 0.5, 1.0, 2.0, 3.0, 4.0])
    mag = np.array([18.0, 17.0, 18.5, 16.0, 19.5, 17.5])
    sigma = np.array([0.1, 0.1, 0.2, 0.1, 0.2, 0.3])
    fid = np.array([1, 2, 1, 3, 1, 2])
    rate, sigma_rate = per_band_rates(jd, mag, sigma, fid)
    np.testing.assert_allclose(rate, [np.nan, np.nan, 0.5, np.nan, 0.5, 0.5 / 3.5])
    g_sigma = [np.hypot(0.1, 0.2) / 1.0, np.hypot(0.2, 0.2) / 2.0]
    r_sigma = np.hypot(0.1, 0.3) / 3.5
    expected = [np.nan, np.nan, g_sigma[0], np.nan, g_sigma[1], r_sigma]
    np.testing.assert_allclose(sigma_rate, expected)


def test_per_band_rates_nan_time_and_magnitude():
    jd = np.array([0.0, np.nan, 1.0, 2.0, 3.0])
    mag = np.array([18.0, 17.0, np.nan, 19.0, 19.5])
    rate, _ = per_band_rates(jd, mag, np.full(5, 0.1), np.ones(5))
    # A NaN JD is left out; a NaN magnitude spoils its own and the next difference (as pandas).
    np.testing.assert_allclose(rate, [np.nan, np.nan, np.nan, np.nan, 0.5])


def test_colour_block_matches_worked_example():
    block = colour_block(PAIR_JD, PAIR_MAG, PAIR_SIGMA, PAIR_FID)
    np.testing.assert_allclose(block.g_minus_r, [G_MINUS_R, G_MINUS_R], atol=5e-7)
    np.testing.assert_allclose(block.sigma_g_minus_r, [SIGMA_G_MINUS_R] * 2, atol=5e-7)
    for name in ("rate_g_minus_r", "sigma_rate_g_minus_r", "rate", "sigma_rate"):
        assert np.isnan(getattr(block, name)).all(), name


def test_colour_block_pairs_spreads_and_rates():
    #             g0    r0    g1    r1    g2 (alone)  r2 (alone)  i
    jd = np.array([0.0, 0.1, 2.0, 2.2, 5.0, 10.0, 2.1])
    mag = np.array([18.0, 17.5, 18.4, 17.7, 19.0, 18.0, 17.0])
    sigma = np.full(7, 0.1)
    fid = np.array([1, 2, 1, 2, 1, 2, 3])
    block = colour_block(jd, mag, sigma, fid)
    colour = [0.5, 0.5, 0.7, 0.7, np.nan, np.nan, 0.7]
    np.testing.assert_allclose(block.g_minus_r, colour, atol=1e-12)
    sig = np.hypot(0.1, 0.1)
    np.testing.assert_allclose(block.sigma_g_minus_r, [sig] * 4 + [np.nan] * 2 + [sig])
    # Colour rate between consecutive paired g points (Δjd_g = 2 d), shared by nearby rows.
    rate = [np.nan, np.nan, 0.1, 0.1, np.nan, np.nan, 0.1]
    np.testing.assert_allclose(block.rate_g_minus_r, rate, atol=1e-12)
    expected_sigma = np.where(np.isnan(rate), np.nan, np.hypot(sig, sig) / 2.0)
    np.testing.assert_allclose(block.sigma_rate_g_minus_r, expected_sigma)
    assert np.isnan(block.rate[6]) and np.isnan(block.rate[0]) and np.isnan(block.rate[1])


def test_colour_block_shares_r_points_inclusive_tolerance_earlier_wins_ties():
    #              r     g     g     g (0.5 d from r: unpaired)
    jd = np.array([1.0, 1.25, 0.75, 1.5])
    mag = np.array([17.0, 18.0, 18.2, 18.4])
    fid = np.array([2, 1, 1, 1])
    block = colour_block(jd, mag, np.full(4, 0.1), fid, tolerance_days=0.25)
    # Both g points pair with the one r point at exactly the tolerance. Spreading back, the r
    # point is equidistant from both and takes the earlier; the unpaired g point takes the
    # colour of the paired g point 0.25 d away.
    np.testing.assert_allclose(block.g_minus_r, [1.2, 1.0, 1.2, 1.0], atol=1e-12)
    narrow = colour_block(jd, mag, np.full(4, 0.1), fid, tolerance_days=0.2)
    assert np.isnan(narrow.g_minus_r).all()


def test_colour_block_drops_g_points_whose_nearest_r_has_no_magnitude():
    jd = np.array([0.0, 0.1, 0.25])
    block = colour_block(jd, [18.0, np.nan, 17.0], [0.1, 0.1, 0.1], [1, 2, 2])
    assert np.isnan(block.g_minus_r).all()


def test_colour_block_single_filter_and_empty_inputs():
    block = colour_block([0.0, 1.0], [17.0, 17.5], [0.1, 0.1], [2, 2])
    assert np.isnan(block.g_minus_r).all()
    np.testing.assert_allclose(block.rate, [np.nan, 0.5])
    empty = colour_block([], [], [], [])
    assert all(values.shape == (0,) for values in block_columns(empty).values())


def test_colour_block_nan_time_point_gets_nan():
    jd = np.append(PAIR_JD, np.nan)
    block = colour_block(jd, np.append(PAIR_MAG, 17.0), np.append(PAIR_SIGMA, 0.1), [2, 1, 1])
    np.testing.assert_allclose(block.g_minus_r, [G_MINUS_R, G_MINUS_R, np.nan], atol=5e-7)


# --- The real light curve of ZTF18aazvgoc -------------------------------------------------------


@pytest.fixture(scope="module")
def alerts() -> pd.DataFrame:
    table = pq.read_table(OBJECT_FILE, filters=[("objectId", "=", OBJECT_ID)])
    frame = table.to_pandas()
    assert len(frame) == 2
    return frame


def candidates_of(alerts: pd.DataFrame) -> pd.DataFrame:
    fields = ["jd", "fid", "magpsf", "sigmapsf"]
    return pd.DataFrame([{k: c[k] for k in fields} for c in alerts["candidate"]])


@pytest.fixture(scope="module")
def light_curve(alerts: pd.DataFrame) -> pd.DataFrame:
    """The alerts' candidates plus the detections in the latest alert's history, one per JD."""
    candidates = candidates_of(alerts)
    latest = alerts.iloc[int(np.argmax(candidates["jd"]))]
    history = pd.DataFrame(list(latest["prv_candidates"]))[candidates.columns]
    detections = history[history["magpsf"].notna()]
    # An alert's own candidate replaces its (rounded) copy in a later alert's history.
    curve = pd.concat([candidates, detections]).drop_duplicates("jd", keep="first")
    return curve.reset_index(drop=True)


def run_block(frame: pd.DataFrame) -> ColourBlock:
    return colour_block(
        frame["jd"].to_numpy(),
        frame["magpsf"].to_numpy(),
        frame["sigmapsf"].to_numpy(),
        frame["fid"].to_numpy(),
    )


def test_real_alert_rows_give_documented_colour(alerts):
    """The sample's two alert rows, as the API's `/objects` sees them (§8 example 4)."""
    frame = candidates_of(alerts)
    assert sorted(frame["fid"]) == [1, 2]
    block = run_block(frame)
    np.testing.assert_allclose(block.g_minus_r, [G_MINUS_R] * 2, atol=5e-7)
    np.testing.assert_allclose(block.sigma_g_minus_r, [SIGMA_G_MINUS_R] * 2, atol=5e-7)
    assert np.isnan(block.rate).all() and np.isnan(block.rate_g_minus_r).all()


def test_real_light_curve_colour_on_paired_points(light_curve):
    block = run_block(light_curve)
    jd = light_curve["jd"].to_numpy()
    last = np.isin(jd, PAIR_JD)
    assert last.sum() == 2
    np.testing.assert_allclose(block.g_minus_r[last], [G_MINUS_R] * 2, atol=5e-7)
    np.testing.assert_allclose(block.sigma_g_minus_r[last], [SIGMA_G_MINUS_R] * 2, atol=5e-7)

    # The only other g–r pair: g 17.2193 and r 15.4567, 0.08 d apart, 11 d before.
    g = light_curve[light_curve["fid"] == 1].sort_values("jd")
    earlier_g = g.iloc[-2]
    paired = np.isfinite(block.g_minus_r)
    assert paired.sum() == 4
    earlier = paired & ~last
    earlier_colour = block.g_minus_r[earlier]
    assert earlier_colour == pytest.approx([1.7626, 1.7626], abs=1e-4)
    expected_rate = (G_MINUS_R - earlier_colour[0]) / (PAIR_JD[1] - earlier_g["jd"])
    np.testing.assert_allclose(block.rate_g_minus_r[last], [expected_rate] * 2, rtol=1e-6)
    assert np.isnan(block.rate_g_minus_r[earlier]).all()
    # Every detection but the first of each filter has a rate.
    assert np.isfinite(block.rate).sum() == len(light_curve) - 2


def test_colour_block_is_independent_of_input_order(light_curve):
    reference = block_columns(run_block(light_curve))
    permutation = np.random.default_rng(7).permutation(len(light_curve))
    shuffled = block_columns(run_block(light_curve.iloc[permutation]))
    for name, values in reference.items():
        np.testing.assert_array_equal(shuffled[name], values[permutation], err_msg=name)


# --- Times and bands ---------------------------------------------------------------------------


def test_band_of():
    assert band_of(np.array([1, 2, 3, 2])) == ["g", "r", "i", "r"]
    assert band_of([1.0, 4, np.nan]) == ["g", None, None]
