"""Variable-star period from a multiband Lomb–Scargle fit (FINK-REFERENCE §9a).

Fink's portal "Variable stars" tab: the object's alerts (DC magnitudes when a reference source
sits under it, :func:`periodic_input`), a multiband Lomb–Scargle periodogram searched for the best
period in 0.1–1.2 d, the light curve folded on it and the best-fit model per band. This module
uses gatspy's ``LombScargleMultiband``/``LombScargleMultibandFast`` with the linear-scan optimizer,
as the portal did before it moved to astropy + nifty-ls (same model, same defaults).

Pure functions: numpy in, a frozen dataclass out. Times in JD (days), magnitudes in mag, periods in
days, phases in cycles (0–1). A fit that cannot run is a :class:`PeriodFit` with a ``status``,
never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import numpy as np
import numpy.typing as npt
from gatspy import periodic

from fink_gateway.science.photometry import dc_magnitude, is_source_behind

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PeriodMethod = Literal["multiband", "fast"]
FitStatus = Literal["ok", "insufficient_data", "failed"]

MIN_POINTS = 10
"""Fewest valid points (all bands together) :func:`fit_period` will fit."""

MAX_DC_SIGMA = 1.0
"""DC magnitudes with a 1σ error at or above this (mag) are dropped, as in Fink."""

_METHODS: tuple[str, ...] = ("multiband", "fast")
_BELOW_ONE = float(np.nextafter(1.0, 0.0))


@dataclass(frozen=True, eq=False)
class PeriodFit:
    """Result of :func:`fit_period`: the best period, the folded points and the model per band.

    When ``status`` is not ``"ok"``, ``period_days``, ``power``, ``chi2`` and ``reduced_chi2`` are
    None, ``phase`` is empty and ``model_curves`` has no entry; the points that would have been
    fitted are still given.
    """

    status: FitStatus
    """``"ok"``; ``"insufficient_data"`` (too few points or too short a baseline); ``"failed"``."""
    message: str | None
    """Why the fit is not ``"ok"`` (None when it is)."""
    method: PeriodMethod
    period_days: float | None
    """Best period (days)."""
    power: float | None
    """Normalised periodogram power at the best period (0–1)."""
    chi2: float | None
    """Σ((mag − model)/σ)² over the fitted points."""
    reduced_chi2: float | None
    """chi2/(N − 1) (Fink means this but computes chi2/N, see :func:`fit_period`)."""
    jd: FloatArray
    """Fitted points: observation time (JD, days)."""
    mag: FloatArray
    """Fitted points: magnitude (mag)."""
    sigma: FloatArray
    """Fitted points: 1σ magnitude error (mag)."""
    band: IntArray
    """Fitted points: ZTF filter id (1 g, 2 r, 3 i)."""
    phase: FloatArray
    """Phase of each fitted point, (jd mod P)/P (cycles, in [0, 1))."""
    phase_grid: FloatArray
    """``n_phase`` phases evenly spaced over [0, 1) (cycles)."""
    model_curves: dict[int, FloatArray] = field(default_factory=dict)
    """Filter id → model magnitude on ``phase_grid`` (mag)."""
    dropped_bands: tuple[int, ...] = ()
    """Filter ids left out for having fewer points than their band model has parameters."""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def n_points(self) -> int:
        return int(self.jd.size)

    @property
    def bands(self) -> tuple[int, ...]:
        """Filter ids that were fitted, ascending."""
        return tuple(int(b) for b in np.unique(self.band))


def periodic_input(
    jd: npt.ArrayLike,
    magpsf: npt.ArrayLike,
    sigmapsf: npt.ArrayLike,
    fid: npt.ArrayLike,
    magnr: npt.ArrayLike,
    sigmagnr: npt.ArrayLike,
    isdiffpos: npt.ArrayLike,
    distnr_latest: float,
) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
    """The points Fink fits a period to, from one object's valid alerts (§9a).

    If :func:`~fink_gateway.science.photometry.is_source_behind` holds for ``distnr_latest``, the
    difference magnitudes are replaced by DC magnitudes
    (:func:`~fink_gateway.science.photometry.dc_magnitude`) and points whose DC error is ≥ 1 mag
    are dropped; otherwise ``magpsf``/``sigmapsf`` are used as they are. Points with a NaN time,
    magnitude, error or filter are then removed.

    Parameters
    ----------
    jd
        Observation time (JD, days).
    magpsf, sigmapsf
        Difference magnitude and its 1σ error (mag).
    fid
        ZTF filter id (1 g, 2 r, 3 i).
    magnr, sigmagnr
        Magnitude of the nearest reference-image source and its 1σ error (mag).
    isdiffpos
        ``"t"``/``"1"`` for a positive subtraction.
    distnr_latest
        ``distnr`` of the object's most recent alert (pixels): Fink decides once per object.

    Returns
    -------
    jd, mag, sigma, band
        JD (days), magnitude and 1σ error (mag), filter id (int64), in the input order.
    """
    times = np.asarray(jd, dtype=np.float64)
    filters = np.asarray(fid, dtype=np.float64)
    if bool(is_source_behind(distnr_latest)):
        mag, sigma = dc_magnitude(magpsf, sigmapsf, magnr, sigmagnr, isdiffpos)
        keep = sigma < MAX_DC_SIGMA  # False for NaN
    else:
        mag = np.asarray(magpsf, dtype=np.float64)
        sigma = np.asarray(sigmapsf, dtype=np.float64)
        keep = np.ones(times.shape, dtype=np.bool_)
    keep &= np.isfinite(times) & np.isfinite(mag) & np.isfinite(sigma) & np.isfinite(filters)
    return times[keep], mag[keep], sigma[keep], filters[keep].astype(np.int64)


def _band_minimum(nterms_band: int) -> int:
    """Points a band needs: as many as its own model has parameters (offset + sin/cos terms)."""
    return 1 + 2 * nterms_band


def _model(
    method: PeriodMethod, nterms_base: int, nterms_band: int, period_range: tuple[float, float]
) -> periodic.LombScargleMultiband | periodic.LombScargleMultibandFast:
    if method == "fast":
        # No shared base: each band is its own Lomb–Scargle (Press & Rybicki's approximation for
        # one term, whose small-sample and O(N²) score() warnings are silenced).
        base = (
            partial(periodic.LombScargleFast, silence_warnings=True)
            if nterms_band == 1
            else periodic.LombScargle
        )
        model = periodic.LombScargleMultibandFast(
            Nterms=nterms_band, BaseModel=base, fit_period=True
        )
    else:
        model = periodic.LombScargleMultiband(
            Nterms_base=nterms_base, Nterms_band=nterms_band, fit_period=True
        )
    model.optimizer.period_range = period_range
    model.optimizer.quiet = True
    return model


def fit_period(
    jd: npt.ArrayLike,
    mag: npt.ArrayLike,
    sigma: npt.ArrayLike,
    band: npt.ArrayLike,
    *,
    nterms_base: int = 1,
    nterms_band: int = 1,
    min_period_days: float = 0.1,
    max_period_days: float = 1.2,
    method: PeriodMethod = "multiband",
    n_phase: int = 100,
) -> PeriodFit:
    """Best period of a multiband light curve by Lomb–Scargle (gatspy), as Fink's portal.

    The periodogram is scanned over ``min_period_days``–``max_period_days`` by gatspy's linear-scan
    optimizer; the best period is the one of maximum power (no doubling). Points are folded as
    phase = (jd mod P)/P, and each band's model is evaluated on ``n_phase`` phases over [0, 1)
    (at t = phase·P, the same reference epoch JD 0).

    Points with a non-finite value or σ ≤ 0 are ignored, and so is any band with fewer points than
    its model has parameters (1 + 2·``nterms_band``; listed in ``dropped_bands``). Fewer than
    :data:`MIN_POINTS` points left, or a time span shorter than ``max_period_days``, gives status
    ``"insufficient_data"``; an error inside gatspy gives ``"failed"`` with its message.

    Parameters
    ----------
    jd
        Observation time (JD, days).
    mag, sigma
        Magnitude and its 1σ error (mag); see :func:`periodic_input`.
    band
        Filter id of each point (any integers; ZTF 1 g, 2 r, 3 i).
    nterms_base, nterms_band
        Fourier terms of the model shared by all bands and of each band's residual model (Fink
        allows 0–4, default 1 and 1). ``method="fast"`` has no shared model and uses
        ``nterms_band`` terms per band (then ≥ 1); ``nterms_base`` is ignored.
    min_period_days, max_period_days
        Period search range (days).
    method
        ``"multiband"`` (``LombScargleMultiband``, VanderPlas & Ivezić 2015) or ``"fast"``
        (``LombScargleMultibandFast``: the χ²-weighted sum of per-band fast periodograms).
    n_phase
        Number of phases of the model curves.

    Returns
    -------
    PeriodFit

    Raises
    ------
    ValueError
        On invalid arguments (unknown method, negative terms, an empty or inverted period range,
        ``n_phase`` < 1): a caller's error, unlike bad data.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, not {method!r}")
    if nterms_base < 0 or nterms_band < 0 or nterms_base + nterms_band < 1:
        raise ValueError("nterms_base and nterms_band must be >= 0, and not both 0")
    if method == "fast" and nterms_band < 1:
        raise ValueError('method="fast" needs nterms_band >= 1')
    if not 0 < min_period_days < max_period_days:
        raise ValueError("need 0 < min_period_days < max_period_days")
    if n_phase < 1:
        raise ValueError("n_phase must be >= 1")

    times = np.ravel(np.asarray(jd, dtype=np.float64))
    mags = np.ravel(np.asarray(mag, dtype=np.float64))
    errors = np.ravel(np.asarray(sigma, dtype=np.float64))
    filters = np.ravel(np.asarray(band, dtype=np.float64))
    valid = np.isfinite(times) & np.isfinite(mags) & np.isfinite(errors) & np.isfinite(filters)
    valid &= errors > 0
    ids, counts = np.unique(filters[valid], return_counts=True)
    sparse = ids[counts < _band_minimum(nterms_band)]
    valid &= ~np.isin(filters, sparse)
    times, mags, errors = times[valid], mags[valid], errors[valid]
    filters_int = filters[valid].astype(np.int64)

    phase_grid = np.arange(n_phase, dtype=np.float64) / n_phase

    def unfitted(status: FitStatus, message: str) -> PeriodFit:
        return PeriodFit(
            status=status,
            message=message,
            method=method,
            period_days=None,
            power=None,
            chi2=None,
            reduced_chi2=None,
            jd=times,
            mag=mags,
            sigma=errors,
            band=filters_int,
            phase=np.empty(0, dtype=np.float64),
            phase_grid=phase_grid,
            dropped_bands=tuple(int(b) for b in sparse),
        )

    if times.size < MIN_POINTS:
        return unfitted(
            "insufficient_data", f"{times.size} usable points, at least {MIN_POINTS} needed"
        )
    span_days = float(times.max() - times.min())
    if span_days < max_period_days:
        return unfitted(
            "insufficient_data",
            f"time span {span_days:.3g} d is shorter than max_period_days {max_period_days:g} d",
        )

    try:  # gatspy's errors (singular matrices, numerical trouble) become a "failed" result
        model = _model(method, nterms_base, nterms_band, (min_period_days, max_period_days))
        model.fit(times, mags, errors, filters_int)
        period = float(model.best_period)
        power = float(model.score(period))
        fitted = model.predict(times, filts=filters_int, period=period)
        curves = {
            int(b): np.asarray(model.predict(phase_grid * period, filts=int(b), period=period))
            for b in np.unique(filters_int)
        }
    except Exception as exc:  # a third-party fit must never raise to callers
        return unfitted("failed", f"{type(exc).__name__}: {exc}")
    if not (np.isfinite(period) and np.isfinite(power) and np.all(np.isfinite(fitted))):
        return unfitted("failed", "the fit produced non-finite values")

    chi2 = float(np.sum(((mags - fitted) / errors) ** 2))
    # Fink divides by `len(jd - 1)`, i.e. by N: the intended N − 1 is used here.
    reduced_chi2 = chi2 / (times.size - 1)
    return PeriodFit(
        status="ok",
        message=None,
        method=method,
        period_days=period,
        power=power,
        chi2=chi2,
        reduced_chi2=reduced_chi2,
        jd=times,
        mag=mags,
        sigma=errors,
        band=filters_int,
        phase=np.minimum(np.mod(times, period) / period, _BELOW_ONE),
        phase_grid=phase_grid,
        model_curves=curves,
        dropped_bands=tuple(int(b) for b in sparse),
    )
