"""Avro schemas of Fink's Livestream messages → Arrow types, and decoded records → Tables.

Fink writes each alert with Spark's ``to_avro``: a ``topLevelRecord`` whose fields are unions
``[type, "null"]``, nested records for ``candidate`` and the cutouts, arrays of records for
``prv_candidates``, maps for ``mangrove``/``t2``, ``long`` with ``timestamp-micros`` for
timestamps. The Arrow schema built here keeps those types, so a batch of messages becomes the
same nested Table that reading Fink's parquet gives (float32 stays float32, an all-null column
keeps its type), and ingest takes it unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa

_PRIMITIVES: dict[str, pa.DataType] = {
    "null": pa.null(),
    "boolean": pa.bool_(),
    "int": pa.int32(),
    "long": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "bytes": pa.binary(),
    "string": pa.string(),
}
_LOGICAL: dict[str, pa.DataType] = {
    "timestamp-micros": pa.timestamp("us", tz="UTC"),
    "timestamp-millis": pa.timestamp("ms", tz="UTC"),
    "date": pa.date32(),
}


class UnsupportedSchema(ValueError):
    """An Avro schema construct with no Arrow counterpart here (the message is skipped)."""


def arrow_type(schema: Any, named: dict[str, pa.DataType] | None = None) -> pa.DataType:
    """The Arrow type of an Avro schema (a parsed or plain JSON schema)."""
    named = {} if named is None else named
    if isinstance(schema, str):
        if schema in _PRIMITIVES:
            return _PRIMITIVES[schema]
        if schema in named:
            return named[schema]
        raise UnsupportedSchema(f"unknown Avro type {schema!r}")
    if isinstance(schema, list):
        branches = [s for s in schema if s != "null"]
        if not branches:
            return pa.null()
        if len(branches) > 1:
            raise UnsupportedSchema(f"a union of several types: {schema!r}")
        return arrow_type(branches[0], named)
    if not isinstance(schema, Mapping):
        raise UnsupportedSchema(f"not an Avro schema: {schema!r}")
    kind = schema.get("type")
    logical = schema.get("logicalType")
    if isinstance(logical, str) and logical in _LOGICAL:
        return _LOGICAL[logical]
    if kind == "record":
        struct = pa.struct(
            [pa.field(f["name"], arrow_type(f["type"], named)) for f in schema["fields"]]
        )
        named[str(schema.get("name"))] = struct
        return struct
    if kind == "array":
        return pa.list_(arrow_type(schema["items"], named))
    if kind == "map":
        return pa.map_(pa.string(), arrow_type(schema["values"], named))
    if kind == "enum":
        return pa.string()
    if kind == "fixed":
        return pa.binary()
    return arrow_type(kind, named)


def arrow_schema(schema: Mapping[str, Any]) -> pa.Schema:
    """The Arrow schema of a top-level Avro record."""
    struct = arrow_type(schema)
    if not pa.types.is_struct(struct):
        raise UnsupportedSchema("the message schema is not a record")
    return pa.schema(list(struct))


def records_table(records: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Decoded records as a Table of ``schema``; timestamps lose their zone (Fink's parquet
    holds naive UTC times)."""
    table = pa.Table.from_pylist(list(records), schema=schema)
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            naive = pa.timestamp(field.type.unit)
            table = table.set_column(i, field.name, table.column(i).cast(naive))
    return table
