"""Solar System objects: the ``solarSystemObject(s)`` queries, the object, its light curve
with ephemerides and its phase-curve fits (FINK-REFERENCE §5, §9b, §9c).

Merge :class:`SolarSystemQuery` into the root with ``build_schema(extra_queries=...)``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, cast

import numpy as np
import strawberry

from fink_gateway.loaders.ephemeris_values import Ephemerides
from fink_gateway.resolvers import args
from fink_gateway.resolvers import sso as resolver
from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.ephemerides import ephemeris_provider
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.resolvers.sso import SsoMatch, SsoObjectData
from fink_gateway.resolvers.sso_lightcurve import (
    SsoPoints,
    astrometric_residuals,
    band_rows,
    reduced_magnitudes,
)
from fink_gateway.schema.arguments import Since, Until
from fink_gateway.schema.enums import BAND_OF_FID, FID_OF_BAND, Band
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.pagination import AlertConnection, alert_page_connection
from fink_gateway.schema.phasecurve import PhaseCurve, PhaseCurveModelName
from fink_gateway.schema.scalars import FloatSeries, IntSeries, StringSeries
from fink_gateway.science.phasecurve import PhaseCurveModel
from fink_gateway.science.times import MJD_OFFSET

_NAME_HELP = (
    "A name ('Julienpeloton'), a number ('8467', never matching 84670) or a designation in "
    "any usual spelling ('2005 XM12', '2005XM12', '2005 xm12'), matched exactly."
)


@strawberry.enum(description="Where a light curve's ephemerides come from.")
class EphemerisSource(Enum):
    STORED = strawberry.enum_value(
        "stored", description="Stored at ingest from Fink's SSO light-curve file."
    )
    MIRIADE = strawberry.enum_value("miriade", description="Asked to IMCCE Miriade (ephemcc).")


@strawberry.type(description="One Solar System object a name resolved to (sso_resolver row).")
class SolarSystemCandidate:
    ssnamenr: str = strawberry.field(description="ZTF's designation of the object (i:ssnamenr).")
    name: str = strawberry.field(description="Name (i:name of sso_resolver).")
    number: int | None = strawberry.field(description="IAU number; null when unnumbered.")


def _candidate(match: SsoMatch) -> SolarSystemCandidate:
    return SolarSystemCandidate(ssnamenr=match.ssnamenr, name=match.name, number=match.number)


@strawberry.type(
    name="SolarSystemLightCurve",
    description="A Solar System object's light curve as columns (one JSON array per field, "
    "aligned, oldest point first): its alerts and the points of Fink's SSO light-curve file. "
    "Ephemeris columns are read only when selected (stored first, else IMCCE Miriade when "
    "configured); their values are null where unknown, and the whole column is null, with "
    "an UPSTREAM_UNAVAILABLE error, when Miriade cannot be reached.",
)
class SsoLightCurve:
    _data: strawberry.Private[SsoObjectData]
    _points: strawberry.Private[SsoPoints]
    _rows: strawberry.Private[np.ndarray]

    async def _eph(self) -> Ephemerides | None:
        eph = await self._data.ephemerides()
        return None if eph is None else eph.take(self._rows)

    async def _column(self, name: str) -> FloatSeries:
        eph = await self._eph()
        return FloatSeries(
            np.full(len(self._points), np.nan) if eph is None else getattr(eph, name)
        )

    @resolver_field(description="Number of points.")
    def length(self) -> int:
        return len(self._points)

    @resolver_field(description="Julian Date of each point (exposure start, UTC), JD.")
    def jd(self) -> FloatSeries:
        return FloatSeries(self._points.jd)

    @resolver_field(description="Modified Julian Date of each point, days.")
    def mjd(self) -> FloatSeries:
        return FloatSeries(self._points.jd - MJD_OFFSET)

    @resolver_field(description="PSF-fit magnitude (i:magpsf), mag.")
    def magpsf(self) -> FloatSeries:
        return FloatSeries(self._points.magpsf)

    @resolver_field(description="1σ uncertainty of magpsf (i:sigmapsf), mag.")
    def sigmapsf(self) -> FloatSeries:
        return FloatSeries(self._points.sigmapsf)

    @resolver_field(description="Filter id (i:fid): 1 g, 2 r, 3 i.")
    def fid(self) -> IntSeries:
        return IntSeries([None if f < 0 else f for f in self._points.fid.tolist()])

    @resolver_field(description="Filter name: g, r or i.")
    def band(self) -> StringSeries:
        return StringSeries(
            [b.value if (b := BAND_OF_FID.get(f)) else None for f in self._points.fid.tolist()]
        )

    @resolver_field(description="Observed right ascension (i:ra), deg.")
    def ra(self) -> FloatSeries:
        return FloatSeries(self._points.ra_deg)

    @resolver_field(description="Observed declination (i:dec), deg.")
    def dec(self) -> FloatSeries:
        return FloatSeries(self._points.dec_deg)

    @resolver_field(description="ZTF object of each alert (i:objectId); null for file points.")
    def object_id(self) -> StringSeries:
        return StringSeries(self._points.object_id)

    @resolver_field(description="Source of the ephemerides; null when none are known.")
    async def ephemeris_source(self) -> EphemerisSource | None:
        eph = await self._data.ephemerides()
        return None if eph is None else EphemerisSource(eph.source.value)

    @resolver_field(description="Phase angle Sun–object–observer (Miriade Phase), deg.")
    async def phase(self) -> FloatSeries | None:
        return await self._column("phase_deg")

    @resolver_field(description="Distance object–observer (Miriade Dobs), AU.")
    async def dobs(self) -> FloatSeries | None:
        return await self._column("dobs_au")

    @resolver_field(description="Distance object–Sun (Miriade Dhelio), AU.")
    async def dhelio(self) -> FloatSeries | None:
        return await self._column("dhelio_au")

    @resolver_field(description="Solar elongation (Miriade Elong.), deg.")
    async def elong(self) -> FloatSeries | None:
        return await self._column("elong_deg")

    @resolver_field(description="Predicted right ascension (Miriade RA), deg.")
    async def ra_ephemeris(self) -> FloatSeries | None:
        return await self._column("ra_deg")

    @resolver_field(description="Predicted declination (Miriade DEC), deg.")
    async def dec_ephemeris(self) -> FloatSeries | None:
        return await self._column("dec_deg")

    @resolver_field(description="Reduced magnitude magpsf − 5·log10(Dobs·Dhelio), mag.")
    async def reduced_mag(self) -> FloatSeries | None:
        return FloatSeries(reduced_magnitudes(self._points, await self._eph()))

    @resolver_field(
        description="Astrometric residual (ra − RA_ephemeris)·cos(dec), arcsec (RA difference "
        "taken within ±180 deg)."
    )
    async def delta_ra_cos_dec(self) -> FloatSeries | None:
        return FloatSeries(astrometric_residuals(self._points, await self._eph())[0])

    @resolver_field(description="Astrometric residual dec − DEC_ephemeris, arcsec.")
    async def delta_dec(self) -> FloatSeries | None:
        return FloatSeries(astrometric_residuals(self._points, await self._eph())[1])


def _fids(bands: list[Band] | None) -> set[int] | None:
    return None if bands is None else {FID_OF_BAND[b] for b in bands}


@strawberry.type(
    description="A Solar System object seen by ZTF, keyed by ZTF's designation (ssnamenr): "
    "its alerts, its light curve with ephemerides, and its phase-curve fits. When the asked "
    "name is ambiguous (it names several ssnamenr) this is the first of `candidates`, in "
    "Fink's resolver order, and `ambiguous` is true: ask again by a candidate's ssnamenr."
)
class SolarSystemObject:
    _data: strawberry.Private[SsoObjectData]

    @resolver_field(description="ZTF's designation of the object (i:ssnamenr).")
    def ssnamenr(self) -> str:
        return self._data.match.ssnamenr

    @resolver_field(description="Name (i:name of sso_resolver).")
    def name(self) -> str:
        return self._data.match.name

    @resolver_field(description="IAU number (i:number of sso_resolver); null when unnumbered.")
    def number(self) -> int | None:
        return self._data.match.number

    @resolver_field(description="True when the asked name resolved to several ssnamenr.")
    def ambiguous(self) -> bool:
        return len(self._data.candidates) > 1

    @resolver_field(description="Every object the asked name resolved to, this one first.")
    def candidates(self) -> list[SolarSystemCandidate]:
        return [_candidate(m) for m in self._data.candidates]

    @resolver_field(
        description="The object's ZTF alerts (ssnamenr table, roid = 3), newest first, with "
        "the index columns Fink copies there (FINK-REFERENCE §1.3); other Alert fields are "
        "null: ask `object(objectId)` for them. Points of an SSO light-curve file are not "
        "alerts: they appear in `lightcurve` only."
    )
    async def alerts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        since: Since = None,
        until: Until = None,
    ) -> AlertConnection:
        window = args.alert_page_window(info.context.settings.limits, first, after, since, until)
        return alert_page_connection(await resolver.sso_alert_page(self._data, window))

    @resolver_field(description="The light curve as columns, with ephemerides on request.")
    async def lightcurve(
        self,
        bands: Annotated[
            list[Band] | None, strawberry.argument(description="Only these filters (default: all).")
        ] = None,
    ) -> SsoLightCurve:
        points = await self._data.points()
        rows = band_rows(points, _fids(bands))
        return SsoLightCurve(_data=self._data, _points=points.take(rows), _rows=rows)

    @resolver_field(
        description="Phase-curve fit of the points that have ephemerides (H, G's per band; "
        "sHG1G2 adds R and the spin axis). Never an error: a fit that cannot run or fails "
        "has a status other than OK. Null, with an UPSTREAM_UNAVAILABLE error, only when the "
        "ephemerides had to come from Miriade and it could not be reached. Counts against "
        "limits.max_fits_per_request."
    )
    async def phase_curve(
        self,
        info: Info,
        model: Annotated[
            PhaseCurveModelName, strawberry.argument(description="Model to fit.")
        ] = PhaseCurveModelName.SHG1G2,
        bands: Annotated[
            list[Band] | None, strawberry.argument(description="Only these filters (default: all).")
        ] = None,
    ) -> PhaseCurve | None:
        # strawberry.enum replaces each enum_value(...) by its value: the member's value is the str
        kind = PhaseCurveModel(cast(str, model.value))
        fit = await resolver.sso_phase_curve(info.context, self._data, kind, _fids(bands))
        return PhaseCurve(_fit=fit)


def _wanted(info: Info) -> tuple[bytes, ...]:
    return resolver.sso_columns(columns_for_fields(field_selection(selected_fields(info))))


def _object(
    info: Info, matches: list[SsoMatch], columns: tuple[bytes, ...]
) -> SolarSystemObject | None:
    if not matches:
        return None
    reader = info.context.reader
    settings = info.context.settings.ephemerides
    provider = ephemeris_provider(
        reader, settings.miriade_url, settings.miriade_timeout_seconds, info.context.shared.miriade
    )
    data = SsoObjectData(reader, matches[0], tuple(matches), columns, provider)
    return SolarSystemObject(_data=data)


@strawberry.type(description="Solar System objects (FINK-REFERENCE §5).")
class SolarSystemQuery:
    @resolver_field(description="One Solar System object by name or number; null if unknown.")
    async def solar_system_object(
        self,
        info: Info,
        name_or_number: Annotated[str, strawberry.argument(description=_NAME_HELP)],
    ) -> SolarSystemObject | None:
        matches = await resolver.resolve_sso(info.context.reader, name_or_number)
        return _object(info, matches, _wanted(info))

    @resolver_field(
        description="Several Solar System objects, in the order asked (null for unknown "
        "names); resolved and read in batched scans."
    )
    async def solar_system_objects(
        self,
        info: Info,
        names_or_numbers: Annotated[
            list[str], strawberry.argument(description="Names or numbers, as in solarSystemObject.")
        ],
    ) -> list[SolarSystemObject | None]:
        resolved = await resolver.resolve_many(
            info.context.reader, names_or_numbers, info.context.settings.limits.max_object_ids
        )
        columns = _wanted(info)
        return [_object(info, matches, columns) for matches in resolved]
