"""Tables shaped as Fink's API frames (FINK-REFERENCE §2, §8): Fink's column names
(``i:magpsf``, ``d:tag``, ``v:lapse``), integers as int64, every float as float64 — a float32
column as the float64 of its shortest text, as Fink's Java client hands it over
(18.812384f → 18.812384)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.science.times import iso_time


def fink_column_of(field: pa.Field) -> str | None:
    """The main-table column a tabular field carries (its ``fink_column`` metadata)."""
    value = (field.metadata or {}).get(b"fink_column")
    return None if value is None else value.decode()


def fink_typed(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A column in Fink's pandas dtypes: float32 → float64 of its shortest text, any
    integer → int64; others unchanged."""
    if pa.types.is_float32(column.type):
        return pc.cast(pc.cast(column, pa.string()), pa.float64())
    if pa.types.is_integer(column.type) and not pa.types.is_int64(column.type):
        return pc.cast(column, pa.int64())
    return column


def renamed(table: pa.Table, names: Mapping[str, str]) -> pa.Table:
    """The columns of ``table`` that have a Fink name (``names`` by tabular name, else their
    ``fink_column``), renamed and typed as Fink's; the others dropped. Metadata is kept."""
    fields: list[pa.Field] = []
    columns: list[pa.ChunkedArray | pa.Array] = []
    for field, column in zip(table.schema, table.columns, strict=True):
        name = names.get(field.name) or fink_column_of(field)
        if name is None or name in (f.name for f in fields):
            continue
        typed = fink_typed(column)
        fields.append(pa.field(name, typed.type, metadata=field.metadata))
        columns.append(typed)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def with_column(
    table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray,
    metadata: Mapping[str, str] | None = None,
) -> pa.Table:  # fmt: skip
    """``table`` with column ``name`` set (replaced, or appended)."""
    field = pa.field(name, values.type, metadata=dict(metadata or {}))
    index = table.schema.get_field_index(name)
    if index >= 0:
        return table.set_column(index, field, values)
    return table.append_column(field, values)


def constant(table: pa.Table, value: object, type_: pa.DataType) -> pa.Array:
    """A column of ``value`` on every row of ``table``."""
    return pa.array([value] * table.num_rows, type=type_)


def iso_dates(jds: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Fink's ``v:lastdate`` text (``2025-11-04 09:22:31.996``) of JDs (null stays null)."""
    return pa.array(
        [None if jd is None or jd != jd else iso_time(jd)[:-1].replace("T", " ")
         for jd in jds.to_pylist()],
        type=pa.string(),
    )  # fmt: skip


def drop_empty(table: pa.Table, keep: Callable[[str], bool] = lambda name: False) -> pa.Table:
    """``table`` without the columns null on every row (Fink's frames have no column for
    cells absent from every row), except those ``keep`` names."""
    empty = [
        name for name, column in zip(table.column_names, table.columns, strict=True)
        if column.null_count == len(column) and not keep(name)
    ]  # fmt: skip
    return table.drop_columns(empty) if empty and table.num_rows else table


def ordered(table: pa.Table, first: Sequence[str]) -> pa.Table:
    """``table`` with the columns ``first`` (those present) before the others."""
    names = [n for n in first if n in table.column_names]
    rest = [n for n in table.column_names if n not in names]
    return table.select(names + rest)


def sorted_by(table: pa.Table, column: str, descending: bool = True) -> pa.Table:
    """Rows sorted on ``column`` (stable; nulls last), when the table has it."""
    if column not in table.column_names or table.num_rows < 2:
        return table
    order = "descending" if descending else "ascending"
    indices = pc.sort_indices(table, sort_keys=[(column, order)])
    return table.take(indices)


def masked(column: pa.ChunkedArray | pa.Array, keep: np.ndarray) -> pa.Array:
    """``column`` with nulls where ``keep`` is false."""
    values = column.to_pylist()
    return pa.array([v if k else None for v, k in zip(values, keep.tolist(), strict=True)],
                    type=column.type)  # fmt: skip
