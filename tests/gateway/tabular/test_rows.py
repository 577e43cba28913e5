"""Building the table of an executed answer: rows, exploded series, nulls, exact types."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from graphql import parse

from fink_gateway.errors import NotTabular
from fink_gateway.gateway.tabular.plan import plan_table
from fink_gateway.gateway.tabular.rows import build_table
from fink_gateway.schema.build import build_schema

SCHEMA = build_schema()._schema
QUERY = '{ objects(objectIds: ["a", "b"]) { objectId lightcurve { jd magpsf fid candid } } }'


def table_of(query: str, data: dict[str, object]) -> pa.Table:
    return build_table(plan_table(SCHEMA, parse(query), None, None), data)


def test_series_explode_with_the_parent_repeated() -> None:
    data = {"objects": [
        {"objectId": "a", "lightcurve": {
            "jd": np.array([1.0, 2.0]), "magpsf": np.array([18.812384, np.nan], np.float32),
            "fid": [1, None], "candid": ["3229390645815015015", None]}},
        None,  # an unknown id gives no row
        {"objectId": "b", "lightcurve": {
            "jd": np.array([3.0]), "magpsf": np.array([19.5], np.float32),
            "fid": np.array([2]), "candid": ["1"]}},
    ]}  # fmt: skip
    table = table_of(QUERY, data)
    assert table.column("objectId").to_pylist() == ["a", "a", "b"]
    assert table.column("lightcurve.jd").to_pylist() == [1.0, 2.0, 3.0]
    assert table.schema.field("lightcurve.magpsf").type == pa.float32()
    assert table.column("lightcurve.magpsf").to_pylist()[1] is None  # NaN is a null
    assert table.column("lightcurve.fid").to_pylist() == [1, None, 2]
    assert table.column("lightcurve.candid").to_pylist() == [3229390645815015015, None, 1]


def test_series_that_are_not_aligned_are_refused() -> None:
    data = {"objects": [{"objectId": "a", "lightcurve": {
        "jd": [1.0, 2.0], "magpsf": [1.0], "fid": [1, 2], "candid": [None, None]}}]}
    with pytest.raises(NotTabular, match="not aligned"):
        table_of(QUERY, data)


def test_values_outside_the_rows_repeat_on_every_row() -> None:
    query = "{ conesearch(ra: 1, dec: 2, radius: 3) { totalCount nodes { separation } } }"
    data = {"conesearch": {"totalCount": 2, "nodes": [{"separation": 1.5}, {"separation": 2}]}}
    table = table_of(query, data)
    assert table.to_pydict() == {"totalCount": [2, 2], "separation": [1.5, 2.0]}


def test_null_object_on_the_way_to_the_rows_gives_an_empty_table() -> None:
    query = '{ object(objectId: "a") { objectId alerts { nodes { candid } } } }'
    table = table_of(query, {"object": None})
    assert table.num_rows == 0
    assert table.schema.field("candid").type == pa.int64()
