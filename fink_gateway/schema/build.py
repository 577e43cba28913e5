"""The executable GraphQL schema."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.schema.config import StrawberryConfig

from fink_gateway.schema.extensions.error_codes import ErrorCodes
from fink_gateway.schema.extensions.telemetry import Telemetry
from fink_gateway.schema.query import Query
from fink_gateway.schema.scalars import SCALAR_MAP


def build_schema(*, telemetry: bool = False) -> strawberry.Schema:
    """The gateway's schema (queries only: the gateway never writes on a client's behalf)."""
    # parsing and validating the same query text again costs more than executing it
    extensions: list[type[SchemaExtension] | SchemaExtension] = [
        ParserCache(maxsize=1024),
        ValidationCache(maxsize=1024),
        ErrorCodes,
    ]
    if telemetry:
        extensions.append(Telemetry)
    return strawberry.Schema(
        query=Query,
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )
