"""The executable GraphQL schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from strawberry.extensions import DisableIntrospection, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import get_object_definition

from fink_gateway.schema.archive import ARCHIVE_QUERIES
from fink_gateway.schema.execution import fast_context_class
from fink_gateway.schema.extensions.cost import QueryCost
from fink_gateway.schema.extensions.document_limits import DocumentLimitSettings, document_limits
from fink_gateway.schema.extensions.error_codes import ErrorCodes
from fink_gateway.schema.extensions.parser_cache import ParserCache
from fink_gateway.schema.extensions.telemetry import Telemetry
from fink_gateway.schema.extensions.timeout import Timeout, bound_waiting_resolvers
from fink_gateway.schema.lsst import LsstQuery
from fink_gateway.schema.lsst_tags import LsstTagQuery
from fink_gateway.schema.query import Query
from fink_gateway.schema.scalars import SCALAR_MAP
from fink_gateway.schema.sky_search import SkySearchQuery
from fink_gateway.schema.sso import SolarSystemQuery
from fink_gateway.schema.subscription import Subscription

QUERY_PARTS: tuple[type, ...] = (
    SolarSystemQuery, *ARCHIVE_QUERIES, LsstQuery, LsstTagQuery, SkySearchQuery,
)
"""Root query classes merged with :class:`Query` (one per area of the API)."""


class GatewaySchema(strawberry.Schema):
    """strawberry's Schema without its error log: strawberry logs every error of every
    response at ERROR level with a traceback, a client's bad argument included; here
    :class:`ErrorCodes` logs the unexpected ones, with their request id."""

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        return None


def build_schema(
    *,
    telemetry: bool = False,
    extra_queries: tuple[type, ...] = (),
    introspection: bool = True,
    tracing: bool = False,
    tracer_provider: Any = None,
    limits: DocumentLimitSettings | None = None,
) -> strawberry.Schema:
    """The gateway's schema: queries, and live alerts as a subscription (the gateway never
    writes on a client's behalf).

    The root ``Query`` is :class:`Query` merged with ``QUERY_PARTS`` and ``extra_queries``.
    ``introspection=False`` rejects ``__schema``/``__type`` queries as invalid; ``tracing``
    adds OpenTelemetry spans (needs ``opentelemetry-api``), sent to ``tracer_provider`` or
    the process's global one. ``limits`` (``max_depth``, ``max_aliases``, ``max_tokens``)
    bounds every document; the cost cap and the time limit are read per request from the
    context's settings.
    """
    parts = tuple(dict.fromkeys((Query, *QUERY_PARTS, *extra_queries)))
    root = parts[0] if len(parts) == 1 else merge_types("Query", parts)
    description = get_object_definition(Query, strict=True).description
    get_object_definition(root, strict=True).description = description
    # Parsing and validating the same query text again costs more than executing it: one
    # cache per schema, handed to every request (the caches hold documents, not request state).
    parser_cache, validation_cache = ParserCache(maxsize=1024), ValidationCache(maxsize=1024)
    limiters = [] if limits is None else document_limits(
        limits.max_depth, limits.max_aliases, limits.max_tokens
    )  # fmt: skip
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: parser_cache,
        lambda: validation_cache,
        *limiters,
        ErrorCodes,
        QueryCost,
        Timeout,
    ]
    if telemetry:
        extensions.append(Telemetry)
    if not introspection:
        extensions.append(DisableIntrospection)
    if tracing:
        try:
            from strawberry.extensions.tracing import OpenTelemetryExtension
        except ImportError as exc:
            raise ImportError(
                f"tracing needs OpenTelemetry ({exc}): pip install 'fink-gateway[tracing]'"
            ) from exc
        extensions.append(lambda: OpenTelemetryExtension(tracer_provider=tracer_provider))
    schema = GatewaySchema(
        query=root,
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )
    bound_waiting_resolvers(schema._schema)
    schema.execution_context_class = fast_context_class(schema._schema)
    return schema
