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
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from fink_gateway import __version__
from fink_gateway.errors import GatewayError
from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.graphiql import STATIC, STATIC_URL
from fink_gateway.gateway.graphql_view import GatewayGraphQL
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.loaders.store import Store
from fink_gateway.resolvers.fits import shutdown_fits
from fink_gateway.schema.build import build_schema

log = logging.getLogger("fink_gateway")


def build_app(settings: Settings, store: Store, prefix: str | None = None) -> Starlette:
    """The gateway serving ``store`` (tables ``prefix``…); the store is closed at shutdown."""
    cache = ResultCache(
        settings.cache.backend, settings.cache.redis_url, settings.cache.ttl_seconds
    )
    services = Services(store, settings, prefix or settings.table_prefix, cache)

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
            await cache.close()
            await store.close()
            shutdown_fits()

    graphql = GatewayGraphQL(
        services,
        schema=build_schema(telemetry=settings.telemetry),
        multipart_uploads_enabled=True,  # file uploads (the skymap's bayestar map)
    )
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Mount(STATIC_URL, app=StaticFiles(directory=STATIC, check_dir=False), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
