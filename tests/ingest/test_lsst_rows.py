"""Rubin LSST rows built from the sample, without a store: column layout, forced-source
selection (docs/fink-lsst.md §4.5) on synthetic alerts, and rejected inputs."""

from __future__ import annotations

import struct
from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from fink_gateway.errors import IngestError
from fink_gateway.ingest.lsst.alerts import is_lsst_table, read_lsst_alerts
from fink_gateway.ingest.lsst.rows import lsst_rows
from fink_gateway.layout import rubin
from fink_gateway.layout.lsst_fields import SECTIONS
from tests.data_paths import FINK_ZTF
from tests.ingest.lsst_samples import (
    ALERT_A,
    ALERT_B,
    ALERT_PRV2,
    SAMPLE,
    alerts_by_source_id,
    forced_source,
    sample,
    table_of,
    with_field,
)

B_OBJECT = 169645854020337671
B_LATEST_PRV = 61026.24877763124  # the largest prvDiaSources midpoint of alert B


def test_lsst_fields_are_the_v10_0_sections() -> None:
    counts = {name: len(fields) for name, fields in SECTIONS.items()}
    assert counts == {
        "diaSource": 98, "diaObject": 82, "ssSource": 39, "mpc_orbits": 53, "diaForcedSource": 14,
    }  # fmt: skip
    assert SECTIONS["diaSource"][:3] == (("diaSourceId", "long"), ("visit", "long"),
                                         ("detector", "int"))  # fmt: skip


def test_rubin_columns_per_table_are_finks() -> None:
    """Families and counts of §4 (the first section wins a duplicate qualifier)."""
    counts = {
        spec.suffix: dict(Counter(c.family for c in columns))
        for spec, columns in rubin.COLUMNS.items()
    }
    assert counts == {
        "diaObject": {"r": 85, "f": 6},
        "diaSource_static": {"r": 101, "f": 30},
        "diaSource_sso": {"r": 139},
        "mpc_orbits": {"r": 56},
        "fp": {"r": 15},
        "pixel1024": {"r": 177, "f": 37},
        "cutouts": {"r": 4},
        "sso_resolver": {"r": 4},
    }
    pixel = {c.name: c.source for c in rubin.COLUMNS[rubin.PIXEL1024]}
    assert pixel["ra"] == "diaSource.ra"  # diaObject's ra is the later duplicate
    sso = {c.name: c.source for c in rubin.COLUMNS[rubin.SSO_SOURCE]}
    assert sso["ssObjectId"] == "diaSource.ssObjectId"


def test_the_sample_is_told_apart_from_ztf() -> None:
    assert is_lsst_table(sample())
    assert not is_lsst_table(pa.table({"objectId": ["ZTF21abfmbix"], "candidate": [None]}))
    assert not any("lsst" in p.name for p in FINK_ZTF.iterdir())


def _fp_table() -> pa.Table:
    """Sample alerts with made-up forced sources, one per selection case of §4.5."""
    alerts = alerts_by_source_id()
    a, b, prv2 = alerts[ALERT_A], alerts[ALERT_B], alerts[ALERT_PRV2]
    rows: list[dict[str, Any]] = []
    # nDiaSources == 1: nothing kept
    rows.append({**a, "prvDiaForcedSources": [forced_source(a, 1, 61040.5)]})
    # 16 prvDiaSources: kept from their latest midpoint on (>=)
    forced = [forced_source(b, i, m) for i, m in
              enumerate([B_LATEST_PRV - 1.0, B_LATEST_PRV, B_LATEST_PRV + 0.25])]  # fmt: skip
    rows.append({**b, "prvDiaForcedSources": forced})
    # a null prvDiaSources: no threshold, nothing kept
    rows.append({**b, "prvDiaSources": None,
                 "prvDiaForcedSources": [forced_source(b, 7, 61010.5)]})  # fmt: skip
    # an empty prvDiaSources: threshold -1.0, everything kept
    rows.append({**b, "prvDiaSources": [], "prvDiaForcedSources": [forced_source(b, 8, 61011.5)]})
    # exactly two prvDiaSources: threshold 0.0, everything kept
    rows.append({**prv2, "prvDiaForcedSources": [forced_source(prv2, 9, 60000.5)]})
    return table_of(rows)


def test_forced_sources_follow_finks_selection() -> None:
    rows = lsst_rows(read_lsst_alerts(_fp_table(), "synthetic.parquet"))
    batch = rows.batches[rubin.FORCED]
    prv2_object = alerts_by_source_id()[ALERT_PRV2]["diaSource"]["diaObjectId"]
    assert sorted(batch.keys) == sorted(
        [
            f"671_{B_OBJECT}_{B_LATEST_PRV!r}".encode(),
            f"671_{B_OBJECT}_{B_LATEST_PRV + 0.25!r}".encode(),
            f"671_{B_OBJECT}_61011.5".encode(),
            f"{str(prv2_object)[-3:]}_{prv2_object}_60000.5".encode(),
        ]
    )
    cells = dict(batch.rows())[f"671_{B_OBJECT}_{B_LATEST_PRV!r}".encode()]
    assert cells[b"r:salt"] == b"671"
    assert cells[b"r:diaObjectId"] == struct.pack(">q", B_OBJECT)
    assert cells[b"r:detector"] == struct.pack(">i", 174)  # int: 4 bytes
    assert cells[b"r:psfFlux"] == struct.pack(">f", 1623.2264404296875)  # float: 4 bytes
    assert cells[b"r:band"] == b"g"
    assert b"r:timeWithdrawnMjdTai" not in cells  # null: no cell
    assert len(cells) == 14


