"""Automatic persisted queries (Apollo's protocol) over GET and POST, and Cache-Control."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.persisted_queries import PersistedQueries, sha256_hash
from tests.gateway.conftest import ClientFactory, settings_with

QUERY = "query Columns { version columns { name unit } }"
HASH = sha256_hash(QUERY)


def persisted(digest: str = HASH, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def get(client: TestClient, query: str | None = None, **extensions: Any) -> Any:
    params = {"extensions": json.dumps(extensions or persisted())}
    if query is not None:
        params["query"] = query
    return client.get("/graphql", params=params)


def codes(response: Any) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]


@pytest.fixture
def client(client_factory: ClientFactory) -> TestClient:
    return client_factory()


def test_apq_unknown_hash_asks_for_the_query(client: TestClient) -> None:
    response = get(client)
    assert response.status_code == 200
    assert codes(response) == ["PERSISTED_QUERY_NOT_FOUND"]
    (error,) = response.json()["errors"]
    assert error["message"] == "PersistedQueryNotFound"  # what Apollo's clients look for
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["extensions"]["cost"]["requested"] == 0


def test_apq_registers_on_post_then_answers_get(client: TestClient) -> None:
    registered = client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    assert registered.status_code == 200
    assert "errors" not in registered.json()
    assert registered.headers["cache-control"] == "no-store"  # a POST is never cached
    response = get(client)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == registered.json()["data"]
    assert body["extensions"]["cost"] == {"requested": 2, "limit": 100000}
    assert response.headers["cache-control"] == "public, max-age=300"
    assert "Accept" in response.headers["vary"]


def test_apq_registers_on_get(client: TestClient) -> None:
    assert "errors" not in get(client, QUERY).json()
    assert get(client).json()["data"]["version"]


def test_apq_accepts_the_hash_in_upper_case(client: TestClient) -> None:
    get(client, QUERY)
    assert "errors" not in get(client, **persisted(HASH.upper())).json()


def test_apq_refuses_a_query_that_does_not_match_its_hash(client: TestClient) -> None:
    response = get(client, "{ version }")
    assert response.status_code == 400
    assert codes(response) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert response.headers["cache-control"] == "no-store"
    assert codes(get(client)) == ["PERSISTED_QUERY_NOT_FOUND"]  # nothing was remembered


@pytest.mark.parametrize(
    "extensions",
    [persisted(version=2), persisted("abc"), {"persistedQuery": "yes"}],
)
def test_apq_refuses_malformed_extensions(client: TestClient, extensions: Any) -> None:
    response = get(client, QUERY, **extensions)
    assert response.status_code == 400
    assert codes(response) == ["INVALID_ARGUMENT"]


def test_apq_does_not_remember_a_query_that_fails_validation(client: TestClient) -> None:
    invalid = "{ noSuchField }"
    digest = sha256_hash(invalid)
    assert codes(get(client, invalid, **persisted(digest))) == ["GRAPHQL_VALIDATION_FAILED"]
    assert codes(get(client, **persisted(digest))) == ["PERSISTED_QUERY_NOT_FOUND"]


def test_apq_get_with_only_a_hash_is_not_a_browser(client: TestClient) -> None:
    get(client, QUERY)
    response = client.get(
        "/graphql",
        params={"extensions": json.dumps(persisted())},
        headers={"accept": "text/html,application/json;q=0.9"},
    )
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["data"]["version"]


def test_cache_control_of_get_answers(client_factory: ClientFactory) -> None:
    client = client_factory(settings_with(cache={"ttl_seconds": 60}))
    ok = client.get("/graphql", params={"query": "{ version }"})
    assert ok.headers["cache-control"] == "public, max-age=60"
    failed = client.get("/graphql", params={"query": "{ noSuchField }"})
    assert failed.headers["cache-control"] == "no-store"
    uncached = client_factory(settings_with(cache={"ttl_seconds": 0}))
    assert uncached.get("/graphql", params={"query": "{ version }"}).headers[
        "cache-control"
    ] == "no-store"


def test_persisted_queries_forget_the_least_recently_used() -> None:
    queries = PersistedQueries(max_bytes=30)
    texts = ["{ a: version }", "{ b: version }", "{ c: version }"]  # 14 bytes each
    for text in texts[:2]:
        queries.remember(sha256_hash(text), text)
    assert queries.resolve(None, persisted(sha256_hash(texts[0]))) == (texts[0], None)  # used
    queries.remember(sha256_hash(texts[2]), texts[2])
    assert len(queries) == 2
    assert queries.resolve(None, persisted(sha256_hash(texts[2])))[0] == texts[2]
    assert queries.resolve(None, persisted(sha256_hash(texts[0])))[0] == texts[0]
    with pytest.raises(Exception, match="PersistedQueryNotFound"):
        queries.resolve(None, persisted(sha256_hash(texts[1])))


def test_persisted_queries_keep_nothing_larger_than_the_budget() -> None:
    queries = PersistedQueries(max_bytes=10)
    queries.remember(sha256_hash(QUERY), QUERY)
    assert len(queries) == 0


def test_persisted_queries_leave_other_requests_alone() -> None:
    assert PersistedQueries(100).resolve("{ version }", {"other": 1}) == ("{ version }", None)
    assert PersistedQueries(100).resolve("{ version }", None) == ("{ version }", None)
