"""The executable GraphQL schema."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from fink_gateway.schema.archive import ArchiveQuery
from fink_gateway.schema.extensions.error_codes import ErrorCodes
from fink_gateway.schema.extensions.parser_cache import ParserCache
from fink_gateway.schema.extensions.telemetry import Telemetry
from fink_gateway.schema.query import Query
from fink_gateway.schema.scalars import SCALAR_MAP
from fink_gateway.schema.sso import SolarSystemQuery

QUERY_PARTS: tuple[type, ...] = (SolarSystemQuery, ArchiveQuery)
"""Root query classes merged with :class:`Query` (one per area of the API)."""


def build_schema(
    *, telemetry: bool = False, extra_queries: tuple[type, ...] = ()
) -> strawberry.Schema:
    """The gateway's schema (queries only: the gateway never writes on a client's behalf).

    The root ``Query`` is :class:`Query` merged with ``QUERY_PARTS`` and ``extra_queries``.
    """
    parts = tuple(dict.fromkeys((Query, *QUERY_PARTS, *extra_queries)))
    root = parts[0] if len(parts) == 1 else merge_types("Query", parts)
    root.__strawberry_definition__.description = Query.__strawberry_definition__.description
    # Parsing and validating the same query text again costs more than executing it: one
    # cache per schema, handed to every request (the caches hold documents, not request state).
    parser_cache, validation_cache = ParserCache(maxsize=1024), ValidationCache(maxsize=1024)
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: parser_cache,
        lambda: validation_cache,
        ErrorCodes,
    ]
    if telemetry:
        extensions.append(Telemetry)
    return strawberry.Schema(
        query=root,
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )
