"""The ASGI application: the one route table of the gateway.

``/graphql`` (GraphQL over HTTP, GraphiQL in a browser), ``/healthz`` (the process is up),
``/readyz`` (the store answers; 503 when it does not).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from fink_gateway import __version__
from fink_gateway.errors import GatewayError
from fink_gateway.gateway.config import Settings
from fink_gateway.loaders.store import Store
from fink_gateway.schema.build import build_schema

log = logging.getLogger("fink_gateway")


def build_app(settings: Settings, store: Store) -> Starlette:
    """The gateway serving ``store``; the store is closed when the app shuts down."""

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    async def readyz(request: Request) -> JSONResponse:
        try:
            await store.ping()
        except GatewayError as exc:
            return JSONResponse({"status": "unavailable", "code": exc.code}, status_code=503)
        except Exception:
            log.exception("readiness check failed")
            return JSONResponse(
                {"status": "unavailable", "code": "BACKEND_UNAVAILABLE"}, status_code=503
            )
        return JSONResponse({"status": "ready"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await store.close()

    graphql = GraphQL(build_schema())
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    return app
