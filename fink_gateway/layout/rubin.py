"""Fink's Rubin (LSST) tables: names, families and row keys (docs/fink-lsst.md §3–§4).

Keys are text joined by ``_``. Numbers are written as Spark writes them: integers in plain
decimal, doubles as Java's ``Double.toString``, which for MJDs (1e-3 ≤ |x| < 1e7) is
Python's ``repr``. Static tables are salted with the last 3 characters of an id (1,000
partitions), Solar System tables with characters 2–3 of the packed MPC designation;
``pixel1024`` and the tag tables are not salted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fink_gateway.layout.lsst_fields import CATALOG_TYPES, SECTIONS
from fink_gateway.layout.tables import TableSpec

RUBIN_PREFIX = "rubin"
"""Fink's namespace of the LSST tables (``rubin.diaObject`` …)."""
PIXEL_NSIDE = 1024
"""Resolution of ``pixel1024``: HEALPix RING, about 3.4 arcmin pixels."""

_RF = ("r", "f")
DIA_OBJECT = TableSpec("diaObject", "salt_diaObjectId", _RF, "one row per LSST object (last alert)")
DIA_SOURCE = TableSpec(
    "diaSource_static", "salt_diaObjectId_midpointMjdTai", _RF, "the source of each alert"
)
SSO_SOURCE = TableSpec(
    "diaSource_sso", "salt_packed_midpointMjdTai", ("r",), "Solar System sources, by designation"
)
MPC_ORBITS = TableSpec("mpc_orbits", "salt_packed", ("r",), "MPC orbits of Solar System objects")
FORCED = TableSpec("fp", "salt_diaObjectId_midpointMjdTai", ("r",), "forced photometry")
PIXEL1024 = TableSpec(
    "pixel1024", "pixel_firstDiaSourceMjdTaiFink_diaObjectId", _RF, "HEALPix nside 1024 index"
)
CUTOUTS = TableSpec("cutouts", "salt_diaSourceId", ("r",), "where each alert's stamps are")
SSO_RESOLVER = TableSpec("sso_resolver", "salt_ssObjectId", ("r",), "ssObjectId → designation")

RUBIN_TABLES: tuple[TableSpec, ...] = (
    DIA_OBJECT, DIA_SOURCE, SSO_SOURCE, MPC_ORBITS, FORCED, PIXEL1024, CUTOUTS, SSO_RESOLVER,
)  # fmt: skip


def mjd_text(mjd: float) -> str:
    """A double as Spark writes it in a key (Java ``Double.toString``; MJD range only)."""
    if not (math.isfinite(mjd) and 1e-3 <= abs(mjd) < 1e7):
        raise ValueError(f"{mjd!r} is outside the range where Java and Python print alike")
    return repr(float(mjd))


def salt3(identifier: int | str) -> str:
    """Fink's ``salt_from_last_digits`` (1,000 partitions): the last 3 characters of the id's
    decimal text, left-padded with ``0``."""
    return str(identifier)[-3:].rjust(3, "0")


def salt2(packed: str) -> str:
    """Fink's ``salt_from_mpc_designation``: characters 2–3 of a packed designation (the year
    digits of ``K01S97B``), left-padded with ``0``."""
    return packed[1:3].rjust(2, "0")


def object_key(dia_object_id: int) -> bytes:
    """``rubin.diaObject``: ``<salt3>_<diaObjectId>``."""
    return f"{salt3(dia_object_id)}_{dia_object_id}".encode()


def object_sources_prefix(dia_object_id: int) -> bytes:
    """The sources (or forced sources) of exactly one object: ``<salt3>_<id>_`` (with the
    trailing ``_``, so that a longer id with the same start and salt does not match)."""
    return object_key(dia_object_id) + b"_"


def source_key(dia_object_id: int, mjd_tai: float) -> bytes:
    """``rubin.diaSource_static`` and ``rubin.fp``: ``<salt3>_<diaObjectId>_<midpointMjdTai>``."""
    return object_sources_prefix(dia_object_id) + mjd_text(mjd_tai).encode()


def orbit_key(packed: str) -> bytes:
    """``rubin.mpc_orbits``: ``<salt2>_<packed designation>``."""
    return f"{salt2(packed)}_{packed}".encode()


def sso_source_key(packed: str, mjd_tai: float) -> bytes:
    """``rubin.diaSource_sso``: ``<salt2>_<packed>_<midpointMjdTai>``."""
    return orbit_key(packed) + b"_" + mjd_text(mjd_tai).encode()


