"""Ephemerides of a Solar System object at asked epochs, whoever gave them."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import StrEnum

import numpy as np


class EphemerisSource(StrEnum):
    """Where ephemerides came from."""

    STORED = "stored"
    MIRIADE = "miriade"


@dataclass(frozen=True)
class Ephemerides:
    """Values at each asked JD, in the asked order; NaN where unknown.

    Angles in deg (``ra_deg``/``dec_deg``: the object's predicted astrometric position),
    distances in AU.
    """

    source: EphemerisSource
    phase_deg: np.ndarray
    elong_deg: np.ndarray
    dobs_au: np.ndarray
    dhelio_au: np.ndarray
    ra_deg: np.ndarray
    dec_deg: np.ndarray

    def take(self, rows: np.ndarray) -> Ephemerides:
        """The values at ``rows`` (a mask or indices into the asked JDs)."""
        arrays = [f.name for f in fields(self) if f.name != "source"]
        return replace(self, **{name: getattr(self, name)[rows] for name in arrays})
