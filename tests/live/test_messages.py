"""``MessageDecoder``: Livestream messages → alert tables; what is not a Fink alert is named
by its position and skipped, the rest decoded (no broker needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from fink_gateway.ingest.follow.messages import MessageDecoder, Position, RawMessage
from tests.data_paths import FINK_ZTF
from tests.live.livestream import spark_avro_schema, table_messages

SAMPLE = FINK_ZTF / "science_20250114.parquet"


def raw(messages: list[tuple[bytes | None, bytes | None]]) -> list[RawMessage]:
    return [RawMessage(Position("t", 0, i), k, v) for i, (k, v) in enumerate(messages)]


def test_decoder_keeps_the_types_of_fink_parquet() -> None:
    table = pq.read_table(SAMPLE)
    decoded = MessageDecoder().decode(raw(list(table_messages(table))))
    assert not decoded.malformed
    ((got, positions),) = decoded.tables
    assert [p.offset for p in positions] == list(range(table.num_rows))
    assert got.schema.field("candidate").type.field("magpsf").type == "float"
    assert got.column("objectId").to_pylist() == table.column("objectId").to_pylist()


def test_decoder_names_and_skips_malformed_messages() -> None:
    (good,) = table_messages(pq.read_table(SAMPLE).slice(0, 1))
    key, value = good
    decoded = MessageDecoder().decode(
        raw([good, (key, b"\x02garbage"), (b"2.7_3.10.1", value), (b"{not json", value),
             (key, None), good])
    )  # fmt: skip
    assert [str(m.position) for m in decoded.malformed] == ["t[0]@1", "t[0]@2", "t[0]@3", "t[0]@4"]
    assert "no --schema file" in decoded.malformed[1].reason
    assert sum(t.num_rows for t, _ in decoded.tables) == 2


def test_decoder_reads_version_keyed_messages_with_a_schema_file(tmp_path: Path) -> None:
    table = pq.read_table(SAMPLE)
    schema_file = tmp_path / "schema.avsc"
    schema_file.write_text(json.dumps(spark_avro_schema(table.schema)))
    ((_, value),) = table_messages(table.slice(0, 1))
    decoded = MessageDecoder(schema_file).decode(raw([(b"2.7_3.10.1", value)]))
    assert not decoded.malformed and decoded.tables[0][0].num_rows == 1
