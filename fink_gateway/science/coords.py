"""Sky coordinates: galactic coordinates, constellations, angular separations (degrees)."""

from __future__ import annotations

from typing import cast

import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord, get_constellation


def galactic(ra_deg: float, dec_deg: float) -> tuple[float, float]:
    """Galactic longitude and latitude (deg) of an ICRS position (deg)."""
    g = SkyCoord(ra_deg * u.deg, dec_deg * u.deg, frame="icrs").galactic
    return float(g.l.deg), float(g.b.deg)


def constellation(ra_deg: float, dec_deg: float) -> str:
    """Full name of the constellation holding an ICRS position (deg), e.g. ``Auriga``."""
    return str(get_constellation(SkyCoord(ra_deg * u.deg, dec_deg * u.deg, frame="icrs")))


def constellations(ras_deg: np.ndarray, decs_deg: np.ndarray) -> np.ndarray:
    """Constellation (full name) of each ICRS position (deg) in one astropy call; None where
    a coordinate is NaN. One call for many positions costs about as much as one position."""
    ras, decs = np.asarray(ras_deg, dtype=np.float64), np.asarray(decs_deg, dtype=np.float64)
    out = np.full(len(ras), None, dtype=object)
    known = np.isfinite(ras) & np.isfinite(decs)
    if known.any():
        where = SkyCoord(ras[known] * u.deg, decs[known] * u.deg, frame="icrs")
        out[known] = np.asarray(get_constellation(where), dtype=object)
    return out


def separation_deg(
    ra_deg: float, dec_deg: float, ras_deg: np.ndarray, decs_deg: np.ndarray
) -> np.ndarray:
    """Angular distance (deg) from one position to many (Vincenty formula, as astropy)."""
    centre = SkyCoord(ra_deg * u.deg, dec_deg * u.deg, frame="icrs")
    others = SkyCoord(np.asarray(ras_deg) * u.deg, np.asarray(decs_deg) * u.deg, frame="icrs")
    return cast(np.ndarray, centre.separation(others).deg)  # astropy is untyped


def mean_position(ras_deg: np.ndarray, decs_deg: np.ndarray) -> tuple[float, float]:
    """Mean position of points (deg), averaged on the unit sphere (safe across ra = 0)."""
    ra, dec = np.radians(ras_deg), np.radians(decs_deg)
    x, y, z = (np.mean(np.cos(dec) * np.cos(ra)), np.mean(np.cos(dec) * np.sin(ra)),
               np.mean(np.sin(dec)))
    mean_ra = float(np.degrees(np.arctan2(y, x)) % 360.0)
    mean_dec = float(np.degrees(np.arctan2(z, np.hypot(x, y))))
    return mean_ra, mean_dec
