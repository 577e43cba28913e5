"""``/metrics``: the gateway's counters in Prometheus' text format.

Each app has its own registry (two apps in one process, as in the tests, never share
counters). What is counted:

- ``fink_gateway_http_requests_total{route, method, status}`` and
  ``fink_gateway_http_request_duration_seconds{route}`` (a histogram), for every HTTP request;
- ``fink_gateway_graphql_operations_total`` and
  ``fink_gateway_graphql_errors_total{code}`` (each error sent, by its ``extensions.code``);
- ``fink_gateway_store_round_trips_total`` and ``fink_gateway_store_rows_total``, the store
  work of GraphQL requests;
- ``fink_gateway_cache_hits_total`` and ``fink_gateway_cache_misses_total``, read from the
  cross-request cache when scraped;
- with ``live:`` configured, the follower groups' consumer lag and ``fink_gateway_kafka_up``
  (``gateway/lag_metrics.py``), asked of Kafka when scraped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest
from prometheus_client import Histogram as PromHistogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fink_gateway.gateway.api_v1.names import PREFIX as API_PREFIX
from fink_gateway.gateway.api_v1.names import ROUTE_NAMES as API_ROUTES
from fink_gateway.gateway.lag_metrics import ConsumerLagCollector
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.store.interface import StoreStats

ROUTES = ("/graphql", "/healthz", "/readyz", "/metrics")
"""Paths counted under their own name; ``/static/…`` is ``/static``, anything else ``other``."""

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
"""Seconds: cached reads take about a millisecond, fits and wide scans several seconds."""

_METHODS = frozenset({"GET", "POST", "HEAD", "OPTIONS"})


class _CacheCollector(Collector):
    """The cache's own hit and miss counters, read at scrape time."""

    def __init__(self, cache: ResultCache | None) -> None:
        self.cache = cache

    def describe(self) -> Iterable[Metric]:
        return self._families(0, 0)

    def collect(self) -> Iterable[Metric]:
        if self.cache is None:
            return self._families(0, 0)
        return self._families(self.cache.hits, self.cache.misses)

    @staticmethod
    def _families(hits: int, misses: int) -> list[Metric]:
        return [
            CounterMetricFamily(
                "fink_gateway_cache_hits", "Store results served from the cache.", value=hits
            ),
            CounterMetricFamily(
                "fink_gateway_cache_misses",
                "Store results looked up in the cache and not found.",
                value=misses,
            ),
        ]


class GatewayMetrics:
    """The counters of one app and the ``/metrics`` endpoint that prints them."""

    def __init__(
        self, cache: ResultCache | None = None, lag: ConsumerLagCollector | None = None
    ) -> None:
        self.lag = lag
        self.registry = CollectorRegistry()
        registry = self.registry
        self.requests = Counter(
            "fink_gateway_http_requests", "HTTP requests answered.",
            ["route", "method", "status"], registry=registry,
        )  # fmt: skip
        self.latency = PromHistogram(
            "fink_gateway_http_request_duration_seconds",
            "Time from request to the end of the response, seconds.",
            ["route"], buckets=LATENCY_BUCKETS, registry=registry,
        )  # fmt: skip
        self.operations = Counter(
            "fink_gateway_graphql_operations", "GraphQL operations answered.", registry=registry
        )
        self.errors = Counter(
            "fink_gateway_graphql_errors", "GraphQL errors sent to clients, by extensions.code.",
            ["code"], registry=registry,
        )  # fmt: skip
        self.round_trips = Counter(
            "fink_gateway_store_round_trips", "Store calls made for GraphQL requests.",
            registry=registry,
        )  # fmt: skip
        self.rows = Counter(
            "fink_gateway_store_rows", "Rows read from the store for GraphQL requests.",
            registry=registry,
        )  # fmt: skip
        registry.register(_CacheCollector(cache))
        if lag is not None:
            registry.register(lag)

    def count_operation(self, codes: Sequence[str], stats: StoreStats | None) -> None:
        """One GraphQL response: its error codes and the store work it cost."""
        self.operations.inc()
        for code in codes:
            self.errors.labels(code=code).inc()
        if stats is not None:
            self.round_trips.inc(stats.round_trips)
            self.rows.inc(stats.rows)

    def count_errors(self, codes: Sequence[str]) -> None:
        """Errors sent without executing an operation (a request that is not GraphQL)."""
        for code in codes:
            self.errors.labels(code=code).inc()

    async def endpoint(self, request: Request) -> Response:
        if self.lag is not None:
            await self.lag.refresh()
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


def route_label(path: str) -> str:
    """The bounded ``route`` label of a request path."""
    if path in ROUTES:
        return path
    if path.startswith("/static/"):
        return "/static"
    if path.startswith(API_PREFIX + "/"):
        name = path[len(API_PREFIX) + 1:]
        return path if name in (*API_ROUTES, "openapi.json") else API_PREFIX
    return "other"


class MetricsMiddleware:
    """Counts and times every HTTP request (ASGI middleware, outermost)."""

    def __init__(self, app: ASGIApp, metrics: GatewayMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # an exception before the response started

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = route_label(scope["path"])
            method = scope["method"] if scope["method"] in _METHODS else "other"
            self.metrics.requests.labels(route=route, method=method, status=str(status)).inc()
            self.metrics.latency.labels(route=route).observe(time.perf_counter() - start)
