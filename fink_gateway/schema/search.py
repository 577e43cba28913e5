"""Search results: cone-search matches and their connection, and the resolvers of the
``conesearch``, ``alertsByClass`` and ``classes`` queries (validate, delegate, wrap)."""

from __future__ import annotations

from typing import Any

import strawberry

from fink_gateway.errors import NotFound
from fink_gateway.resolvers import args
from fink_gateway.resolvers import classes as class_search
from fink_gateway.resolvers import conesearch as cone
from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.object_plan import object_plan
from fink_gateway.resolvers.objects import load_objects
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.arguments import cone_of
from fink_gateway.schema.catalog import ClassInfo
from fink_gateway.schema.enums import ClassificationSource, Trend
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.object import Object
from fink_gateway.schema.pagination import AlertConnection, Edge, PageInfo, keyset_connection, page


@strawberry.type(description="An object found by a cone search, with its distance to the centre.")
class ConeMatch:
    _hit: strawberry.Private[cone.ConeHit]
    separation: float = strawberry.field(
        description="Angular distance from the centre to the object's latest alert "
        "(i:ra, i:dec of the pixel128 row), arcsec."
    )

    @resolver_field(
        description="The object, with all its alerts (read for every match of the page in one "
        "batched scan)."
    )
    async def object(self, info: Info) -> Object:
        return await object_of_match(info, self._hit.object_id)

    @resolver_field(
        description="The object's latest alert as the cone-search index holds it: objectId, "
        "candid, magpsf, sigmapsf, jd, jdstarthist, drb, ra, dec, fid, distnr, cdsxmatch, "
        "nalerthist and its classification label; other fields are null."
    )
    def alert(self) -> Alert | None:
        return alert_from_record(self._hit.record, self._hit.simbad)


@strawberry.type(description="A page of cone-search matches, nearest first.")
class ConeMatchConnection:
    edges: list[Edge[ConeMatch]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Number of objects in the cone (all pages).")

    @resolver_field(description="The matches of this page (the edges' nodes).")
    def nodes(self) -> list[ConeMatch]:
        return [e.node for e in self.edges]


async def object_of_match(info: Info, object_id: str) -> Object:
    plan = object_plan(selected_fields(info))
    (data,) = await load_objects(info.context.reader, [object_id], plan)
    if data is None:
        raise NotFound(
            f"{object_id} is in the cone-search index but has no alert", object_id=object_id
        )
    return Object(_data=data, object_id=object_id)


async def conesearch(
    info: Info,
    ra: Any,
    dec: Any,
    radius: float,
    since: str | None,
    until: str | None,
    first: int | None,
    after: str | None,
) -> ConeMatchConnection:
    """The ``conesearch`` query: validate every argument, search, page, wrap."""
    limits = info.context.settings.limits
    ra_deg, dec_deg, radius_arcsec = cone_of(info, ra, dec, radius)
    since_jd, until_jd = args.date_window(since, until)
    size = args.page_size(first, limits.first_default, limits.first_max)
    position = cone.cone_position(after)
    reader = info.context.reader
    hits = await cone.cone_search(reader, ra_deg, dec_deg, radius_arcsec, since_jd, until_jd)
    result = cone.cone_page(hits, size, position)
    edges, page_info = page(
        [
            (cone.cone_cursor(i), ConeMatch(_hit=hit, separation=hit.separation_arcsec))
            for i, hit in result.items
        ],
        result.has_next,
    )
    return ConeMatchConnection(edges=edges, page_info=page_info, total_count=result.total)


async def alerts_by_class(
    info: Info,
    class_name: str,
    since: str | None,
    until: str | None,
    trend: Trend | None,
    first: int | None,
    after: str | None,
) -> AlertConnection:
    """The ``alertsByClass`` query; ``totalCount`` costs one more scan, only when selected."""
    limits = info.context.settings.limits
    size = args.page_size(first, limits.first_default, limits.first_max)
    window = class_search.class_window(*args.date_window(since, until))
    reader = info.context.reader
    target = await class_search.resolve_class(reader, class_name, info.context.shared.labels)
    after_key = class_search.class_cursor_key(after, target)
    names = field_selection(selected_fields(info))
    query = class_search.ClassQuery(target, window, None if trend is None else trend.value)
    columns = class_search.index_columns(columns_for_fields(names), query.trend)
    result, total = await class_search.search_class(
        reader, query, size, after_key, columns, "totalCount" in names
    )
    # total is None only when totalCount is not selected (so never sent)
    return keyset_connection(result, class_search.class_cursor, total or 0)


async def classes(info: Info) -> list[ClassInfo]:
    """The ``classes`` query: built-in lists plus the labels found in the data."""
    known = await info.context.shared.labels.get(info.context.reader)
    return [
        ClassInfo(name=e.name, source=ClassificationSource(e.source), label=e.label)
        for e in class_search.class_catalog(known)
    ]
