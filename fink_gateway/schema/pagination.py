"""Relay-style connections: opaque, stable cursors; ``first`` capped by configuration."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import strawberry

from fink_gateway.resolvers.args import encode_cursor
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.fields import resolver_field

NodeT = TypeVar("NodeT")


@strawberry.type(description="Where a page ends and whether more follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")


@strawberry.type(description="One item of a page with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of alerts, newest first.")
class AlertConnection:
    edges: list[Edge[Alert]]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="Number of alerts in the whole list (all pages)."
    )

    @resolver_field(description="The alerts of this page (the edges' nodes).")
    def nodes(self) -> list[Alert]:
        return [e.node for e in self.edges]


def page(items: list[tuple[str, Any]], has_next: bool) -> tuple[list[Edge[Any]], PageInfo]:
    """Edges and page info from (cursor, node) pairs."""
    edges = [Edge(cursor=c, node=n) for c, n in items]
    return edges, PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None)


def alert_connection(
    items: list[tuple[str, dict[str, object], bool]], has_next: bool, total: int
) -> AlertConnection:
    """A connection of (JD cursor text, decoded record, SIMBAD label) alert items."""
    edges, info = page(
        [(encode_cursor("jd", c), alert_from_record(r, s)) for c, r, s in items], has_next
    )
    return AlertConnection(edges=edges, page_info=info, total_count=total)
