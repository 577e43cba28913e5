"""Fink's ``output-format``: ``json`` (records, the default), ``csv``, ``parquet`` and
``votable`` of a Fink-shaped table, streamed (JSON and CSV by chunks of rows, Parquet by row
groups). Media types are the standard ones (Fink sends ``application/csv``, ``text/xml`` and
``parquet``)."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pyarrow as pa
from starlette.concurrency import iterate_in_threadpool
from starlette.responses import StreamingResponse

from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.payload import Payload
from fink_gateway.gateway.tabular.formats import TabularFormat
from fink_gateway.gateway.tabular.response import ROWS_PER_CHUNK, encoded_chunks

OUTPUT_FORMATS = ("json", "csv", "parquet", "votable")
_ORJSON = orjson.OPT_SERIALIZE_NUMPY


def output_format(payload: Payload) -> str:
    """The call's ``output-format`` (default ``json``); Fink's 400 for another."""
    name = payload.text("output-format", "json") or "json"
    if name not in OUTPUT_FORMATS:
        raise ApiError(
            f"Output format `{name}` is not supported. Choose among json, csv, votable, "
            "or parquet\n"
        )
    return name


def json_records(table: pa.Table, rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """``[{column: value}, ...]`` (pandas' ``orient="records"``), chunk by chunk."""
    yield b"["
    first = True
    for batch in table.to_batches(max_chunksize=rows_per_chunk):
        rows = batch.to_pylist()
        if not rows:
            continue
        body = orjson.dumps(rows, option=_ORJSON)[1:-1]
        yield body if first else b"," + body
        first = False
    yield b"]"


def records_response(table: pa.Table, fmt: str, filename: str) -> StreamingResponse:
    """The table in Fink's ``output-format`` ``fmt``."""
    if fmt == "json":
        return StreamingResponse(
            iterate_in_threadpool(json_records(table)), media_type="application/json"
        )
    tabular = TabularFormat(fmt)
    return StreamingResponse(
        iterate_in_threadpool(encoded_chunks(table, tabular)),
        media_type=tabular.media_type,
        headers={
            "content-disposition": f'attachment; filename="{filename}.{tabular.extension}"'
        },
    )
