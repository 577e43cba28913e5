"""A table as an HTTP response in a tabular format, encoded in worker threads chunk by chunk
so that the event loop keeps serving other requests meanwhile."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyarrow as pa
from starlette.concurrency import iterate_in_threadpool
from starlette.responses import StreamingResponse

from fink_gateway.gateway.tabular.csv import csv_chunks
from fink_gateway.gateway.tabular.formats import TabularFormat
from fink_gateway.gateway.tabular.parquet import parquet_chunks
from fink_gateway.gateway.tabular.votable import votable_bytes

ROWS_PER_CHUNK = 50_000
"""Rows per CSV chunk and per Parquet row group."""


def encoded_chunks(
    table: pa.Table, fmt: TabularFormat, rows_per_chunk: int = ROWS_PER_CHUNK,
    description: str | None = None,
) -> Iterator[bytes]:  # fmt: skip
    """The bytes of ``table`` in ``fmt``, chunk by chunk (VOTable in one piece)."""
    if fmt is TabularFormat.CSV:
        yield from csv_chunks(table, rows_per_chunk)
    elif fmt is TabularFormat.PARQUET:
        yield from parquet_chunks(table, rows_per_chunk)
    else:
        yield votable_bytes(table, description)


def table_response(
    table: pa.Table, fmt: TabularFormat, filename: str, headers: Mapping[str, str] | None = None,
    media_type: str | None = None,
) -> StreamingResponse:  # fmt: skip
    """A streamed response of ``table`` in ``fmt``, offered for download as ``filename``."""
    return StreamingResponse(
        iterate_in_threadpool(encoded_chunks(table, fmt)),
        media_type=media_type or fmt.media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}.{fmt.extension}"',
            **(headers or {}),
        },
    )
