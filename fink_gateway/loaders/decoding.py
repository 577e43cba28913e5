"""Cells → typed values, driven by a table's schema rows (FINK-REFERENCE §2).

Two shapes: records (one dict per row, for single alerts) and columns (one array per column,
decoded in one numpy pass, for light curves and long lists). Float32 columns stay float32 in
columns so that JSON encoding prints their shortest float32 text, as Fink's API does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fink_gateway.layout.cells import decode_value
from fink_gateway.layout.tables import SCHEMA_ROW_PREFIX
from fink_gateway.store.cell_block import CellColumn
from fink_gateway.store.counting import CountingStore
from fink_gateway.store.interface import Store
from fink_gateway.store.types import Column, Row, ScanRange

Types = Mapping[Column, str]
"""``b"fam:qual"`` → Spark type name."""

_NUMPY = {"integer": ">i4", "long": ">i8", "float": ">f4", "double": ">f8", "short": ">i2"}


async def read_table_types(store: Store | CountingStore, table: str, fallback: Types) -> Types:
    """Union of the table's schema rows, over ``fallback`` (the catalog's types)."""
    (rows,) = await store.scan(table, [ScanRange.prefix(SCHEMA_ROW_PREFIX)])
    types = dict(fallback)
    for _, cells in rows:
        for column, value in cells.items():
            types[column] = value.decode()
    return types


def qualifier(column: Column) -> str:
    """``b"i:magpsf"`` → ``"magpsf"``."""
    return column.split(b":", 1)[1].decode()


def decode_record(cells: Mapping[Column, bytes], types: Types) -> dict[str, object]:
    """One row as ``{qualifier: value}``; absent cells are simply absent.

    A NaN float is a null (``None``), as Fink's JSON prints it (§2): GraphQL has no NaN.
    """
    record = {}
    for column, raw in cells.items():
        value = decode_value(raw, types.get(column))
        record[qualifier(column)] = None if value != value else value  # NaN != NaN
    return record


def decode_column(values: Sequence[bytes | None], type_: str | None) -> np.ndarray | list[Any]:
    """One column of many rows.

    Numbers → a numpy array (float32/float64 with NaN where absent; integers as int64, or as
    a list with None when some are absent); anything else → a list of decoded values / None.
    """
    dtype = _NUMPY.get(type_ or "")
    if dtype is None:
        return [None if v is None else decode_value(v, type_) for v in values]
    width = np.dtype(dtype).itemsize
    present = [v is not None and len(v) == width for v in values]
    # mypy cannot tell that a present cell is not None
    if all(present):
        array = np.frombuffer(b"".join(values), dtype=dtype)  # type: ignore[arg-type]
        return array.astype(array.dtype.newbyteorder("="))
    zero = bytes(width)
    filled = b"".join(v if ok else zero for v, ok in zip(values, present, strict=True))  # type: ignore[misc]
    array = np.frombuffer(filled, dtype=dtype).astype(np.dtype(dtype).newbyteorder("="))
    if array.dtype.kind == "f":
        array = array.copy()
        array[~np.asarray(present)] = np.nan
        return array
    return [int(x) if ok else None for x, ok in zip(array.tolist(), present, strict=True)]


def decode_columns(
    rows: Sequence[Row], types: Types, columns: Sequence[Column]
) -> dict[str, np.ndarray | list[Any]]:
    """``{qualifier: column values}`` for ``columns`` over ``rows`` (in row order)."""
    return {
        qualifier(c): decode_column([cells.get(c) for _, cells in rows], types.get(c))
        for c in columns
    }


@dataclass(frozen=True, slots=True)
class Decoded:
    """One column of many rows as one array.

    Floats hold NaN where a cell is absent and text holds None (both print as JSON null);
    integers stay exact int64 with ``valid`` marking the cells present (None: all are).
    """

    values: np.ndarray
    valid: np.ndarray | None = None

    def take(self, order: np.ndarray) -> Decoded:
        valid = None if self.valid is None else self.valid[order]
        return Decoded(self.values[order], valid)

    def series(self, start: int, stop: int) -> np.ndarray | list[Any]:
        """Rows ``start:stop`` for JSON: an array view, or a list with None for absent integers."""
        values = self.values[start:stop]
        if self.valid is None:
            return values
        valid = self.valid[start:stop]
        if valid.all():
            return values
        out: list[Any] = values.tolist()
        for i in np.flatnonzero(~valid).tolist():
            out[i] = None
        return out


def decode_array(values: Sequence[bytes | None], type_: str | None) -> Decoded:
    """One column of many rows (cells in row order, None where absent) in one numpy pass."""
    dtype = _NUMPY.get(type_ or "")
    if dtype is None:
        return Decoded(np.array(
            [None if v is None else decode_value(v, type_) for v in values], dtype=object
        ))
    width = np.dtype(dtype).itemsize
    present = np.fromiter((v is not None and len(v) == width for v in values), bool, len(values))
    # mypy cannot tell that a present cell is not None
    if present.all():
        raw = b"".join(values)  # type: ignore[arg-type]
    else:
        zero = bytes(width)
        raw = b"".join(v if ok else zero for v, ok in zip(values, present.tolist(), strict=True))  # type: ignore[misc]
    array = np.frombuffer(raw, dtype=dtype).astype(np.dtype(dtype).newbyteorder("="))
    if array.dtype.kind == "f":
        array[~present] = np.nan
        return Decoded(array)
    return Decoded(array.astype(np.int64), None if present.all() else present)


def absent(kind: str, n: int) -> Decoded:
    """``n`` absent cells of a column of numpy kind ``kind`` (``f``, ``i`` or ``O``)."""
    if kind == "f":
        return Decoded(np.full(n, np.nan, dtype=np.float32))
    if kind == "i":
        return Decoded(np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool))
    return Decoded(np.full(n, None, dtype=object))


def concatenate(parts: Sequence[Decoded]) -> Decoded:
    """Rows of several decoded columns, one after the other (numeric types widen as numpy's)."""
    values = np.concatenate([p.values for p in parts])
    if all(p.valid is None for p in parts):
        return Decoded(values)
    valid = np.concatenate([
        np.ones(len(p.values), dtype=bool) if p.valid is None else p.valid for p in parts
    ])
    return Decoded(values, valid)


def decode_cells(column: CellColumn, type_: str | None) -> Decoded:
    """A column of raw cells decoded at once: a byte matrix of the type's width becomes an
    array with one numpy view (no per-cell work); anything else goes cell by cell."""
    dtype = _NUMPY.get(type_ or "")
    fixed = column.fixed
    if dtype is None or fixed is None or fixed.shape[1] != np.dtype(dtype).itemsize:
        if fixed is not None and not column.present.any():
            return decode_array([None] * len(column), type_)
        return decode_array(column.as_list(), type_)
    raw = np.ascontiguousarray(fixed).view(dtype).reshape(len(column))
    values = raw.astype(np.dtype(dtype).newbyteorder("="))
    present = column.present
    if values.dtype.kind == "f":
        if not present.all():
            values[~present] = np.nan
        return Decoded(values)
    return Decoded(values.astype(np.int64), None if present.all() else present)
