"""ZTF photometry as Fink derives it: DC magnitudes, fluxes, rates and colours (FINK-REFERENCE §8).

The DC (apparent) magnitude follows p.107 of the ZTF Science Data System Explanatory Supplement,
as fink-utils ``fink_utils/photometry`` implements it; the rate and colour block reproduces the
``v:rate``/``v:g-r`` columns of fink-object-api (``extract_rate_and_color``) for one object.

Every function is pure and vectorised: array-likes in (float32 or float64, NaN for a missing value),
float64 numpy arrays, lists or a small frozen dataclass out. Magnitudes are AB mag, times JD (days).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MAG_TO_FLUX_ERR = 1.0857
"""2.5/ln 10 as the Explanatory Supplement rounds it: σf/f = σm/1.0857."""

AB_ZERO_POINT_JY = 3631.0
"""Flux of an AB magnitude 0 source, in Jy."""

NO_REFERENCE_MAG = 99.0
"""``magnr`` the portal uses for "no reference source": its flux, 10^-39.6, is negligible."""

COLOUR_TOLERANCE_DAYS = 0.3
"""Largest g–r time separation paired into a colour, in days (Fink's ``tolerance``)."""

"""MJD = JD − 2400000.5 (days)."""

BANDS: dict[int, str] = {1: "g", 2: "r", 3: "i"}
"""ZTF filter id → band name."""

_POSITIVE_SUBTRACTION = ("t", "1")


def _floats(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _is_positive(isdiffpos: npt.ArrayLike) -> BoolArray:
    """True where the candidate comes from a positive (science − reference) subtraction."""
    flags = np.asarray(isdiffpos, dtype=object).astype(str)
    return np.isin(flags, _POSITIVE_SUBTRACTION)


def apparent_flux(
    magpsf: npt.ArrayLike,
    sigmapsf: npt.ArrayLike,
    magnr: npt.ArrayLike,
    sigmagnr: npt.ArrayLike,
    isdiffpos: npt.ArrayLike,
    *,
    jansky: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """DC (apparent) flux and its 1σ error: the reference flux plus or minus the difference flux.

    Parameters
    ----------
    magpsf, sigmapsf
        PSF-fit difference magnitude and its 1σ error (mag).
    magnr, sigmagnr
        Magnitude of the nearest reference-image source and its 1σ error (mag).
    isdiffpos
        ``"t"``/``"1"``: positive subtraction (flux added); anything else subtracts it.
    jansky
        If true the fluxes are in Jy (× 3631), else in units of a magnitude-0 source.

    Returns
    -------
    flux, sigma_flux
        Jy if ``jansky``, else dimensionless. NaN where ``magpsf`` is NaN or ``magnr`` < 0;
        the flux may be negative (a source fainter than its reference).
    """
    mag = _floats(magpsf)
    ref_mag = _floats(magnr)
    with np.errstate(over="ignore", invalid="ignore"):  # a sentinel magnr (−999) is masked below
        diff_flux = 10.0 ** (-0.4 * mag)
        diff_sigma = _floats(sigmapsf) / MAG_TO_FLUX_ERR * diff_flux
        ref_flux = 10.0 ** (-0.4 * ref_mag)
        ref_sigma = _floats(sigmagnr) / MAG_TO_FLUX_ERR * ref_flux
        flux = np.where(_is_positive(isdiffpos), ref_flux + diff_flux, ref_flux - diff_flux)
        sigma = np.hypot(diff_sigma, ref_sigma)
    invalid = np.isnan(mag) | (ref_mag < 0)
    flux = np.where(invalid, np.nan, flux)
    sigma = np.where(invalid, np.nan, sigma)
    if jansky:
        flux = flux * AB_ZERO_POINT_JY
        sigma = sigma * AB_ZERO_POINT_JY
    return flux, sigma


def dc_magnitude(
    magpsf: npt.ArrayLike,
    sigmapsf: npt.ArrayLike,
    magnr: npt.ArrayLike,
    sigmagnr: npt.ArrayLike,
    isdiffpos: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """DC (apparent) magnitude and its 1σ error (mag), from the difference and reference magnitudes.

    m = −2.5 log10 f_dc and σ = 1.0857 σf_dc / f_dc, with f_dc from :func:`apparent_flux`
    (``jansky=False``). Parameters as for :func:`apparent_flux` (mag; ``isdiffpos`` ``"t"``/``"1"``
    positive). NaN where ``magpsf`` is NaN, ``magnr`` < 0 or f_dc ≤ 0.
    """
    flux, sigma = apparent_flux(magpsf, sigmapsf, magnr, sigmagnr, isdiffpos, jansky=False)
    usable = flux > 0  # False for NaN too
    safe = np.where(usable, flux, 1.0)
    mag = np.where(usable, -2.5 * np.log10(safe), np.nan)
    mag_sigma = np.where(usable, MAG_TO_FLUX_ERR * sigma / safe, np.nan)
    return mag, mag_sigma


def difference_flux(
    magpsf: npt.ArrayLike,
    sigmapsf: npt.ArrayLike,
    isdiffpos: npt.ArrayLike,
    *,
    jansky: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Signed difference flux and its 1σ error, as the Fink portal's "Difference flux" plot.

    :func:`apparent_flux` with ``magnr`` = 99, ``sigmagnr`` = 0 and a positive subtraction, then
    the sign flipped where ``isdiffpos`` is not ``"t"``/``"1"``. ``magpsf``, ``sigmapsf`` in mag;
    fluxes in Jy if ``jansky`` (the portal plots mJy, × 1e3), else dimensionless. NaN where
    ``magpsf`` is NaN.
    """
    flux, sigma = apparent_flux(
        magpsf, sigmapsf, NO_REFERENCE_MAG, 0.0, _POSITIVE_SUBTRACTION[0], jansky=jansky
    )
    return np.where(_is_positive(isdiffpos), flux, -flux), sigma


def is_source_behind(
    distnr: npt.ArrayLike,
    chinr: npt.ArrayLike | None = None,
    sharpnr: npt.ArrayLike | None = None,
) -> BoolArray:
    """Whether a reference-image source sits under the alert (fink-utils ``is_source_behind``).

    0 ≤ ``distnr`` ≤ 1.5 (pixels) AND (0.5 ≤ ``chinr`` ≤ 1.5 OR |``sharpnr``| ≤ 0.5), where a
    DAOPhot parameter not given counts as satisfied: so with only one of ``chinr``/``sharpnr`` the
    answer is the distance test alone, as in Fink. NaN compares False.
    """
    distance = _floats(distnr)
    near = (distance >= 0) & (distance <= 1.5)
    chi_ok: BoolArray | bool = True
    sharp_ok: BoolArray | bool = True
    if chinr is not None:
        chi = _floats(chinr)
        chi_ok = (chi >= 0.5) & (chi <= 1.5)
    if sharpnr is not None:
        sharp_ok = np.abs(_floats(sharpnr)) <= 0.5
    return np.asarray(near & (chi_ok | sharp_ok), dtype=np.bool_)


def _time_order(jd: FloatArray) -> npt.NDArray[np.intp]:
    """Indices of the points with a finite JD, in ascending JD (stable for ties)."""
    finite = np.flatnonzero(np.isfinite(jd))
    return finite[np.argsort(jd[finite], kind="stable")]


def per_band_rates(
    jd: npt.ArrayLike,
    mag: npt.ArrayLike,
    sigma: npt.ArrayLike,
    fid: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Magnitude change rate per filter between consecutive points (Fink ``v:rate``).

    Parameters
    ----------
    jd
        Observation time (JD, days); points in any order.
    mag, sigma
        Magnitude and its 1σ error (mag).
    fid
        ZTF filter id: 1 (g) and 2 (r) get rates, any other filter none.

    Returns
    -------
    rate, sigma_rate
        Δmag/Δjd and hypot(σ_i, σ_{i−1})/Δjd against the previous point of the same filter
        (mag/day), aligned with the inputs. NaN on the first point of a filter, on points with
        a NaN JD and outside g/r; a NaN magnitude makes its own and the next rate NaN, and equal
        JDs in one filter give ±inf, both as in Fink.
    """
    times = _floats(jd)
    mags = _floats(mag)
    errors = _floats(sigma)
    filters = _floats(fid)
    rate = np.full(times.shape, np.nan)
    sigma_rate = np.full(times.shape, np.nan)
    order = _time_order(times)
    with np.errstate(divide="ignore", invalid="ignore"):
        for band in (1, 2):
            idx = order[filters[order] == band]
            djd = np.diff(times[idx])
            rate[idx[1:]] = np.diff(mags[idx]) / djd
            sigma_rate[idx[1:]] = np.hypot(errors[idx[1:]], errors[idx[:-1]]) / djd
    return rate, sigma_rate


@dataclass(frozen=True, eq=False)
class ColourBlock:
    """Fink's rate and colour columns for one object's points, aligned with the input order."""

    g_minus_r: FloatArray
    """``v:g-r``: g − r of the nearest g/r pair (mag)."""
    sigma_g_minus_r: FloatArray
    """``v:sigma(g-r)`` (mag)."""
    rate_g_minus_r: FloatArray
    """``v:rate(g-r)``: colour change since the previous paired g point (mag/day)."""
    sigma_rate_g_minus_r: FloatArray
    """``v:sigma(rate(g-r))`` (mag/day)."""
    rate: FloatArray
    """``v:rate``: magnitude change rate in the point's own filter (mag/day)."""
    sigma_rate: FloatArray
    """``v:sigma(rate)`` (mag/day)."""


_COLOUR_COLUMNS = ("g_minus_r", "sigma_g_minus_r", "rate_g_minus_r", "sigma_rate_g_minus_r")


def colour_block(
    jd: npt.ArrayLike,
    mag: npt.ArrayLike,
    sigma: npt.ArrayLike,
    fid: npt.ArrayLike,
    *,
    tolerance_days: float = COLOUR_TOLERANCE_DAYS,
) -> ColourBlock:
    """Rates, g − r colour and colour rate of ONE object's points (fink-object-api, §8).

    1. Rates per filter: :func:`per_band_rates`.
    2. Each g point is paired with the nearest r point within ``tolerance_days`` (an r point may
       serve several g points; on a tie the earlier r wins); g points whose nearest r is missing
       or has a NaN magnitude are dropped. g − r = m_g − m_r, σ = hypot(σ_g, σ_r); between
       consecutive paired g points, rate = Δ(g − r)/Δjd_g, σ = hypot(σ_i, σ_{i−1})/Δjd_g.
    3. Every point (any filter) takes the four colour values of the nearest paired g point within
       ``tolerance_days``, or NaN.

    Parameters
    ----------
    jd
        Observation time (JD, days); points in any order. A NaN JD yields NaN everywhere.
    mag, sigma
        Magnitude (Fink uses ``magpsf``) and its 1σ error (mag).
    fid
        ZTF filter id (1 g, 2 r, 3 i).
    tolerance_days
        Largest g–r separation for a pair, and point–pair separation for step 3 (days).

    Returns
    -------
    ColourBlock
        float64 arrays aligned with the inputs: colours in mag, rates in mag/day.
    """
    times = _floats(jd)
    mags = _floats(mag)
    errors = _floats(sigma)
    filters = _floats(fid)
    rate, sigma_rate = per_band_rates(times, mags, errors, filters)

    order = _time_order(times)
    points = pd.DataFrame({"jd": times[order], "mag": mags[order], "sigma": errors[order]})
    band = filters[order]
    pairs = pd.merge_asof(
        points[band == 1],
        points[band == 2],
        on="jd",
        suffixes=("_g", "_r"),
        direction="nearest",
        # pandas-stubs allow int or timedelta only; pandas takes a number for a float key
        tolerance=tolerance_days,  # type: ignore[arg-type]
    )
    pairs = pairs[pairs["mag_r"].notna()]
    colour = (pairs["mag_g"] - pairs["mag_r"]).to_numpy()
    colour_sigma = np.hypot(pairs["sigma_g"].to_numpy(), pairs["sigma_r"].to_numpy())
    colour_rate = np.full(colour.shape, np.nan)
    colour_rate_sigma = np.full(colour.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        djd = np.diff(pairs["jd"].to_numpy())
        colour_rate[1:] = np.diff(colour) / djd
        colour_rate_sigma[1:] = np.hypot(colour_sigma[1:], colour_sigma[:-1]) / djd
    paired = pd.DataFrame(
        {
            "jd": pairs["jd"].to_numpy(),
            "g_minus_r": colour,
            "sigma_g_minus_r": colour_sigma,
            "rate_g_minus_r": colour_rate,
            "sigma_rate_g_minus_r": colour_rate_sigma,
        }
    )

    spread = pd.merge_asof(
        points[["jd"]],
        paired,
        on="jd",
        direction="nearest",
        tolerance=tolerance_days,  # type: ignore[arg-type]  # a float key: as above
    )
    columns: dict[str, FloatArray] = {}
    for name in _COLOUR_COLUMNS:
        values = np.full(times.shape, np.nan)
        values[order] = spread[name].to_numpy(dtype=np.float64)
        columns[name] = values
    return ColourBlock(**columns, rate=rate, sigma_rate=sigma_rate)


def band_of(fid: npt.ArrayLike) -> list[str | None]:
    """Band name of each ZTF filter id: 1 → ``"g"``, 2 → ``"r"``, 3 → ``"i"``; None otherwise."""
    codes = np.atleast_1d(_floats(fid)).ravel()
    return [BANDS.get(int(code)) if code in BANDS else None for code in codes.tolist()]
