"""Rubin alerts → row keys and cells of Fink's ``rubin.*`` tables (pure; docs/fink-lsst.md §3–§4).

Rows follow Fink's bulk ingestion (what §9 checked against Fink's code): ``diaObject``,
``mpc_orbits`` and ``pixel1024`` keep, per object or designation, the alerts with the largest
``midpointMjdTai`` of the file (ties keep all, in file order); the other tables take every
alert they apply to. A put merges cells into a row, so across files the last write wins, as in
Fink's streaming ingestion. Every table also gets one schema row per version pair.

Tag tables (``rubin.tag_<tag>``) hold the alerts that pass a Fink filter, which only Fink's
results can say: they are written when the caller says the alerts are a tag's members (a
file of a filter's stream, ``ingest --lsst-tag``), keyed ``<midpointMjdTai>_<diaObjectId>``
for every alert (Solar System alerts, whose diaObjectId is 0, collide within a visit as in
Fink).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fink_gateway.ingest.encoding import encode_column
from fink_gateway.ingest.lsst.alerts import LsstAlerts
from fink_gateway.ingest.rows import schema_row
from fink_gateway.layout import rubin
from fink_gateway.layout.tables import TableSpec
from fink_gateway.science.healpix import sky_pixels
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.types import Row


@dataclass(frozen=True)
class LsstRows:
    """One file's rows, ready to put: a batch per table and each table's schema rows."""

    source: str
    alerts: int
    batches: dict[TableSpec, CellBatch]
    schema: dict[TableSpec, list[Row]]


class _Cells:
    """Encoded cells of the alerts' values, each encoded once and shared by every table."""

    def __init__(self, values: Mapping[str, pa.Array]) -> None:
        self.values = values
        self._encoded: dict[tuple[str, str], pa.Array] = {}

    def batch(
        self,
        keys: Sequence[bytes],
        spec: TableSpec,
        rows: np.ndarray,
        extra: Mapping[str, pa.Array] | None = None,
    ) -> CellBatch:
        """Cells of ``spec``'s columns for the alerts at ``rows``; ``extra`` holds values
        of these rows only (the salt…). A column without a value writes no cell."""
        index = pa.array(rows, pa.int64())
        columns = []
        for column in rubin.columns_of(spec):
            if extra is not None and column.source in extra:
                columns.append((column.column, encode_column(extra[column.source], column.type)))
            elif column.source in self.values:
                columns.append((column.column, self._encode(column).take(index)))
        return CellBatch(keys, columns)

    def _encode(self, column: rubin.RubinColumn) -> pa.Array:
        key = (column.source, column.type)
        if key not in self._encoded:
            self._encoded[key] = encode_column(self.values[column.source], column.type)
        return self._encoded[key]


def _ints(array: pa.Array) -> list[int]:
    return list(array.to_pylist())


def _texts(values: Sequence[str | None]) -> pa.Array:
    return pa.array(values, pa.string())


