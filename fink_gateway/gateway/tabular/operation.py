"""A GraphQL operation answered as a table: planned before it runs, built after."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio
import pyarrow as pa
from graphql import GraphQLError, GraphQLSchema, parse

from fink_gateway.gateway.tabular.plan import TablePlan, Unplannable, plan_table
from fink_gateway.gateway.tabular.rows import build_table


def plan_query(
    schema: GraphQLSchema, query: str | None, operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> TablePlan | None:  # fmt: skip
    """The table plan of a query text; None when the text does not parse or fit the schema
    (the execution then reports the error). Raises NotTabular."""
    if not query:
        return None
    try:
        document = parse(query, no_location=True)
        return plan_table(schema, document, operation_name, variables)
    except (GraphQLError, Unplannable, RecursionError):
        return None


async def table_of(plan: TablePlan, data: Mapping[str, Any] | None) -> pa.Table:
    """:func:`build_table` in a worker thread (large answers take a while)."""
    return await anyio.to_thread.run_sync(build_table, plan, data)