def pixel_key(pixel: int, first_mjd_tai: float | None, dia_object_id: int) -> bytes:
    """``rubin.pixel1024``: ``<pixel>_<firstDiaSourceMjdTaiFink>_<diaObjectId>``; a null first
    MJD drops out with its ``_`` (Spark's ``concat_ws``)."""
    parts = [str(pixel), *([] if first_mjd_tai is None else [mjd_text(first_mjd_tai)])]
    return "_".join([*parts, str(dia_object_id)]).encode()


def cutout_key(dia_source_id: int) -> bytes:
    """``rubin.cutouts``: ``<salt3(diaSourceId)>_<diaSourceId>``."""
    return f"{salt3(dia_source_id)}_{dia_source_id}".encode()


def sso_resolver_key(ss_object_id: int) -> bytes:
    """``rubin.sso_resolver``: ``<salt3(ssObjectId)>_<ssObjectId>``."""
    return f"{salt3(ss_object_id)}_{ss_object_id}".encode()


def tag_key(mjd_tai: float, dia_object_id: int) -> bytes:
    """``rubin.tag_<tag>``: ``<midpointMjdTai>_<diaObjectId>``."""
    return f"{mjd_text(mjd_tai)}_{dia_object_id}".encode()


# --- Columns ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RubinColumn:
    """One column of a Rubin table: family, qualifier, catalog type (``integer``, ``long``,
    ``float``, ``double``, ``string``, ``boolean``) and the name of the value it holds
    (``diaSource.psfFlux``, ``is_sso``, ``salt``…)."""

    family: str
    name: str
    type: str
    source: str

    @property
    def column(self) -> bytes:
        """``b"fam:qual"``."""
        return f"{self.family}:{self.name}".encode()


def _section(name: str) -> tuple[RubinColumn, ...]:
    """The ``r:`` columns of an alert section, cast to its Avro types (§2.7)."""
    return tuple(RubinColumn("r", f, CATALOG_TYPES[t], f"{name}.{f}") for f, t in SECTIONS[name])


def _fink(names_types: str) -> tuple[RubinColumn, ...]:
    pairs = (item.split(":") for item in names_types.split())
    return tuple(RubinColumn("f", name, type_, name) for name, type_ in pairs)


ROOT = (
    RubinColumn("r", "observation_reason", "string", "observation_reason"),
    RubinColumn("r", "target_name", "string", "target_name"),
    RubinColumn("r", "salt", "string", "salt"),
)
"""Fink's "root level": two alert fields and the salt of the row key, kept as a cell (§4)."""

FINK_SOURCE = _fink(
    "xm_simbad_otype:string xm_gaiadr3_DR3Name:string xm_gaiadr3_Plx:float "
    "xm_gaiadr3_e_Plx:float xm_gaiadr3_VarFlag:string xm_legacydr8_zphot:float "
    "xm_legacydr8_e_zphot:float xm_legacydr8_pstar:float xm_legacydr8_fqual:integer "
    "xm_tns_fullname:string xm_tns_type:string xm_tns_redshift:float xm_gcvs_type:string "
    "xm_x3hsp_type:string xm_x4lac_type:string xm_vsx_Type:string xm_spicy_class:string "
    "xm_mangrove_HyperLEDA_name:string xm_mangrove_2MASS_name:string "
    "xm_mangrove_lum_dist:float xm_mangrove_ang_dist:float "
    "clf_earlySNIa_score:float clf_snnSnVsOthers_score:float clf_cats_class:integer "
    "clf_cats_score:float clf_elephant_kstest_science:float clf_elephant_kstest_template:float "
    "fink_broker_version:string fink_science_version:string lsst_schema_version:string"
)
"""Fink's 30 source-level columns (§5), in Fink's order: cross-matches (``xm.*`` of a Fink
parquet), classifiers (``clf.*``) and versions."""

FINK_OBJECT = _fink(
    "is_sso:boolean is_first:boolean is_cataloged:boolean main_label_crossmatch:string "
    "main_label_classifier:integer firstDiaSourceMjdTaiFink:double"
)
"""Fink's 6 object-level columns (§5), in Fink's order."""

PACKED_DESIGNATION = RubinColumn(
    "r", "packed_primary_provisional_designation", "string",
    "mpc_orbits.packed_primary_provisional_designation",
)  # fmt: skip
PIXEL = RubinColumn("f", "pixel1024", "integer", "pixel1024")


