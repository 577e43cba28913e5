"""Asteroids of the LSST demo: main-belt orbits and where each is seen from the Earth.

A simple geometry, consistent with itself: the asteroid moves at a constant rate in
ecliptic longitude and latitude from where it is first seen (south of the ecliptic's
northern half, at least 70° from the Sun), its distance to the Sun follows its orbit's
eccentricity, and its distance to the Earth, phase angle and V magnitude follow from those.
Angles in degrees, distances in au, times MJD (TAI), rates in deg/day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fink_gateway.demo.arrays import F64, I64
from fink_gateway.demo.draws import Draws

OBLIQUITY = 23.4393  # deg, J2000
_J2000_MJD = 51544.5
_CANDIDATES = 24  # tries for a first longitude far enough from the Sun


@dataclass
class Orbits:
    """Per asteroid unit: orbital elements, absolute magnitude and apparent motion."""

    a: F64  # semi-major axis, au
    e: F64
    inclination: F64
    node: F64
    argperi: F64
    mean_anomaly: F64  # at ``epoch``
    epoch: F64  # MJD
    h: F64  # absolute magnitude H (G = 0.15)
    first: F64  # MJD of the first sighting
    lam: F64  # ecliptic longitude at ``first``
    beta: F64  # ecliptic latitude at ``first``
    lam_rate: F64
    beta_rate: F64


def sun_longitude(mjd: F64) -> F64:
    """Geocentric ecliptic longitude of the Sun (deg, ~0.01° accuracy)."""
    days = np.asarray(mjd, dtype=np.float64) - _J2000_MJD
    mean_anomaly = np.radians(357.529 + 0.98560028 * days)
    centre = 1.915 * np.sin(mean_anomaly) + 0.020 * np.sin(2 * mean_anomaly)
    longitude: F64 = (280.459 + 0.98564736 * days + centre) % 360.0
    return longitude


def orbits(d: Draws, units: I64, first_mjd: F64) -> Orbits:
    """Main-belt orbits of asteroid units first seen at ``first_mjd``."""
    tries = units[:, None] * _CANDIDATES + np.arange(_CANDIDATES)
    candidates = d.uniform(tries, "ast_lambda", 185.0, 355.0)
    away = np.abs((candidates - sun_longitude(first_mjd)[:, None] + 180.0) % 360.0 - 180.0)
    pick = np.argmax(away >= 70.0, axis=1)  # the first that is (or the first candidate)
    lam = candidates[np.arange(len(units)), pick]
    beta = d.uniform(units, "ast_beta", -14.0, 3.0)
    return Orbits(
        a=d.uniform(units, "ast_a", 2.1, 3.3),
        e=d.uniform(units, "ast_e", 0.02, 0.25),
        inclination=np.abs(beta) + d.uniform(units, "ast_i", 0.5, 8.0),
        node=d.uniform(units, "ast_node", 0.0, 360.0),
        argperi=d.uniform(units, "ast_peri", 0.0, 360.0),
        mean_anomaly=d.uniform(units, "ast_m", 0.0, 360.0),
        epoch=np.full(len(units), 61000.0),
        h=d.uniform(units, "ast_h", 14.5, 18.5),
        first=first_mjd,
        lam=lam,
        beta=beta,
        lam_rate=d.uniform(units, "ast_rate", -0.3, 0.3),
        beta_rate=d.uniform(units, "ast_brate", -0.03, 0.03),
    )


@dataclass
class Sighting:
    """Where an asteroid is at each visit, as seen from the Earth's centre."""

    lam: F64
    beta: F64
    ra: F64
    dec: F64
    helio_range: F64
    topo_range: F64
    elongation: F64
    phase_angle: F64
    vmag: F64
    rate: F64  # on the sky, deg/day
    rate_ra: F64  # deg/day, times cos(dec)
    rate_dec: F64
    helio: F64  # (n, 3) heliocentric ecliptic position, au
    topo: F64  # (n, 3) geocentric ecliptic position, au


def ecliptic_to_equatorial(lam: F64, beta: F64) -> tuple[F64, F64]:
    """(ra, dec) in degrees of ecliptic (λ, β) in degrees (J2000 obliquity)."""
    lam_r, beta_r, eps = np.radians(lam), np.radians(beta), np.radians(OBLIQUITY)
    x = np.cos(beta_r) * np.cos(lam_r)
    y = np.cos(beta_r) * np.sin(lam_r) * np.cos(eps) - np.sin(beta_r) * np.sin(eps)
    z = np.cos(beta_r) * np.sin(lam_r) * np.sin(eps) + np.sin(beta_r) * np.cos(eps)
    return np.degrees(np.arctan2(y, x)) % 360.0, np.degrees(np.arcsin(np.clip(z, -1.0, 1.0)))


def sighting(orbit: Orbits, mjd: F64) -> Sighting:
    """Each asteroid's position and brightness at ``mjd`` (``orbit`` indexed per visit)."""
    since = mjd - orbit.first
    lam = (orbit.lam + orbit.lam_rate * since) % 360.0
    beta = orbit.beta + orbit.beta_rate * since
    ra, dec = ecliptic_to_equatorial(lam, beta)
    motion = np.radians(orbit.mean_anomaly + 0.98560769 / orbit.a**1.5 * (mjd - orbit.epoch))
    r = orbit.a * (1.0 - orbit.e * np.cos(motion))
    sun = np.radians(sun_longitude(mjd))
    lam_r, beta_r = np.radians(lam), np.radians(beta)
    cos_e = np.cos(beta_r) * np.cos(lam_r - sun)
    delta = cos_e + np.sqrt(cos_e**2 - 1.0 + r**2)
    elongation = np.degrees(np.arccos(cos_e))
    phase = np.degrees(np.arcsin(np.clip(np.sin(np.radians(elongation)) / r, -1.0, 1.0)))
    direction = np.stack(
        [np.cos(beta_r) * np.cos(lam_r), np.cos(beta_r) * np.sin(lam_r), np.sin(beta_r)], axis=1
    )
    topo = delta[:, None] * direction
    earth = np.stack([-np.cos(sun), -np.sin(sun), np.zeros_like(sun)], axis=1)
    ra_next, dec_next = ecliptic_to_equatorial(lam + orbit.lam_rate, beta + orbit.beta_rate)
    rate_ra = ((ra_next - ra + 180.0) % 360.0 - 180.0) * np.cos(np.radians(dec))
    rate_dec = dec_next - dec
    return Sighting(
        lam=lam,
        beta=beta,
        ra=ra,
        dec=dec,
        helio_range=r,
        topo_range=delta,
        elongation=elongation,
        phase_angle=phase,
        vmag=orbit.h + 5.0 * np.log10(r * delta) + 0.035 * phase,
        rate=np.hypot(rate_ra, rate_dec),
        rate_ra=rate_ra,
        rate_dec=rate_dec,
        helio=earth + topo,
        topo=topo,
    )


def take(orbit: Orbits, index: I64) -> Orbits:
    """The orbits at ``index`` (one per visit)."""
    return Orbits(**{name: getattr(orbit, name)[index] for name in orbit.__dataclass_fields__})
