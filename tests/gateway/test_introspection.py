"""The ``introspection`` setting: on by default; off, ``__schema``/``__type`` queries are
invalid (GRAPHQL_VALIDATION_FAILED) and GraphiQL, which needs them, is not served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.config import Settings, load_settings
from tests.gateway.demo_apps import demo_client, fill_demo_store

SCHEMA_QUERY = {"query": "{ __schema { queryType { name } } }"}
TYPE_QUERY = {"query": '{ __type(name: "Object") { name fields { name } } }'}
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("introspection") / "store.db"
    return path, fill_demo_store(path, alerts=5)


@pytest.fixture
def closed(store_path: tuple[Path, list[str]]) -> Iterator[TestClient]:
    """A gateway with introspection turned off."""
    path = store_path[0]
    with demo_client(path, Settings(store=str(path), introspection=False)) as client:
        yield client


def test_introspection_is_on_by_default(store_path: tuple[Path, list[str]]) -> None:
    with demo_client(store_path[0]) as client:
        schema = client.post("/graphql", json=SCHEMA_QUERY).json()
        assert schema["data"] == {"__schema": {"queryType": {"name": "Query"}}}
        type_ = client.post("/graphql", json=TYPE_QUERY).json()
        assert "lightcurve" in {f["name"] for f in type_["data"]["__type"]["fields"]}
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()


@pytest.mark.parametrize("query", [SCHEMA_QUERY, TYPE_QUERY], ids=["schema", "type"])
def test_introspection_off_rejects_introspection_queries(
    closed: TestClient, query: dict[str, str]
) -> None:
    response = closed.post("/graphql", json=query)
    assert response.status_code == 200  # application/json: 200 for every GraphQL request
    body = response.json()
    assert "data" not in body
    assert body["errors"]
    for error in body["errors"]:  # one per introspection field asked
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "introspection has been disabled" in error["message"]
    strict = closed.post("/graphql", json=query, headers={"accept": GRAPHQL_RESPONSE})
    assert strict.status_code == 400


def test_introspection_off_still_answers_queries(
    closed: TestClient, store_path: tuple[Path, list[str]]
) -> None:
    object_id = store_path[1][0]
    query = f'{{ __typename object(objectId: "{object_id}") {{ objectId }} }}'
    body = closed.post("/graphql", json={"query": query}).json()
    assert body["data"] == {"__typename": "Query", "object": {"objectId": object_id}}


def test_introspection_off_turns_graphiql_off(closed: TestClient) -> None:
    page = closed.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert page.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_introspection_setting_from_the_environment() -> None:
    assert load_settings(None, env={"FINK_GATEWAY_INTROSPECTION": "false"}).introspection is False
