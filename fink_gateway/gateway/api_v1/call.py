"""One ``/api/v1`` call: its arguments, and the GraphQL queries it runs through the view."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from graphql import DocumentNode, parse
from starlette.requests import Request

from fink_gateway.errors import NotTabular
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.payload import Payload
from fink_gateway.gateway.error_response import http_status_of
from fink_gateway.gateway.tabular.operation import table_of
from fink_gateway.gateway.tabular.plan import plan_items, plan_table
from fink_gateway.settings import Settings

if TYPE_CHECKING:
    from fink_gateway.gateway.graphql_view import GatewayGraphQL


@lru_cache(maxsize=256)
def _document(query: str) -> DocumentNode:
    return parse(query, no_location=True)


@dataclass
class ApiCall:
    """A call of a route: ``payload`` holds its arguments; :meth:`run` and :meth:`table`
    answer GraphQL queries the way ``/graphql`` does (limits, cost, cache, metrics, ids)."""

    request: Request
    payload: Payload
    view: GatewayGraphQL

    @property
    def settings(self) -> Settings:
        return self.view.services.settings

    async def run(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of ``query``; the first error, if any, refuses the call with its
        message, code and HTTP status."""
        result = await self.view.execute_for(self.request, query, dict(variables or {}))
        if result.errors:
            error = result.errors[0]
            code = str((error.extensions or {}).get("code", "INTERNAL"))
            raise ApiError(error.message, http_status_of([code]), code)
        return dict(result.data or {})

    async def table(
        self, query: str, variables: Mapping[str, Any] | None, top_level: Collection[str],
        data: Mapping[str, Any] | None = None,
    ) -> pa.Table:  # fmt: skip
        """The answer of ``query`` (its fields ``top_level``) as one table, typed from the
        schema (:mod:`fink_gateway.gateway.tabular`); ``data``: an answer already run."""
        plan = plan_table(self.view.core_schema, _document(query), None, variables, top_level)
        if data is None:
            data = await self.run(query, variables)
        try:
            return await table_of(plan, data)
        except NotTabular as error:  # a route's own query: a bug, not the client's
            raise ApiError(error.message, 500, "INTERNAL") from error

    async def items_table(self, type_name: str, selection: str, items: list[Any]) -> pa.Table:
        """A table of objects of ``type_name`` gathered from an answer (``selection``: the
        fields asked of each), for lists that are not one list of the query."""
        plan = plan_items(self.view.core_schema, type_name, selection)
        return await table_of(plan, {"rows": items})
