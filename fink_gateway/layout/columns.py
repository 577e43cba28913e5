"""Fink's ZTF main-table columns: family, qualifier and Spark type (FINK-REFERENCE §1.2–1.3).

The type names are the ones Fink writes in a table's schema row (``string``, ``double``,
``float``, ``integer``, ``long``, ``boolean``); :mod:`fink_gateway.layout.cells` maps them
to bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

ARROW_TYPES: dict[str, pa.DataType] = {
    "integer": pa.int32(),
    "long": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "string": pa.string(),
    "boolean": pa.bool_(),
}
"""Spark type names (as in schema rows) → the arrow types ingest casts columns to."""


@dataclass(frozen=True, slots=True)
class FinkColumn:
    """One column of the main table."""

    family: str
    name: str
    type: str
    default: object = None  # value written when the input lacks the column (Fink's default)

    @property
    def column(self) -> bytes:
        """``b"family:qualifier"``."""
        return f"{self.family}:{self.name}".encode()


_CANDIDATE_DOUBLE = "ra dec ranr decnr jd jdstarthist jdendhist jdstartref jdendref scorr"
_CANDIDATE_INTEGER = (
    "fid field nbad ncovhist ndethist nframesref nid nmatches nmtchps nneg programid rcid tooflag"
)
_CANDIDATE_LONG = "pid rfid tblid objectidps1 objectidps2 objectidps3"
_CANDIDATE_STRING = "isdiffpos ssnamenr pdiffimfilename programpi rbversion drbversion"
_CANDIDATE_FLOAT = (
    "aimage aimagerat bimage bimagerat chinr chipsf classtar clrcoeff clrcounc clrmed clrrms "
    "diffmaglim distnr distpsnr1 distpsnr2 distpsnr3 drb dsdiff dsnrms elong exptime fwhm magap "
    "magapbig magdiff magfromlim maggaia maggaiabright magnr magpsf magzpsci magzpscirms "
    "magzpsciunc mindtoedge neargaia neargaiabright rb seeratio sgmag1 sgmag2 sgmag3 sgscore1 "
    "sgscore2 sgscore3 sharpnr sigmagap sigmagapbig sigmagnr sigmapsf simag1 simag2 simag3 sky "
    "srmag1 srmag2 srmag3 ssdistnr ssmagnr ssnrms sumrat szmag1 szmag2 szmag3 xpos ypos zpclrcov "
    "zpmed"
)

ROOT_COLUMNS: tuple[FinkColumn, ...] = (
    FinkColumn("i", "objectId", "string"),
    FinkColumn("i", "publisher", "string", "Fink"),
    FinkColumn("i", "schemavsn", "string"),
    FinkColumn("i", "fink_broker_version", "string"),
    FinkColumn("i", "fink_science_version", "string"),
    FinkColumn("i", "candid", "long"),
)


def _typed(names: str, type_: str) -> tuple[FinkColumn, ...]:
    return tuple(FinkColumn("i", n, type_) for n in names.split())


CANDIDATE_COLUMNS: tuple[FinkColumn, ...] = (
    _typed(_CANDIDATE_DOUBLE, "double")
    + _typed(_CANDIDATE_INTEGER, "integer")
    + _typed(_CANDIDATE_LONG, "long")
    + _typed(_CANDIDATE_STRING, "string")
    + _typed(_CANDIDATE_FLOAT, "float")
)

# The 34 Fink science columns with their defaults, then the 7 flattened nested ones.
FINK_COLUMNS: tuple[FinkColumn, ...] = tuple(
    FinkColumn("d", name, type_, default)
    for name, type_, default in (
        ("DR3Name", "string", "Unknown"),
        ("cdsxmatch", "string", "Unknown"),
        ("gcvs", "string", "Unknown"),
        ("tracklet", "string", ""),
        ("vsx", "string", "Unknown"),
        ("x3hsp", "string", "Unknown"),
        ("x4lac", "string", "Unknown"),
        ("spicy_class", "string", "Unknown"),
        ("tns", "string", ""),
        ("gaiaClass", "string", "Unknown"),
        ("Plx", "float", 0.0),
        ("e_Plx", "float", 0.0),
        ("slsn_score", "float", -1.0),
        ("anomaly_score", "double", 0.0),
        ("mulens", "double", 0.0),
        ("rf_kn_vs_nonkn", "double", 0.0),
        ("rf_snia_vs_nonia", "double", 0.0),
        ("snn_sn_vs_all", "double", 0.0),
        ("snn_snia_vs_nonia", "double", 0.0),
        ("jd_first_real_det", "double", 0.0),
        ("jdstarthist_dt", "double", 0.0),
        ("mag_rate", "double", 0.0),
        ("sigma_rate", "double", 0.0),
        ("lower_rate", "double", 0.0),
        ("upper_rate", "double", 0.0),
        ("delta_time", "double", 0.0),
        ("nalerthist", "integer", 0),
        ("roid", "integer", 0),
        ("spicy_id", "integer", -1),
        ("gaiaVarFlag", "integer", 0),
        ("from_upper", "boolean", False),
        ("is_transient", "boolean", False),
        ("lc_features_g", "string", "[]"),
        ("lc_features_r", "string", "[]"),
        ("mangrove_HyperLEDA_name", "string", "None"),
        ("mangrove_2MASS_name", "string", "None"),
        ("mangrove_lum_dist", "string", "None"),
        ("mangrove_ang_dist", "string", "None"),
        ("blazar_stats_m0", "float", 0.0),
        ("blazar_stats_m1", "float", 0.0),
        ("blazar_stats_m2", "float", 0.0),
    )
)

MAIN_COLUMNS: tuple[FinkColumn, ...] = ROOT_COLUMNS + CANDIDATE_COLUMNS + FINK_COLUMNS
"""Every data column of the main table ``ztf`` (149 + the nested ones), in a stable order."""

BY_NAME: dict[str, FinkColumn] = {c.name: c for c in MAIN_COLUMNS}
BY_COLUMN: dict[bytes, FinkColumn] = {c.column: c for c in MAIN_COLUMNS}

_INDEX_ZTF = (
    "objectId candid publisher rcid chipsf distnr ra dec jd fid nid field xpos ypos rb ssdistnr "
    "ssmagnr ssnamenr jdstarthist jdendhist tooflag sgscore1 distpsnr1 neargaia maggaia nmtchps "
    "diffmaglim magpsf sigmapsf magnr sigmagnr magzpsci isdiffpos classtar drb ndethist"
)
INDEX_COLUMNS: tuple[FinkColumn, ...] = (
    tuple(BY_NAME[n] for n in _INDEX_ZTF.split()) + FINK_COLUMNS
)
"""The 77 columns copied into ``class``, ``ssnamenr``, ``tracklet`` and ``tns`` (§1.3)."""

PIXEL_COLUMNS: tuple[FinkColumn, ...] = (
    *(
        BY_NAME[n]
        for n in "objectId candid magpsf sigmapsf jd jdstarthist drb ra dec fid distnr".split()
    ),
    BY_NAME["cdsxmatch"],
    BY_NAME["nalerthist"],
    FinkColumn("d", "classification", "string"),
)
"""Columns of ``ztf.pixel128`` (§1.4), including the computed ``d:classification``."""

UPPER_COLUMNS: tuple[FinkColumn, ...] = (
    BY_NAME["objectId"],
    BY_NAME["jd"],
    BY_NAME["fid"],
    BY_NAME["diffmaglim"],
)
"""Columns of ``ztf.upper``: upper limits from ``prv_candidates`` (§6)."""

UPPERVALID_COLUMNS: tuple[FinkColumn, ...] = tuple(
    BY_NAME[n]
    for n in "objectId jd fid magpsf sigmapsf diffmaglim magnr sigmagnr isdiffpos distnr".split()
)
"""Columns of ``ztf.uppervalid``: bad-quality detections from ``prv_candidates`` (§6)."""

CUTOUT_KINDS: tuple[str, ...] = ("Science", "Template", "Difference")
"""ZTF stamp kinds; alert fields are ``cutout<Kind>`` structs ``{fileName, stampData}``."""
