"""Planning visits: when each unit's position is observed, in which band, and how bright it is.

Static units are revisited every few nights, sometimes twice in a night (a pair 30–60 min
apart), each visit in a band drawn with Rubin's survey weights; asteroids are seen on 2–6
nights within about two weeks, once or twice a night. Each visit is an exposure of the night's
sequence (``seq``), so its midpoint and visit id follow from it (:mod:`.ids`). Times MJD
(TAI), positions degrees, fluxes nJy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from fink_gateway.demo.arrays import F64, I64, Index
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.ids import LAST_SEQ, midpoint_mjd
from fink_gateway.demo.lsst.layout import MJD_END, MJD_START
from fink_gateway.demo.lsst.lightcurves import njy, peak_mjd, static_fluxes
from fink_gateway.demo.lsst.orbits import Orbits, orbits, sighting, take
from fink_gateway.demo.lsst.ragged import expand
from fink_gateway.demo.lsst.units import KINDS, STATIC, K, sky, unit_kinds

MAX_VISITS = 128
"""Most visits of one unit (the random key of a visit is ``unit · MAX_VISITS + k``)."""
BAND_WEIGHTS = (0.07, 0.09, 0.22, 0.22, 0.2, 0.2)
"""Share of visits in u, g, r, i, z, y (Rubin's wide-fast-deep survey)."""
_ASTEROID_COLOUR = np.array([1.4, 0.35, -0.15, -0.3, -0.35, -0.35])  # band − V, mag


@dataclass
class Visits:
    """Flat per-visit arrays, sorted by (unit, mjd) once planned."""

    unit: I64
    key: I64  # unit · MAX_VISITS + k: the random key of the visit
    kind: I64
    day_obs: I64  # MJD of the night's dayObs
    seq: I64  # exposure number within the night
    band: I64  # index into BANDS
    mjd: F64  # exposure midpoint, MJD TAI
    ra: F64  # true position, deg
    dec: F64
    flux: F64  # true flux at the position on the science image, nJy
    template: F64  # true flux at the position on the template, nJy

    def take(self, index: Index) -> Visits:
        return Visits(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Visits]) -> Visits:
        names = [f.name for f in fields(Visits)]
        return Visits(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


def _schedule(d: Draws, u: I64, kind: str) -> tuple[I64, I64, tuple[int, int]]:
    """(first night's dayObs, number of visits, gaps between nights) of static units."""
    if kind in ("sn_ia", "sn_ii"):
        lead = d.uniform(u, "lead", 15.0, 30.0) if kind == "sn_ia" else d.uniform(u, "lead", 8, 20)
        return np.floor(peak_mjd(d, u) - lead).astype(np.int64), d.integers(u, "n", 25, 50), (1, 4)
    if kind == "variable":
        first = d.integers(u, "start", MJD_START, MJD_START + 30)
        return first, d.integers(u, "n", 15, 40), (1, 5)
    if kind == "agn":
        return d.integers(u, "start", MJD_START, MJD_START + 40), d.integers(u, "n", 15, 45), (1, 6)
    first = d.integers(u, "start", MJD_START, MJD_END - 8)  # orphan
    return first, d.integers(u, "n", 1, 4), (1, 2)


def _nights(
    d: Draws, units: I64, first: I64, n: I64, gaps: tuple[int, int]
) -> tuple[I64, I64, I64, I64]:
    """(owner, key, dayObs, seq) of visits: whole-night gaps, some pairs in one night."""
    owner, k = expand(n)
    key = units[owner] * MAX_VISITS + k
    again = (k % 2 == 1) & (d.uniform(key, "pair") < 0.5)
    gap = np.where(again | (k == 0), 0, d.integers(key, "gap", *gaps))
    total = np.cumsum(gap)
    day_obs = first[owner] + total - total[np.repeat(np.cumsum(n) - n, n)]
    seq = d.integers(key, "seq", 1, LAST_SEQ - 60)
    seq = np.where(again, np.roll(seq, 1) + d.integers(key, "later", 20, 40), seq)
    return owner, key, day_obs, seq


def _plan_static(d: Draws, units: I64, kind: str) -> Visits:
    first, n, gaps = _schedule(d, units, kind)
    owner, key, day_obs, seq = _nights(d, units, first, np.minimum(n, MAX_VISITS), gaps)
    u = units[owner]
    band = d.choice(key, "band", BAND_WEIGHTS)
    mjd = midpoint_mjd(day_obs, seq)
    flux, template = static_fluxes(d, kind, u, mjd, band, key)
    ra, dec = sky(d, u)
    return Visits(u, key, np.full(len(u), K[kind]), day_obs, seq, band, mjd, ra, dec, flux,
                  template)  # fmt: skip


def asteroid_orbits(d: Draws, units: I64) -> Orbits:
    """The orbits of asteroid units, seen first on their first night."""
    first = d.integers(units, "ast_first", MJD_START, MJD_END - 20)
    return orbits(d, units, (first + 1.0).astype(np.float64))


def _plan_asteroids(d: Draws, units: I64) -> Visits:
    """2–6 nights 1–4 nights apart, one visit or a pair each night."""
    n_nights = d.integers(units, "ast_nights", 2, 6)
    night_owner, night = expand(n_nights)
    night_key = units[night_owner] * MAX_VISITS + 2 * night
    gap = np.where(night == 0, 0, d.integers(night_key, "ast_gap", 1, 4))
    total = np.cumsum(gap)
    first = d.integers(units, "ast_first", MJD_START, MJD_END - 20)
    start = np.repeat(np.cumsum(n_nights) - n_nights, n_nights)
    nights = first[night_owner] + total - total[start]
    pairs = 1 + (d.uniform(night_key, "ast_pair") < 0.6)
    per_night, second = expand(pairs)
    key = night_key[per_night] + second
    seq = d.integers(night_key, "seq", 1, LAST_SEQ - 60)[per_night]
    seq += second * d.integers(night_key, "later", 20, 40)[per_night]
    owner = night_owner[per_night]
    day_obs = nights[per_night]
    mjd = midpoint_mjd(day_obs, seq)
    seen = sighting(take(asteroid_orbits(d, units), owner), mjd)
    band = d.choice(key, "band", BAND_WEIGHTS)
    flux = njy(seen.vmag + _ASTEROID_COLOUR[band])
    u = units[owner]
    return Visits(u, key, np.full(len(u), K["asteroid"]), day_obs, seq, band, mjd, seen.ra,
                  seen.dec, flux, np.zeros(len(u)))  # fmt: skip


def plan(d: Draws, units: I64) -> Visits:
    """Every visit of the units within the simulated nights, sorted by (unit, mjd)."""
    kinds = unit_kinds(d, units)
    parts = []
    for kind in KINDS:
        chosen = units[kinds == K[kind]]
        if len(chosen):
            parts.append(_plan_static(d, chosen, kind) if kind in STATIC
                         else _plan_asteroids(d, chosen))  # fmt: skip
    visits = Visits.concat(parts)
    inside = (visits.day_obs >= MJD_START) & (visits.day_obs < MJD_END)
    visits = visits.take(np.flatnonzero(inside))
    return visits.take(np.lexsort((visits.mjd, visits.unit)))
