"""Tests for fink_gateway.gateway.graphql_view: GraphQL over HTTP's media types and status
codes (application/graphql-response+json vs application/json), and requests that are not
GraphQL requests answered as coded GraphQL errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.graphql_view import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from tests.gateway.demo_apps import demo_client, fill_demo_store

VALID = {"query": "{ version }"}
UNPARSABLE = {"query": "{ version"}
INVALID = {"query": "{ noSuchField }"}
BAD_VARIABLES = {"query": "query Q($n: Int!) { version }", "variables": {"n": "x"}}
FIELD_ERROR = {"query": '{ object(objectId: "not-an-id") { objectId } }'}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("view") / "store.db"
    fill_demo_store(path, alerts=5)
    with demo_client(path) as client:
        yield client


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("", JSON),
        ("*/*", JSON),
        ("application/json", JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, application/json", GRAPHQL_RESPONSE_JSON),
        (f"application/json, {GRAPHQL_RESPONSE_JSON}", JSON),
        (f"application/json;q=0.9, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0.5, application/json", JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0, */*", JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=bad", JSON),
        ("text/html", JSON),
    ],
)
def test_negotiate(accept: str, media_type: str) -> None:
    assert negotiate(accept) == media_type


@pytest.mark.parametrize(
    ("body", "status", "has_data"),
    [(VALID, 200, True), (FIELD_ERROR, 200, True), (UNPARSABLE, 400, False),
     (INVALID, 400, False), (BAD_VARIABLES, 400, False)],
    ids=["valid", "field-error", "unparsable", "invalid", "bad-variables"],
)  # fmt: skip
def test_graphql_response_json_status_codes(
    client: TestClient, body: dict[str, object], status: int, has_data: bool
) -> None:
    response = client.post("/graphql", json=body, headers={"accept": GRAPHQL_RESPONSE_JSON})
    assert response.status_code == status
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
    assert ("data" in response.json()) is has_data


@pytest.mark.parametrize(
    "body", [VALID, FIELD_ERROR, UNPARSABLE, INVALID, BAD_VARIABLES],
    ids=["valid", "field-error", "unparsable", "invalid", "bad-variables"],
)  # fmt: skip
def test_application_json_answers_every_graphql_request_with_200(
    client: TestClient, body: dict[str, object]
) -> None:
    response = client.post("/graphql", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    for error in response.json().get("errors", []):
        assert error["extensions"]["code"]


def test_request_errors_have_no_data_entry(client: TestClient) -> None:
    body = client.post("/graphql", json=INVALID).json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    field = client.post("/graphql", json=FIELD_ERROR).json()
    assert field["data"] == {"object": None}
    assert field["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"{not json", "application/json", "Unable to parse request body as JSON"),
        (b"{}", "application/json", "No GraphQL query found in the request"),
        (b"query=x", "text/plain", "Unsupported content type"),
    ],
)
def test_requests_that_are_not_graphql_get_a_coded_4xx(
    client: TestClient, content: bytes, content_type: str, message: str
) -> None:
    response = client.post("/graphql", content=content, headers={"content-type": content_type})
    assert response.status_code == 400
    assert response.headers["content-type"] == JSON
    (error,) = response.json()["errors"]
    assert error["message"] == message
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["extensions"]["requestId"]
