"""``skySearch``: one cone search over both surveys, nearest first, each match with its
object as the survey's own type (ZTF ``Object`` or LSST ``DiaObject``)."""

from __future__ import annotations

import asyncio
from typing import Annotated, cast

import strawberry

from fink_gateway.layout import rubin
from fink_gateway.resolvers import conesearch as cone
from fink_gateway.resolvers import lsst as lsst_resolver
from fink_gateway.resolvers.lsst import LsstRecord
from fink_gateway.schema.arguments import ConeDec, ConeRa, ConeRadius, cone_of
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info
from fink_gateway.schema.lsst import DiaObject
from fink_gateway.schema.search import object_of_match
from fink_gateway.schema.survey import Survey, SurveyObject


@strawberry.type(description="An object of either survey found by `skySearch`.")
class SkyMatch:
    survey: Survey = strawberry.field(description="The survey of the object.")
    separation_arcsec: float = strawberry.field(
        description="Distance from the centre to the object's last position (ZTF: the latest "
        "alert in pixel128; LSST: the last source in pixel1024), arcsec."
    )
    _ztf: strawberry.Private[str | None] = None
    _lsst: strawberry.Private[LsstRecord | None] = None

    @resolver_field(description="The object, as its survey's type.")
    async def object(self, info: Info) -> SurveyObject:
        if self._lsst is not None:
            return DiaObject(_record=self._lsst)
        return await object_of_match(info, cast(str, self._ztf))


@strawberry.type
class SkySearchQuery:
    @resolver_field(
        description="Objects of the asked surveys (default: both) within `radius` of (ra, dec), "
        "nearest first: ZTF's pixel128 and LSST's pixel1024 read concurrently."
    )
    async def sky_search(
        self,
        info: Info,
        ra: ConeRa,
        dec: ConeDec,
        radius: ConeRadius,
        surveys: Annotated[
            list[Survey] | None, strawberry.argument(description="Surveys to search (default all).")
        ] = None,
    ) -> list[SkyMatch]:
        ra_deg, dec_deg, radius_arcsec = cone_of(info, ra, dec, radius)
        wanted = set(surveys or list(Survey))
        searches = []
        if Survey.ZTF in wanted:
            searches.append(_ztf_matches(info, ra_deg, dec_deg, radius_arcsec))
        if Survey.LSST in wanted:
            searches.append(_lsst_matches(info, ra_deg, dec_deg, radius_arcsec))
        matches = [m for found in await asyncio.gather(*searches) for m in found]
        matches.sort(key=lambda m: m.separation_arcsec)
        return matches


async def _ztf_matches(info: Info, ra_deg: float, dec_deg: float, radius: float) -> list[SkyMatch]:
    hits = await cone.cone_search(info.context.reader, ra_deg, dec_deg, radius)
    return [
        SkyMatch(survey=Survey.ZTF, separation_arcsec=h.separation_arcsec, _ztf=h.object_id)
        for h in hits
    ]


async def _lsst_matches(info: Info, ra_deg: float, dec_deg: float, radius: float) -> list[SkyMatch]:
    hits = await lsst_resolver.lsst_cone_search(info.context.lsst_reader, ra_deg, dec_deg, radius)
    return [
        SkyMatch(
            survey=Survey.LSST,
            separation_arcsec=h.separation_arcsec,
            _lsst=LsstRecord(rubin.object_key(h.dia_object_id), h.values),
        )
        for h in hits
    ]
