"""The root Query type: thin fields that validate, then delegate to ``resolvers``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from fink_gateway import __version__
from fink_gateway.layout.column_docs import column_doc
from fink_gateway.resolvers import args
from fink_gateway.resolvers.columns import FIELD_OF_COLUMN
from fink_gateway.resolvers.object_plan import object_plan
from fink_gateway.resolvers.objects import load_objects
from fink_gateway.schema import search
from fink_gateway.schema.arguments import (
    After,
    ConeDec,
    ConeRa,
    ConeRadius,
    First,
    SinceOrFinkStart,
    UntilOrNow,
)
from fink_gateway.schema.catalog import ClassInfo, Column
from fink_gateway.schema.enums import Trend
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.object import Object
from fink_gateway.schema.pagination import AlertConnection
from fink_gateway.schema.search import ConeMatchConnection


@strawberry.type(description="Entry points of the Fink alert gateway.")
class Query:
    @resolver_field(description="Version of the gateway software.")
    def version(self) -> str:
        return __version__

    @resolver_field(description="One ZTF object by id; null when it has no alert.")
    async def object(self, info: Info, object_id: str) -> Object | None:
        oid = args.object_id(object_id)
        (data,) = await load_objects(info.context.reader, [oid], object_plan(selected_fields(info)))
        return None if data is None else Object(_data=data, object_id=oid)

    @resolver_field(
        description="Several objects by id, in the order asked (null for unknown ids); "
        "read in one batched scan."
    )
    async def objects(self, info: Info, object_ids: list[str]) -> list[Object | None]:
        cap = info.context.settings.limits.max_object_ids
        ids = args.object_ids(object_ids, cap)
        loaded = await load_objects(info.context.reader, ids, object_plan(selected_fields(info)))
        by_id = {oid: d for oid, d in zip(ids, loaded, strict=True)}
        return [
            None if (data := by_id[oid]) is None else Object(_data=data, object_id=oid)
            for oid in (args.object_id(o) for o in object_ids)
        ]

    @resolver_field(description="Every column of Alert: HBase column, type, unit, meaning.")
    def columns(self) -> list[Column]:
        out = []
        for name, column in FIELD_OF_COLUMN.items():
            doc = column_doc(column.name)
            out.append(
                Column(
                    name=name,
                    hbase_column=f"{column.family}:{column.name}",
                    type=column.type,
                    unit=doc.unit,
                    description=doc.description,
                )
            )
        return out

    @resolver_field(
        description="Objects within a cone, nearest first (FINK-REFERENCE §3): every object "
        "whose latest alert lies within `radius` of (ra, dec). The window applies to the "
        "objects' first detection (i:jdstarthist), as in Fink."
    )
    async def conesearch(
        self,
        info: Info,
        ra: ConeRa,
        dec: ConeDec,
        radius: ConeRadius,
        since: Annotated[
            str | None,
            strawberry.argument(
                description="Keep objects first detected at or after this date (ISO, JD or MJD)."
            ),
        ] = None,
        until: Annotated[
            str | None,
            strawberry.argument(
                description="Keep objects first detected at or before this date (ISO, JD or MJD)."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> ConeMatchConnection:
        return await search.conesearch(info, ra, dec, radius, since, until, first, after)

    @resolver_field(
        description="The newest alerts of a class (FINK-REFERENCE §4), newest first: a Fink "
        "class, 'Unknown', '(SIMBAD) <label>' or '(TNS) <type>' (see `classes`). Each alert's "
        "classification is the class searched (for TNS: Fink's label of the alert)."
    )
    async def alerts_by_class(
        self,
        info: Info,
        class_: Annotated[
            str,
            strawberry.argument(
                name="class", description="Class to search, e.g. 'SN candidate', '(SIMBAD) RRLyr'."
            ),
        ],
        since: SinceOrFinkStart = None,
        until: UntilOrNow = None,
        trend: Annotated[
            Trend | None,
            strawberry.argument(
                description="Only alerts rising (d:mag_rate < 0) or fading (> 0); pages are "
                "still filled up to `first`."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> AlertConnection:
        return await search.alerts_by_class(info, class_, since, until, trend, first, after)

    @resolver_field(
        description="Every class `alertsByClass` accepts: Fink's labels and 'Unknown' (FINK), "
        "'(TNS) <type>' (TNS), '(SIMBAD) <label>' (SIMBAD), including labels found in the data."
    )
    async def classes(self, info: Info) -> list[ClassInfo]:
        return await search.classes(info)
