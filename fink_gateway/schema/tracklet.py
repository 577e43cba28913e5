"""``Tracklet``: the alerts of one fast mover seen in one exposure (FINK-REFERENCE §5.3)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from fink_gateway.resolvers import tracklets as trk
from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.records import AlertRecord
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields


@strawberry.type(description="Alerts of one tracklet: a fast mover seen in one exposure.")
class Tracklet:
    _alerts: strawberry.Private[list[AlertRecord]]
    id: str = strawberry.field(
        description="Fink's tracklet id TRCK_YYYYMMDD_HHMMSS_NN (d:tracklet)."
    )

    @resolver_field(description="Time of the exposure from the id, ISO 8601 UTC (to the second).")
    def time(self) -> str:
        day, clock = self.id.split("_")[1:3]
        return f"{day[:4]}-{day[4:6]}-{day[6:]}T{clock[:2]}:{clock[2:4]}:{clock[4:]}Z"

    @resolver_field(description="Number of alerts (objects) of the tracklet.")
    def n_alerts(self) -> int:
        return len(self._alerts)

    @resolver_field(
        description="The alerts, in objectId order, as the tracklet table holds them: the 77 "
        "index columns (FINK-REFERENCE §1.3); other fields are null."
    )
    def alerts(self) -> list[Alert]:
        return [alert_from_record(a.record, a.simbad) for a in self._alerts]


@strawberry.type
class TrackletQuery:
    @resolver_field(
        description="Tracklets (FINK-REFERENCE §5.3) by `id` or by exposure `date`, each with "
        "its alerts, in id order. Give exactly one of the two."
    )
    async def tracklets(
        self,
        info: Info,
        date: Annotated[
            str | None,
            strawberry.argument(
                description="UTC exposure date 'YYYY-MM-DD', optionally with 'HH', 'HH:MM' or "
                "'HH:MM:SS': every tracklet whose id starts with it."
            ),
        ] = None,
        id: Annotated[
            str | None,
            strawberry.argument(description="A tracklet id, TRCK_YYYYMMDD_HHMMSS_NN."),
        ] = None,
    ) -> list[Tracklet]:
        prefix = trk.tracklet_prefix(date, id)
        columns = columns_for_fields(field_selection(selected_fields(info)))
        found = await trk.load_tracklets(info.context.reader, prefix, columns)
        return [Tracklet(_alerts=t.alerts, id=t.tracklet_id) for t in found]
