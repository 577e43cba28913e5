"""Units, the simulated sources: kind, SIMBAD label and per-unit parameters.

A unit is a supernova, a periodic variable, an asteroid seen on several nights (one objectId
per night), a tracklet exposure (several objectIds) and so on; unit ``u`` owns the objectId
numbers ``u · MAX_SUB + sub`` (0 ≤ sub < ``MAX_SUB``). Times are JD, periods days.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.demo.arrays import F64, I64, text
from fink_gateway.demo.arrow_schema import JD_END, JD_START
from fink_gateway.demo.draws import Draws

KINDS: tuple[str, ...] = (
    "variable", "star", "sn_ia", "sn_ii", "kilonova", "microlensing", "orphan", "asteroid",
    "tracklet", "sso_candidate",
)  # fmt: skip
"""Unit kinds; ``variable`` units are periodic with a known period (:func:`demo_truth`)."""
_KIND_WEIGHTS = (0.55, 2.2, 0.45, 0.15, 0.2, 0.08, 3.5, 2.4, 0.55, 0.5)
K = {name: i for i, name in enumerate(KINDS)}
"""Code of each kind: its index in ``KINDS``."""
MOVERS = ("asteroid", "tracklet", "sso_candidate")
"""Kinds that move: a new objectId per detection."""
TRANSIENTS = ("sn_ia", "sn_ii", "kilonova")

_CDS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "variable": (("RRLyr", "EB*", "V*", "Unknown"), (35, 25, 10, 30)),
    "star": (
        ("V*", "Star", "QSO", "YSO", "CV*", "Mira", "LPV*", "Seyfert_1", "Blue", "EB*_Candidate",
         "PulsV*", "AGN", "BLLac", "TTau*", "galaxy"),
        (15, 12, 10, 8, 5, 5, 8, 5, 5, 7, 5, 5, 3, 4, 3),
    ),
    "sn_ia": (("Unknown", "Transient", "Fail 504"), (90, 6, 4)),
    "sn_ii": (("Unknown", "Transient", "Galaxy"), (90, 5, 5)),
    "orphan": (("Unknown", "Transient", "Fail", "Fail 504"), (80, 10, 5, 5)),
}  # fmt: skip
"""SIMBAD cross-match labels per kind (relative weights); other kinds get ``Unknown``."""
VOCAB = tuple(dict.fromkeys(["Unknown", *(lab for labs, _ in _CDS.values() for lab in labs)]))
"""Every SIMBAD label a demo alert can carry, ``Unknown`` first."""
VOCAB_INDEX = {label: i for i, label in enumerate(VOCAB)}

MAX_SUB = 16  # objectIds per unit (asteroid nights, tracklet members)


def unit_kinds(d: Draws, units: I64) -> I64:
    """Kind code (index into ``KINDS``) of each unit."""
    return d.choice(units, "kind", _KIND_WEIGHTS)


def period_days(d: Draws, units: I64) -> F64:
    """True period of a ``variable`` unit (days), log-uniform in 0.1–1.2 d."""
    return np.exp(d.uniform(units, "period", np.log(0.1), np.log(1.2)))


def peak_jd(d: Draws, units: I64) -> F64:
    """Peak (supernova) or merger (kilonova) time, JD."""
    return d.uniform(units, "t_peak", JD_START + 5.0, JD_END - 10.0)


def lens_peak_jd(d: Draws, units: I64) -> F64:
    return d.uniform(units, "t_peak", JD_START + 40.0, JD_END - 40.0)


def lens_days(d: Draws, units: I64) -> F64:
    """Einstein crossing time (days)."""
    return d.uniform(units, "t_e", 12.0, 40.0)


def cdsxmatch_codes(d: Draws, units: I64, kinds: I64) -> I64:
    """Index into ``VOCAB`` of each unit's SIMBAD label."""
    codes = np.zeros(len(units), dtype=np.int64)
    for name, (labels, weights) in _CDS.items():
        mask = kinds == K[name]
        picks = d.choice(units[mask], "cds", weights)
        codes[mask] = np.array([VOCAB_INDEX[label] for label in labels])[picks]
    return codes


def asteroid_names(d: Draws, units: I64) -> pa.Array:
    """Asteroid names as ZTF writes them: numbers (``8467``) or packed-style ``2005XM12``."""
    number = text(d.integers(units, "sso_number", 1, 700_000))
    year = text(d.integers(units, "sso_year", 1995, 2023))
    halves = [a + b for a in "ABCDEFGHJKLMNOPQRSTUVWXY" for b in "ABCDEFGHJKLMNOPQRSTUVWXYZ"]
    letters = pa.array(halves).take(pa.array(d.integers(units, "sso_letters", 0, len(halves) - 1)))
    count = text(d.integers(units, "sso_count", 0, 99), 2)
    packed = pc.binary_join_element_wise(year, letters, count, "")
    return pc.if_else(pa.array(d.uniform(units, "sso_numbered") < 0.7), number, packed)
