"""``/api/v1/objects`` against the samples, on both backends: every sample object, column by
column, equals the frame built from the parquet files in ``expected_objects``."""

from __future__ import annotations

import gzip
import io
import math
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from astropy.io import fits

from tests.data_paths import SCIENCE_FILES
from tests.gateway.api_v1.conftest import Served
from tests.gateway.api_v1.expected_objects import FINK_DEFAULTS, expected_frame

KEY = ("i:objectId", "i:jd", "d:tag")


def records(content: bytes, fmt: str) -> list[dict[str, Any]]:
    """The answer's rows (JSON parsed exactly; Parquet read with its own types)."""
    if fmt == "json":
        rows: list[dict[str, Any]] = orjson.loads(content)
        return rows
    return pq.read_table(io.BytesIO(content)).to_pylist()


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(k) or "" for k in KEY)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def assert_columns_equal(got: list[dict[str, Any]], want: list[dict[str, Any]],
                         columns: list[str]) -> None:  # fmt: skip
    got, want = sorted(got, key=_key), sorted(want, key=_key)
    assert [_key(r) for r in got] == [_key(r) for r in want]
    for column in columns:
        values = [r.get(column) for r in got]
        expected = [r.get(column) for r in want]
        wrong = [(_key(r), v, e) for r, v, e in zip(want, values, expected, strict=True)
                 if not _same(v, e)]  # fmt: skip
        assert not wrong, f"{column}: {len(wrong)} rows differ, e.g. {wrong[:3]}"


@pytest.mark.parametrize("fmt", ["json", "parquet"])
@pytest.mark.parametrize("with_upper", [False, True], ids=["alerts", "withupperlim"])
def test_objects_equal_the_samples_column_by_column(
    served_each: Served, fmt: str, with_upper: bool
) -> None:
    ids = served_each.object_ids
    response = served_each.client.post("/api/v1/objects", json={
        "objectId": ",".join(ids), "withupperlim": with_upper, "output-format": fmt})
    assert response.status_code == 200, response.text
    got = records(response.content, fmt)
    want = expected_frame(ids, with_upper)
    assert len(got) == len(want)
    jds = [r["i:jd"] for r in got]
    assert jds == sorted(jds, reverse=True), "Fink sorts on i:jd, newest first"
    expected = want.replace({np.nan: None}).to_dict("records")
    assert_columns_equal(got, expected, list(want.columns))
    assert {f"d:{n}" for n in FINK_DEFAULTS} <= set(got[0])
    assert {"v:rate", "v:g-r", "v:sigma(rate(g-r))"} <= set(got[0])


def test_objects_parquet_keeps_fink_types(served_each: Served) -> None:
    response = served_each.client.get("/api/v1/objects", params={
        "objectId": "ZTF25abuovxv", "withupperlim": "True", "output-format": "parquet"})
    schema = pq.read_table(io.BytesIO(response.content)).schema
    assert schema.field("i:candid").type == pa.int64()
    assert schema.field("i:pid").type == pa.int64()
    assert schema.field("i:fid").type == pa.int64()
    assert schema.field("i:magpsf").type == pa.float64()  # Fink's float64 of float32 text
    assert schema.field("d:is_transient").type == pa.bool_()
    assert schema.field("v:lastdate").type == pa.string()
    assert (schema.field("i:magpsf").metadata or {}).get(b"unit") == b"mag"


def test_objects_colour_block_matches_fink_example(served: Served) -> None:
    # FINK-REFERENCE §8 item 4: r 15.566096 and g 16.972139, 0.02 d apart
    got = served.client.post("/api/v1/objects", json={"objectId": "ZTF18aazvgoc"}).json()
    coloured = [r for r in got if r["v:g-r"] is not None]
    assert coloured and {round(r["v:g-r"], 6) for r in coloured} == {1.406043}
    assert {round(r["v:sigma(g-r)"], 6) for r in coloured} == {0.096045}


