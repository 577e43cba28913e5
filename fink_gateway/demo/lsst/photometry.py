"""Measuring each visit, and each alert's history: which visits are sources, which alerts.

A visit's noise comes from its 5σ depth (Rubin's single-visit depths, varying with the night)
and the source's own photon noise; a visit whose difference-image flux is at least 5σ from
zero (either sign) is a diaSource, and every diaSource is an alert. An alert of a static
object carries the object's earlier sources (``prvDiaSources``: all of them, the nights
spanning less than a year) and, for objects with forced photometry, the forced measurements
of every earlier visit since its first source (``prvDiaForcedSources``). Fluxes nJy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fink_gateway.demo.arrays import F64, I64, Bool, Index
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.epochs import Visits
from fink_gateway.demo.lsst.lightcurves import njy
from fink_gateway.demo.lsst.ragged import runs
from fink_gateway.demo.lsst.units import K

DEPTH = np.array([23.9, 25.0, 24.7, 24.0, 23.3, 22.1])
"""Single-visit 5σ point-source depth (AB mag) in u, g, r, i, z, y (LSST SRD)."""
DETECTION_SIGMA = 5.0
_PHOTONS_NJY = 1.0  # variance (nJy²) per nJy of source flux


@dataclass
class Measurement:
    """Per visit: fluxes (nJy) with their 1σ errors, and whether it is a diaSource."""

    psf_flux: F64  # on the difference image
    psf_flux_err: F64
    science_flux: F64
    science_flux_err: F64
    template_flux: F64
    template_flux_err: F64
    forced_flux: F64  # forced photometry at the object's position, difference image
    detected: Bool


def measure(d: Draws, v: Visits) -> Measurement:
    depth = DEPTH[v.band] + np.clip(0.25 * d.normal(v.key, "depth"), -0.8, 0.8)
    sky = njy(depth) / DETECTION_SIGMA
    sigma = np.sqrt(sky**2 + _PHOTONS_NJY * np.maximum(v.flux, 0.0))
    difference = v.flux - v.template
    psf = difference + sigma * d.normal(v.key, "psf")
    return Measurement(
        psf_flux=psf,
        psf_flux_err=sigma,
        science_flux=v.flux + sigma * d.normal(v.key, "science"),
        science_flux_err=sigma,
        template_flux=v.template + 0.3 * sky * d.normal(v.key, "template"),
        template_flux_err=0.3 * sky,
        forced_flux=difference + sigma * d.normal(v.key, "forced"),
        detected=np.abs(psf) >= DETECTION_SIGMA * sigma,
    )


@dataclass
class History:
    """The alerts (detected visits, at most ``limit``) and what each one carries.

    ``first`` is the visit of the object's first source; ``n_sources`` counts the object's
    sources up to the alert's (its ``nDiaSources``); ``prv``/``forced`` are flat visit
    indices of the history items, ``prv_lengths``/``forced_lengths`` how many each alert
    has, and ``forced_valid`` whether its ``prvDiaForcedSources`` is a list (else null).
    Solar System alerts carry no history (``n_sources`` 0).
    """

    alerts: Index
    first: Index
    n_sources: I64
    sources: Index  # every detected visit, in order
    source_rank: I64  # position of each alert in ``sources``
    prv: Index
    prv_lengths: I64
    forced: Index
    forced_lengths: I64
    forced_valid: Bool


def first_sources(unit: I64, detected: Bool) -> Index:
    """Per visit (sorted by unit), the visit of its unit's first source; ``len(unit)`` for a
    unit without any."""
    n = len(unit)
    if n == 0:
        return np.zeros(0, dtype=np.intp)
    new = np.ones(n, dtype=bool)
    new[1:] = unit[1:] != unit[:-1]
    group = np.cumsum(new) - 1
    first: Index = np.minimum.reduceat(np.where(detected, np.arange(n), n), np.flatnonzero(new))
    per_visit: Index = first[group]
    return per_visit


def history(v: Visits, detected: Bool, forced_units: Bool, limit: int) -> History:
    """Alerts of visits sorted by (unit, mjd); ``forced_units`` marks, per visit, the units
    whose alerts carry forced photometry."""
    first_detected = first_sources(v.unit, detected)
    sources = np.flatnonzero(detected)
    alerts = sources[:limit]
    rank = np.arange(len(alerts))
    first_rank = np.searchsorted(sources, first_detected[alerts])
    static = v.kind[alerts] != K["asteroid"]
    prv_lengths = np.where(static, rank - first_rank, 0)
    forced_lengths = np.where(static, alerts - first_detected[alerts], 0)
    forced_valid = forced_units[alerts] & (forced_lengths > 0)
    forced_lengths = np.where(forced_valid, forced_lengths, 0)
    return History(
        alerts=alerts,
        first=first_detected[alerts],
        n_sources=np.where(static, prv_lengths + 1, 0),
        sources=sources,
        source_rank=rank,
        prv=sources[runs(first_rank, prv_lengths)],
        prv_lengths=prv_lengths,
        forced=runs(first_detected[alerts], forced_lengths),
        forced_lengths=forced_lengths,
        forced_valid=forced_valid,
    )