def test_an_empty_history_drops_the_first_mjd_from_the_pixel_key() -> None:
    """§8.4: an empty prvDiaSources makes firstDiaSourceMjdTaiFink null, and Spark's
    concat_ws drops it with its separator; a null one gives the alert's own MJD."""
    keys = set(lsst_rows(read_lsst_alerts(_fp_table(), "synthetic.parquet"))
               .batches[rubin.PIXEL1024].keys)  # fmt: skip
    assert f"10972492_{B_OBJECT}".encode() in keys
    assert f"10972492_61003.32115570824_{B_OBJECT}".encode() in keys
    assert f"10972492_61041.22124337929_{B_OBJECT}".encode() in keys


def _struct_field(table: pa.Table, section: str, field: str) -> pa.Array:
    return table.column(section).combine_chunks().field(field)


def _bad_tables() -> dict[str, tuple[pa.Table, str]]:
    """Broken copies of the sample → the column the error must name."""
    table = sample()
    n = table.num_rows
    version = table.column_names.index("lsst_schema_version")
    object_ids = _struct_field(table, "diaObject", "diaObjectId")
    mjd = _struct_field(table, "diaSource", "midpointMjdTai")
    return {
        "v9": (table.set_column(version, "lsst_schema_version", pa.array(["lsst.v9_0"] * n)),
               "lsst_schema_version"),
        "no version": (table.drop_columns(["lsst_schema_version"]), "lsst_schema_version"),
        "no diaSource": (table.drop_columns(["diaSource"]), "diaSource"),
        "diaSource not a struct": (
            table.set_column(table.column_names.index("diaSource"), "diaSource",
                             pa.array(range(n))),
            "diaSource",
        ),
        "text fluxes": (
            with_field(table, "diaSource", "psfFlux", pa.array(["1.5"] * n)), "diaSource.psfFlux"
        ),
        "float ids off by 1e3": (
            with_field(table, "diaObject", "diaObjectId", pc.add(object_ids, 1e3)),
            "diaObject.diaObjectId",
        ),
        "fractional counts": (
            with_field(table, "diaObject", "nDiaSources", pa.array([1.5] * n)),
            "diaObject.nDiaSources",
        ),
        "null MJD": (
            with_field(table, "diaSource", "midpointMjdTai",
                       pc.if_else(pa.array([i == 3 for i in range(n)]), None, mjd)),
            "diaSource.midpointMjdTai",
        ),
    }  # fmt: skip


@pytest.mark.parametrize("case", list(_bad_tables()))
def test_bad_lsst_tables_are_rejected_naming_the_column(case: str) -> None:
    table, column = _bad_tables()[case]
    with pytest.raises(IngestError) as caught:
        lsst_rows(read_lsst_alerts(table, "bad.parquet"))
    assert caught.value.code == "INGEST_FAILED"
    assert caught.value.column == column
    assert str(caught.value).startswith("bad.parquet: ")


def test_unsupported_schema_version_says_which_is() -> None:
    table, _ = _bad_tables()["v9"]
    with pytest.raises(IngestError, match=r"'lsst\.v9_0' is not supported: only lsst\.v10_x"):
        read_lsst_alerts(table, str(SAMPLE))


def test_fink_columns_of_a_processed_file_are_read_and_versions_name_the_schema_row() -> None:
    """A Fink-processed file: ``xm``/``clf`` structs and version columns become ``f:`` cells;
    ``is_cataloged`` follows Spark's logic (``IS NOT NULL`` is two-valued: never null)."""
    table = sample().slice(0, 4)
    simbad = ["Star", "Fail", None, None]
    gaia = [None, None, "Gaia DR3 1", None]
    xm = pa.StructArray.from_arrays(
        [pa.array(simbad, pa.string()), pa.array(gaia, pa.string()), pa.array([1, 0, None, 1])],
        names=["simbad_otype", "gaiadr3_DR3Name", "gaiadr3_VarFlag"],
    )
    clf = pa.StructArray.from_arrays([pa.array([11, None, 12, 13], pa.int64())],
                                     names=["cats_class"])  # fmt: skip
    table = (
        table.append_column("xm", xm)
        .append_column("clf", clf)
        .append_column("fink_broker_version", pa.array(["5.0"] * 4))
        .append_column("fink_science_version", pa.array(["8.53.0"] * 4))
    )
    alerts = read_lsst_alerts(table, "processed.parquet")
    assert alerts.values["is_cataloged"].to_pylist() == [True, False, True, False]
    assert alerts.values["main_label_crossmatch"].to_pylist() == simbad
    assert alerts.values["main_label_classifier"].to_pylist() == [11, None, 12, 13]
    assert alerts.values["xm_gaiadr3_VarFlag"].to_pylist() == ["1", "0", None, "1"]  # as text
    rows = lsst_rows(alerts)
    assert {key for key, _ in rows.schema[rubin.DIA_OBJECT]} == {b"schema_5.0_8.53.0"}
    static = dict(rows.batches[rubin.DIA_SOURCE].rows())
    cells = static[b"318_169813006680588318_61041.2257173097"]
    assert cells[b"f:xm_simbad_otype"] == b"Star"
    assert cells[b"f:clf_cats_class"] == struct.pack(">i", 11)
    assert cells[b"f:fink_broker_version"] == b"5.0"