def table_columns(*sections: Sequence[RubinColumn]) -> tuple[RubinColumn, ...]:
    """The columns of sections in order; a qualifier already taken by an earlier section is
    dropped (Fink's ``flatten_dataframe``: the first section wins, §2.7)."""
    seen: set[str] = set()
    out = []
    for section in sections:
        for column in section:
            if column.name not in seen:
                seen.add(column.name)
                out.append(column)
    return tuple(out)


COLUMNS: dict[TableSpec, tuple[RubinColumn, ...]] = {
    DIA_OBJECT: table_columns(ROOT, _section("diaObject"), FINK_OBJECT),
    DIA_SOURCE: table_columns(ROOT, _section("diaSource"), FINK_SOURCE),
    SSO_SOURCE: table_columns(
        ROOT, _section("diaSource"), _section("ssSource"), [PACKED_DESIGNATION]
    ),
    MPC_ORBITS: table_columns(ROOT, _section("mpc_orbits")),
    FORCED: table_columns(_section("diaForcedSource"), [ROOT[2]]),
    PIXEL1024: table_columns(
        ROOT, _section("diaSource"), _section("diaObject"), FINK_OBJECT, FINK_SOURCE, [PIXEL]
    ),
    CUTOUTS: (
        RubinColumn("r", "diaObjectId", "long", "diaObject.diaObjectId"),
        RubinColumn("r", "midpointMjdTai", "double", "diaSource.midpointMjdTai"),
        RubinColumn("r", "diaSourceId", "long", "diaSource.diaSourceId"),
        RubinColumn("r", "hdfs_path", "string", "hdfs_path"),
    ),
    SSO_RESOLVER: (
        PACKED_DESIGNATION,
        RubinColumn(
            "r",
            "unpacked_primary_provisional_designation",
            "string",
            "mpc_orbits.unpacked_primary_provisional_designation",
        ),
        RubinColumn("r", "ssObjectId", "long", "ssSource.ssObjectId"),
        RubinColumn("r", "diaSourceId", "long", "diaSource.diaSourceId"),
    ),
}
"""Every column Fink writes to each table, in Fink's order, as its catalog lists them (§4;
fp's fields come from the forced-source records). A column whose value is null has no cell,
but every column is named in the table's schema row."""


TAG_PREFIX = "tag_"
_TAG_NAME = re.compile(r"[a-z0-9][a-z0-9_]{0,63}")

TAG_COLUMNS = table_columns(ROOT, _section("diaSource"), FINK_SOURCE)
"""Columns of a ``rubin.tag_<tag>`` table (§4.8): root, the alert's diaSource and Fink's
source-level values; no diaObject. ``r:salt`` is listed but never written (no salt there)."""


def tag_table(tag: str) -> TableSpec:
    """The table of one Fink filter tag (``rubin.tag_<tag>``, key ``<midpointMjdTai>_<id>``);
    ValueError for a name that is not a tag (lower case, digits, ``_``)."""
    if not _TAG_NAME.fullmatch(tag):
        raise ValueError(f"{tag!r} is not a tag name (lower case letters, digits and _)")
    return TableSpec(TAG_PREFIX + tag, "midpointMjdTai_diaObjectId", _RF, f"alerts tagged {tag}")


def columns_of(spec: TableSpec) -> tuple[RubinColumn, ...]:
    """The columns Fink writes to a Rubin table, tag tables included."""
    if spec.suffix.startswith(TAG_PREFIX):
        return TAG_COLUMNS
    return COLUMNS[spec]


def _by_qualifier() -> dict[str, RubinColumn]:
    found: dict[str, RubinColumn] = {}
    for column in (c for cs in [*COLUMNS.values(), TAG_COLUMNS] for c in cs):
        first = found.setdefault(column.name, column)
        assert (first.family, first.type) == (column.family, column.type), column.name
    return found


BY_QUALIFIER: dict[str, RubinColumn] = _by_qualifier()
"""Qualifier → the first column Fink writes under it to a Rubin table: a qualifier has the
same family (``r:`` or ``f:``) and catalog type in every table (its ``source`` is the first
table's), so ``r:psfFlux`` names one stored type wherever it is read."""

FAMILY_OF: dict[str, str] = {name: column.family for name, column in BY_QUALIFIER.items()}
"""Qualifier → family of every column Fink writes to a Rubin table, to name decoded values as
Fink's API does."""
