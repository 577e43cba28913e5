"""The column catalogue: a stored column named as Fink names it resolves in its survey's
layout (the family says which), and every column a schema field names is known there."""

from __future__ import annotations

import astropy.units as u
from graphql import GraphQLObjectType

from fink_gateway.gateway.tabular.votable import vounit
from fink_gateway.layout.catalogue import StoredColumn, stored_column
from fink_gateway.layout.lsst_fields import CATALOG_TYPES, SECTIONS
from fink_gateway.layout.lsst_units import LSST_UCDS, LSST_UNITS
from fink_gateway.layout.rubin import BY_QUALIFIER
from fink_gateway.schema.build import build_schema


def test_ztf_columns_come_from_the_main_table_catalogue() -> None:
    magpsf = stored_column("i:magpsf")
    assert (magpsf.type, magpsf.unit, magpsf.ucd) == ("float", "mag", "phot.mag")
    assert "PSF-fit magnitude" in magpsf.description
    assert stored_column("i:candid").type == "long"
    assert stored_column("d:classification").type == "string"  # pixel128's computed column


def test_rubin_columns_come_from_the_lsst_schema() -> None:
    assert stored_column("r:psfFlux") == StoredColumn("float", "nJy", "", "phot.flux")
    assert stored_column("r:psfFluxErr").type == "float"
    assert stored_column("r:diaSourceId").type == "long"
    assert stored_column("r:diaForcedSourceId").type == "long"
    assert stored_column("r:nDiaSources").type == "integer"
    assert stored_column("r:midpointMjdTai") == StoredColumn(
        "double", "MJD", "", "time.epoch;obs"
    )
    assert stored_column("f:is_sso").type == "boolean"
    assert stored_column("f:firstDiaSourceMjdTaiFink").unit == "MJD"
    assert stored_column("r:g_psfFluxMaxSlope").unit == "nJy/d"


def test_the_family_tells_the_surveys_apart() -> None:
    assert "J2000" in stored_column("i:ra").description  # ZTF's ra, described
    assert stored_column("r:ra") == StoredColumn("double", "deg", "", "pos.eq.ra;meta.main")
    assert stored_column("f:psfFlux").type is None  # psfFlux is an r: column
    assert stored_column("i:psfFlux").type is None
    assert stored_column("r:magpsf").type is None


def test_rubin_types_are_the_avro_types_of_every_section() -> None:
    for name, fields in SECTIONS.items():
        for field, avro in fields:
            known = BY_QUALIFIER.get(field)
            if known is not None and known.source == f"{name}.{field}":
                assert known.type == CATALOG_TYPES[avro], (name, field)


def test_rubin_units_name_known_columns_in_vounit() -> None:
    assert set(LSST_UNITS) <= set(BY_QUALIFIER) and set(LSST_UCDS) <= set(BY_QUALIFIER)
    for name, unit in LSST_UNITS.items():
        text = vounit(unit)
        assert text is not None, (name, unit)
        u.Unit(text, format="vounit")
        assert BY_QUALIFIER[name].type in ("float", "double", "integer"), name


def _named_columns() -> list[tuple[str, str]]:
    schema = build_schema()._schema
    found = []
    for type_name, type_ in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        for field_name, field in type_.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            column = (getattr(definition, "metadata", None) or {}).get("fink_column")
            if column:
                found.append((f"{type_name}.{field_name}", column))
    return found


def test_every_column_a_field_names_is_in_the_catalogue() -> None:
    named = _named_columns()
    assert {"LsstLightCurve.psfFlux", "Alert.magpsf"} <= {field for field, _ in named}
    assert [(f, c) for f, c in named if stored_column(c).type is None] == []
