"""The Redis cache dies and comes back while the gateway serves: queries never fail, the
cache degrades to misses (one warning per outage) and is used again once Redis is back."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from starlette.testclient import TestClient

from fink_gateway.gateway.app import build_app
from fink_gateway.settings import CacheSettings, Settings
from fink_gateway.store.embedded import EmbeddedStore
from tests.faults.conftest import free_port, wait_until
from tests.gateway.demo_apps import fill_demo_store

REDIS_ENV = "FINK_GATEWAY_TEST_REDIS"

QUERY = "query($id: String!) { object(objectId: $id) { objectId lightcurve { jd } } }"


class RedisServer:
    """A private, non-persistent redis-server on ``port`` (start, kill, start again)."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(lambda: self.client().ping(), 10.0, f"redis-server on port {self.port}")

    def client(self) -> redis.Redis:
        return redis.Redis("127.0.0.1", self.port, socket_timeout=2, socket_connect_timeout=2)

    def keys(self) -> int:
        with self.client() as client:
            return int(client.dbsize())

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if not os.environ.get(REDIS_ENV, "").strip():
        pytest.skip(f"{REDIS_ENV}=redis://host:port/db is not set")
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


def ask(client: TestClient, object_id: str) -> dict:
    response = client.post("/graphql", json={"query": QUERY, "variables": {"id": object_id}})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "errors" not in payload, payload
    assert payload["data"]["object"]["objectId"] == object_id
    assert payload["data"]["object"]["lightcurve"]["jd"]
    return payload


def test_redis_outage_degrades_to_no_cache(
    redis_server: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "store.db"
    ids = fill_demo_store(path, alerts=40)
    cache = CacheSettings(backend="redis", redis_url=f"redis://127.0.0.1:{redis_server.port}/0")
    app = build_app(Settings(store=str(path), cache=cache), EmbeddedStore(path), "ztf")
    caplog.set_level(logging.WARNING, logger="fink_gateway.cache")
    with TestClient(app, raise_server_exceptions=False) as client:
        first = ask(client, ids[0])
        assert redis_server.keys() > 0  # the cache is in use
        assert ask(client, ids[0]) == first

        redis_server.kill()
        for object_id in [*ids[:6], *ids[:6]]:
            ask(client, object_id)
        unavailable = [r for r in caplog.records if "unavailable" in r.getMessage()]
        assert len(unavailable) == 1, [r.getMessage() for r in caplog.records]
        assert client.get("/readyz").status_code == 200  # the store is fine

        redis_server.start()  # empty: no persistence
        assert redis_server.keys() == 0

        def used_again() -> bool:
            ask(client, ids[1])
            return redis_server.keys() > 0

        wait_until(used_again, 15.0, "the gateway to use Redis again", 0.3)
        assert any("is back" in r.getMessage() for r in caplog.records)
        assert ask(client, ids[0]) == first
