"""ssSource and mpc_orbits fields of the Solar System alerts.

``ssSource`` gives where the asteroid was predicted (ephemeris position, V magnitude, rates)
and its geometry (distances in au, angles in degrees, positions in the ecliptic frame);
``ephOffset*`` are the measured minus predicted positions in arcsec, as in the sample.
``mpc_orbits`` holds the orbit: its ``designation`` and unpacked designation are the usual
spelling (``2001 SB97``), ``ssSource.designation`` the packed one (``K01S97B``), as in the
sample (docs/fink-lsst.md §9.2 C).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from fink_gateway.demo.arrays import F64, I64
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.epochs import Visits, asteroid_orbits
from fink_gateway.demo.lsst.ids import ss_object_ids
from fink_gateway.demo.lsst.layout import Values
from fink_gateway.demo.lsst.orbits import sighting, take
from fink_gateway.demo.lsst.units import designations


def asteroid_names(d: Draws, units: I64) -> tuple[pa.Array, pa.Array, I64]:
    """(usual designation, packed designation, ssObjectId) of each asteroid unit."""
    names = designations(d.seed, units)
    packed = [p for _, p in names]
    return pa.array([u for u, _ in names]), pa.array(packed), ss_object_ids(packed)


def solar_system_values(
    d: Draws, v: Visits, alerts: I64, source_ra: F64, source_dec: F64, source_ids: I64
) -> tuple[Values, Values]:
    """(ssSource, mpc_orbits) fields of the Solar System alerts at ``alerts`` (visit indices)."""
    units, owner = np.unique(v.unit[alerts], return_inverse=True)
    orbit = take(asteroid_orbits(d, units), owner)
    seen = sighting(orbit, v.mjd[alerts])
    usual, packed, ss_ids = asteroid_names(d, units)
    index = pa.array(owner)
    cos_dec = np.cos(np.radians(seen.dec))
    offset_ra = ((source_ra[alerts] - seen.ra + 180.0) % 360.0 - 180.0) * cos_dec * 3600.0
    offset_dec = (source_dec[alerts] - seen.dec) * 3600.0
    ss_source: Values = {
        "diaSourceId": source_ids[alerts],
        "ssObjectId": ss_ids[owner],
        "designation": packed.take(index),
        "eclLambda": seen.lam,
        "eclBeta": seen.beta,
        "elongation": seen.elongation,
        "phaseAngle": seen.phase_angle,
        "topoRange": seen.topo_range,
        "helioRange": seen.helio_range,
        "ephRa": seen.ra,
        "ephDec": seen.dec,
        "ephVmag": seen.vmag,
        "ephRate": seen.rate,
        "ephRateRa": seen.rate_ra,
        "ephRateDec": seen.rate_dec,
        "ephOffset": np.hypot(offset_ra, offset_dec),
        "ephOffsetRa": offset_ra,
        "ephOffsetDec": offset_dec,
        "diaDistanceRank": np.ones(len(alerts), dtype=np.int64),
    }
    for axis, name in enumerate("xyz"):
        ss_source[f"helio_{name}"] = seen.helio[:, axis]
        ss_source[f"topo_{name}"] = seen.topo[:, axis]
    u = units[owner]
    nopp = d.integers(u, "nopp", 2, 14)
    nobs = d.integers(u, "nobs", 40, 900)
    period = 365.25 * orbit.a**1.5
    mpc_orbits: Values = {
        "id": u,
        "designation": usual.take(index),
        "packed_primary_provisional_designation": packed.take(index),
        "unpacked_primary_provisional_designation": usual.take(index),
        "u_param": d.integers(u, "u_param", 0, 4),
        "nopp": nopp,
        "arc_length_total": (nopp - 1) * 365.25 + d.uniform(u, "arc", 20.0, 300.0),
        "nobs_total": nobs,
        "nobs_total_sel": nobs - d.integers(u, "rejected", 0, 10),
        "a": orbit.a,
        "q": orbit.a * (1.0 - orbit.e),
        "e": orbit.e,
        "i": orbit.inclination,
        "node": orbit.node,
        "argperi": orbit.argperi,
        "mean_anomaly": orbit.mean_anomaly,
        "period": period,
        "mean_motion": 360.0 / period,
        "epoch_mjd": orbit.epoch,
        "h": orbit.h,
        "g": np.full(len(u), 0.15),
    }
    return ss_source, mpc_orbits
