"""Enumerations of the schema."""

from __future__ import annotations

from enum import Enum

import strawberry

from fink_gateway.science.photometry import BANDS


@strawberry.enum(description="ZTF filter: g (fid 1), r (fid 2), i (fid 3).")
class Band(Enum):
    g = "g"
    r = "r"
    i = "i"


FID_OF_BAND = {Band(name): fid for fid, name in BANDS.items()}
BAND_OF_FID = {v: k for k, v in FID_OF_BAND.items()}


@strawberry.enum(description="Where a classification label comes from.")
class ClassificationSource(Enum):
    FINK = "FINK"
    SIMBAD = "SIMBAD"
    TNS = "TNS"


@strawberry.enum(description="Trend of the latest alert's magnitude (Fink's d:mag_rate).")
class Trend(Enum):
    RISING = "rising"
    FADING = "fading"
