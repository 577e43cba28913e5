"""Assembling LSST demo alerts into ``LSST_ALERT_SCHEMA`` tables: :func:`generate_lsst_alerts`.

Units are generated in chunks; each chunk is planned, measured, turned into its alerts (one
per diaSource, grouped by unit and in time order within one) and sliced into batches.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from fink_gateway.demo.arrays import I64, const
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.epochs import Visits, plan
from fink_gateway.demo.lsst.fink_columns import classifiers, crossmatches, is_catalogued
from fink_gateway.demo.lsst.layout import (
    ALERT_SCHEMA_VERSION,
    BATCH_LSST_ALERTS,
    CLF_TYPE,
    DIA_FORCED_SOURCE_TYPE,
    DIA_OBJECT_TYPE,
    DIA_SOURCE_TYPE,
    LSST_ALERT_SCHEMA,
    MISC_TYPE,
    MPC_ORBITS_TYPE,
    PRED_TYPE,
    PRV_FORCED_TYPE,
    PRV_SOURCES_TYPE,
    SS_SOURCE_TYPE,
    VERSIONS,
    XM_TYPE,
    list_array,
    struct_array,
)
from fink_gateway.demo.lsst.objects import dia_object_values
from fink_gateway.demo.lsst.photometry import first_sources, history, measure
from fink_gateway.demo.lsst.solar_system import asteroid_names, solar_system_values
from fink_gateway.demo.lsst.sources import (
    MAX_UNITS,
    dia_source_ids,
    dia_source_values,
    forced_source_values,
    processed_mjd,
)
from fink_gateway.demo.lsst.units import K, has_forced, survey_names

_UNITS_PER_CHUNK = 512
_CUTOUTS = ("cutoutDifference", "cutoutScience", "cutoutTemplate")
"""Null: Fink's rubin.cutouts only says where the stamps are, and no file holds these."""


def _ids(d: Draws, v: Visits, source_ids: I64, detected: np.ndarray) -> tuple[I64, I64]:
    """Per visit: the diaObjectId of its unit (its first source's id; 0 for asteroids, as
    Rubin gives Solar System sources) and the ssObjectId (0 for static units)."""
    asteroid = v.kind == K["asteroid"]
    first = first_sources(v.unit, detected)
    found = (first < len(first)) & ~asteroid
    object_ids = np.where(found, source_ids[np.minimum(first, len(first) - 1)], 0)
    ss_ids = np.zeros(len(v.unit), dtype=np.int64)
    if asteroid.any():
        units, owner = np.unique(v.unit[asteroid], return_inverse=True)
        ss_ids[asteroid] = asteroid_names(d, units)[2][owner]
    return object_ids, ss_ids


def _scatter(values: pa.StructArray, rows: np.ndarray, n: int) -> pa.Array:
    """``values`` (one per row of ``rows``) at those rows of ``n``, null elsewhere."""
    index = np.zeros(n, dtype=np.int64)
    index[rows] = np.arange(len(rows))
    where = np.zeros(n, dtype=bool)
    where[rows] = True
    return values.take(pa.array(index, mask=~where))


