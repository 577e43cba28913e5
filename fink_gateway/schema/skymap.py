"""Alerts found in a gravitational-wave sky map (FINK-REFERENCE §11)."""

from __future__ import annotations

import strawberry

from fink_gateway.resolvers import skymap as gw
from fink_gateway.resolvers.object_plan import object_plan
from fink_gateway.resolvers.objects import load_objects
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.object import Object
from fink_gateway.science.times import iso_time


@strawberry.type(description="An object first detected in a sky map's credible region.")
class SkymapMatch:
    _hit: strawberry.Private[gw.SkymapHit]
    object_id: str = strawberry.field(description="ZTF objectId.")
    pixel: int = strawberry.field(description="HEALPix pixel (nside 128, RING) of its alert.")
    credible_level: float = strawberry.field(
        description="Credible level of that pixel (0: most probable; averaged to nside 128)."
    )

    @resolver_field(
        description="Its latest alert as the pixel128 index holds it: objectId, candid, "
        "magpsf, sigmapsf, jd, jdstarthist, drb, ra, dec, fid, distnr, cdsxmatch, nalerthist "
        "and its classification; other fields are null."
    )
    def alert(self) -> Alert:
        return alert_from_record(self._hit.record, self._hit.simbad)

    @resolver_field(description="The object with all its alerts (one batched scan).")
    async def object(self, info: Info) -> Object | None:
        plan = object_plan(selected_fields(info))
        (data,) = await load_objects(info.context.reader, [self.object_id], plan)
        return None if data is None else Object(_data=data, object_id=self.object_id)


@strawberry.type(description="Alerts found in a gravitational-wave sky map (FINK-REFERENCE §11).")
class Skymap:
    _result: strawberry.Private[gw.SkymapResult]
    event_name: str | None = strawberry.field(description="The map's OBJECT card (GraceDB id).")
    event_time: str = strawberry.field(description="The map's DATE-OBS, ISO 8601 UTC.")
    event_jd: float = strawberry.field(description="The same as a JD (T of the window).")
    nside: int = strawberry.field(description="Resolution of the map as read.")
    credible_level: float = strawberry.field(description="The credible level asked (0–1).")
    n_pixels: int = strawberry.field(description="Pixels (nside 128) of the credible region.")
    area: float = strawberry.field(description="Area of the credible region, deg².")
    window_start: float = strawberry.field(
        description="First detections from this JD (T − daysBefore)."
    )
    window_end: float = strawberry.field(description="... up to this JD (T + daysAfter).")

    @resolver_field(description="Objects found, most probable pixel first (ties by objectId).")
    def matches(self) -> list[SkymapMatch]:
        return [
            SkymapMatch(_hit=h, object_id=h.object_id, pixel=h.pixel,
                        credible_level=h.credible_level)
            for h in self._result.hits
        ]  # fmt: skip


def skymap_of(result: gw.SkymapResult) -> Skymap:
    m = result.sky_map
    return Skymap(
        _result=result, event_name=m.event_name, event_time=iso_time(m.event_jd),
        event_jd=m.event_jd, nside=m.nside, credible_level=result.credible_level,
        n_pixels=len(result.region.pixels), area=result.region.area_deg2,
        window_start=result.window[0], window_end=result.window[1],
    )  # fmt: skip