@pytest.mark.parametrize("with_upper", [False, True], ids=["alerts", "withupperlim"])
def test_objects_columns_transfers_those_columns(served_each: Served, with_upper: bool) -> None:
    ids = served_each.object_ids
    response = served_each.client.post("/api/v1/objects", json={
        "objectId": ",".join(ids), "columns": "i:jd,i:magpsf,i:candid",
        "withupperlim": with_upper})  # fmt: skip
    assert response.status_code == 200, response.text
    got = response.json()
    want = expected_frame(ids, with_upper)
    assert len(got) == len(want)
    names = set().union(*(r.keys() for r in got))
    if with_upper:
        # Fink's limits rows bring their own columns, null on the alerts' rows
        assert names == {"i:jd", "i:magpsf", "i:candid", "d:tag", "i:objectId", "i:fid",
                         "i:diffmaglim", "i:sigmapsf", "i:magnr", "i:sigmagnr", "i:distnr",
                         "i:isdiffpos"}  # fmt: skip
        assert all(r["i:objectId"] is None for r in got if r["d:tag"] == "valid")
        assert all(r["i:candid"] == -1 for r in got if r["d:tag"] != "valid")
    else:
        assert names == {"i:jd", "i:magpsf", "i:candid"}
        expected = want.replace({np.nan: None}).to_dict("records")
        for row, source in zip(sorted(got, key=lambda r: r["i:candid"]),
                               sorted(expected, key=lambda r: r["i:candid"]), strict=True):
            assert (row["i:jd"], row["i:magpsf"]) == (source["i:jd"], source["i:magpsf"])


def _stamps(object_id: str) -> dict[int, np.ndarray]:
    """candid → the Science stamp's pixels, from the samples' gzipped FITS."""
    out = {}
    for path in SCIENCE_FILES:
        table = pq.read_table(path, columns=["objectId", "candid", "cutoutScience"])
        for row in table.to_pylist():
            if row["objectId"] == object_id and row["cutoutScience"]:
                raw = gzip.decompress(row["cutoutScience"]["stampData"])
                with fits.open(io.BytesIO(raw), ignore_missing_simple=True) as hdus:
                    out[int(row["candid"])] = np.asarray(hdus[0].data, dtype=np.float64)
    return out


def test_objects_withcutouts_gives_each_alert_its_stamp(served_each: Served) -> None:
    oid = "ZTF25abuovxv"
    got = served_each.client.post("/api/v1/objects", json={
        "objectId": oid, "withcutouts": True, "cutout-kind": "Science",
        "columns": "i:candid,i:jd"}).json()  # fmt: skip
    stamps = _stamps(oid)
    assert {r["i:candid"] for r in got} == set(stamps)
    for row in got:
        pixels = np.array(row["b:cutoutScience_stampData"], dtype=np.float64)
        expected = stamps[row["i:candid"]]
        assert pixels.shape == expected.shape
        assert np.allclose(pixels, expected.astype(np.float32), equal_nan=True, rtol=0, atol=0)
    every = served_each.client.post("/api/v1/objects", json={
        "objectId": oid, "withcutouts": True, "withupperlim": True}).json()  # fmt: skip
    kinds = [f"b:cutout{k}_stampData" for k in ("Science", "Template", "Difference")]
    for row in every:
        sizes = {len(row[k]) for k in kinds}
        assert sizes == ({63} if row["d:tag"] == "valid" else {0}), row["d:tag"]


def test_objects_refuses_bad_arguments(served: Served) -> None:
    client = served.client
    missing = client.post("/api/v1/objects", json={"withupperlim": True})
    assert missing.status_code == 400
    assert missing.json()["status"] == "error" and "`objectId`" in missing.json()["text"]
    unknown = client.post("/api/v1/objects", json={"objectId": "ZTF25abuovxv",
                                                   "output-format": "xlsx"})  # fmt: skip
    assert unknown.status_code == 400 and "xlsx" in unknown.json()["text"]
    column = client.post("/api/v1/objects", json={"objectId": "ZTF25abuovxv",
                                                  "columns": "i:nope"})  # fmt: skip
    assert column.status_code == 400 and "i:nope" in column.json()["text"]
    malformed = client.post("/api/v1/objects", json={"objectId": "not an id"})
    assert malformed.status_code == 400 and malformed.json()["code"] == "INVALID_ARGUMENT"
    assert "Traceback" not in malformed.text
    assert client.get("/api/v1/objects").text == "Get object data based on ZTF ID"
    assert client.post("/api/v1/objects", json={"objectId": "ZTF99zzzzzzz"}).json() == []
