"""Fink Livestream messages → alert Tables (what fink-client's ``AlertConsumer`` decodes).

A message's key holds its Avro schema as JSON text and its value one schemaless Avro record
(Fink's current format). Older streams keyed messages by a schema version string: those need
the schema file (``schema_path``, as fink-client's ``schema_path``). A message that does not
decode is a :class:`MalformedMessage` naming its topic, partition and offset; the others of a
batch go on.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastavro
import pyarrow as pa

from fink_gateway.ingest.follow.avro_arrow import UnsupportedSchema, arrow_schema, records_table


@dataclass(frozen=True)
class Position:
    """Where a message sits: topic, partition, offset."""

    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}[{self.partition}]@{self.offset}"


@dataclass(frozen=True)
class RawMessage:
    """A consumed message's bytes and position (decoupled from the Kafka client)."""

    position: Position
    key: bytes | None
    value: bytes | None


class MalformedMessage(ValueError):
    """A message that is not a Fink alert: not Avro, a wrong or missing schema."""

    def __init__(self, position: Position, reason: str) -> None:
        super().__init__(f"{position}: {reason}")
        self.position = position
        self.reason = reason


@dataclass(frozen=True)
class _Schema:
    parsed: Any
    arrow: pa.Schema


@dataclass
class DecodedBatch:
    """Alert tables of a batch (consecutive messages of one schema share a table), the
    position of each row, and the messages skipped."""

    tables: list[tuple[pa.Table, list[Position]]]
    malformed: list[MalformedMessage]


class MessageDecoder:
    """Decodes messages, parsing each distinct schema once."""

    def __init__(self, schema_path: Path | None = None) -> None:
        self._schemas: dict[bytes, _Schema] = {}
        self._fallback: _Schema | None = None
        if schema_path is not None:
            self._fallback = _schema(json.loads(schema_path.read_text()))

    def _schema_of(self, message: RawMessage) -> _Schema:
        key = message.key or b""
        cached = self._schemas.get(key)
        if cached is not None:
            return cached
        try:
            text: Any = json.loads(key)
        except (ValueError, UnicodeDecodeError):  # not JSON: a version name (older streams)
            if self._fallback is None:
                raise MalformedMessage(
                    message.position,
                    "the key is not an Avro schema (JSON) and no --schema file was given",
                ) from None
            schema = self._fallback
        else:
            try:
                schema = _schema(text)
            except Exception as exc:  # fastavro's parser raises many kinds on odd schemas
                reason = f"unusable schema in the key: {exc}"
                raise MalformedMessage(message.position, reason) from None
        if len(self._schemas) < 256:  # a stream has a handful of schemas
            self._schemas[key] = schema
        return schema

    def _record(self, message: RawMessage, schema: _Schema) -> dict[str, Any]:
        if not message.value:
            raise MalformedMessage(message.position, "empty value")
        buffer = io.BytesIO(message.value)
        try:
            record = fastavro.schemaless_reader(buffer, schema.parsed)
        except Exception as exc:  # fastavro raises many kinds on garbage bytes
            raise MalformedMessage(message.position, f"not Avro of its schema: {exc!r}") from None
        if not isinstance(record, dict) or buffer.tell() != len(message.value):
            raise MalformedMessage(message.position, "not Avro of its schema: bytes left over")
        return record

    def decode(self, messages: Sequence[RawMessage]) -> DecodedBatch:
        """Decode a batch; consecutive messages of one schema become one Table."""
        out = DecodedBatch([], [])
        group: list[dict[str, Any]] = []
        positions: list[Position] = []
        current: _Schema | None = None

        def close_group() -> None:
            if current is None or not group:
                return
            try:
                table = records_table(group, current.arrow)
            except (pa.ArrowException, ValueError, TypeError) as exc:
                out.malformed.extend(
                    MalformedMessage(p, f"values do not fit the schema: {exc}") for p in positions
                )
                return
            out.tables.append((table, list(positions)))

        for message in messages:
            try:
                schema = self._schema_of(message)
                record = self._record(message, schema)
            except MalformedMessage as exc:
                out.malformed.append(exc)
                continue
            if schema is not current:
                close_group()
                group, positions, current = [], [], schema
            group.append(record)
            positions.append(message.position)
        close_group()
        return out


def _schema(schema: Any) -> _Schema:
    if not isinstance(schema, dict):
        raise UnsupportedSchema("the key's JSON is not an Avro record schema")
    return _Schema(fastavro.parse_schema(schema), arrow_schema(schema))
