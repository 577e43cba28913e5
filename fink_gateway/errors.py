"""Errors with a stable code, raised by every layer and shown to clients as ``extensions.code``.

Each class carries its code as a class attribute (as Datasette puts the HTTP status on the
class). The message says what was wrong and what is allowed; the offending values are kept
as attributes so that logs and tests can read them.
"""

from __future__ import annotations

from typing import Any


class GatewayError(Exception):
    """Base class: a failure a client may be told about."""

    code = "INTERNAL"
    http_status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class InvalidArgument(GatewayError):
    """A query argument is malformed or out of range."""

    code = "INVALID_ARGUMENT"
    http_status = 400


class NotFound(GatewayError):
    """A named thing (table, file) does not exist."""

    code = "NOT_FOUND"
    http_status = 404


class BackendUnavailable(GatewayError):
    """The store (HBase Thrift, the embedded file) cannot be reached or failed mid-call."""

    code = "BACKEND_UNAVAILABLE"
    http_status = 503


class UpstreamUnavailable(GatewayError):
    """A remote service the gateway depends on (e.g. IMCCE Miriade) did not answer."""

    code = "UPSTREAM_UNAVAILABLE"
    http_status = 503


class QueryTooCostly(GatewayError):
    """The query's computed cost exceeds the configured cap."""

    code = "QUERY_TOO_COSTLY"
    http_status = 400


class IngestError(GatewayError):
    """An input file cannot be ingested; names the file and, when known, the column."""

    code = "INGEST_FAILED"
    http_status = 400

    def __init__(self, path: str, message: str, column: str | None = None) -> None:
        where = f"{path}: column {column!r}: " if column else f"{path}: "
        super().__init__(where + message, path=path, column=column)
        self.path = path
        self.column = column
