"""GraphQL field names of the main-table columns, and the columns behind each field.

Every ``i:``/``d:`` column is a camelCase field of ``Alert`` (``i:magpsf`` → ``magpsf``,
``d:rf_snia_vs_nonia`` → ``rfSniaVsNonia``). Derived fields name the columns they need, so
that a query reads exactly the columns its selection uses (column push-down).
"""

from __future__ import annotations

from collections.abc import Iterable

from fink_gateway.layout.columns import MAIN_COLUMNS, FinkColumn
from fink_gateway.science.classification import CLASSIFICATION_INPUTS
from fink_gateway.store.types import Column

_SPECIAL_NAMES = {"DR3Name": "dr3Name", "Plx": "plx", "e_Plx": "plxError"}


def graphql_name(qualifier: str) -> str:
    """camelCase field name of a column qualifier."""
    if qualifier in _SPECIAL_NAMES:
        return _SPECIAL_NAMES[qualifier]
    first, *rest = qualifier.split("_")
    return first[:1].lower() + first[1:] + "".join(p[:1].upper() + p[1:] for p in rest if p)


FIELD_OF_COLUMN: dict[str, FinkColumn] = {graphql_name(c.name): c for c in MAIN_COLUMNS}
"""Alert field name → main-table column."""

assert len(FIELD_OF_COLUMN) == len(MAIN_COLUMNS), "two columns share a GraphQL name"


def _columns(*qualifiers: str) -> frozenset[Column]:
    by_name = {c.name: c.column for c in MAIN_COLUMNS}
    return frozenset(by_name[q] for q in qualifiers)


CLASSIFICATION_COLUMNS = _columns(*CLASSIFICATION_INPUTS)
"""What a label needs. Classification's other scores read their own columns when selected:
``anomalyScore``/``slsnScore`` share Alert's field names, ``tnsType`` is below."""

DERIVED_FIELD_COLUMNS: dict[str, frozenset[Column]] = {
    "time": _columns("jd"),
    "mjd": _columns("jd"),
    "classification": CLASSIFICATION_COLUMNS,
    "constellation": _columns("ra", "dec"),
    "tnsType": _columns("tns"),
    # Object
    "lastAlert": _columns("jd"),
    "alert": _columns("candid", "jd"),
    "firstSeen": _columns("jdstarthist", "jd"),
    "lastSeen": _columns("jd"),
    "lapse": _columns("jdstarthist", "jd"),
    "nAlerts": _columns("jd"),
    "position": _columns("ra", "dec"),
    "crossmatch": _columns(
        "cdsxmatch", "DR3Name", "Plx", "e_Plx", "vsx", "gcvs", "tns", "x3hsp", "x4lac",
        "spicy_class", "gaiaClass", "mangrove_HyperLEDA_name", "mangrove_2MASS_name",
        "mangrove_lum_dist", "mangrove_ang_dist",
    ),
    # LightCurve
    "dcMag": _columns("magpsf", "sigmapsf", "magnr", "sigmagnr", "isdiffpos", "distnr", "jd"),
    "dcSigmag": _columns("magpsf", "sigmapsf", "magnr", "sigmagnr", "isdiffpos", "distnr", "jd"),
    "dcFlag": _columns("distnr", "jd"),
    "tag": _columns("jd"),
    "color": _columns("jd", "magpsf", "sigmapsf", "fid"),
    "lightcurve": _columns("jd", "fid"),
    "period": _columns(
        "jd", "magpsf", "sigmapsf", "fid", "magnr", "sigmagnr", "isdiffpos", "distnr"
    ),
    "band": _columns("fid"),
    # cutouts: the cutouts table is keyed objectId_jd
    "cutout": _columns("objectId", "jd"),
    "cutouts": _columns("jd"),
}


def columns_for_fields(names: Iterable[str]) -> set[Column]:
    """Main-table columns needed by these GraphQL field names (unknown names need none)."""
    out: set[Column] = set()
    for name in names:
        column = FIELD_OF_COLUMN.get(name)
        if column is not None:
            out.add(column.column)
        out |= DERIVED_FIELD_COLUMNS.get(name, frozenset())
    return out
