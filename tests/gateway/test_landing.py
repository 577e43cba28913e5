"""``GET /`` leads a browser to GraphiQL and tells other clients the gateway's links;
``GET /schema.graphql`` is the SDL the schema prints (only with introspection on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fink_gateway.schema.build import build_schema
from fink_gateway.settings import Settings
from tests.gateway.demo_apps import demo_client, fill_demo_store


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("landing") / "store.db"
    fill_demo_store(path, alerts=5)
    return path


def test_a_browser_is_sent_to_graphiql(store_path: Path) -> None:
    with demo_client(store_path) as client:
        page = client.get("/", headers={"accept": "text/html,application/xhtml+xml"})
        assert page.history and page.history[0].status_code == 307
        assert page.url.path == "/graphql"
        assert page.status_code == 200 and "graphiql" in page.text.lower()


def test_other_clients_get_the_links(store_path: Path) -> None:
    with demo_client(store_path) as client:
        body = client.get("/", headers={"accept": "application/json"}).json()
        assert body["name"] == "fink-gateway"
        assert body["links"]["sdl"] == "/schema.graphql"
        for link in body["links"].values():
            assert client.get(link, headers={"accept": "text/html"}).status_code == 200


def test_the_sdl_is_the_printed_schema(store_path: Path) -> None:
    with demo_client(store_path) as client:
        response = client.get("/schema.graphql")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text == build_schema().as_str()


def test_without_introspection_no_graphiql_and_no_sdl(store_path: Path) -> None:
    settings = Settings(store=str(store_path), introspection=False)
    with demo_client(store_path, settings) as client:
        page = client.get("/", headers={"accept": "text/html"})
        assert page.status_code == 200 and not page.history
        assert "graphiql" not in page.json()["links"] and "sdl" not in page.json()["links"]
        assert client.get("/schema.graphql").status_code == 404
