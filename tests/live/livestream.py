"""A test producer of Fink Livestream messages, built from the real samples in tests/data.

Fink (fink-broker's distribution) writes each alert row with Spark's ``to_avro`` and puts the
Avro schema, as JSON text, in the message key; fink-client's ``AlertConsumer`` parses the key
as the schema and decodes the value with ``fastavro.schemaless_reader``. This module writes
the same: the schema follows Spark's ``SchemaConverters.toAvroType`` (a ``topLevelRecord``,
nested records named after their field in the parent's namespace, nullable fields as unions
``[type, "null"]``, timestamps as ``long``/``timestamp-micros``), one row per message.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
from confluent_kafka import Producer

Message = tuple[bytes, bytes]
"""(key: the JSON Avro schema, value: one schemaless Avro record)."""


def _spark_type(dtype: pa.DataType, name: str, namespace: str) -> Any:
    if pa.types.is_struct(dtype):
        inner = f"{namespace}.{name}" if namespace else name
        return {
            "type": "record",
            "name": name,
            **({"namespace": namespace} if namespace else {}),
            "fields": [
                {"name": f.name, "type": _nullable(_spark_type(f.type, f.name, inner))}
                for f in dtype
            ],
        }
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return {"type": "array", "items": _nullable(_spark_type(dtype.value_type, name, namespace))}
    if pa.types.is_map(dtype):
        return {"type": "map", "values": _nullable(_spark_type(dtype.item_type, name, namespace))}
    if pa.types.is_dictionary(dtype):
        return _spark_type(dtype.value_type, name, namespace)
    if pa.types.is_timestamp(dtype):
        return {"type": "long", "logicalType": "timestamp-micros"}
    simple = {
        pa.null(): "null", pa.bool_(): "boolean", pa.int8(): "int", pa.int16(): "int",
        pa.int32(): "int", pa.int64(): "long", pa.float32(): "float", pa.float64(): "double",
        pa.string(): "string", pa.large_string(): "string", pa.binary(): "bytes",
        pa.large_binary(): "bytes",
    }  # fmt: skip
    return simple[dtype]


def _nullable(avro: Any) -> Any:
    return avro if avro == "null" else [avro, "null"]


def spark_avro_schema(schema: pa.Schema) -> dict[str, Any]:
    """The Avro schema Spark's ``to_avro(struct(*columns))`` gives a frame of ``schema``."""
    return dict(_spark_type(pa.struct(list(schema)), "topLevelRecord", ""))


def _avro_value(value: Any, dtype: pa.DataType) -> Any:
    if value is None:
        return None
    if pa.types.is_struct(dtype):
        return {f.name: _avro_value(value.get(f.name), f.type) for f in dtype}
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return [_avro_value(v, dtype.value_type) for v in value]
    if pa.types.is_map(dtype):
        return {k: _avro_value(v, dtype.item_type) for k, v in value}
    return value


def _spark_ready(table: pa.Table) -> pa.Table:
    """Timestamps as microseconds since the epoch, dictionaries as their values."""
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            micros = table.column(i).cast(pa.timestamp("us")).cast(pa.int64())
            table = table.set_column(i, field.name, micros)
        elif pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(field.type.value_type))
    return table


def table_messages(table: pa.Table) -> list[Message]:
    """One Livestream message per row of a Fink alert table."""
    schema = spark_avro_schema(table.schema)
    parsed = fastavro.parse_schema(schema)
    key = json.dumps(schema).encode()
    ready = _spark_ready(table)
    out = []
    for row in ready.to_pylist():
        record = {f.name: _avro_value(row[f.name], f.type) for f in ready.schema}
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, parsed, record)
        out.append((key, buffer.getvalue()))
    return out


def sample_messages(paths: Iterable[Path]) -> Iterator[Message]:
    """The messages of every row of these Fink parquet files, file by file."""
    for path in paths:
        yield from table_messages(pq.read_table(path))


def produce(servers: str, topic: str, messages: Iterable[Message]) -> int:
    """Write ``messages`` to ``topic`` (created on first use, one partition) and flush."""
    producer = Producer({"bootstrap.servers": servers, "linger.ms": 5})
    count = 0
    for key, value in messages:
        producer.produce(topic, key=key, value=value)
        producer.poll(0)
        count += 1
    assert producer.flush(60) == 0, "messages left unsent"
    return count
