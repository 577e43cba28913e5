"""CORS (fink_gateway.gateway.app.cors_middleware, the ``cors`` settings): by default any
origin may GET and POST without credentials; origins, methods, headers and credentials are
configurable; no origin at all turns CORS off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.config import load_settings
from fink_gateway.settings import CorsSettings, Settings
from tests.gateway.demo_apps import demo_client, fill_demo_store

QUERY = {"query": "{ version }"}
PORTAL = "https://fink-portal.org"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cors") / "store.db"
    fill_demo_store(path, alerts=5)
    return path


@pytest.fixture
def client(store_path: Path) -> Iterator[TestClient]:
    with demo_client(store_path) as client:
        yield client


def preflight(client: TestClient, origin: str, method: str = "POST") -> dict[str, str]:
    response = client.options(
        "/graphql",
        headers={
            "origin": origin,
            "access-control-request-method": method,
            "access-control-request-headers": "content-type",
        },
    )
    return {"status": str(response.status_code), **response.headers}


def test_cors_default_allows_get_and_post_from_any_origin(client: TestClient) -> None:
    answer = preflight(client, "https://example.org")
    assert answer["status"] == "200"
    assert answer["access-control-allow-origin"] == "*"
    assert answer["access-control-allow-methods"] == "GET, POST"
    assert "content-type" in answer["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in answer
    post = client.post("/graphql", json=QUERY, headers={"origin": "https://example.org"})
    assert post.json()["data"]["version"]
    assert post.headers["access-control-allow-origin"] == "*"
    get = client.get("/graphql", params=QUERY, headers={"origin": "null"})
    assert get.headers["access-control-allow-origin"] == "*"


def test_cors_default_refuses_other_methods(client: TestClient) -> None:
    answer = preflight(client, "https://example.org", method="DELETE")
    assert answer["status"] == "400"


def test_cors_without_origin_header_adds_nothing(client: TestClient) -> None:
    response = client.post("/graphql", json=QUERY)
    assert "access-control-allow-origin" not in response.headers


def test_cors_configured_origins_and_credentials(store_path: Path) -> None:
    cors = CorsSettings(allow_origins=f"{PORTAL}, http://localhost:3000", allow_credentials=True)
    with demo_client(store_path, Settings(store=str(store_path), cors=cors)) as client:
        allowed = preflight(client, PORTAL)
        assert allowed["status"] == "200"
        assert allowed["access-control-allow-origin"] == PORTAL
        assert allowed["access-control-allow-credentials"] == "true"
        post = client.post("/graphql", json=QUERY, headers={"origin": PORTAL})
        assert post.headers["access-control-allow-origin"] == PORTAL
        assert post.headers["access-control-allow-credentials"] == "true"
        refused = preflight(client, "https://elsewhere.example")
        assert refused["status"] == "400"
        assert "access-control-allow-origin" not in refused
        other = client.post("/graphql", json=QUERY, headers={"origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_cors_off_when_no_origin_is_allowed(store_path: Path) -> None:
    settings = Settings(store=str(store_path), cors=CorsSettings(allow_origins=""))
    with demo_client(store_path, settings) as client:
        post = client.post("/graphql", json=QUERY, headers={"origin": PORTAL})
        assert post.status_code == 200
        assert not any(h.startswith("access-control-") for h in post.headers)
        options = client.options(
            "/graphql", headers={"origin": PORTAL, "access-control-request-method": "POST"}
        )
        assert options.status_code == 405  # no CORS middleware answers the preflight


def test_cors_settings_from_the_environment() -> None:
    env = {
        "FINK_GATEWAY_CORS_ALLOW_ORIGINS": "https://a.example,https://b.example",
        "FINK_GATEWAY_CORS_ALLOW_METHODS": "GET",
        "FINK_GATEWAY_CORS_ALLOW_CREDENTIALS": "true",
    }
    cors = load_settings(None, env=env).cors
    assert CorsSettings.split(cors.allow_origins) == ["https://a.example", "https://b.example"]
    assert CorsSettings.split(cors.allow_methods) == ["GET"]
    assert cors.allow_credentials is True
