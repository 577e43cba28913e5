"""Errors of the ``/api/v1`` routes, answered as Fink answers them:
``{"status": "error", "text": ...}`` with an HTTP status, plus the gateway's ``code`` and
``requestId`` (Fink itself sends the Python repr of that dict; this is JSON)."""

from __future__ import annotations

from starlette.responses import JSONResponse

FINK_DOCS = "See https://api.ztf.fink-portal.org"


class ApiError(Exception):
    """A refused ``/api/v1`` call: its HTTP status, Fink's ``text`` and the error code."""

    def __init__(self, text: str, status: int = 400, code: str = "INVALID_ARGUMENT") -> None:
        super().__init__(text)
        self.text = text
        self.status = status
        self.code = code


def missing_argument(name: str) -> ApiError:
    """Fink's answer to a call without a required argument."""
    return ApiError(f"A value for `{name}` is required. {FINK_DOCS} \n")


def api_error_response(error: ApiError, request_id: str | None) -> JSONResponse:
    """The JSON body and status of a refused call (never cached)."""
    body: dict[str, object] = {"status": "error", "text": error.text, "code": error.code}
    if request_id:
        body["requestId"] = request_id
    return JSONResponse(body, status_code=error.status, headers={"cache-control": "no-store"})
