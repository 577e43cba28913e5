"""The layout and fixed settings of the LSST demo output: Fink-processed Rubin parquet.

:data:`LSST_ALERT_SCHEMA` is the layout of Fink's science parquet for alert schema
``lsst.v10_0`` (docs/fink-lsst.md §9.1, §10; Fink's ``fink_broker/rubin/science.py``): the
alert's root columns, its sections as structs with the v10_0 fields in schema order and their
Avro types (:mod:`fink_gateway.layout.lsst_fields`), the two history lists, the three cutouts,
then Fink's structs ``clf``, ``xm``, ``pred``, ``misc`` and version columns. Also the nights
simulated (MJD, dayObs), the batch size and the version strings.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from fink_gateway.demo.arrays import I64
from fink_gateway.layout import rubin
from fink_gateway.layout.lsst_fields import SCHEMA_VERSION, SECTIONS

MJD_START = 60980
"""dayObs (MJD) of the first simulated night, 2025-11-01."""
NIGHTS = 180
"""Simulated nights: dayObs MJD_START … MJD_START + NIGHTS − 1 (less than the 365 days of
history an alert carries, so every earlier source of an object is in its alert)."""
MJD_END = MJD_START + NIGHTS
BATCH_LSST_ALERTS = 5_000
"""Most alerts in one yielded table."""
VERSIONS = {"fink_broker_version": "5.0.0", "fink_science_version": "8.53.0"}
"""Fink's version columns of the demo alerts (its schema rows are named after them)."""
ALERT_SCHEMA_VERSION = SCHEMA_VERSION
"""``lsst_schema_version`` of every demo alert."""

AVRO_ARROW: dict[str, pa.DataType] = {
    "int": pa.int32(),
    "long": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
}
"""Avro type → the Arrow type of Fink's reference parquet (FB ``rubin_parquet_schema``)."""
_CATALOG_ARROW = {"integer": pa.int32(), "float": pa.float32(), "string": pa.string()}


def section_type(section: str) -> pa.StructType:
    """The struct of one alert section, v10_0 fields in schema order."""
    return pa.struct([pa.field(name, AVRO_ARROW[avro]) for name, avro in SECTIONS[section]])


DIA_SOURCE_TYPE = section_type("diaSource")
DIA_OBJECT_TYPE = section_type("diaObject")
SS_SOURCE_TYPE = section_type("ssSource")
MPC_ORBITS_TYPE = section_type("mpc_orbits")
DIA_FORCED_SOURCE_TYPE = section_type("diaForcedSource")
PRV_SOURCES_TYPE = pa.list_(pa.field("element", DIA_SOURCE_TYPE))
PRV_FORCED_TYPE = pa.list_(pa.field("element", DIA_FORCED_SOURCE_TYPE))


def _fink_struct(prefix: str, names: list[str] | None = None) -> pa.StructType:
    """A Fink struct (``xm``, ``clf``) from its columns in Fink's HBase catalog."""
    columns = {
        c.name.removeprefix(prefix): c.type for c in rubin.FINK_SOURCE if c.name.startswith(prefix)
    }
    if "gaiadr3_VarFlag" in columns:
        columns["gaiadr3_VarFlag"] = "integer"  # science.py: 1 VARIABLE, else 0; HBase: text
    order = names or list(columns)
    return pa.struct([pa.field(n, _CATALOG_ARROW[columns[n]]) for n in order])


XM_TYPE = _fink_struct("xm_")
"""Fink's 21 cross-match columns (science.py ``apply_all_xmatch``, in its order);
``gaiadr3_VarFlag`` is the integer science.py makes of it (the ingest stores it as text)."""
CLF_TYPE = _fink_struct(
    "clf_",
    [
        "snnSnVsOthers_score", "cats_class", "cats_score", "earlySNIa_score",
        "elephant_kstest_science", "elephant_kstest_template",
    ],
)  # fmt: skip
"""Fink's 6 classifier columns, in the order science.py adds them."""
PRED_TYPE = pa.struct(
    [
        ("is_sso", pa.bool_()), ("is_first", pa.bool_()), ("is_cataloged", pa.bool_()),
        ("main_label_classifier", pa.int32()), ("main_label_crossmatch", pa.string()),
    ]
)  # fmt: skip
"""Fink's predictions (science.py), recomputed by the ingest from the columns above."""
MISC_TYPE = pa.struct([("firstDiaSourceMjdTaiFink", pa.float64())])

LSST_ALERT_SCHEMA = pa.schema(
    [
        pa.field("diaSourceId", pa.int64()),
        pa.field("observation_reason", pa.string()),
        pa.field("target_name", pa.string()),
        pa.field("diaSource", DIA_SOURCE_TYPE),
        pa.field("prvDiaSources", PRV_SOURCES_TYPE),
        pa.field("prvDiaForcedSources", PRV_FORCED_TYPE),
        pa.field("diaObject", DIA_OBJECT_TYPE),
        pa.field("ssSource", SS_SOURCE_TYPE),
        pa.field("mpc_orbits", MPC_ORBITS_TYPE),
        pa.field("cutoutDifference", pa.binary()),
        pa.field("cutoutScience", pa.binary()),
        pa.field("cutoutTemplate", pa.binary()),
        pa.field("brokerIngestMjd", pa.float64()),
        pa.field("lsst_schema_version", pa.string()),
        pa.field("clf", CLF_TYPE),
        pa.field("xm", XM_TYPE),
        pa.field("pred", PRED_TYPE),
        pa.field("misc", MISC_TYPE),
        pa.field("fink_broker_version", pa.string()),
        pa.field("fink_science_version", pa.string()),
    ]
)
"""Schema of every table :func:`~fink_gateway.demo.lsst.generate_lsst_alerts` yields."""

Values = dict[str, np.ndarray | pa.Array]
"""Field values by name, one per row: numpy arrays, or pyarrow arrays (text, nullable)."""


def _child(field: pa.Field, value: np.ndarray | pa.Array | None, n: int) -> pa.Array:
    if value is None:  # not modelled: null, but flags are false (a clean measurement)
        if pa.types.is_boolean(field.type):
            return pa.repeat(pa.scalar(False), n)
        return pa.nulls(n, field.type)
    if isinstance(value, pa.Array):
        return value.cast(field.type)
    array = np.asarray(value)
    mask = np.isnan(array) if array.dtype.kind == "f" else None
    if mask is not None and not pa.types.is_floating(field.type):
        array = np.where(mask, 0, array)
    return pa.array(array.astype(field.type.to_pandas_dtype()), field.type, mask=mask)


def struct_array(
    kind: pa.StructType, values: Values, n: int, valid: np.ndarray | None = None
) -> pa.StructArray:
    """A struct of ``kind`` from the modelled fields; the others are null, except boolean
    flags, which are false. NaN floats become null; rows where ``valid`` is false are null."""
    children = [_child(field, values.get(field.name), n) for field in kind]
    mask = None if valid is None else pa.array(~np.asarray(valid, dtype=bool))
    return pa.StructArray.from_arrays(children, fields=list(kind), mask=mask)


def list_array(
    kind: pa.ListType, items: pa.StructArray, lengths: I64, valid: np.ndarray
) -> pa.ListArray:
    """Per-row lists of consecutive ``items`` (``lengths`` of them), null where not ``valid``."""
    offsets = np.concatenate([[0], np.cumsum(np.where(valid, lengths, 0))]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), items, type=kind, mask=pa.array(~valid))
