"""CSV, Parquet and VOTable encodings of a table: chunks, types, units, UCDs, nulls."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from astropy.io import votable

from fink_gateway.gateway.tabular.columns import ColumnSpec
from fink_gateway.gateway.tabular.formats import TabularFormat
from fink_gateway.gateway.tabular.response import encoded_chunks
from fink_gateway.gateway.tabular.votable import vounit

SPECS = [
    ColumnSpec("candid", pa.int64(), "value", "BigInt", "Alert id.", None, "meta.id", "i:candid"),
    ColumnSpec("magpsf", pa.float32(), "series", "FloatSeries", "PSF magnitude.", "mag",
               "phot.mag", "i:magpsf"),
    ColumnSpec("jd", pa.float64(), "series", "FloatSeries", "Exposure start.", "JD",
               "time.epoch;obs", "i:jd"),
    ColumnSpec("tag", pa.string(), "series", "StringSeries"),
    ColumnSpec("ok", pa.bool_(), "value", "Boolean"),
    ColumnSpec("stamp", pa.list_(pa.list_(pa.float64())), "array", "Float"),
]  # fmt: skip


def sample(n: int = 5) -> pa.Table:
    arrays = [
        pa.array([3229390645815015015 + i if i != 1 else None for i in range(n)], pa.int64()),
        pa.array(np.array([18.812384] * n, np.float32)),
        pa.array([2460983.8906481 + i for i in range(n)]),
        pa.array(["valid", None] * (n // 2) + ["upperlim"] * (n % 2)),
        pa.array([True, None, False, True, False][:n]),
        pa.array([[[1.0, None], [2.0, 3.0]]] * n),
    ]
    return pa.Table.from_arrays(arrays, schema=pa.schema([s.arrow_field() for s in SPECS]))


def test_csv_streams_in_chunks_and_parses_with_pandas() -> None:
    chunks = list(encoded_chunks(sample(), TabularFormat.CSV, rows_per_chunk=2))
    assert len(chunks) >= 3  # header with the first rows, then the rest
    frame = pd.read_csv(io.BytesIO(b"".join(chunks)))
    assert frame["candid"].iloc[0] == 3229390645815015015  # digits, not a rounded float
    assert pd.isna(frame["candid"].iloc[1])
    assert b"18.812384," in b"".join(chunks)  # float32 as its shortest text
    assert frame["stamp"].iloc[0] == "[[1.0,null],[2.0,3.0]]"


def test_parquet_is_written_by_row_groups_and_round_trips_types() -> None:
    content = b"".join(encoded_chunks(sample(), TabularFormat.PARQUET, rows_per_chunk=2))
    parquet = pq.ParquetFile(io.BytesIO(content))
    assert parquet.metadata.num_row_groups == 3
    table = parquet.read()
    assert table.schema.field("candid").type == pa.int64()
    assert table.schema.field("magpsf").type == pa.float32()
    assert table.schema.field("magpsf").metadata[b"unit"] == b"mag"
    assert table.equals(sample())


def test_votable_carries_types_units_ucds_and_descriptions() -> None:
    content = b"".join(encoded_chunks(sample(), TabularFormat.VOTABLE))
    parsed = votable.parse(io.BytesIO(content)).get_first_table()
    fields = {f.name: f for f in parsed.fields}
    assert fields["candid"].datatype == "long" and fields["candid"].ucd == "meta.id"
    assert fields["magpsf"].datatype == "float" and str(fields["magpsf"].unit) == "mag"
    assert str(fields["jd"].unit) == "d"  # the catalogue's JD in VOUnit
    assert fields["magpsf"].description == "PSF magnitude."
    assert fields["ok"].datatype == "boolean"
    table = parsed.to_table()
    assert table["candid"][0] == 3229390645815015015 and table["candid"].mask[1]
    assert table["ok"].mask[1]


def test_vounit_leaves_out_what_vounit_cannot_say() -> None:
    assert (vounit("JD"), vounit("pixels"), vounit("DN"), vounit("mag^2")) == (
        "d", "pix", "adu", "mag2")
    assert vounit("furlongs per fortnight") is None and vounit(None) is None
