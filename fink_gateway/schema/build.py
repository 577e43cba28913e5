"""The executable GraphQL schema."""

from __future__ import annotations

import strawberry

from fink_gateway.schema.query import Query


def build_schema() -> strawberry.Schema:
    """The gateway's schema (queries only: the gateway never writes on a client's behalf)."""
    return strawberry.Schema(query=Query)
