"""The GraphQL-over-HTTP endpoint: strawberry's ASGI view with our context and JSON encoder.

Responses follow the GraphQL-over-HTTP specification: a client that accepts
``application/graphql-response+json`` gets that media type, and a request error (a document
that does not parse or validate, variables that do not coerce) is then a 400 without a
``data`` entry; ``application/json`` (the default without an Accept header) answers every
well-formed request with 200. A request that is not a GraphQL request at all (a body that is
not JSON, no query) is a 4xx whose body is still a GraphQL response, with an
``extensions.code``.

A client that asks for CSV, Parquet or VOTable (``Accept``, or ``?format=``) gets the
answer as one table (:mod:`fink_gateway.gateway.tabular`); a query that cannot be one table
is refused with ``NOT_TABULAR`` before it runs, and any error is a GraphQL JSON response
whose HTTP status is the error's.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any, cast

import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError, GraphQLSchema
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.types import HTTPMethod
from strawberry.types import ExecutionResult

from fink_gateway.errors import GatewayError, InvalidArgument, NotTabular
from fink_gateway.gateway.accept import accepted_media
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.error_response import http_status_of
from fink_gateway.gateway.graphiql import graphiql_html
from fink_gateway.gateway.http_cache import cache_headers
from fink_gateway.gateway.logs import REQUEST_ID
from fink_gateway.gateway.metrics import GatewayMetrics
from fink_gateway.gateway.middleware.request_id import scope_request_id
from fink_gateway.gateway.persisted_queries import PersistedQueries
from fink_gateway.gateway.tabular.formats import TabularFormat, requested_format
from fink_gateway.gateway.tabular.operation import plan_query, table_of
from fink_gateway.gateway.tabular.response import table_response
from fink_gateway.resolvers.context import RequestContext
from fink_gateway.resolvers.examples import ExampleTarget, example_target
from fink_gateway.resolvers.lsst_examples import example_lsst_target
from fink_gateway.schema.extensions.cost import cost_report
from fink_gateway.schema.extensions.error_codes import coded_error

log = logging.getLogger("fink_gateway.requests")

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
BAD_REQUEST = "BAD_REQUEST"
"""``extensions.code`` of a request that is not a GraphQL request (HTTP 4xx)."""

_HTTP_CODES = {404: "NOT_FOUND"}  # GraphiQL asked for while it is off
_ORJSON = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def encode_response(data: object) -> bytes:
    """JSON with numpy columns encoded whole (float32 as its shortest text, NaN as null)."""
    return orjson.dumps(data, option=_ORJSON, default=_fallback)


def _fallback(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def negotiate(accept: str) -> str:
    """The response media type for an ``Accept`` header: ``application/graphql-response+json``
    when the client prefers it (higher q-value, or listed first on a tie), else
    ``application/json`` (also without any Accept header).

    >>> negotiate("application/graphql-response+json, application/json;q=0.9")
    'application/graphql-response+json'
    >>> negotiate("*/*")
    'application/json'
    """
    best, best_q = JSON, 0.0
    for media, q in accepted_media(accept):
        if media == GRAPHQL_RESPONSE_JSON and q > best_q:
            best, best_q = GRAPHQL_RESPONSE_JSON, q
        elif media in (JSON, "application/*", "*/*") and q > best_q:
            best, best_q = JSON, q
    return best


def is_request_error(result: ExecutionResult) -> bool:
    """True when the operation never executed: the errors come from parsing, validation or
    variable coercion (no error has a path) and there is no data."""
    return result.data is None and bool(result.errors) and all(
        error.path is None for error in result.errors or ()
    )


def _codes(errors: list[Any]) -> list[str]:
    return [str((e.get("extensions") or {}).get("code", "INTERNAL")) for e in errors]


class GatewayGraphQL(GraphQL[RequestContext, None]):
    """Builds one :class:`RequestContext` per request, negotiates the response's media type,
    counts each response in ``metrics`` and logs it."""

    def __init__(
        self, services: Services, metrics: GatewayMetrics | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.core_schema: GraphQLSchema = cast(strawberry.Schema, self.schema)._schema
        self.services = services
        self.metrics = metrics
        self.persisted_queries = PersistedQueries(services.settings.http.persisted_queries_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        token = REQUEST_ID.set(None)
        try:
            try:
                request.state.tabular = requested_format(
                    request.query_params.get("format"), request.headers.get("accept", "")
                )
            except InvalidArgument as exc:  # an unknown ?format=
                response = self._http_error(request, exc.http_status, exc.message)
            else:
                try:
                    response = await self.run(request)
                    response = getattr(request.state, "tabular_response", None) or response
                except HTTPException as exc:
                    response = self._http_error(request, exc.status_code, exc.reason)
            await response(scope, receive, send)
        finally:
            REQUEST_ID.reset(token)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext:
        peer = request.client
        context = self.services.new_context(
            scope_request_id(request.scope), peer.host if peer else "unknown"
        )
        REQUEST_ID.set(context.request_id)
        if isinstance(request, Request):
            request.state.gateway_context = context
            request.state.started = time.perf_counter()
        return context

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # a GET with only a persisted query's hash is a query, not a browser
        has_extensions = request.query_params.get("extensions") is not None
        return not has_extensions and super().should_render_graphql_ide(request)

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: RequestContext,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Runs one operation, its text found by a persisted query's hash when it has none,
        and sets its caching headers."""
        method: HTTPMethod = request_adapter.method
        try:
            query, digest = self.persisted_queries.resolve(
                request_data.query, request_data.extensions
            )
        except GatewayError as error:
            sub_response.headers["cache-control"] = "no-store"
            if error.http_status >= 400:
                sub_response.status_code = error.http_status
            return self._refused(error, context)
        fmt: TabularFormat | None = getattr(request.state, "tabular", None)
        plan = None
        if fmt is not None:
            try:
                plan = plan_query(
                    self.core_schema, query, request_data.operation_name,
                    request_data.variables,
                )  # fmt: skip
            except NotTabular as error:
                sub_response.headers["cache-control"] = "no-store"
                sub_response.status_code = error.http_status
                return self._refused(error, context)
        result = await super().execute_single(
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=dataclasses.replace(request_data, query=query),
        )
        if digest is not None and query is not None and result.data is not None:
            self.persisted_queries.remember(digest, query)
        ttl = self.services.settings.cache.ttl_seconds
        sub_response.headers.update(cache_headers(method, result, ttl))
        if fmt is not None:
            return await self._tabular(request, sub_response, context, fmt, plan, result)
        return result

    async def _tabular(
        self, request: Request, sub_response: Response, context: RequestContext,
        fmt: TabularFormat, plan: Any, result: ExecutionResult,
    ) -> ExecutionResult:  # fmt: skip
        """Prepares the table of a successful answer (sent in place of the JSON); an answer
        with errors stays GraphQL JSON, with the HTTP status of its first error."""
        if result.errors or result.data is None:
            errors = result.errors or []
            sub_response.status_code = http_status_of(
                [str((e.extensions or {}).get("code", "INTERNAL")) for e in errors]
            )
            return result
        if plan is None:  # cannot happen for a document that executed: answer in JSON
            return result
        try:
            table = await table_of(plan, result.data)
        except NotTabular as error:
            sub_response.headers["cache-control"] = "no-store"
            sub_response.status_code = error.http_status
            return self._refused(error, context)
        headers = {k: v for k, v in sub_response.headers.items() if k != "content-length"}
        name = request.query_params.get("operationName") or "fink"
        request.state.tabular_response = table_response(table, fmt, name, headers)
        return result

    async def execute_for(
        self, request: Request, query: str, variables: dict[str, Any] | None = None
    ) -> ExecutionResult:
        """Runs ``query`` for a request that is not a GraphQL request (Fink's ``/api/v1``
        routes) exactly as ``/graphql`` runs one: a request context with its id, the
        schema's limits, cost and time extensions, the result cache, metrics and log line."""
        token = REQUEST_ID.set(None)
        try:
            context = await self.get_context(request, Response())
            result = await self.schema.execute(
                query, variable_values=variables, context_value=context
            )
            await self.process_result(request, result)
            return result
        finally:
            REQUEST_ID.reset(token)

    def _refused(self, error: GatewayError, context: RequestContext) -> ExecutionResult:
        """The result of an operation refused before it reached the schema."""
        coded = coded_error(GraphQLError(error.message, original_error=error), context.request_id)
        report = cost_report(0, self.services.settings.limits.max_cost)
        return ExecutionResult(data=None, errors=[coded], extensions=report)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        # The negotiated type rides on the sub-response until create_response reads it.
        sub_response.media_type = negotiate(request.headers.get("accept", ""))
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = process_result(result)
        if is_request_error(result):
            response.pop("data", None)  # "data" is absent when execution never started
        self._record(request, _codes(response.get("errors") or []))
        if getattr(request.state, "tabular_response", None) is not None:
            return {"data": None}  # the table is sent instead: no JSON to encode
        return response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE_JSON:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
            request_error = isinstance(response_data, dict) and "data" not in response_data
            if request_error and not sub_response.status_code:
                response.status_code = 400
        return response

    def encode_json(self, data: object) -> bytes:
        return encode_response(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        context = self.services.new_context()
        try:
            target = await example_target(context.reader)
        except Exception:  # an unreachable store must not hide the IDE
            target = ExampleTarget("ZTF21abfmbix", 92.4445778, 35.5722176, "SN candidate")
        try:
            lsst = await example_lsst_target(context.lsst_reader)
        except Exception:  # no Rubin tables (a ZTF-only store): no LSST tabs
            lsst = None
        return HTMLResponse(graphiql_html(target, lsst))

    def _http_error(self, request: Request, status: int, reason: str) -> Response:
        """A request the view refused before any GraphQL work, as a GraphQL response."""
        code = _HTTP_CODES.get(status, BAD_REQUEST)
        context: RequestContext | None = getattr(request.state, "gateway_context", None)
        extensions = {"code": code}
        request_id = context.request_id if context else scope_request_id(request.scope)
        if request_id:
            extensions["requestId"] = request_id
        media_type = negotiate(request.headers.get("accept", ""))
        if self.metrics is not None:
            self.metrics.count_errors([code])
        log.info(
            "refused request (HTTP %d %s): %s", status, code, reason,
            extra={"request_id": request_id, "status": status, "error_codes": [code]},
        )  # fmt: skip
        return Response(
            encode_response({"errors": [{"message": reason, "extensions": extensions}]}),
            status_code=status,
            media_type=f"{media_type}; charset=utf-8" if media_type != JSON else JSON,
        )

    def _record(self, request: Request, codes: list[str]) -> None:
        context: RequestContext | None = getattr(request.state, "gateway_context", None)
        stats = context.reader.stats if context is not None else None
        if self.metrics is not None:
            self.metrics.count_operation(codes, stats)
        started = getattr(request.state, "started", None)
        seconds = time.perf_counter() - started if started is not None else 0.0
        round_trips = stats.round_trips if stats is not None else 0
        log.info(
            "graphql %.1f ms, %d store round trips, errors %s",
            seconds * 1000, round_trips, codes or "none",
            extra={"request_id": context.request_id if context else None,
                   "duration_ms": round(seconds * 1000, 3), "round_trips": round_trips,
                   "error_codes": codes},
        )  # fmt: skip
