"""The GraphQL-over-HTTP endpoint: strawberry's ASGI view with our context and JSON encoder."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from fink_gateway.gateway.context import RequestContext, Services
from fink_gateway.gateway.graphiql import graphiql_html
from fink_gateway.resolvers.examples import ExampleTarget, example_target

_ORJSON = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def encode_response(data: object) -> bytes:
    """JSON with numpy columns encoded whole (float32 as its shortest text, NaN as null)."""
    return orjson.dumps(data, option=_ORJSON, default=_fallback)


def _fallback(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class GatewayGraphQL(GraphQL):
    """Builds one :class:`RequestContext` per request."""

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services

    async def get_context(  # type: ignore[override]
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext:
        request_id = request.headers.get("x-request-id") if hasattr(request, "headers") else None
        return self.services.new_context(request_id)

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return encode_response(data)

    async def render_graphql_ide(self, request: Request) -> Response:  # type: ignore[override]
        reader = self.services.new_context().reader
        try:
            target = await example_target(reader)
        except Exception:  # an unreachable store must not hide the IDE
            target = ExampleTarget("ZTF21abfmbix", 92.4445778, 35.5722176, "SN candidate")
        return HTMLResponse(graphiql_html(target))
