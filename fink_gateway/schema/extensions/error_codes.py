"""The one place that turns exceptions into client errors.

A :class:`~fink_gateway.errors.GatewayError` keeps its message and gets its ``code`` in
``extensions.code``; GraphQL's own errors (syntax, unknown fields, wrong argument types) get
``GRAPHQL_VALIDATION_FAILED``; anything else is logged with its traceback and reaches the
client only as ``INTERNAL`` with the request id, never as a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult

from fink_gateway.errors import GatewayError

log = logging.getLogger("fink_gateway.errors")

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL"


def coded_error(error: GraphQLError, request_id: str | None) -> GraphQLError:
    """The client-facing version of ``error``."""
    original = error.original_error
    extensions = dict(error.extensions or {})
    if request_id:
        extensions["requestId"] = request_id
    if isinstance(original, GatewayError):
        extensions["code"] = original.code
        message = original.message
    elif original is None:
        extensions.setdefault("code", VALIDATION_FAILED)
        message = error.message
    elif isinstance(original, GraphQLError) and error.path is None:  # a scalar's parser
        extensions["code"] = VALIDATION_FAILED
        message = original.message
    else:  # an unexpected exception, or an output value a scalar could not serialise
        log.error(
            "unexpected error (request %s) at %s", request_id, error.path,
            exc_info=(type(original), original, original.__traceback__),
        )  # fmt: skip
        extensions["code"] = INTERNAL
        message = "Internal error; the operators can trace it with the request id."
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class ErrorCodes(SchemaExtension):
    """Codes every error and masks the unexpected ones."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | ExecutionResult) and result.errors:
            context = self.execution_context.context
            request_id = getattr(context, "request_id", None)
            result.errors = [coded_error(e, request_id) for e in result.errors]
