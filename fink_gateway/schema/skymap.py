"""Alerts found in a gravitational-wave sky map (FINK-REFERENCE §11)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

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


@strawberry.type
class SkymapQuery:
    @resolver_field(
        description="Objects first detected inside a gravitational-wave sky map's credible "
        "region around the event (§11): the bayestar map is uploaded (`bayestar`, multipart "
        "request) or read from the server's sky-map folder (`path`, disabled unless "
        "configured). The window on first detection is [T − daysBefore, T + daysAfter], T the "
        "map's DATE-OBS (Fink's code scans [T − before, T − before + after]); objects whose "
        "latest alert is more than daysAfter after their first detection are left out."
    )
    async def skymap(
        self,
        info: Info,
        credible_level: Annotated[
            float,
            strawberry.argument(description="Credible level of the region, in (0, 1], e.g. 0.9."),
        ],
        path: Annotated[
            str | None,
            strawberry.argument(description="A map file in the server's sky-map folder."),
        ] = None,
        bayestar: Annotated[
            Upload | None,
            strawberry.argument(description="The map (bayestar.fits or .fits.gz), uploaded."),
        ] = None,
        days_before: Annotated[
            float, strawberry.argument(description="Window start before T, days (0–7).")
        ] = 1.0,
        days_after: Annotated[
            float, strawberry.argument(description="Window end after T, days (0–14).")
        ] = 6.0,
    ) -> Skymap:
        settings = info.context.settings.skymap
        level, before, after = gw.skymap_arguments(credible_level, days_before, days_after)
        sky_map = await gw.load_sky_map(path, bayestar, settings.folder, settings.max_bytes)
        result = await gw.skymap_search(info.context.reader, sky_map, level, before, after)
        return skymap_of(result)
