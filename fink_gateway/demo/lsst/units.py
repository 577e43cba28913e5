"""LSST demo units, the simulated sources: kind, sky position and catalogue identity.

A unit is one supernova, periodic variable, AGN or short "orphan" transient (one diaObject
each), or one asteroid seen on a few nights (Solar System alerts, no diaObject). Static units
sit on Rubin's sky (dec < +5°): most on the wide-fast-deep survey, some in a deep drilling
field. Asteroids get provisional designations that encode the unit number bijectively, so no
two units share one. Positions in degrees.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from fink_gateway.demo.arrays import F64, I64, Bool
from fink_gateway.demo.draws import Draws
from fink_gateway.science.designations import pack_designation

KINDS: tuple[str, ...] = ("sn_ia", "sn_ii", "variable", "agn", "orphan", "asteroid")
"""Unit kinds; ``asteroid`` units give Solar System alerts."""
_KIND_WEIGHTS = (0.26, 0.14, 0.2, 0.14, 0.16, 0.1)
K = {name: i for i, name in enumerate(KINDS)}
"""Code of each kind: its index in ``KINDS``."""
STATIC = tuple(k for k in KINDS if k != "asteroid")
FORCED_FRACTION = 0.6
"""Static units whose alerts carry forced photometry (``prvDiaForcedSources``)."""
DEC_MAX = 5.0
"""Northern limit of the simulated sky (deg)."""

DDF: tuple[tuple[str, float, float], ...] = (
    ("elaiss1", 9.45, -44.0), ("xmm_lss", 35.71, -4.75), ("ecdfs", 53.13, -28.1),
    ("cosmos", 150.1, 2.18), ("edfs_a", 58.9, -49.32), ("edfs_b", 63.6, -47.6),
)  # fmt: skip
"""Rubin's deep drilling fields: name, centre (ra, dec, deg)."""
DDF_FRACTION = 0.3
DDF_RADIUS = 1.5  # deg: a field is about 3.5 deg across


def unit_kinds(d: Draws, units: I64) -> I64:
    """Kind code (index into ``KINDS``) of each unit."""
    return d.choice(units, "lsst_kind", _KIND_WEIGHTS)


def has_forced(d: Draws, units: I64) -> Bool:
    """Whether a static unit's alerts carry forced photometry."""
    return d.uniform(units, "lsst_forced") < FORCED_FRACTION


def ddf_index(d: Draws, units: I64) -> I64:
    """Index into ``DDF`` of a unit's deep drilling field, −1 on the wide survey."""
    field = d.integers(units, "ddf_field", 0, len(DDF) - 1)
    return np.where(d.uniform(units, "in_ddf") < DDF_FRACTION, field, -1)


def sky(d: Draws, units: I64) -> tuple[F64, F64]:
    """(ra, dec) of static units: uniform over −80° < dec < +5°, or within a deep field."""
    low, high = np.sin(np.radians(-80.0)), np.sin(np.radians(DEC_MAX - 0.01))
    ra = d.uniform(units, "lsst_ra", 0.0, 360.0)
    dec = np.degrees(np.arcsin(d.uniform(units, "lsst_dec", low, high)))
    field = ddf_index(d, units)
    centre = np.array([(r, c) for _, r, c in DDF])[np.maximum(field, 0)]
    radius = DDF_RADIUS * np.sqrt(d.uniform(units, "ddf_r"))
    angle = d.uniform(units, "ddf_angle", 0.0, 2 * np.pi)
    ddf_dec = centre[:, 1] + radius * np.sin(angle)
    ddf_ra = (centre[:, 0] + radius * np.cos(angle) / np.cos(np.radians(ddf_dec))) % 360.0
    inside = field >= 0
    return np.where(inside, ddf_ra, ra), np.where(inside, ddf_dec, dec)


def survey_names(d: Draws, units: I64, static: Bool) -> tuple[pa.Array, pa.Array]:
    """(observation_reason, target_name) of each unit's visits, as in the sample
    (``ddf_cosmos`` / ``lowdust, ddf_cosmos``; ``wfd`` / ``lowdust`` elsewhere, asteroids
    included)."""
    field = np.where(static, ddf_index(d, units), -1)
    names = [name for name, _, _ in DDF]
    reasons = pa.array([f"ddf_{n}" for n in names] + ["wfd"])
    targets = pa.array([f"lowdust, ddf_{n}" for n in names] + ["lowdust"])
    index = pa.array(np.where(field >= 0, field, len(names)))
    return reasons.take(index), targets.take(index)


_HALF_MONTHS = "ABCDEFGHJKLMNOPQRSTUVWXY"
_ORDERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"
_YEARS = range(2000, 2026)
_COUNTS = 200  # cycle counts 0–199 (the packed form allows up to 619)
_SPACE = len(_YEARS) * len(_HALF_MONTHS) * len(_ORDERS) * _COUNTS
_MULT = 2_147_483_647  # a prime, coprime with _SPACE: u → a·u + b is a bijection


def designations(seed: int, units: I64) -> list[tuple[str, str]]:
    """(usual, packed) provisional designation of each asteroid unit, e.g. ``('2001 SB97',
    'K01S97B')``: distinct units get distinct designations."""
    offset = int(Draws(seed).bits(np.array([0]), "designation")[0] % np.uint64(_SPACE))
    out = []
    for unit in units.tolist():
        code = (unit * _MULT + offset) % _SPACE
        code, count = divmod(code, _COUNTS)
        code, order = divmod(code, len(_ORDERS))
        year, half = divmod(code, len(_HALF_MONTHS))
        usual = f"{_YEARS[year]} {_HALF_MONTHS[half]}{_ORDERS[order]}{count or ''}"
        packed = pack_designation(usual)
        assert packed is not None, usual
        out.append((usual, packed))
    return out
