"""CSV answers: a header line, then the rows, written in chunks of rows (Arrow's writer).

Nulls are empty fields, text is quoted, 64-bit integers are written as digits and float32
columns as their shortest text (``18.812384``). Lists of scalars (a stamp's pixels) are
JSON text in one field.
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pyarrow as pa
import pyarrow.csv as pa_csv

from fink_gateway.gateway.tabular.sink import ChunkSink


def as_text_lists(table: pa.Table) -> pa.Table:
    """``table`` with every list column replaced by its values as JSON text."""
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type):
            texts = [None if v is None else orjson.dumps(v).decode()
                     for v in table.column(i).to_pylist()]  # fmt: skip
            table = table.set_column(i, field.with_type(pa.string()), pa.array(texts, pa.string()))
    return table


def csv_chunks(table: pa.Table, rows_per_chunk: int) -> Iterator[bytes]:
    """The CSV text of ``table``, ``rows_per_chunk`` rows at a time (the header first)."""
    table = as_text_lists(table)
    sink = ChunkSink()
    writer = pa_csv.CSVWriter(
        sink, table.schema, write_options=pa_csv.WriteOptions(quoting_style="needed")
    )
    try:
        if table.num_rows == 0:
            writer.write_table(table)
            yield sink.take()
        for batch in table.to_batches(max_chunksize=rows_per_chunk):
            writer.write_batch(batch)
            yield sink.take()
    finally:
        writer.close()
    rest = sink.take()
    if rest:
        yield rest
