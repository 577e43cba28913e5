"""Tests for fink_gateway.schema.extensions.cost: the cost of queries, computed before they run."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from graphql import parse
from strawberry.types import ExecutionResult

from fink_gateway.resolvers.context import RequestContext
from fink_gateway.schema.build import build_schema
from fink_gateway.schema.extensions.cost import FIT_COST, Sizes, query_cost
from fink_gateway.settings import LimitSettings, Settings
from tests.schema.conftest import Samples

pytestmark = pytest.mark.anyio

SCHEMA = build_schema()
SIZES = Sizes(first_default=100, first_max=1000, max_ids=1000)
IDS = [f"ZTF21aaaaa{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(100)]


def cost(query: str, variables: dict[str, Any] | None = None, name: str | None = None) -> int:
    return query_cost(SCHEMA._schema, parse(query), name, variables, SIZES)


def test_cost_of_a_scalar_root_field_is_one() -> None:
    assert cost("{ version }") == 1


def test_cost_multiplies_nested_lists() -> None:
    query = """query($ids: [String!]!) {
      objects(objectIds: $ids) { objectId alerts(first: 50) { nodes { jd } } } }"""
    assert cost(query, {"ids": IDS}) == 100 + 100 * 50


def test_cost_counts_first_default_when_first_is_absent() -> None:
    assert cost('{ object(objectId: "ZTF21abfmbix") { alerts { totalCount } } }') == 1 + 100


def test_cost_follows_fragments_and_counts_each_alias() -> None:
    query = """{
      a: object(objectId: "ZTF21abfmbix") { ...Detail }
      b: object(objectId: "ZTF21abfmbiy") { ...Detail objectId }
    }
    fragment Detail on Object {
      alerts(first: 10) { edges { node { ...Stamp } } }
      lightcurve { jd }
    }
    fragment Stamp on Alert { jd cutout(kind: SCIENCE) { width } }"""
    per_object = 1 + 10 * (1 + 1) + 1  # the object, 10 alerts with a cutout each, a light curve
    assert cost(query) == 2 * per_object


def test_cost_reads_sizes_from_variables() -> None:
    query = """query($n: Int) {
      conesearch(ra: 10, dec: 20, radius: 5, first: $n) { nodes { object { lightcurve { jd } } } }
    }"""
    assert cost(query, {"n": 20}) == 20 * (1 + 1 + 1)  # match, its object, its light curve
    assert cost(query, {}) == 100 * 3  # $n absent: first_default


def test_cost_weighs_fits_heavily() -> None:
    query = """query($ids: [String!]!) { objects(objectIds: $ids) { period { periodDays } } }"""
    assert cost(query, {"ids": IDS[:3]}) == 3 * (1 + FIT_COST)
    sso = '{ solarSystemObject(nameOrNumber: "8467") { phaseCurve(model: HG) { ok } } }'
    assert cost(sso) == 1 + FIT_COST


def test_cost_honours_skip_and_include() -> None:
    query = """query($fit: Boolean!) {
      object(objectId: "ZTF21abfmbix") { period @include(if: $fit) { status } } }"""
    assert cost(query, {"fit": False}) == 1
    assert cost(query, {"fit": True}) == 1 + FIT_COST
    assert cost('{ version @skip(if: true) object(objectId: "ZTF21abfmbix") { objectId } }') == 1


def test_cost_clamps_sizes_to_their_caps() -> None:
    assert cost('{ alertsByClass(class: "SN candidate", first: 5000) { totalCount } }') == 1000
    assert cost('{ alertsByClass(class: "SN candidate", first: -5) { totalCount } }') == 0


def test_cost_of_unions_is_the_dearest_member() -> None:
    query = '{ resolve(name: "SN 2023ixf", kind: TNS, limit: 5) { ... on TnsMatch { type } } }'
    assert cost(query) == 5


def test_cost_estimates_lists_without_a_size() -> None:
    assert cost('{ tracklets(date: "2025-01-14") { alerts { jd } } }') == 100 + 100 * 100


def test_cost_of_introspection_is_zero() -> None:
    assert cost("{ __typename __schema { types { name fields { name } } } }") == 0


def test_cost_picks_the_named_operation() -> None:
    document = "query One { version } query Two { a: version b: version }"
    assert cost(document, name="Two") == 2
    assert cost(document, name="Missing") == 0
    assert cost(document) == 0  # two operations and no name: execution reports it


def _context(**limits: Any) -> RequestContext:
    settings = dataclasses.replace(
        Settings(), limits=dataclasses.replace(LimitSettings(), **limits)
    )
    return RequestContext(reader=None, settings=settings, request_id="req-1")  # type: ignore[arg-type]


async def test_cost_over_the_cap_is_refused_before_execution() -> None:
    query = """query($ids: [String!]!) { objects(objectIds: $ids) { alerts(first: 50) { nodes {
      jd } } } }"""
    result = await SCHEMA.execute(query, {"ids": IDS}, context_value=_context(max_cost=5000))
    assert isinstance(result, ExecutionResult)
    assert result.data is None  # nothing ran: the context has no reader to run with
    assert result.errors is not None
    (error,) = [e.formatted for e in result.errors]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] == {"requested": 5100, "limit": 5000}
    assert error["extensions"]["requestId"] == "req-1"
    assert "5,100" in error["message"] and "5,000" in error["message"]
    assert result.extensions == {"cost": {"requested": 5100, "limit": 5000}}


@pytest.mark.parametrize(
    ("query", "requested"),
    [
        ("{ version columns { name } }", 2),
        ("{ version(", 0),  # does not parse
        ("{ noSuchField }", 0),  # does not validate
    ],
)
async def test_cost_is_in_the_extensions_of_every_response(query: str, requested: int) -> None:
    result = await SCHEMA.execute(query, context_value=_context(max_cost=77))
    assert result.extensions == {"cost": {"requested": requested, "limit": 77}}


async def test_cost_of_a_query_on_the_samples(samples: Samples) -> None:
    ids = samples.demo_ids[:7]
    query = """query($ids: [String!]!) {
      objects(objectIds: $ids) { alerts(first: 2) { nodes { jd } } lightcurve { jd } } }"""
    executed = await samples.execute(query, {"ids": ids})
    assert executed.errors == []
    assert all(len(o["alerts"]["nodes"]) <= 2 for o in executed.data["objects"])
    assert executed.extensions["cost"] == {"requested": 7 * (1 + 2 + 1), "limit": 100000}
