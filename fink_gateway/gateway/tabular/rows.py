"""A query's executed data as an Arrow table, following its :class:`TablePlan`.

Each row item gives one row, or one row per point when it holds series: its values (and the
values outside the rows) are repeated on every point. Series of one item must be aligned
(same length); an item whose series are all null gives one row. A null row item, or a null
object on the way to the rows, gives no row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import orjson
import pyarrow as pa

from fink_gateway.errors import NotTabular
from fink_gateway.gateway.tabular.columns import SERIES, ColumnSpec
from fink_gateway.gateway.tabular.plan import Leaf, Path, TablePlan

_MISSING = object()


def _get(value: Any, path: Path) -> Any:
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def build_table(plan: TablePlan, data: Mapping[str, Any] | None) -> pa.Table:
    """The table of ``data`` (the ``data`` of an execution result, before JSON encoding)."""
    if plan.row_path is None:
        outer: list[Leaf] = []
        inner = plan.outer
        items: Sequence[Any] = [data or {}]
    else:
        outer, inner = plan.outer, plan.inner
        found = _get(data, plan.row_path)
        items = [i for i in found if i is not None] if isinstance(found, list) else []
    series = [leaf for leaf in inner if leaf.spec.kind == SERIES]
    values = [leaf for leaf in inner if leaf.spec.kind != SERIES]
    counts: list[int] = []
    pieces: dict[int, list[Any]] = {id(leaf): [] for leaf in inner}
    for item in items:
        got = [_get(item, leaf.path) for leaf in series]
        lengths = {len(v) for v in got if v is not None}
        if len(lengths) > 1:
            names = [leaf.spec.name for leaf in series]
            raise NotTabular(
                f"the series {', '.join(names)} are not aligned (lengths {sorted(lengths)}): "
                "each row explodes into the points of one light curve; ask for the others "
                "in another query",
                columns=names,
            )
        n = lengths.pop() if lengths else 1
        counts.append(n)
        for leaf, value in zip(series, got, strict=True):
            pieces[id(leaf)].append(value if value is not None else [None] * n)
        for leaf in values:
            pieces[id(leaf)].append(_get(item, leaf.path))
    total = int(sum(counts))
    repeat = np.asarray(counts, dtype=np.int64)
    arrays = [
        _repeated(_get(data, leaf.path), total, leaf.spec) for leaf in outer
    ] + [
        _series(pieces[id(leaf)], leaf.spec) if leaf.spec.kind == SERIES
        else _values(pieces[id(leaf)], repeat, leaf.spec)
        for leaf in inner
    ]  # fmt: skip
    schema = pa.schema([spec.arrow_field() for spec in plan.columns])
    return pa.Table.from_arrays(arrays, schema=schema)


def _repeated(value: Any, n: int, spec: ColumnSpec) -> pa.Array:
    return _values([value], np.asarray([n], dtype=np.int64), spec)


def _values(values: list[Any], counts: np.ndarray, spec: ColumnSpec) -> pa.Array:
    """One value per row item, repeated ``counts`` times."""
    converted = [_python(v, spec.arrow_type) for v in values]
    column = np.empty(len(converted), dtype=object)
    column[:] = converted
    return pa.array(np.repeat(column, counts) if len(column) else column, type=spec.arrow_type)


def _python(value: Any, type_: pa.DataType) -> Any:
    """A JSON-ready value in the Python form Arrow takes for ``type_``."""
    if value is None:
        return None
    if pa.types.is_integer(type_) and isinstance(value, str):
        return int(value)  # BigInt text
    if pa.types.is_string(type_) and not isinstance(value, str):
        return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    if pa.types.is_list(type_) and hasattr(value, "tolist"):
        return value.tolist()
    return value


def _series(pieces: list[Any], spec: ColumnSpec) -> pa.Array:
    """The points of every row item, concatenated (NaN and None are nulls)."""
    type_ = spec.arrow_type
    if pa.types.is_floating(type_):
        dtype = type_.to_pandas_dtype()
        parts = [np.asarray(p, dtype=np.float64).astype(dtype, copy=False) for p in pieces]
        joined = np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
        return pa.array(joined, type=type_, from_pandas=True)
    if pa.types.is_integer(type_):
        values, mask = zip(*(_integers(p) for p in pieces), strict=True) if pieces else ((), ())
        joined = np.concatenate(values) if values else np.empty(0, dtype=np.int64)
        nulls = np.concatenate(mask) if mask else np.empty(0, dtype=bool)
        return pa.array(joined, type=type_, mask=nulls)
    items = [v for p in pieces for v in (p.tolist() if hasattr(p, "tolist") else p)]
    if pa.types.is_boolean(type_):
        return pa.array([v if isinstance(v, bool) else None for v in items], type=type_)
    return pa.array([None if v is None else v if isinstance(v, str) else str(v) for v in items],
                    type=type_)  # fmt: skip


def _integers(piece: Any) -> tuple[np.ndarray, np.ndarray]:
    """(int64 values, null mask) of one series of integers (ints, floats with NaN, None,
    or decimal texts)."""
    if isinstance(piece, np.ndarray) and piece.dtype.kind in "iu":
        return piece.astype(np.int64, copy=False), np.zeros(len(piece), dtype=bool)
    items = piece.tolist() if hasattr(piece, "tolist") else list(piece)
    mask = np.array([v is None or (isinstance(v, float) and v != v) for v in items], dtype=bool)
    values = np.array([0 if m else int(v) for v, m in zip(items, mask, strict=True)],
                      dtype=np.int64)  # fmt: skip
    return values, mask
