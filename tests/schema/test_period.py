"""``Object.period``: demo variable stars of known period, the fit limit, the cache."""

from __future__ import annotations

import dataclasses

import pyarrow.compute as pc
import pytest

from fink_gateway.demo import demo_truth
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.settings import LimitSettings, Settings
from tests.schema.conftest import DEMO_SEED, Samples

pytestmark = pytest.mark.anyio

QUERY = """query ($id: String!, $method: PeriodMethod!) {
  object(objectId: $id) {
    period(method: $method) { status periodDays power nPoints phase models { band magnitude } }
  }
}"""


def variable_stars(samples: Samples, min_points: int = 30) -> list[tuple[str, float]]:
    """(objectId, true period in days) of demo variables with enough alerts."""
    counts = pc.value_counts(samples.demo.column("objectId")).to_pylist()
    out = []
    for item in counts:
        truth = demo_truth(item["values"], DEMO_SEED)
        if truth.kind == "variable" and item["counts"] >= min_points and truth.period_days:
            out.append((item["values"], float(truth.period_days)))
    return sorted(out)


@pytest.mark.parametrize("method", ["FAST", "MULTIBAND"])
async def test_period_recovers_demo_variables(samples: Samples, method: str) -> None:
    stars = variable_stars(samples)[:2]
    assert stars, "the demo set should hold variable stars with 30+ alerts"
    for object_id, period in stars:
        result = await samples.execute(QUERY, {"id": object_id, "method": method})
        assert not result.errors, result.errors
        fit = result.data["object"]["period"]
        assert fit["status"] == "ok"
        assert abs(fit["periodDays"] - period) / period < 1e-3
        assert len(fit["phase"]) == fit["nPoints"] >= 30
        assert {m["band"] for m in fit["models"]} <= {"g", "r"}


async def test_period_fits_are_limited_per_request(samples: Samples) -> None:
    ids = [oid for oid, _ in variable_stars(samples, 10)][:3]
    settings = dataclasses.replace(
        Settings(), limits=dataclasses.replace(LimitSettings(), max_fits_per_request=2)
    )
    query = (
        "query ($ids: [String!]!) { objects(objectIds: $ids) { period(method: FAST) { status } } }"
    )
    result = await samples.execute(
        query, {"ids": ids}, services=samples.services(settings=settings)
    )
    assert "QUERY_TOO_COSTLY" in result.codes()


async def test_period_is_cached_across_requests(samples: Samples) -> None:
    object_id, _ = variable_stars(samples)[0]
    services = samples.services(cache=ResultCache("memory", ttl_seconds=60))
    first = await samples.execute(QUERY, {"id": object_id, "method": "FAST"}, services=services)
    hits = services.cache.hits  # type: ignore[union-attr]
    second = await samples.execute(QUERY, {"id": object_id, "method": "FAST"}, services=services)
    assert second.data == first.data
    assert services.cache.hits > hits  # type: ignore[union-attr]


async def test_period_rejects_bad_ranges(samples: Samples) -> None:
    object_id, _ = variable_stars(samples)[0]
    query = """query ($id: String!) {
      object(objectId: $id) { period(minPeriod: 2, maxPeriod: 1) { status } }
    }"""
    result = await samples.execute(query, {"id": object_id})
    assert result.codes() == ["INVALID_ARGUMENT"]
