"""``Tracklet``: the alerts of one fast mover seen in one exposure (FINK-REFERENCE §5.3)."""

from __future__ import annotations

import strawberry

from fink_gateway.resolvers.records import AlertRecord
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.fields import resolver_field


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
