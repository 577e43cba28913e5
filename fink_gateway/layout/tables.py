"""Names, row-key layouts and column families of Fink's ZTF tables (FINK-REFERENCE §1.4).

The table prefix (``ztf`` by default) is configurable so that several data sets can share
one HBase; index tables are ``<prefix>.<suffix>`` as in Fink, and ``statistics_class`` has
no prefix, as in Fink.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A Fink table: its name suffix, row-key name and column families."""

    suffix: str  # "" for the main table; "statistics_class" is unprefixed
    row_key: str
    families: tuple[str, ...]
    description: str

    def name(self, prefix: str) -> str:
        """Full table name for a prefix (``ztf`` → ``ztf.pixel128``).

        Fink's ``statistics_class`` has no prefix; with another prefix than Fink's ``ztf`` it
        becomes ``<prefix>.statistics_class``, so data sets sharing one HBase stay apart.
        """
        if self.suffix == "":
            return prefix
        if self.suffix == STATISTICS_SUFFIX and prefix == FINK_PREFIX:
            return self.suffix
        return f"{prefix}.{self.suffix}"


STATISTICS_SUFFIX = "statistics_class"
FINK_PREFIX = "ztf"
_DATA_FAMILIES = ("i", "d", "a")

MAIN = TableSpec("", "objectId_jd", _DATA_FAMILIES, "one row per alert")
PIXEL128 = TableSpec(
    "pixel128", "pixel128_jdstarthist_objectId", _DATA_FAMILIES, "HEALPix nside 128 index"
)
CLASS = TableSpec("class", "class_jd_objectId", _DATA_FAMILIES, "classification index")
SSNAMENR = TableSpec("ssnamenr", "ssnamenr_jd", _DATA_FAMILIES, "Solar System objects (roid=3)")
TRACKLET = TableSpec("tracklet", "tracklet_objectId", _DATA_FAMILIES, "fast-mover tracklets")
TNS = TableSpec("tns", "tns_jd_objectId", _DATA_FAMILIES, "TNS-classified alerts")
UPPER = TableSpec("upper", "upper_objectId_jd", _DATA_FAMILIES, "upper limits")
UPPERVALID = TableSpec(
    "uppervalid", "uppervalid_objectId_jd", _DATA_FAMILIES, "bad-quality detections"
)
CUTOUTS = TableSpec("cutouts", "objectId_jd", ("i", "d", "b"), "gzipped FITS stamps")
ANOMALY = TableSpec("anomaly", "jd_objectId", _DATA_FAMILIES, "most anomalous alerts per night")
SSO_RESOLVER = TableSpec("sso_resolver", "name@dup", ("i",), "SSO name/number → ssnamenr")
TNS_RESOLVER = TableSpec(
    "tns_resolver", "fullname_internalname", ("d",), "TNS name ↔ ZTF objectId"
)
STATISTICS = TableSpec(STATISTICS_SUFFIX, "ztf_YYYYMMDD", ("basic", "class"), "per-night counts")
SSO_EPHEMERIDES = TableSpec(
    "sso_ephemerides", "ssnamenr_jd", ("e",),
    "SSO ephemerides per light-curve point (e: doubles, Miriade's names); not Fink's",
)
GATEWAY_META = TableSpec(
    "gateway_meta", "name", ("m",), "the gateway's own bookkeeping (data version); not Fink's"
)

ALL_TABLES: tuple[TableSpec, ...] = (
    MAIN,
    PIXEL128,
    CLASS,
    SSNAMENR,
    TRACKLET,
    TNS,
    UPPER,
    UPPERVALID,
    CUTOUTS,
    ANOMALY,
    SSO_RESOLVER,
    TNS_RESOLVER,
    STATISTICS,
    SSO_EPHEMERIDES,
    GATEWAY_META,
)

SCHEMA_ROW_PREFIX = b"schema"
"""Keys of schema rows start with this; scans of data drop them (Lomikel's rule)."""


def jd_of_keys(keys: Iterable[bytes]) -> np.ndarray:
    """JD of rows keyed ``<id>_<jd>`` (main, ``ssnamenr`` and history tables), float64."""
    return np.array([float(key.rsplit(b"_", 1)[1]) for key in keys], dtype=np.float64)


def jd_of_rows(keys: Sequence[bytes], jd_cells: np.ndarray | None) -> np.ndarray:
    """JD of rows keyed ``<id>_<jd>``: their ``i:jd`` cells (float64, NaN where a row has
    none) where present, else the JD in the key. Fink writes both from the same value, and
    reading the cells costs one numpy pass where parsing every key costs a Python call."""
    if jd_cells is None:
        return jd_of_keys(keys)
    jd = np.array(jd_cells, dtype=np.float64)
    missing = np.flatnonzero(np.isnan(jd))
    if len(missing):
        jd[missing] = jd_of_keys(keys[i] for i in missing.tolist())
    return jd
