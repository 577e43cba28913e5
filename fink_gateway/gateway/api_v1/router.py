"""The ``/api/v1`` routes: each declared route (GET and POST), ``openapi.json``, and a coded
404 for any other path under ``/api/v1``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from fink_gateway.errors import GatewayError
from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError, api_error_response
from fink_gateway.gateway.api_v1.names import PREFIX
from fink_gateway.gateway.api_v1.openapi import openapi_document
from fink_gateway.gateway.api_v1.payload import read_payload
from fink_gateway.gateway.api_v1.routes.registry import ROUTES
from fink_gateway.gateway.api_v1.spec import ApiRoute
from fink_gateway.gateway.middleware.request_id import scope_request_id

if TYPE_CHECKING:
    from fink_gateway.gateway.graphql_view import GatewayGraphQL

log = logging.getLogger("fink_gateway.api")

Endpoint = Callable[[Request], Awaitable[Response]]


def _endpoint(route: ApiRoute, view: GatewayGraphQL) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        request_id = scope_request_id(request.scope)
        try:
            payload = await read_payload(request)
            if request.method == "GET" and not payload.values and route.params:
                return PlainTextResponse(route.summary)  # Fink: the namespace's description
            return await route.answer(ApiCall(request, payload, view))
        except ApiError as error:
            return api_error_response(error, request_id)
        except GatewayError as error:
            return api_error_response(ApiError(error.message, error.http_status, error.code),
                                      request_id)  # fmt: skip
        except Exception:
            log.exception("unexpected error (request %s) on %s", request_id, request.url.path)
            internal = ApiError("Internal error; the operators can trace it with the request id.",
                                500, "INTERNAL")  # fmt: skip
            return api_error_response(internal, request_id)

    return endpoint


async def _unknown(request: Request) -> Response:
    names = ", ".join(r.name for r in ROUTES)
    error = ApiError(
        f"Unknown route {request.url.path}: the routes are {names} (see {PREFIX}/openapi.json).",
        404, "NOT_FOUND",
    )  # fmt: skip
    return api_error_response(error, scope_request_id(request.scope))


def api_routes(view: GatewayGraphQL, routes: Sequence[ApiRoute] = ROUTES) -> list[BaseRoute]:
    """Starlette routes of Fink's API, answered through ``view``."""
    document = openapi_document(routes)

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    return [
        *(Route(f"{PREFIX}/{r.name}", _endpoint(r, view), methods=["GET", "POST"])
          for r in routes),
        Route(f"{PREFIX}/openapi.json", openapi),
        Route(PREFIX + "/{rest:path}", _unknown, methods=["GET", "POST"]),
    ]  # fmt: skip
