"""Fink's nested alert layout → one typed, flat pyarrow column per main-table column.

Input is a pyarrow Table shaped like Fink's science parquet (root fields, a ``candidate``
struct, ``prv_candidates`` list of structs, ``cutout*`` structs, Fink's science columns
at the root). Output has one array per :data:`~fink_gateway.layout.columns.MAIN_COLUMNS`
entry, cast to its Spark type, with Fink's defaults for absent science columns
(FINK-REFERENCE §1.2), plus the raw nested parts ingest needs for other tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.errors import IngestError
from fink_gateway.layout.columns import ARROW_TYPES, MAIN_COLUMNS, FinkColumn
from fink_gateway.science.classification import legacy_mulens_score

REQUIRED_ROOT = ("objectId", "candid", "candidate")
REQUIRED_CANDIDATE = ("jd", "ra", "dec", "fid", "magpsf", "sigmapsf")

_ROOT_I = {"objectId", "publisher", "schemavsn", "fink_broker_version", "fink_science_version",
           "candid"}
_NESTED = {
    "mangrove_HyperLEDA_name": ("mangrove", "HyperLEDA_name"),
    "mangrove_2MASS_name": ("mangrove", "2MASS_name"),
    "mangrove_lum_dist": ("mangrove", "lum_dist"),
    "mangrove_ang_dist": ("mangrove", "ang_dist"),
    "blazar_stats_m0": ("blazar_stats", "m0"),
    "blazar_stats_m1": ("blazar_stats", "m1"),
    "blazar_stats_m2": ("blazar_stats", "m2"),
}


@dataclass(frozen=True)
class Alerts:
    """A batch of alerts as typed flat columns.

    ``columns`` maps a main-table qualifier (``jd``, ``cdsxmatch``, …) to its typed array;
    ``provided`` names the science columns the input really had (before defaults);
    ``prv_candidates`` and ``cutouts`` keep the nested parts (None when absent).
    """

    source: str
    columns: dict[str, pa.Array]
    provided: frozenset[str]
    prv_candidates: pa.Array | None
    cutouts: dict[str, pa.Array]

    def __len__(self) -> int:
        return len(self.columns["objectId"])

    def numpy(self, name: str, fill: float = np.nan) -> np.ndarray:
        """A numeric column as float64 numpy, nulls → ``fill``."""
        column = self.columns[name].cast(pa.float64()).fill_null(fill)
        return cast(np.ndarray, column.to_numpy(zero_copy_only=False))  # pyarrow is untyped

    def strings(self, name: str, fill: str = "") -> list[str]:
        """A string column as Python strings, nulls → ``fill``."""
        return cast(list[str], self.columns[name].fill_null(fill).to_pylist())  # pyarrow


def _combine(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def _map_or_struct_field(array: pa.Array, field: str) -> pa.Array:
    """A field of a struct column, or a key of a map<string, ...> column."""
    if pa.types.is_struct(array.type):
        if array.type.get_field_index(field) < 0:
            return pa.nulls(len(array))
        return pc.struct_field(array, field)
    if pa.types.is_map(array.type):
        values = [None if m is None else dict(m).get(field) for m in array.to_pylist()]
        return pa.array(values)
    raise TypeError(f"expected a struct or a map, got {array.type}")


def _features_text(array: pa.Array) -> pa.Array:
    """A light-curve feature struct as Fink's text ``[v1, v2, ...]`` (null → ``null``)."""
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array
    out: list[str | None] = []
    for item in array.to_pylist():
        if item is None:
            out.append(None)
            continue
        values = item.values() if isinstance(item, dict) else item
        out.append("[" + ", ".join("null" if v is None else repr(v) for v in values) + "]")
    return pa.array(out, pa.string())


