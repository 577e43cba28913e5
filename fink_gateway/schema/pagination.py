"""Relay-style connections: opaque, stable cursors; ``first`` capped by configuration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from fink_gateway.resolvers.args import encode_cursor
from fink_gateway.resolvers.keyset import KeysetPage
from fink_gateway.resolvers.objects import AlertPage
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


def alert_page_connection(result: AlertPage) -> AlertConnection:
    """A connection of one page of an object's alerts (JD cursors)."""
    edges, info = page(
        [(encode_cursor("jd", c), alert_from_record(r, s)) for c, r, s in result.items],
        result.has_next,
    )
    return AlertConnection(edges=edges, page_info=info, total_count=result.total)


def keyset_connection(
    result: KeysetPage, cursor: Callable[[bytes], str], total: int
) -> AlertConnection:
    """A connection of one keyset page; ``cursor`` turns a row key into cursor text."""
    edges, _ = page(
        [(cursor(h.key), alert_from_record(h.record, h.simbad)) for h in result.items],
        result.has_next,
    )
    end = None if result.resume is None else cursor(result.resume)
    page_info = PageInfo(has_next_page=result.has_next, end_cursor=end)
    return AlertConnection(edges=edges, page_info=page_info, total_count=total)
