"""Parquet answers, written one row group at a time; column units, descriptions and UCDs
travel as Arrow field metadata."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from fink_gateway.gateway.tabular.sink import ChunkSink


def parquet_chunks(table: pa.Table, rows_per_group: int) -> Iterator[bytes]:
    """The Parquet file of ``table``, one row group of ``rows_per_group`` rows at a time."""
    sink = ChunkSink()
    writer = pq.ParquetWriter(sink, table.schema, compression="zstd")
    try:
        for batch in table.to_batches(max_chunksize=rows_per_group):
            writer.write_batch(batch, row_group_size=rows_per_group)
            chunk = sink.take()
            if chunk:
                yield chunk
    finally:
        writer.close()
    yield sink.take()
