"""Fink's SSO light-curve files → the ``ssnamenr`` and ``sso_ephemerides`` tables.

Fink's monthly SSO file has one row per Solar System object (``ssnamenr``) and aligned list
columns of its ZTF detections: ``cjd`` (JD), ``cra``/``cdec`` (deg), ``cmagpsf``/``csigmapsf``
(mag), ``cfid``; files "with ephemerides" add Miriade's values at each detection: ``Phase``
and ``Elong`` (deg), ``Dobs`` and ``Dhelio`` (AU), ``RA``/``DEC`` (deg) (FINK-REFERENCE §13).

Each point becomes a row ``<ssnamenr>_<jd>`` of ``ssnamenr`` (``i:`` columns with Fink's
types, merged with the alert row of the same key when there is one) and, where its
ephemerides are known, of ``sso_ephemerides`` (``e:<Miriade name>``, doubles). Float32 inputs
are stored as the double of their shortest text (``12.727058``, not ``12.727058410644531``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.errors import IngestError
from fink_gateway.ingest.encoding import encode_column, jd_text
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.layout import tables
from fink_gateway.layout.columns import ARROW_TYPES, BY_NAME
from fink_gateway.store.batch import CellBatch

POINT_COLUMNS: dict[str, str] = {
    "cjd": "jd",
    "cra": "ra",
    "cdec": "dec",
    "cmagpsf": "magpsf",
    "csigmapsf": "sigmapsf",
    "cfid": "fid",
}
"""List column of the file → ``i:`` qualifier of the ``ssnamenr`` table."""

EPHEMERIS_COLUMNS: tuple[str, ...] = ("Phase", "Dobs", "Dhelio", "Elong", "RA", "DEC")
"""Optional list columns, stored as ``e:<name>`` doubles (units: deg, AU, AU, deg, deg, deg)."""


def is_sso_lightcurve_table(table: pa.Table) -> bool:
    """True for Fink's SSO light-curve layout: ``ssnamenr`` plus a list column ``cjd``."""
    if "ssnamenr" not in table.column_names or "cjd" not in table.column_names:
        return False
    kind = table.schema.field("cjd").type
    return cast(bool, pa.types.is_list(kind) or pa.types.is_large_list(kind))  # pyarrow: untyped


@dataclass(frozen=True)
class SsoLightcurves:
    """One file's points, ready to put: ``ssnamenr`` rows, ephemeris rows, object names."""

    source: str
    ssnamenrs: list[str]
    points: CellBatch
    ephemerides: CellBatch

    def __len__(self) -> int:
        return len(self.points)


def _list_column(table: pa.Table, name: str, source: str) -> pa.Array:
    array = table.column(name).combine_chunks()
    if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        raise IngestError(source, f"expected a list column, got {array.type}", column=name)
    return array


def _lengths(array: pa.Array) -> np.ndarray:
    """Items per row; -1 for a null list."""
    lengths = pc.list_value_length(array).fill_null(-1)
    return cast(np.ndarray, lengths.to_numpy(zero_copy_only=False))  # pyarrow is untyped


def _shortest_double(values: pa.Array) -> np.ndarray:
    """Values as float64 (NaN for nulls); float32 through its shortest decimal text."""
    numbers = values.cast(pa.float64()) if not pa.types.is_float32(values.type) else values
    array = numbers.fill_null(np.nan).to_numpy(zero_copy_only=False)
    if array.dtype == np.float32:
        return np.asarray(array.astype(str), dtype=np.float64)
    return np.asarray(array, dtype=np.float64)