def _cast(array: pa.Array, column: FinkColumn, source: str) -> pa.Array:
    """Cast to the column's Spark type; fractional floats into integers are an error."""
    target = ARROW_TYPES[column.type]
    if array.type == target:
        return array
    if pa.types.is_null(array.type):
        return pa.nulls(len(array), target)
    try:
        if pa.types.is_integer(target) and pa.types.is_floating(array.type):
            values = array.to_numpy(zero_copy_only=False)
            finite = np.isfinite(values)
            if not np.all(values[finite] == np.round(values[finite])):
                raise pa.ArrowInvalid("fractional values in an integer column")
            return pc.cast(pc.if_else(pa.array(finite), array, None), target, safe=False)
        if pa.types.is_dictionary(array.type):
            array = array.cast(array.type.value_type)
        if target == pa.string() and not (
            pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
        ):
            raise pa.ArrowInvalid(f"expected text, got {array.type}")
        return pc.cast(array, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise IngestError(
            source, f"cannot read {array.type} as {column.type}: {exc}", column=column.name
        ) from None


def _source_array(table: pa.Table, candidate: pa.Array, column: FinkColumn) -> pa.Array | None:
    names = table.column_names
    if column.family == "i" and column.name not in _ROOT_I:
        index = candidate.type.get_field_index(column.name)
        return pc.struct_field(candidate, column.name) if index >= 0 else None
    if column.name in _NESTED:
        parent, field = _NESTED[column.name]
        if column.name in names:
            return _combine(table.column(column.name))
        if parent not in names:
            return None
        return _map_or_struct_field(_combine(table.column(parent)), field)
    if column.name not in names:
        return None
    array = _combine(table.column(column.name))
    if column.name == "mulens" and pa.types.is_struct(array.type):
        return pa.array(legacy_mulens_score(array), pa.float64())
    if column.name.startswith("lc_features_"):
        return _features_text(array)
    return array


def read_alerts(table: pa.Table, source: str) -> Alerts:
    """Validate and flatten a Fink alert table; raises :class:`IngestError` naming the column."""
    for name in REQUIRED_ROOT:
        if name not in table.column_names:
            raise IngestError(source, "required column is missing", column=name)
    candidate = _combine(table.column("candidate"))
    if not pa.types.is_struct(candidate.type):
        raise IngestError(source, f"expected a struct, got {candidate.type}", column="candidate")
    for name in REQUIRED_CANDIDATE:
        if candidate.type.get_field_index(name) < 0:
            raise IngestError(source, "required column is missing", column=f"candidate.{name}")

    n = table.num_rows
    columns: dict[str, pa.Array] = {}
    provided: set[str] = set()
    for column in MAIN_COLUMNS:
        array = _source_array(table, candidate, column)
        if array is not None and not pa.types.is_null(array.type):
            provided.add(column.name)
        if array is None:
            array = pa.nulls(n, ARROW_TYPES[column.type])
        array = _cast(array, column, source)
        if column.default is not None:
            array = array.fill_null(pa.scalar(column.default, ARROW_TYPES[column.type]))
        columns[column.name] = array

    for name in ("objectId", "jd", "ra", "dec", "fid"):
        if columns[name].null_count:
            raise IngestError(source, "null values in a required column", column=name)

    has_prv = "prv_candidates" in table.column_names
    prv = _combine(table.column("prv_candidates")) if has_prv else None
    cutouts = {
        kind: _combine(table.column(f"cutout{kind}"))
        for kind in ("Science", "Template", "Difference")
        if f"cutout{kind}" in table.column_names
    }
    return Alerts(source, columns, frozenset(provided), prv, cutouts)


def passes_fink_cuts(alerts: Alerts) -> np.ndarray:
    """Fink's entry cuts (raw2science): ``nbad == 0 AND rb >= 0.55 AND fid != 3``."""
    nbad = alerts.numpy("nbad")
    rb = alerts.numpy("rb")
    fid = alerts.numpy("fid")
    return cast(np.ndarray, (nbad == 0) & (rb >= 0.55) & (fid != 3))  # numpy: == and != are Any



def select_alerts(alerts: Alerts, mask: np.ndarray) -> Alerts:
    """The alerts where ``mask`` is true."""
    keep = pa.array(mask)
    return map_alerts(alerts, lambda array: array.filter(keep))


def slice_alerts(alerts: Alerts, start: int, length: int) -> Alerts:
    """``length`` alerts from position ``start``."""
    return map_alerts(alerts, lambda array: array.slice(start, length))


def map_alerts(alerts: Alerts, row_op: Callable[[pa.Array], pa.Array]) -> Alerts:
    """Apply the same row selection to every per-alert array."""
    return Alerts(
        alerts.source,
        {name: row_op(array) for name, array in alerts.columns.items()},
        alerts.provided,
        None if alerts.prv_candidates is None else row_op(alerts.prv_candidates),
        {kind: row_op(array) for kind, array in alerts.cutouts.items()},
    )
