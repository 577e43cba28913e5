"""``client_factory``: the whole app over an embedded store in a temporary folder."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.store.embedded import EmbeddedStore

ClientFactory = Callable[..., TestClient]


def settings_with(**sections: dict[str, Any]) -> Settings:
    """The default settings with some values of some sections replaced, e.g.
    ``settings_with(limits={"max_cost": 10})``."""
    base = Settings()
    return dataclasses.replace(
        base,
        **{name: dataclasses.replace(getattr(base, name), **values)
           for name, values in sections.items()},
    )  # fmt: skip


@pytest.fixture
def client_factory(tmp_path: Path) -> Iterator[ClientFactory]:
    """``client_factory(settings, client=("10.0.0.1", 1234))``: a started TestClient of
    ``build_app`` over ``tmp_path/store.db``; every one is stopped at teardown."""
    clients: list[TestClient] = []

    def factory(settings: Settings | None = None, **kwargs: Any) -> TestClient:
        app = build_app(settings or Settings(), EmbeddedStore(tmp_path / "store.db"), "ztf")
        client = TestClient(app, **kwargs)
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)
