"""Planning epochs: when each objectId is visited, in which filter, and its true magnitude.

Static units (supernovae, kilonovae, microlensing, variables, stars, orphans) keep one
position and follow a light-curve model; movers (asteroids, tracklets, roid-2 candidates) get
a detection and a few earlier upper limits per objectId. JD within the simulated nights,
magnitudes in mag, positions in degrees.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from fink_gateway.demo.arrays import F64, I64, Bool, Index
from fink_gateway.demo.arrow_schema import JD_END, JD_START
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.units import (
    KINDS,
    MAX_SUB,
    MOVERS,
    TRANSIENTS,
    K,
    lens_days,
    lens_peak_jd,
    peak_jd,
    period_days,
    unit_kinds,
)

_MAX_EPOCHS = 256  # epochs per objectId


@dataclass
class Epochs:
    """Flat per-epoch arrays (JD, mag, deg), one row per visit of an objectId."""

    obj: I64  # unit · MAX_SUB + sub: the objectId number
    key: I64  # obj · _MAX_EPOCHS + visit number: the random key of the epoch
    kind: I64
    jd: F64
    fid: I64
    mag: F64  # source magnitude (the difference magnitude when not ``behind``)
    ref: F64  # magnitude of the reference-image source (magnr)
    behind: Bool  # a variable source sitting on its reference counterpart
    forced: npt.NDArray[np.int8]  # +1 detection, −1 upper limit, 0 decided by the photometry
    ra: F64
    dec: F64

    def take(self, index: Index) -> Epochs:
        return Epochs(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Epochs]) -> Epochs:
        names = [f.name for f in fields(Epochs)]
        return Epochs(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


def _expand(counts: I64) -> tuple[I64, I64]:
    """(owner, position) for ragged groups of the given sizes."""
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(len(owner)) - first


def _sky(d: Draws, units: I64) -> tuple[F64, F64]:
    """Uniform over the sphere with dec > −30° (ra, dec in deg)."""
    ra = d.uniform(units, "ra", 0.0, 360.0)
    dec = np.degrees(np.arcsin(d.uniform(units, "dec", -0.5, 1.0)))
    return ra, dec


def _visits(
    d: Draws, units: I64, first: F64, n: I64, gaps: tuple[int, int], second: float
) -> tuple[I64, I64, F64]:
    """(owner, position, jd) of visits: whole-night gaps, some second visits 20–70 min later."""
    owner, k = _expand(n)
    key = units[owner] * (MAX_SUB * _MAX_EPOCHS) + k
    again = (k % 2 == 1) & (d.uniform(key, "same") < second)
    gap = np.where(again | (k == 0), 0, d.integers(key, "gap", *gaps))
    total = np.cumsum(gap)
    night = np.floor(first[owner] - JD_START) + total - total[np.repeat(np.cumsum(n) - n, n)]
    frac = d.uniform(key, "frac", 0.64, 0.93)  # Palomar nights: JD fractions ≈ 0.64–0.99
    frac = np.where(again, np.roll(frac, 1) + d.uniform(key, "later", 0.014, 0.05), frac)
    return owner, k, JD_START + night + frac


def _schedule(d: Draws, u: I64, kind: str) -> tuple[F64, I64, tuple[int, int], float]:
    """(first visit JD, number of visits, night gaps, second-visit probability) per unit."""
    if kind in ("sn_ia", "sn_ii"):
        first = peak_jd(d, u) - d.uniform(u, "lead", 18.0, 30.0)
        return first, d.integers(u, "n", 30, 50), (1, 4), 0.3
    if kind == "kilonova":
        first = peak_jd(d, u) - d.uniform(u, "lead", 1.0, 4.0)
        return first, d.integers(u, "n", 10, 14), (1, 1), 0.5
    if kind == "microlensing":
        first = lens_peak_jd(d, u) - 2.5 * lens_days(d, u)
        return first, d.integers(u, "n", 30, 55), (1, 4), 0.3
    if kind == "variable":
        first = d.uniform(u, "start", JD_START, JD_START + 60.0)
        return first, d.integers(u, "n", 30, 70), (1, 9), 0.4
    if kind == "star":
        first = d.uniform(u, "start", JD_START, JD_END - 120.0)
        return first, d.integers(u, "n", 5, 20), (1, 15), 0.3
    first = d.uniform(u, "start", JD_START, JD_END - 10.0)  # orphan
    return first, d.integers(u, "n", 1, 5), (1, 3), 0.3


def _bazin_mag(t: F64, peak_jd: F64, peak_mag: F64, rise: F64, fall: F64) -> F64:
    """Bazin et al. (2009) flux shape as a magnitude: ``peak_mag`` at ``peak_jd`` (days, mag)."""
    t0 = peak_jd - rise * np.log(fall / rise - 1.0)

    def flux(x: F64) -> F64:
        return np.exp(-(x - t0) / fall) / (1.0 + np.exp(-(x - t0) / rise))

    with np.errstate(divide="ignore", over="ignore"):
        return peak_mag - 2.5 * np.log10(flux(t) / flux(peak_jd))


def _light_curve(d: Draws, kind: str, u: I64, jd: F64, g: Bool, key: I64) -> tuple[F64, F64]:
    """(magnitude, reference magnitude) of static kinds; g marks fid 1 (mag)."""
    if kind in ("sn_ia", "sn_ii"):
        ia = kind == "sn_ia"
        rise = d.uniform(u, "rise", 2.5, 4.0) if ia else d.uniform(u, "rise", 3.0, 6.0)
        fall = d.uniform(u, "fall", 18.0, 30.0) if ia else d.uniform(u, "fall", 60.0, 110.0)
        peak = peak_jd(d, u)
        colour = np.clip(-0.15 + (0.035 if ia else 0.02) * (jd - peak), -0.2, 1.4)
        mag = _bazin_mag(jd, peak, d.uniform(u, "peak_mag", 17.6, 19.6), rise, fall)
        return mag + np.where(g, colour, 0.0), d.uniform(u, "host", 19.5, 22.5)
    if kind == "kilonova":
        since = jd - peak_jd(d, u)
        fading = d.uniform(u, "peak_mag", 18.2, 19.2) + np.where(g, 1.0, 0.6) * since
        return np.where(since < 0, np.inf, fading), d.uniform(u, "host", 20.0, 22.5)
    if kind == "microlensing":
        x = np.hypot(d.uniform(u, "u0", 0.05, 0.5), (jd - lens_peak_jd(d, u)) / lens_days(d, u))
        amplification = (x**2 + 2.0) / (x * np.sqrt(x**2 + 4.0))  # Paczyński (1986)
        ref = d.uniform(u, "base", 16.5, 19.0) + np.where(g, 0.4, 0.0)
        return ref - 2.5 * np.log10(amplification), ref
    if kind == "variable":
        phase = (jd / period_days(d, u) + d.uniform(u, "phase")) % 1.0
        amp = d.uniform(u, "amp", 0.3, 1.0) * np.where(g, 1.25, 1.0)
        shape = np.sin(2 * np.pi * phase) + 0.25 * np.sin(4 * np.pi * phase + 1.0)
        ref = d.uniform(u, "mean", 14.5, 18.5) + np.where(g, 0.35, 0.0)
        return ref + 0.45 * amp * shape, ref
    if kind == "star":
        ref = d.uniform(u, "mean", 14.0, 18.0) + np.where(g, 0.5, 0.0)
        slow = 0.2 * np.sin(2 * np.pi * jd / d.uniform(u, "slow", 30.0, 200.0))
        return ref + slow + d.uniform(u, "sigma", 0.1, 0.35) * d.normal(key, "wiggle"), ref
    mag = d.uniform(u, "peak_mag", 18.8, 20.1) + 0.3 * d.normal(key, "wiggle")  # orphan
    return mag, d.uniform(u, "host", 20.0, 22.5)


def _plan_static(d: Draws, units: I64, kind: str) -> Epochs:
    """Epochs of fixed-position units of one kind (one objectId each)."""
    first, n, gaps, second = _schedule(d, units, kind)
    owner, k, jd = _visits(d, units, first, n, gaps, second)
    u = units[owner]
    key = u * (MAX_SUB * _MAX_EPOCHS) + k
    fid = 1 + (k + u) % 2
    mag, ref = _light_curve(d, kind, u, jd, fid == 1, key)
    ra, dec = _sky(d, u)
    jitter = 0.08 / 3600.0  # deg
    return Epochs(
        obj=u * MAX_SUB,
        key=key,
        kind=np.full(len(u), K[kind]),
        jd=jd,
        fid=fid,
        mag=mag,
        ref=np.broadcast_to(ref, jd.shape).astype(np.float64),
        behind=np.full(len(u), kind not in ("orphan", *TRANSIENTS)),
        forced=np.zeros(len(u), dtype=np.int8),
        ra=(ra + jitter * d.normal(key, "dra") / np.cos(np.radians(dec))) % 360.0,
        dec=dec + jitter * d.normal(key, "ddec"),
    )


def _plan_movers(d: Draws, units: I64, kind: str) -> Epochs:
    """Asteroids (an objectId per night), tracklets (one exposure) and roid-2 candidates.

    Each objectId gets 0–4 earlier upper limits at its position, then its one detection.
    """
    if kind == "asteroid":
        n_obj = d.integers(units, "n_obj", 2, 11)
        first = d.uniform(units, "start", JD_START + 30.0, JD_END - 40.0)
        owner, sub = _expand(n_obj)
        jd_det = _visits(d, units, first, n_obj, (1, 5), 0.4)[2]
    elif kind == "tracklet":
        n_obj = d.integers(units, "n_obj", 5, 10)
        night = np.floor(d.uniform(units, "night", JD_START + 30.0, JD_END - 1.0))
        owner, sub = _expand(n_obj)
        jd_det = (night + d.uniform(units, "frac", 0.64, 0.99))[owner]
    else:
        n_obj = np.ones(len(units), dtype=np.int64)
        owner, sub = _expand(n_obj)
        jd_det = d.uniform(units, "start", JD_START + 30.0, JD_END - 1.0)
    u = units[owner]
    obj = u * MAX_SUB + sub
    ra0, dec0 = _sky(d, u)
    angle = d.uniform(u, "angle", 0.0, 2 * np.pi)
    if kind == "asteroid":
        since = jd_det - jd_det[np.repeat(np.cumsum(n_obj) - n_obj, n_obj)]
        step = d.uniform(u, "rate", 0.05, 0.6) * since  # deg
        mag = d.uniform(u, "h", 17.5, 20.0) + 0.15 * d.normal(obj, "wiggle")
        fid_det = 1 + (u + sub) % 2
    else:
        step = sub * d.uniform(u, "spacing", 0.02, 0.08)  # aligned, one exposure
        mag = d.uniform(obj, "mag", 16.5, 19.5)
        fid_det = 1 + u % 2
    dec = np.clip(dec0 + step * np.sin(angle), -29.9, 89.9)
    ra = (ra0 + step * np.cos(angle) / np.cos(np.radians(dec))) % 360.0

    n_upper = d.integers(obj, "n_upper", 0, 4)
    e, k = _expand(n_upper + 1)
    det = k == n_upper[e]
    key = obj[e] * _MAX_EPOCHS + k
    earlier = np.floor(jd_det[e] - d.uniform(key, "back", 1.0, 29.0))
    jd = np.where(det, jd_det[e], earlier + d.uniform(key, "frac", 0.64, 0.99))
    fid = np.where(det, fid_det[e], d.integers(key, "fid", 1, 2))
    return Epochs(
        obj=obj[e],
        key=key,
        kind=np.full(len(jd), K[kind]),
        jd=jd,
        fid=fid,
        mag=mag[e] + np.where(fid == 1, 0.45, 0.0),
        ref=d.uniform(obj[e], "host", 18.0, 22.0),
        behind=np.zeros(len(jd), dtype=bool),
        forced=np.where(det, 1, -1).astype(np.int8),
        ra=ra[e],
        dec=dec[e],
    )


def plan(d: Draws, units: I64) -> Epochs:
    """All epochs of the units within the simulated nights, sorted by (objectId, jd)."""
    kinds = unit_kinds(d, units)
    parts = []
    for kind in KINDS:
        chosen = units[kinds == K[kind]]
        if len(chosen):
            plan = _plan_movers if kind in MOVERS else _plan_static
            parts.append(plan(d, chosen, kind))
    epochs = Epochs.concat(parts)
    epochs.jd = np.round(epochs.jd, 7)  # ZTF JDs have 7 decimals
    epochs = epochs.take(np.flatnonzero((epochs.jd >= JD_START) & (epochs.jd < JD_END)))
    return epochs.take(np.lexsort((epochs.jd, epochs.obj)))
