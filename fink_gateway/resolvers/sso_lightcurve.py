"""A Solar System object's light curve: its points in ``ssnamenr`` joined with ephemerides,
the quantities derived from both (FINK-REFERENCE §9b, §9c) and its phase-curve fits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import Types, decode_columns
from fink_gateway.loaders.ephemeris_values import Ephemerides
from fink_gateway.science.phasecurve import (
    STATUS_NOT_RUN,
    FitCode,
    PhaseCurveFit,
    PhaseCurveModel,
    fit_phase_curve,
    reduced_magnitude,
)
from fink_gateway.store.types import Row

MAX_CURVE_POINTS = 10_000
"""Most phase angles a model curve is sampled at."""
_COLUMNS = tuple(f"i:{q}".encode() for q in ("objectId", "ra", "dec", "magpsf", "sigmapsf", "fid"))


def _decimal(values: np.ndarray | list[Any]) -> np.ndarray:
    """float64 values; float32 through their shortest text (the value Fink's API shows)."""
    array = np.asarray(values)
    if array.dtype == np.float32:
        return np.asarray(array.astype(str), dtype=np.float64)
    return np.asarray(array, dtype=np.float64)


@dataclass(frozen=True)
class SsoPoints:
    """Light-curve points sorted by JD: JD, deg, mag; ``fid`` −1 and NaN where absent."""

    jd: np.ndarray
    ra_deg: np.ndarray
    dec_deg: np.ndarray
    magpsf: np.ndarray
    sigmapsf: np.ndarray
    fid: np.ndarray
    object_id: list[str | None]

    def __len__(self) -> int:
        return len(self.jd)

    def take(self, rows: np.ndarray) -> SsoPoints:
        """The points at ``rows`` (indices), in that order."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        out = {k: v[rows] for k, v in values.items() if isinstance(v, np.ndarray)}
        return replace(self, **out, object_id=[self.object_id[i] for i in rows.tolist()])


def sso_points(rows: Sequence[Row], types: Types) -> SsoPoints:
    """Points of ``ssnamenr`` rows (JD from the ``<ssnamenr>_<jd>`` key), sorted by JD."""
    jd = tables.jd_of_keys(key for key, _ in rows)
    table = decode_columns(rows, types, _COLUMNS)
    fid = np.array([-1 if v is None else int(v) for v in list(table["fid"])], dtype=np.int64)
    points = SsoPoints(
        jd=jd,
        ra_deg=_decimal(table["ra"]),
        dec_deg=_decimal(table["dec"]),
        magpsf=_decimal(table["magpsf"]),
        sigmapsf=_decimal(table["sigmapsf"]),
        fid=fid,
        object_id=list(table["objectId"]),
    )
    return points.take(np.argsort(jd, kind="stable"))


def band_rows(points: SsoPoints, fids: set[int] | None) -> np.ndarray:
    """Indices of the points in these filters (all when None)."""
    if fids is None:
        return np.arange(len(points))
    return np.flatnonzero(np.isin(points.fid, sorted(fids)))


def reduced_magnitudes(points: SsoPoints, eph: Ephemerides | None) -> np.ndarray:
    """magpsf − 5·log10(Dobs·Dhelio) (mag); NaN where the distances are unknown."""
    if eph is None:
        return np.full(len(points), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return reduced_magnitude(points.magpsf, eph.dobs_au, eph.dhelio_au)


def astrometric_residuals(
    points: SsoPoints, eph: Ephemerides | None
) -> tuple[np.ndarray, np.ndarray]:
    """(ΔRA·cos δ, ΔDec) = observed − predicted position (arcsec), as Fink's portal plots them;
    ΔRA is taken on (−180, 180] deg so that it stays small across RA 0."""
    if eph is None:
        nan = np.full(len(points), np.nan)
        return nan, nan.copy()
    d_ra = (points.ra_deg - eph.ra_deg + 180.0) % 360.0 - 180.0
    d_dec = points.dec_deg - eph.dec_deg
    return d_ra * np.cos(np.radians(points.dec_deg)) * 3600.0, d_dec * 3600.0


def fit_points(points: SsoPoints, eph: Ephemerides | None, model: PhaseCurveModel) -> PhaseCurveFit:
    """Fit the phase curve on the points whose photometry and ephemerides are all known.

    Uses :func:`~fink_gateway.science.phasecurve.fit_phase_curve` with Fink's API bounds;
    sHG1G2 takes the observed (i:ra, i:dec) as the target direction, as Fink's API does.
    No usable point gives a :class:`FitCode` BAD_INPUT result, never an exception.
    """
    reduced = reduced_magnitudes(points, eph)
    if eph is None:
        return PhaseCurveFit(model, int(FitCode.BAD_INPUT), STATUS_NOT_RUN,
                             "no ephemerides for this object", 0)  # fmt: skip
    columns = [eph.phase_deg, reduced, points.sigmapsf, points.ra_deg, points.dec_deg]
    usable = np.logical_and.reduce([np.isfinite(c) for c in columns]) & (points.fid > 0)
    if not usable.any():
        return PhaseCurveFit(model, int(FitCode.BAD_INPUT), STATUS_NOT_RUN,
                             "no point has both photometry and ephemerides", 0)  # fmt: skip
    return fit_phase_curve(
        eph.phase_deg[usable],
        reduced[usable],
        points.sigmapsf[usable],
        points.fid[usable],
        model,
        ra_deg=points.ra_deg[usable],
        dec_deg=points.dec_deg[usable],
    )


def model_curve(
    fit: PhaseCurveFit, fid: int, phase_deg: Sequence[float] | None, n_points: int
) -> tuple[np.ndarray, np.ndarray]:
    """(phase (deg), reduced magnitude (mag)) of the fitted model in band ``fid``.

    At ``phase_deg`` when given (each in [0, 180] deg), else at ``n_points`` phases evenly
    spaced from 0 to the band's largest observed phase. sHG1G2 is drawn at the mean |cosΛ|
    of the fitted observations.
    """
    if phase_deg is None:
        if not 2 <= n_points <= MAX_CURVE_POINTS:
            raise InvalidArgument(f"nPoints must be between 2 and {MAX_CURVE_POINTS}",
                                  argument="nPoints", value=n_points)  # fmt: skip
        phase = np.linspace(0.0, fit.bands[fid].max_phase_deg, n_points)
    else:
        phase = np.asarray(phase_deg, dtype=np.float64)
        if len(phase) > MAX_CURVE_POINTS or not np.all((phase >= 0) & (phase <= 180)):
            raise InvalidArgument(
                f"phase must hold at most {MAX_CURVE_POINTS} angles within [0, 180] deg",
                argument="phase",
            )
    return phase, fit.model_curve(phase, fid)
