"""Fink's LSST tags in the schema: the alerts of a Fink filter (rubin.tag_<tag>), newest
first, as a connection (docs/fink-lsst.md §4.8)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from fink_gateway.resolvers import args
from fink_gateway.resolvers import lsst as resolver
from fink_gateway.resolvers import lsst_tags as tags
from fink_gateway.resolvers.lsst import LsstRecord
from fink_gateway.schema.arguments import After, First, SinceOrFinkStart, UntilOrNow
from fink_gateway.schema.fields import column as fink_column
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info
from fink_gateway.schema.lsst import DiaObject, float_value, stored_record
from fink_gateway.schema.pagination import Edge, PageInfo, page
from fink_gateway.schema.scalars import BigInt


@strawberry.type(
    description="An LSST alert as a tag table holds it (rubin.tag_<tag>): its diaSource and "
    "Fink's source-level values."
)
class LsstAlert:
    _row: strawberry.Private[LsstRecord]

    @resolver_field(
        description="The object's identifier (r:diaObjectId), as text.",
        metadata=fink_column("r:diaObjectId"),
    )
    def dia_object_id(self) -> BigInt:
        return BigInt(int(self._row.key.rsplit(b"_", 1)[1]))

    @resolver_field(
        description="The source's identifier (r:diaSourceId), as text.",
        metadata=fink_column("r:diaSourceId"),
    )
    def dia_source_id(self) -> BigInt | None:
        value = self._row.values.get("diaSourceId")
        return None if value is None else BigInt(int(value))  # type: ignore[call-overload]  # a long cell

    @resolver_field(
        description="Exposure midpoint (r:midpointMjdTai), MJD TAI.",
        metadata=fink_column("r:midpointMjdTai"),
    )
    def midpoint_mjd_tai(self) -> float:
        return float(self._row.key.split(b"_", 1)[0])

    @resolver_field(description="Filter band (r:band).", metadata=fink_column("r:band"))
    def band(self) -> str | None:
        value = self._row.values.get("band")
        return None if value is None else str(value)

    @resolver_field(
        description="PSF flux on the difference image (r:psfFlux), nJy.",
        metadata=fink_column("r:psfFlux"),
    )
    def psf_flux(self) -> float | None:
        return float_value(self._row.values, "psfFlux")

    @resolver_field(
        description="Right ascension of the source (r:ra), degrees.",
        metadata=fink_column("r:ra"),
    )
    def ra(self) -> float | None:
        return float_value(self._row.values, "ra")

    @resolver_field(
        description="Declination of the source (r:dec), degrees.",
        metadata=fink_column("r:dec"),
    )
    def dec(self) -> float | None:
        return float_value(self._row.values, "dec")

    @resolver_field(
        description="Every stored column by its Fink name ('r:…', 'f:…'), or those of `names`; "
        "64-bit integers as text."
    )
    def record(self, names: list[str] | None = None) -> JSON:
        return stored_record(self._row.values, names)

    @resolver_field(description="The object (rubin.diaObject); null for Solar System alerts.")
    async def object(self, info: Info) -> DiaObject | None:
        oid = int(self._row.key.rsplit(b"_", 1)[1])
        if oid == 0:
            return None
        (found,) = await resolver.load_dia_objects(info.context.lsst_reader, [oid])
        return None if found is None else DiaObject(_record=found)


@strawberry.type(description="A page of LSST alerts, newest first.")
class LsstAlertConnection:
    edges: list[Edge[LsstAlert]]
    page_info: PageInfo

    @resolver_field(description="The alerts of this page (the edges' nodes).")
    def nodes(self) -> list[LsstAlert]:
        return [e.node for e in self.edges]


@strawberry.type
class LsstTagQuery:
    @resolver_field(description="Fink's LSST tags the store holds alerts of (rubin.tag_*).")
    async def lsst_tags(self, info: Info) -> list[str]:
        return await tags.known_tags(info.context.lsst_reader)

    @resolver_field(
        description="The alerts that passed a Fink filter (rubin.tag_<tag>), newest first, "
        "within [since, until] (UTC; ISO, JD or MJD; default: Fink's start to now)."
    )
    async def lsst_alerts_by_tag(
        self,
        info: Info,
        tag: str,
        since: SinceOrFinkStart = None,
        until: UntilOrNow = None,
        first: First = None,
        after: After = None,
    ) -> LsstAlertConnection:
        limits = info.context.settings.limits
        size = args.page_size(first, limits.first_default, limits.first_max)
        reader = info.context.lsst_reader
        spec = await tags.tag_spec(reader, tag)
        window = tags.mjd_tai_window(since, until)
        result = await tags.tag_page(reader, spec, window, size, tags.tag_cursor_key(after))
        edges, _ = page(
            [(tags.tag_cursor(h.key), LsstAlert(_row=LsstRecord(h.key, h.record)))
             for h in result.items],
            result.has_next,
        )  # fmt: skip
        end = None if result.resume is None else tags.tag_cursor(result.resume)
        return LsstAlertConnection(
            edges=edges, page_info=PageInfo(has_next_page=result.has_next, end_cursor=end)
        )
