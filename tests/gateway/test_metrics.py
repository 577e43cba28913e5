"""Tests for fink_gateway.gateway.metrics: ``/metrics`` in Prometheus' text format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from fink_gateway.gateway.metrics import route_label
from tests.gateway.demo_apps import demo_client, fill_demo_store

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    """Every sample of ``/metrics``: (name, labels) → value."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("metrics") / "store.db"
    return path, fill_demo_store(path)


@pytest.fixture
def client(store_path: tuple[Path, list[str]]) -> Iterator[TestClient]:
    with demo_client(store_path[0]) as client:
        yield client


def object_query(object_id: str) -> dict[str, str]:
    return {"query": f'{{ object(objectId: "{object_id}") {{ objectId lastSeen }} }}'}


def test_metrics_start_at_zero_with_help_text(client: TestClient) -> None:
    response = client.get("/metrics")
    text = response.text
    for name in (
        "fink_gateway_http_requests_total",
        "fink_gateway_http_request_duration_seconds",
        "fink_gateway_graphql_errors_total",
        "fink_gateway_store_round_trips_total",
        "fink_gateway_cache_hits_total",
        "fink_gateway_cache_misses_total",
    ):
        assert f"# HELP {name.removesuffix('_total')}" in text, name
    samples = scrape(client)
    assert value(samples, "fink_gateway_graphql_operations_total") == 0
    assert value(samples, "fink_gateway_store_round_trips_total") == 0


def test_no_consumer_lag_without_live_settings(client: TestClient) -> None:
    text = client.get("/metrics").text  # live: off by default; Kafka is never asked
    assert "fink_gateway_kafka_up" not in text
    assert "consumer_lag" not in text


def test_metrics_count_requests_latency_store_work_and_cache(
    client: TestClient, store_path: tuple[Path, list[str]]
) -> None:
    object_id = store_path[1][0]
    for _ in range(2):
        response = client.post("/graphql", json=object_query(object_id))
        assert response.json()["data"]["object"]["objectId"] == object_id
    samples = scrape(client)
    requests = "fink_gateway_http_requests_total"
    assert value(samples, requests, route="/graphql", method="POST", status="200") == 2
    latency = "fink_gateway_http_request_duration_seconds_count"
    assert value(samples, latency, route="/graphql") == 2
    assert value(samples, "fink_gateway_graphql_operations_total") == 2
    assert value(samples, "fink_gateway_store_round_trips_total") >= 1
    assert value(samples, "fink_gateway_store_rows_total") >= 1
    # the second request found the first one's reads in the cache
    assert value(samples, "fink_gateway_cache_misses_total") >= 1
    assert value(samples, "fink_gateway_cache_hits_total") >= 1


def test_metrics_count_errors_by_code(client: TestClient) -> None:
    client.post("/graphql", json=object_query("not-an-id"))
    client.post("/graphql", json={"query": "{ nope }"})
    client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    samples = scrape(client)
    errors = "fink_gateway_graphql_errors_total"
    assert value(samples, errors, code="INVALID_ARGUMENT") == 1
    assert value(samples, errors, code="GRAPHQL_VALIDATION_FAILED") == 1
    assert value(samples, errors, code="BAD_REQUEST") == 1
    requests = "fink_gateway_http_requests_total"
    assert value(samples, requests, route="/graphql", method="POST", status="400") == 1


def test_metrics_route_labels_are_bounded(client: TestClient) -> None:
    client.get("/healthz")
    client.get("/no/such/page")
    client.get("/no/other/page")
    samples = scrape(client)
    requests = "fink_gateway_http_requests_total"
    assert value(samples, requests, route="/healthz", method="GET", status="200") == 1
    assert value(samples, requests, route="other", method="GET", status="404") == 2


def test_each_app_has_its_own_registry(store_path: tuple[Path, list[str]]) -> None:
    with demo_client(store_path[0]) as first, demo_client(store_path[0]) as second:
        first.get("/healthz")
        requests = "fink_gateway_http_requests_total"
        labels = {"route": "/healthz", "method": "GET", "status": "200"}
        assert value(scrape(first), requests, **labels) == 1
        assert value(scrape(second), requests, **labels) == 0


@pytest.mark.parametrize(
    ("path", "label"),
    [("/graphql", "/graphql"), ("/metrics", "/metrics"), ("/static/vendor/x.js", "/static"),
     ("/graphql/extra", "other"), ("/", "other")],
)  # fmt: skip
def test_route_label(path: str, label: str) -> None:
    assert route_label(path) == label
