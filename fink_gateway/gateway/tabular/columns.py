"""One column of a tabular answer: its name, Arrow type, unit, description and UCD.

Types come from the GraphQL type of the selected field, refined by the column catalogue
(:func:`~fink_gateway.layout.catalogue.stored_column`) when the field carries a stored
column (``metadata={"fink_column": "i:magpsf"}`` on the strawberry field; ``r:psfFlux``
for a Rubin one): Fink's ``float`` columns stay float32, ``long`` ones int64 even when a
series carries them as text (``LightCurve.candid``, ``LsstLightCurve.sourceId``),
``integer`` ones int32.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from fink_gateway.layout.catalogue import stored_column
from fink_gateway.layout.columns import ARROW_TYPES

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
        stored = stored_column(fink_column)
        description = stored.description or description
        unit = unit or stored.unit
        ucd = stored.ucd
        if stored.type is not None and stored.type != "boolean":
            arrow_type = _refined(arrow_type, ARROW_TYPES[stored.type])
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
