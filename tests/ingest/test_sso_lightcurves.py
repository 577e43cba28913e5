"""Fink's SSO light-curve files → ``ssnamenr`` and ``sso_ephemerides`` rows (pure)."""

from __future__ import annotations

import struct

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fink_gateway.errors import IngestError
from fink_gateway.ingest.sso_lightcurves import is_sso_lightcurve_table, read_sso_lightcurves
from tests.data_paths import FINK_ZTF

WITH_EPHEMERIDES = FINK_ZTF / "sso_lightcurves_with_ephemerides_202504.parquet"
WITHOUT_EPHEMERIDES = FINK_ZTF / "sso_aggregated_202409.parquet"


def test_sso_files_are_told_from_alert_files() -> None:
    assert is_sso_lightcurve_table(pq.read_table(WITH_EPHEMERIDES))
    assert is_sso_lightcurve_table(pq.read_table(WITHOUT_EPHEMERIDES))
    assert not is_sso_lightcurve_table(pq.read_table(FINK_ZTF / "science_20250114.parquet"))
    assert not is_sso_lightcurve_table(pa.table({"ssnamenr": ["1"], "cjd": [1.0]}))


def test_points_and_ephemerides_rows_follow_the_file() -> None:
    table = pq.read_table(WITH_EPHEMERIDES)
    data = read_sso_lightcurves(table, "sso.parquet")
    assert data.ssnamenrs == ["2005XM12", "33803", "8467"]
    assert len(data.points) == 108 + 216 + 9
    assert len(data.ephemerides) == 108 + 216  # 2005XM12 has none
    rows = dict(data.points.rows())
    ephemerides = dict(data.ephemerides.rows())
    source = {r["ssnamenr"]: r for r in table.to_pylist()}["8467"]
    for i in (0, 100, 215):
        key = f"8467_{source['cjd'][i]!r}".encode()
        cells = rows[key]
        assert cells[b"i:ssnamenr"] == b"8467"
        assert struct.unpack(">d", cells[b"i:jd"])[0] == source["cjd"][i]
        assert struct.unpack(">d", cells[b"i:ra"])[0] == source["cra"][i]
        assert struct.unpack(">f", cells[b"i:magpsf"])[0] == np.float32(source["cmagpsf"][i])
        assert struct.unpack(">i", cells[b"i:fid"])[0] == source["cfid"][i]
        phase = struct.unpack(">d", ephemerides[key][b"e:Phase"])[0]
        assert phase == float(str(np.float32(source["Phase"][i])))  # shortest float32 text
        assert set(ephemerides[key]) == {b"e:Phase", b"e:Dobs", b"e:Dhelio", b"e:Elong",
                                         b"e:RA", b"e:DEC"}  # fmt: skip


def test_file_without_ephemerides_gives_points_only() -> None:
    data = read_sso_lightcurves(pq.read_table(WITHOUT_EPHEMERIDES), "old.parquet")
    assert data.ssnamenrs == ["10P", "281", "33803", "8467"]
    assert len(data.points) == 27 + 156 + 108 + 161 and len(data.ephemerides) == 0


def _table(**changes: object) -> pa.Table:
    columns: dict[str, object] = {
        "ssnamenr": ["8467"],
        "cjd": [[2460000.5, 2460001.5]],
        "cra": [[10.0, 10.1]],
        "cdec": [[5.0, 5.1]],
        "cmagpsf": [[18.0, 18.1]],
        "csigmapsf": [[0.1, 0.1]],
        "cfid": [[1, 2]],
        "Phase": [[10.0, None]],
    }
    columns.update(changes)
    return pa.table({k: v for k, v in columns.items() if v is not None})


def test_inner_null_ephemerides_are_absent_cells() -> None:
    data = read_sso_lightcurves(_table(), "t.parquet")
    assert data.ephemerides.keys == [b"8467_2460000.5"]


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"cra": None}, "cra"),
        ({"cdec": [[5.0]]}, "cdec"),
        ({"Phase": [[1.0, 2.0, 3.0]]}, "Phase"),
        ({"cfid": [["g", "r"]]}, "cfid"),
        ({"ssnamenr": [None]}, "ssnamenr"),
        ({"cjd": [[2460000.5, None]]}, "cjd"),
        ({"cmagpsf": [1.0]}, "cmagpsf"),
    ],
)
def test_bad_files_are_rejected_naming_the_column(changes: dict[str, object], column: str) -> None:
    with pytest.raises(IngestError) as caught:
        read_sso_lightcurves(_table(**changes), "bad.parquet")
    assert caught.value.column == column and caught.value.path == "bad.parquet"