def _point_cells(table: pa.Table, counts: np.ndarray, source: str) -> list[tuple[str, pa.Array]]:
    """(qualifier, flat typed values) of every point column, checked against ``cjd``."""
    out = []
    for name, qualifier in POINT_COLUMNS.items():
        if name not in table.column_names:
            raise IngestError(source, "required column is missing", column=name)
        array = _list_column(table, name, source)
        if not np.array_equal(_lengths(array), counts):
            raise IngestError(source, "list lengths differ from those of cjd", column=name)
        target = ARROW_TYPES[BY_NAME[qualifier].type]
        flat = pc.list_flatten(array)
        try:
            typed = flat if flat.type == target else pc.cast(flat, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise IngestError(
                source, f"cannot read {flat.type} as {target}: {exc}", column=name
            ) from None
        out.append((qualifier, typed))
    return out


def _ephemeris_values(
    table: pa.Table, counts: np.ndarray, parents: np.ndarray, source: str
) -> dict[str, np.ndarray]:
    """``{name: float64 per point}`` (NaN where unknown); a null list means "none known"."""
    n_points = int(counts.sum())
    out: dict[str, np.ndarray] = {}
    for name in EPHEMERIS_COLUMNS:
        if name not in table.column_names:
            continue
        array = _list_column(table, name, source)
        lengths = _lengths(array)
        given = lengths >= 0
        if not np.array_equal(lengths[given], counts[given]):
            raise IngestError(source, "list lengths differ from those of cjd", column=name)
        values = np.full(n_points, np.nan)
        values[given[parents]] = _shortest_double(pc.list_flatten(array))
        out[name] = values
    return out


def read_sso_lightcurves(table: pa.Table, source: str) -> SsoLightcurves:
    """Validate and flatten an SSO light-curve table; IngestError names the column."""
    names_column = table.column("ssnamenr").combine_chunks()
    text = pa.types.is_string(names_column.type) or pa.types.is_large_string(names_column.type)
    if names_column.null_count or not text:
        raise IngestError(source, "ssnamenr must be non-null text", column="ssnamenr")
    cjd = _list_column(table, "cjd", source)
    counts = _lengths(cjd)
    if (counts < 0).any():
        raise IngestError(source, "null list of points", column="cjd")
    parents = pc.list_parent_indices(cjd).to_numpy(zero_copy_only=False)
    cells = _point_cells(table, counts, source)
    jd = cells[0][1].to_numpy(zero_copy_only=False)
    if not np.isfinite(jd).all():
        raise IngestError(source, "null or non-finite JD", column="cjd")
    object_names = names_column.to_pylist()
    point_names = np.asarray(object_names, dtype=object)[parents].tolist()
    keys = [f"{s}_{t}".encode() for s, t in zip(point_names, jd_text(jd), strict=True)]

    name_cells = encode_column(pa.array(point_names, pa.string()), "string")
    point_batch = CellBatch(
        keys,
        [(b"i:ssnamenr", name_cells)]
        + [(BY_NAME[q].column, encode_column(v, BY_NAME[q].type)) for q, v in cells],
    )
    ephemerides = _ephemeris_values(table, counts, parents, source)
    known = np.zeros(len(keys), dtype=bool)
    for values in ephemerides.values():
        known |= np.isfinite(values)
    rows = np.flatnonzero(known)
    ephemeris_batch = CellBatch(
        [keys[i] for i in rows.tolist()],
        [
            (f"e:{name}".encode(),
             encode_column(pa.array(v[rows], mask=~np.isfinite(v[rows])), "double"))
            for name, v in ephemerides.items()
        ],
    )  # fmt: skip
    return SsoLightcurves(source, sorted(set(object_names)), point_batch, ephemeris_batch)


async def write_sso_lightcurves(writer: AlertWriter, data: SsoLightcurves) -> int:
    """Put the points and ephemerides; the objects join the SSO resolver at ``finish``.

    Returns the number of points written.
    """
    for spec, batch in ((tables.SSNAMENR, data.points),
                        (tables.SSO_EPHEMERIDES, data.ephemerides)):  # fmt: skip
        if len(batch):
            name = spec.name(writer.prefix)
            writer.counts.rows[name] += await writer.store.put_batch(name, batch)
    writer.add_ssnamenrs(data.ssnamenrs)
    return len(data)