def _table(d: Draws, units: I64, limit: int) -> pa.Table:
    """At most ``limit`` alerts of ``units`` in ``LSST_ALERT_SCHEMA``."""
    v = plan(d, units)
    m = measure(d, v)
    forced_units = has_forced(d, v.unit) & (v.kind != K["asteroid"])
    h = history(v, m.detected, forced_units, limit)
    a, n = h.alerts, len(h.alerts)
    source_ids = dia_source_ids(d, v)
    object_ids, ss_ids = _ids(d, v, source_ids, m.detected)
    values = dia_source_values(d, v, m, object_ids, ss_ids)
    sources = struct_array(DIA_SOURCE_TYPE, values, len(v.unit))
    forced = struct_array(
        DIA_FORCED_SOURCE_TYPE, forced_source_values(d, v, m, object_ids), len(v.unit)
    )
    ra, dec = np.asarray(values["ra"]), np.asarray(values["dec"])
    static = v.kind[a] != K["asteroid"]
    sso = np.flatnonzero(~static)
    ss_source, orbits = solar_system_values(d, v, a[sso], ra, dec, source_ids)

    unit, key, mjd = v.unit[a], v.key[a], v.mjd[a]
    first_mjd = np.where(static, v.mjd[h.first], mjd)
    xm = crossmatches(d, v.kind[a], unit, key, mjd - v.mjd[h.first], first_mjd)
    simbad, dr3 = xm["simbad_otype"], xm["gaiadr3_DR3Name"]
    assert isinstance(simbad, pa.Array) and isinstance(dr3, pa.Array)
    catalogued = is_catalogued(simbad, dr3)
    clf = classifiers(d, v.kind[a], unit, key, h.n_sources, mjd, catalogued)
    pred = {
        "is_sso": ~static,
        "is_first": pa.array(h.n_sources == 1, mask=~static),
        "is_cataloged": catalogued,
        "main_label_classifier": clf["cats_class"],
        "main_label_crossmatch": simbad,
    }
    reason, target = survey_names(d, unit, static)
    arrays = {
        "diaSourceId": pa.array(source_ids[a], pa.int64()),
        "observation_reason": reason,
        "target_name": target,
        "diaSource": sources.take(pa.array(a)),
        "prvDiaSources": list_array(
            PRV_SOURCES_TYPE, sources.take(pa.array(h.prv)), h.prv_lengths, h.prv_lengths > 0
        ),
        "prvDiaForcedSources": list_array(
            PRV_FORCED_TYPE, forced.take(pa.array(h.forced)), h.forced_lengths, h.forced_valid
        ),
        "diaObject": struct_array(
            DIA_OBJECT_TYPE, dia_object_values(v, m, h, ra, dec, object_ids), n, static
        ),
        "ssSource": _scatter(struct_array(SS_SOURCE_TYPE, ss_source, len(sso)), sso, n),
        "mpc_orbits": _scatter(struct_array(MPC_ORBITS_TYPE, orbits, len(sso)), sso, n),
        **{name: pa.nulls(n, pa.binary()) for name in _CUTOUTS},
        "brokerIngestMjd": pa.array(
            processed_mjd(d, v)[a] + d.uniform(key, "broker", 20.0, 120.0) / 86400.0
        ),
        "lsst_schema_version": const(ALERT_SCHEMA_VERSION, n),
        "clf": struct_array(CLF_TYPE, clf, n),
        "xm": struct_array(XM_TYPE, xm, n),
        "pred": struct_array(PRED_TYPE, pred, n),
        "misc": struct_array(MISC_TYPE, {"firstDiaSourceMjdTaiFink": first_mjd}, n),
        **{name: const(value, n) for name, value in VERSIONS.items()},
    }
    return pa.Table.from_arrays(
        [arrays[f.name] for f in LSST_ALERT_SCHEMA], schema=LSST_ALERT_SCHEMA
    )


def generate_lsst_alerts(n_alerts: int, seed: int = 0) -> Iterator[pa.Table]:
    """Yield ``n_alerts`` deterministic demo alerts in Fink's Rubin parquet layout.

    Parameters
    ----------
    n_alerts : int
        Total number of alerts (rows) over all tables.
    seed : int
        Any integer; the same ``(n_alerts, seed)`` always gives the same tables, and the
        first ``k`` alerts of a run are the alerts of a run of ``k``.

    Yields
    ------
    pyarrow.Table
        ``LSST_ALERT_SCHEMA`` rows, at most ``BATCH_LSST_ALERTS`` per table, grouped by unit
        (object or asteroid) and in time order within one. Cutouts are null.
    """
    assert n_alerts >= 0, "n_alerts must be >= 0"
    d = Draws(seed)
    next_unit, remaining = 0, n_alerts
    while remaining > 0:
        count = int(np.clip(remaining // 20 + 8, 8, _UNITS_PER_CHUNK))
        assert next_unit + count <= MAX_UNITS, "too many alerts for the demo's source numbers"
        units = np.arange(next_unit, next_unit + count, dtype=np.int64)
        table = _table(d, units, remaining)
        next_unit += count
        remaining -= table.num_rows
        for start in range(0, table.num_rows, BATCH_LSST_ALERTS):
            yield table.slice(start, BATCH_LSST_ALERTS)
