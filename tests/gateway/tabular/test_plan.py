"""Planning a query's table from its document and the real schema (no store)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest
from graphql import parse

from fink_gateway.errors import NotTabular
from fink_gateway.gateway.tabular.plan import TablePlan, Unplannable, plan_items, plan_table
from fink_gateway.schema.build import build_schema

SCHEMA = build_schema()._schema


def plan(query: str, variables: dict[str, Any] | None = None) -> TablePlan:
    return plan_table(SCHEMA, parse(query), None, variables)


def names(p: TablePlan) -> list[str]:
    return [c.name for c in p.columns]


def test_plan_rows_of_a_list_with_dotted_columns() -> None:
    p = plan('{ objects(objectIds: ["a"]) { objectId classification { label } } }')
    assert p.row_path == ("objects",)
    assert names(p) == ["objectId", "classification.label"]


def test_plan_connection_edges_name_columns_from_the_node() -> None:
    p = plan("{ conesearch(ra: 1, dec: 2, radius: 3) { totalCount "
             "edges { cursor node { separation alert { candid magpsf } } } } }")
    assert p.row_path == ("conesearch", "edges")
    assert names(p) == ["totalCount", "cursor", "separation", "alert.candid", "alert.magpsf"]


def test_plan_types_come_from_schema_and_catalogue() -> None:
    p = plan('{ object(objectId: "a") { alerts { nodes { candid magpsf jd fid isTransient '
             "time } } } }")
    types = {c.name: c.arrow_type for c in p.columns}
    assert types == {"candid": pa.int64(), "magpsf": pa.float32(), "jd": pa.float64(),
                     "fid": pa.int32(), "isTransient": pa.bool_(), "time": pa.string()}
    magpsf = next(c for c in p.columns if c.name == "magpsf")
    assert (magpsf.unit, magpsf.ucd, magpsf.fink_column) == ("mag", "phot.mag", "i:magpsf")


def test_plan_series_explode_in_the_rows() -> None:
    p = plan('{ objects(objectIds: ["a"]) { objectId lightcurve { jd magpsf candid '
             "color { rate } } } }")
    assert [c.kind for c in p.columns] == ["value", "series", "series", "series", "series"]
    types = [c.arrow_type for c in p.columns]
    # float32 magnitudes stay float32, the candid text series is the int64 column it carries
    assert types == [pa.string(), pa.float64(), pa.float32(), pa.int64(), pa.float64()]


def test_plan_without_a_list_is_one_row() -> None:
    p = plan('{ object(objectId: "a") { objectId nAlerts lightcurve { jd } } }')
    assert p.row_path is None
    assert names(p) == ["objectId", "nAlerts", "lightcurve.jd"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('{ objects(objectIds: ["a"]) { alerts { nodes { jd } } } }', "objects.alerts.nodes"),
        ('{ a: objects(objectIds: ["a"]) { objectId } b: classes { name } }', "two lists"),
        ('{ object(objectId: "a") { alerts { nodes { jd } } cutouts(kind: SCIENCE) { jd } } }',
         "two lists"),
        ('{ object(objectId: "a") { lightcurve { jd } alerts { nodes { jd } } } }',
         "series"),
    ],
)
def test_plan_refuses_shapes_that_are_not_one_table(query: str, message: str) -> None:
    with pytest.raises(NotTabular, match=message) as info:
        plan(query)
    assert info.value.code == "NOT_TABULAR"


def test_plan_applies_fragments_aliases_and_directives() -> None:
    query = """query($more: Boolean!) { objects(objectIds: ["a"]) { ...ids
        mag: lightcurve { magpsf } extra: nAlerts @include(if: $more) } }
        fragment ids on Object { objectId }"""
    assert names(plan(query, {"more": False})) == ["objectId", "mag.magpsf"]
    assert names(plan(query, {"more": True})) == ["objectId", "mag.magpsf", "extra"]


def test_plan_reads_union_members_through_their_fragments() -> None:
    p = plan('{ resolve(name: "x", kind: SSO) { __typename ... on SsoMatch { ssnamenr } '
             "... on TnsMatch { fullname } } }")
    assert names(p) == ["__typename", "ssnamenr", "fullname"]


def test_plan_of_an_invalid_document_is_left_to_validation() -> None:
    with pytest.raises(Unplannable):
        plan("{ objects(objectIds: []) { nope } }")


def test_plan_items_tables_a_gathered_list() -> None:
    p = plan_items(SCHEMA, "Alert", "objectId jd classification { label }")
    assert p.row_path == ("rows",)
    assert names(p) == ["objectId", "jd", "classification.label"]


def test_plan_types_lsst_columns_from_the_rubin_layout() -> None:
    p = plan('{ lsstObjects(diaObjectIds: ["1"]) { diaObjectId ra nDiaSources isSso '
             "forcedPhotometry { midpointMjdTai band psfFlux psfFluxErr mag sourceId } } }")
    types = {c.name: c.arrow_type for c in p.columns}
    # float32 fluxes stay float32, 64-bit ids (text in JSON) are int64, derived mag float64
    assert types == {"diaObjectId": pa.int64(), "ra": pa.float64(), "nDiaSources": pa.int32(),
                     "isSso": pa.bool_(), "forcedPhotometry.midpointMjdTai": pa.float64(),
                     "forcedPhotometry.band": pa.string(), "forcedPhotometry.psfFlux":
                     pa.float32(), "forcedPhotometry.psfFluxErr": pa.float32(),
                     "forcedPhotometry.mag": pa.float64(), "forcedPhotometry.sourceId":
                     pa.int64()}  # fmt: skip
    specs = {c.name: c for c in p.columns}
    flux = specs["forcedPhotometry.psfFlux"]
    assert (flux.unit, flux.ucd, flux.fink_column) == ("nJy", "phot.flux", "r:psfFlux")
    assert "difference image" in flux.description  # the field's own, the layout has none
    assert specs["ra"].unit == "deg" and "J2000" not in specs["ra"].description  # not ZTF's
    assert specs["forcedPhotometry.midpointMjdTai"].unit == "MJD"
    assert specs["forcedPhotometry.mag"].unit == "mag"
