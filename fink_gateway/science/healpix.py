"""HEALPix indexing as Fink's ``pixel128`` table uses it (FINK-REFERENCE §3)."""

from __future__ import annotations

from typing import cast

import healpy
import numpy as np

NSIDE = 128
"""Fink's index resolution: pixels of about 27.5 arcmin."""


def sky_pixels(ra_deg: np.ndarray, dec_deg: np.ndarray, nside: int = NSIDE) -> np.ndarray:
    """RING pixel of each position (ra, dec in degrees), colatitude θ = π/2 − dec."""
    theta = np.pi / 2.0 - np.radians(np.asarray(dec_deg, dtype=np.float64))
    phi = np.radians(np.asarray(ra_deg, dtype=np.float64))
    return cast(np.ndarray, healpy.ang2pix(nside, theta, phi))  # healpy is untyped


def disc_pixels(
    ra_deg: float, dec_deg: float, radius_deg: float, nside: int = NSIDE
) -> np.ndarray:
    """RING pixels touching a disc (inclusive, healpy's default ``fact=4``), sorted."""
    vec = healpy.ang2vec(np.pi / 2.0 - np.radians(dec_deg), np.radians(ra_deg))
    return np.sort(healpy.query_disc(nside, vec, np.radians(radius_deg), inclusive=True))
