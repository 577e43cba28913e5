"""The ASGI application: the one route table of the gateway.

``/graphql`` (GraphQL over HTTP, GraphiQL in a browser, tabular answers, subscriptions over
WebSocket), ``/api/v1/…`` (Fink's REST routes, answered through the schema), ``/`` (to
GraphiQL, or the links as JSON), ``/schema.graphql`` (the SDL), ``/healthz`` (the process is
up), ``/readyz`` (the store answers; 503 when it does not), ``/metrics`` (Prometheus).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from fink_gateway import __version__
from fink_gateway.errors import GatewayError
from fink_gateway.gateway.api_v1.router import api_routes
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.error_response import internal_error
from fink_gateway.gateway.graphiql import STATIC, STATIC_URL
from fink_gateway.gateway.graphql_view import GatewayGraphQL
from fink_gateway.gateway.lag_metrics import consumer_lag_collector
from fink_gateway.gateway.landing import landing_endpoint, sdl_endpoint
from fink_gateway.gateway.metrics import GatewayMetrics, MetricsMiddleware
from fink_gateway.gateway.middleware.body_limit import BodyLimitMiddleware
from fink_gateway.gateway.middleware.ratelimit import RateLimitMiddleware, buckets_for
from fink_gateway.gateway.middleware.request_id import RequestIdMiddleware
from fink_gateway.ingest.follow.options import FollowOptions
from fink_gateway.live.bus import alert_bus
from fink_gateway.live.seats import subscription_seats
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.schema.build import build_schema
from fink_gateway.settings import CorsSettings, Settings
from fink_gateway.store.interface import Store

log = logging.getLogger("fink_gateway")


def build_app(
    settings: Settings,
    store: Store,
    prefix: str | None = None,
    follow: FollowOptions | None = None,
) -> Starlette:
    """The gateway serving ``store`` (tables ``prefix``…); the store is closed at shutdown.
    With ``follow``, the process also follows those Kafka topics into the store and pushes
    what it stores to its subscriptions."""
    cache = ResultCache(
        settings.cache.backend,
        settings.cache.redis_url,
        settings.cache.ttl_seconds,
        settings.cache.max_entries,
    )
    table_prefix = prefix or settings.table_prefix
    services = Services(
        store, settings, table_prefix, cache, bus=alert_bus(settings, table_prefix),
        seats=subscription_seats(settings, table_prefix),
    )  # fmt: skip
    buckets = buckets_for(settings)

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
            if follow is None:
                yield
            else:  # stopped (its batch in hand stored) before the store closes
                from fink_gateway.gateway.following import follower_running  # Kafka client

                async with follower_running(services, follow, metrics.registry):
                    yield
        finally:
            await cache.close()
            await services.bus.close()
            await services.seats.close()
            await store.close()
            if buckets is not None:
                await buckets.close()
            services.shared.fits.close()

    metrics = GatewayMetrics(cache, consumer_lag_collector(settings.live))
    schema = build_schema(
        telemetry=settings.telemetry,
        introspection=settings.introspection,
        tracing=settings.tracing,
        limits=settings.limits,
    )
    graphql = GatewayGraphQL(
        services,
        metrics,
        schema=schema,
        multipart_uploads_enabled=True,  # file uploads (the skymap's bayestar map)
        graphql_ide="graphiql" if settings.introspection else None,  # GraphiQL introspects
    )
    sdl_served = settings.introspection
    app = Starlette(
        routes=[
            Route("/", landing_endpoint(settings.introspection)),
            *([Route("/schema.graphql", sdl_endpoint(schema.as_str()))] if sdl_served else []),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),  # subscriptions (graphql-transport-ws)
            *api_routes(graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            Mount(STATIC_URL, app=StaticFiles(directory=STATIC, check_dir=False), name="static"),
        ],
        middleware=[
            Middleware(MetricsMiddleware, metrics=metrics),  # outermost: counts everything
            Middleware(RequestIdMiddleware),
            *cors_middleware(settings.cors),
            *([] if buckets is None else [Middleware(RateLimitMiddleware, buckets=buckets)]),
            Middleware(
                BodyLimitMiddleware,
                max_bytes=settings.http.max_body_bytes,
                multipart_extra_bytes=settings.skymap.max_bytes,  # sky map uploads
                # Fink's skymap route: the map as the text of its bytes, ≤ 4 characters a byte
                path_extra_bytes={"/api/v1/skymap": 4 * settings.skymap.max_bytes},
            ),
        ],
        lifespan=lifespan,
        exception_handlers={Exception: internal_error},  # a 500 with a code, the trace logged
    )
    app.state.services = services
    app.state.metrics = metrics
    return app


def cors_middleware(cors: CorsSettings) -> list[Middleware]:
    """Starlette's CORS middleware as configured; none when no origin is allowed."""
    origins = CorsSettings.split(cors.allow_origins)
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=CorsSettings.split(cors.allow_methods),
            allow_headers=CorsSettings.split(cors.allow_headers),
            allow_credentials=cors.allow_credentials,
            max_age=cors.max_age,
        )
    ]
