"""The Rubin LSST sample (tests/data/fink-lsst) and tables derived from it for the tests."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tests.data_paths import TEST_DATA

SAMPLE = TEST_DATA / "fink-lsst" / "rubin_sample_data_10_0.parquet"

ALERT_A = 169813006680588318
"""docs/fink-lsst.md §9.2 A: a new static object (diaSourceId = diaObjectId)."""
ALERT_B = 169813006131658851
"""§9.2 B: diaObjectId 169645854020337671, 16 prvDiaSources."""
ALERT_C = 169813007065939974
"""§9.2 C: a Solar System alert (K01S97B)."""
ALERT_PRV2 = 169813006111211588
"""An alert with exactly two prvDiaSources (nDiaSources 3)."""

FORCED_TYPE = pa.struct(
    [
        ("diaForcedSourceId", pa.int64()), ("diaObjectId", pa.int64()), ("ra", pa.float64()),
        ("dec", pa.float64()), ("visit", pa.int64()), ("detector", pa.int64()),
        ("psfFlux", pa.float64()), ("psfFluxErr", pa.float64()),
        ("midpointMjdTai", pa.float64()), ("scienceFlux", pa.float64()),
        ("scienceFluxErr", pa.float64()), ("band", pa.string()),
        ("timeProcessedMjdTai", pa.float64()), ("timeWithdrawnMjdTai", pa.float64()),
    ]
)  # fmt: skip
"""A forced source as pandas writes it (float64/int64 where the schema says float/int)."""


def sample() -> pa.Table:
    return pq.read_table(SAMPLE)


def expected_sources() -> dict[int, list[dict[str, Any]]]:
    """diaObjectId → the current diaSource of each of its alerts, oldest first (static
    objects only: Fink's diaSource_static rows)."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for alert in sample().to_pylist():
        if alert["diaObject"] is None:
            continue
        source = alert["diaSource"]
        found[source["diaObjectId"]].append(source)
    return {k: sorted(v, key=lambda s: s["midpointMjdTai"]) for k, v in found.items()}


def alerts_by_source_id() -> dict[int, dict[str, Any]]:
    """Each sample alert as a Python dict, by its diaSourceId."""
    return {row["diaSourceId"]: row for row in sample().to_pylist()}


def forced_source(alert: dict[str, Any], number: int, mjd: float) -> dict[str, Any]:
    """A made-up forced source of ``alert``'s object at ``mjd``."""
    source = alert["diaSource"]
    return {
        "diaForcedSourceId": source["diaSourceId"] * 10 + number,
        "diaObjectId": source["diaObjectId"],
        "ra": source["ra"],
        "dec": source["dec"],
        "visit": 2025_0101_00000 + number,
        "detector": 174,
        "psfFlux": 1622.2264404296875 + number,
        "psfFluxErr": 10.5,
        "midpointMjdTai": mjd,
        "scienceFlux": 2000.0,
        "scienceFluxErr": 12.0,
        "band": "g",
        "timeProcessedMjdTai": mjd + 0.01,
        "timeWithdrawnMjdTai": None,
    }


def table_of(rows: list[dict[str, Any]]) -> pa.Table:
    """Alerts as a table of the sample's schema, with typed forced sources."""
    schema = sample().schema
    index = schema.get_field_index("prvDiaForcedSources")
    schema = schema.set(index, pa.field("prvDiaForcedSources", pa.list_(FORCED_TYPE)))
    return pa.Table.from_pylist(rows, schema=schema)


def with_field(table: pa.Table, section: str, field: str, values: pa.Array) -> pa.Table:
    """``table`` with one field of a struct column replaced."""
    column = table.column(section).combine_chunks()
    names = [f.name for f in column.type]
    children = [values if name == field else column.field(name) for name in names]
    struct = pa.StructArray.from_arrays(children, names=names, mask=pc.invert(column.is_valid()))
    return table.set_column(table.column_names.index(section), section, struct)