def _latest(groups: Sequence[object], mjd: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The ``rows`` whose MJD is the largest of their group (ties keep all), in order."""
    best: dict[object, float] = {}
    for row in rows.tolist():
        group = groups[row]
        best[group] = max(best.get(group, -np.inf), float(mjd[row]))
    return np.array([r for r in rows.tolist() if mjd[r] == best[groups[r]]], dtype=np.int64)


def lsst_rows(alerts: LsstAlerts, tags: Sequence[str] = ()) -> LsstRows:
    """Every Rubin table's rows for these alerts (§4), and the rows of ``tags`` when the
    alerts are those tags' members (a Fink filter's stream: every alert of it, §4.8)."""
    v = alerts.values
    cells = _Cells(v)
    mjd = v["diaSource.midpointMjdTai"].to_numpy(zero_copy_only=False)
    mjd_text = [rubin.mjd_text(x) for x in mjd.tolist()]
    source_ids = _ints(v["diaSource.diaSourceId"])
    batches: dict[TableSpec, CellBatch] = {}

    # static objects: salt from diaObject.diaObjectId (§3); ids in the keys are the tables'
    # own flattened diaObjectId (diaObject's in diaObject, diaSource's in the others)
    objects = np.flatnonzero(alerts.has["diaObject"])
    object_ids = _ints(v["diaObject.diaObjectId"])
    source_object_ids = _ints(v["diaSource.diaObjectId"])
    salt3 = [None if i is None else rubin.salt3(i) for i in object_ids]

    latest = _latest(object_ids, mjd, objects)
    batches[rubin.DIA_OBJECT] = cells.batch(
        [rubin.object_key(object_ids[i]) for i in latest.tolist()],
        rubin.DIA_OBJECT,
        latest,
        {"salt": _texts([salt3[i] for i in latest.tolist()])},
    )
    keys = [
        f"{salt3[i]}_{source_object_ids[i]}_{mjd_text[i]}".encode() for i in objects.tolist()
    ]
    batches[rubin.DIA_SOURCE] = cells.batch(
        keys, rubin.DIA_SOURCE, objects, {"salt": _texts([salt3[i] for i in objects.tolist()])}
    )

    first = v["firstDiaSourceMjdTaiFink"].to_pylist()
    ra = v["diaSource.ra"].to_numpy(zero_copy_only=False)
    dec = v["diaSource.dec"].to_numpy(zero_copy_only=False)
    pixels = sky_pixels(ra[latest], dec[latest], rubin.PIXEL_NSIDE).astype(np.int64).tolist()
    keys = [
        rubin.pixel_key(p, first[i], source_object_ids[i])
        for p, i in zip(pixels, latest.tolist(), strict=True)
    ]
    batches[rubin.PIXEL1024] = cells.batch(
        keys, rubin.PIXEL1024, latest, {"pixel1024": pa.array(pixels, pa.int32())}
    )

    # Solar System objects: salt from the packed designation (§3)
    orbits = np.flatnonzero(alerts.has["mpc_orbits"])
    packed = v["mpc_orbits.packed_primary_provisional_designation"].to_pylist()
    salt2 = [None if p is None else rubin.salt2(p) for p in packed]
    keys = [rubin.sso_source_key(packed[i], mjd[i]) for i in orbits.tolist()]
    batches[rubin.SSO_SOURCE] = cells.batch(
        keys, rubin.SSO_SOURCE, orbits, {"salt": _texts([salt2[i] for i in orbits.tolist()])}
    )
    latest_orbits = _latest(packed, mjd, orbits)
    batches[rubin.MPC_ORBITS] = cells.batch(
        [rubin.orbit_key(packed[i]) for i in latest_orbits.tolist()],
        rubin.MPC_ORBITS,
        latest_orbits,
        {"salt": _texts([salt2[i] for i in latest_orbits.tolist()])},
    )
    ss_ids = _ints(v["ssSource.ssObjectId"])
    resolved = np.array([i for i in orbits.tolist() if ss_ids[i] is not None], dtype=np.int64)
    batches[rubin.SSO_RESOLVER] = cells.batch(
        [rubin.sso_resolver_key(ss_ids[i]) for i in resolved.tolist()],
        rubin.SSO_RESOLVER,
        resolved,
    )

    # every alert: where its stamps are (salt from diaSourceId)
    everyone = np.arange(len(alerts), dtype=np.int64)
    batches[rubin.CUTOUTS] = cells.batch(
        [rubin.cutout_key(i) for i in source_ids],
        rubin.CUTOUTS,
        everyone,
        {"hdfs_path": _texts([alerts.hdfs_path] * len(alerts))},
    )

    batches[rubin.FORCED] = _forced_rows(alerts.forced)
    tag_keys = [
        rubin.tag_key(m, i) for m, i in zip(mjd.tolist(), source_object_ids, strict=True)
    ]
    for tag in tags:
        spec = rubin.tag_table(tag)
        batches[spec] = cells.batch(tag_keys, spec, everyone)
    schema = {
        spec: [
            schema_row(pair, {c.column: c.type for c in rubin.columns_of(spec)})
            for pair in sorted(alerts.versions)
        ]
        for spec in [*rubin.COLUMNS, *(rubin.tag_table(t) for t in tags)]
    }
    return LsstRows(alerts.source, len(alerts), batches, schema)


def _forced_rows(forced: Mapping[str, pa.Array]) -> CellBatch:
    """``rubin.fp``: each forced source keyed by its own diaObjectId and MJD (§4.5)."""
    ids = _ints(forced["diaForcedSource.diaObjectId"])
    mjds = forced["diaForcedSource.midpointMjdTai"].to_pylist()
    keys = [rubin.source_key(i, m) for i, m in zip(ids, mjds, strict=True)]
    salts = _texts([rubin.salt3(i) for i in ids])
    cells = _Cells(forced)
    return cells.batch(keys, rubin.FORCED, np.arange(len(keys), dtype=np.int64), {"salt": salts})
