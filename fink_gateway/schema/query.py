"""The root Query type: thin fields that validate, then delegate to ``resolvers``."""

from __future__ import annotations

import strawberry

from fink_gateway import __version__
from fink_gateway.loaders.column_docs import column_doc
from fink_gateway.resolvers import args
from fink_gateway.resolvers.columns import FIELD_OF_COLUMN, columns_for_fields
from fink_gateway.resolvers.objects import load_objects
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.catalog import Column
from fink_gateway.schema.object import Object


def _wanted_columns(info: strawberry.Info) -> set[bytes]:
    return columns_for_fields(field_selection(info.selected_fields))


@strawberry.type(description="Entry points of the Fink alert gateway.")
class Query:
    @strawberry.field(description="Version of the gateway software.")
    def version(self) -> str:
        return __version__

    @strawberry.field(description="One ZTF object by id; null when it has no alert.")
    async def object(self, info: strawberry.Info, object_id: str) -> Object | None:
        oid = args.object_id(object_id)
        (data,) = await load_objects(info.context.reader, [oid], _wanted_columns(info))
        return None if data is None else Object(_data=data, object_id=oid)

    @strawberry.field(
        description="Several objects by id, in the order asked (null for unknown ids); "
        "read in one batched scan."
    )
    async def objects(self, info: strawberry.Info, object_ids: list[str]) -> list[Object | None]:
        cap = info.context.settings.limits.max_object_ids
        ids = args.object_ids(object_ids, cap)
        loaded = await load_objects(info.context.reader, ids, _wanted_columns(info))
        by_id = {oid: d for oid, d in zip(ids, loaded, strict=True)}
        return [
            None if by_id[oid] is None else Object(_data=by_id[oid], object_id=oid)
            for oid in (args.object_id(o) for o in object_ids)
        ]

    @strawberry.field(description="Every column of Alert: HBase column, type, unit, meaning.")
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
