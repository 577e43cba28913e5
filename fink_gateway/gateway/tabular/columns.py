"""One column of a tabular answer: its name, Arrow type, unit, description and UCD.

Types come from the GraphQL type of the selected field, refined by the column catalogue
when the field carries a main-table column (``metadata={"fink_column": "i:magpsf"}`` on
the strawberry field): Fink's ``float`` columns stay float32, ``long`` ones int64 even when
a series carries them as text (``LightCurve.candid``), ``integer`` ones int32.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from fink_gateway.layout.column_docs import column_doc
from fink_gateway.layout.column_ucds import column_ucd
from fink_gateway.layout.columns import ARROW_TYPES, BY_NAME, PIXEL_COLUMNS

SERIES_SCALARS = frozenset({"FloatSeries", "IntSeries", "StringSeries", "BooleanSeries"})
"""Scalars holding one value per light-curve point (exploded to one row per point)."""

VALUE = "value"
SERIES = "series"
ARRAY = "array"

_SCALAR_TYPES: dict[str, pa.DataType] = {
    "Int": pa.int32(),
    "Float": pa.float64(),
    "String": pa.string(),
    "ID": pa.string(),
    "Boolean": pa.bool_(),
    "BigInt": pa.int64(),
    "FloatSeries": pa.float64(),
    "IntSeries": pa.int64(),
    "StringSeries": pa.string(),
    "BooleanSeries": pa.bool_(),
}
_EXTRA_TYPES = {c.name: c.type for c in PIXEL_COLUMNS}  # d:classification of pixel128


@dataclass(frozen=True)
class ColumnSpec:
    """A column of the table: ``kind`` is ``value`` (one per row object), ``series`` (one
    per point) or ``array`` (a list of scalars held in one cell)."""

    name: str
    arrow_type: pa.DataType
    kind: str
    graphql_type: str
    description: str = ""
    unit: str | None = None
    ucd: str | None = None
    fink_column: str | None = None

    def arrow_field(self) -> pa.Field:
        """The Arrow field, with unit, description, UCD and Fink column as metadata."""
        metadata = {
            key: value
            for key, value in (
                ("description", self.description),
                ("unit", self.unit),
                ("ucd", self.ucd),
                ("fink_column", self.fink_column),
                ("graphql_type", self.graphql_type),
            )
            if value
        }
        return pa.field(self.name, self.arrow_type, nullable=True, metadata=metadata)


def stored_type(fink_column: str) -> str | None:
    """The Spark type name of a catalogue column (``i:magpsf`` → ``float``), or None."""
    qualifier = fink_column.partition(":")[2] or fink_column
    column = BY_NAME.get(qualifier)
    return column.type if column is not None else _EXTRA_TYPES.get(qualifier)


def column_spec(
    name: str, graphql_type: str, kind: str, metadata: Mapping[str, Any], description: str,
    depth: int = 0,
) -> ColumnSpec:  # fmt: skip
    """The column of a field of GraphQL named type ``graphql_type`` (an enum or custom
    scalar without a known type becomes text); ``depth``: list levels of an array column."""
    fink_column = metadata.get("fink_column")
    unit = metadata.get("unit")
    ucd = None
    arrow_type = _SCALAR_TYPES.get(graphql_type, pa.string())
    if fink_column:
        qualifier = fink_column.partition(":")[2] or fink_column
        doc = column_doc(qualifier)
        description = doc.description or description
        unit = unit or doc.unit
        ucd = column_ucd(qualifier)
        spark = stored_type(fink_column)
        if spark is not None and spark != "boolean":
            arrow_type = _refined(arrow_type, ARROW_TYPES[spark])
    for _ in range(depth):
        arrow_type = pa.list_(arrow_type)
    return ColumnSpec(name, arrow_type, kind, graphql_type, description, unit, ucd, fink_column)


def _refined(graphql: pa.DataType, stored: pa.DataType) -> pa.DataType:
    """The stored type where it is the exact form of what GraphQL carries."""
    if pa.types.is_floating(graphql) and pa.types.is_floating(stored):
        return stored
    if pa.types.is_integer(graphql) and pa.types.is_integer(stored):
        return stored
    if pa.types.is_string(graphql) and pa.types.is_integer(stored):
        return stored  # 64-bit ids carried as decimal text (LightCurve.candid)
    return graphql
