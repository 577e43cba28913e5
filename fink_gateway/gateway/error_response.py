"""A coded error as a GraphQL-shaped JSON response, for refusals and failures outside GraphQL."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from fink_gateway.errors import GatewayError
from fink_gateway.gateway.middleware.request_id import HEADER, scope_request_id

log = logging.getLogger("fink_gateway.errors")


def error_response(
    error: GatewayError, request_id: str | None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """``{"errors": [{"message", "extensions": {"code", "requestId"}}]}`` with the error's
    HTTP status; never cached."""
    extensions = {"code": error.code}
    if request_id:
        extensions["requestId"] = request_id
    return JSONResponse(
        {"errors": [{"message": error.message, "extensions": extensions}]},
        status_code=error.http_status,
        headers={"cache-control": "no-store", **(headers or {})},
    )


async def internal_error(request: Request, exc: Exception) -> Response:
    """Starlette's handler of unexpected exceptions: the traceback goes to the log under the
    request id, the client gets ``INTERNAL`` and that id, never the trace."""
    request_id = scope_request_id(request.scope)
    log.error("unexpected error (request %s) on %s %s", request_id, request.method,
              request.url.path, exc_info=(type(exc), exc, exc.__traceback__))  # fmt: skip
    error = GatewayError("Internal error; the operators can trace it with the request id.")
    return error_response(error, request_id, {HEADER: request_id} if request_id else None)


def _status_by_code() -> dict[str, int]:
    found: dict[str, int] = {"GRAPHQL_VALIDATION_FAILED": 400, "BAD_REQUEST": 400}
    stack: list[type[GatewayError]] = [GatewayError]
    while stack:
        cls = stack.pop()
        found.setdefault(cls.code, cls.http_status)
        stack.extend(cls.__subclasses__())
    return found


def http_status_of(codes: list[str]) -> int:
    """The HTTP status of a refused answer: its first error code's (500 when unknown); for
    clients that asked for something other than a GraphQL JSON response."""
    by_code = _status_by_code()
    for code in codes:
        status = by_code.get(code, 500)
        if status >= 400:
            return status
    return 500 if codes else 200
