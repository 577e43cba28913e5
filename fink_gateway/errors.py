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


class QueryTooDeep(GatewayError):
    """The query nests fields deeper than ``limits.max_depth``."""

    code = "QUERY_TOO_DEEP"
    http_status = 400


class TooManyAliases(GatewayError):
    """The query uses more aliases than ``limits.max_aliases``."""

    code = "TOO_MANY_ALIASES"
    http_status = 400


class TooManyTokens(GatewayError):
    """The query text holds more tokens than ``limits.max_tokens``."""

    code = "TOO_MANY_TOKENS"
    http_status = 400


class RequestTimeout(GatewayError):
    """The request ran past ``limits.timeout_seconds``; what finished is returned."""

    code = "TIMEOUT"
    http_status = 504


class NotTabular(GatewayError):
    """A query asked as CSV, Parquet or VOTable whose answer cannot be one table (two lists
    side by side, a list inside a list, light-curve series that are not aligned)."""

    code = "NOT_TABULAR"
    http_status = 400


class PayloadTooLarge(GatewayError):
    """The request body is larger than ``http.max_body_bytes``."""

    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


class RateLimited(GatewayError):
    """The client sent more requests than its rate allows; retry after ``retry_after_s``."""

    code = "RATE_LIMITED"
    http_status = 429

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            f"too many requests from this address: retry after {retry_after_s} s",
            retry_after_s=retry_after_s,
        )
        self.retry_after_s = retry_after_s


class PersistedQueryNotFound(GatewayError):
    """An automatic persisted query's hash is unknown: send the query text with it."""

    code = "PERSISTED_QUERY_NOT_FOUND"
    http_status = 200  # Apollo's protocol: the client retries with the query text


class PersistedQueryHashMismatch(GatewayError):
    """The query text sent does not hash to the ``sha256Hash`` sent with it."""

    code = "PERSISTED_QUERY_HASH_MISMATCH"
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


class TooManySubscriptions(GatewayError):
    """A connection asked for more live subscriptions than it may hold at once."""

    code = "TOO_MANY_SUBSCRIPTIONS"
    http_status = 429


class SlowConsumer(GatewayError):
    """A subscriber did not read its alerts fast enough: its subscription was dropped rather
    than buffered without bound."""

    code = "SLOW_CONSUMER"
    http_status = 429
