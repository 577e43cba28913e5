"""Rubin LSST in the schema: ``DiaObject`` with its light curve and forced photometry, cone
search on ``pixel1024``, Solar System sources by designation (docs/fink-lsst.md).

Fluxes are in nJy, times are MJD (TAI) of the exposure midpoint, angles in degrees. 64-bit ids
travel as ``BigInt`` text. ``record`` gives any stored column by its Fink name (``r:…``,
``f:…``), with 64-bit integers as text too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import strawberry
from strawberry.scalars import JSON

from fink_gateway.layout import rubin
from fink_gateway.layout.tables import TableSpec
from fink_gateway.resolvers import lsst as resolver
from fink_gateway.resolvers.lsst import LsstRecord, LsstSeries
from fink_gateway.resolvers.selection import direct_fields
from fink_gateway.schema.arguments import ConeDec, ConeRa, ConeRadius, cone_of
from fink_gateway.schema.fields import column as fink_column
from fink_gateway.schema.fields import resolver_field, unit
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.scalars import (
    BigInt,
    FloatSeries,
    StringSeries,
    decimal_texts,
)
from fink_gateway.schema.survey import Survey, SurveyObject
from fink_gateway.science.designations import unpack_designation

_SAFE_INT = 2**53


def _exact(value: object) -> object:
    """A JSON value that every client reads exactly: integers beyond 2^53 as text."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _SAFE_INT:
        return str(value)
    return value


def stored_record(values: dict[str, object], names: list[str] | None) -> JSON:
    """``{"r:qual": value}`` of the asked columns (all when ``names`` is None)."""
    out = {f"{rubin.FAMILY_OF.get(q, 'r')}:{q}": _exact(v) for q, v in values.items()}
    if names is None:
        return JSON(out)
    return JSON({n: out.get(n) for n in names})


def float_value(values: dict[str, object], name: str) -> float | None:
    value = values.get(name)
    return None if value is None else float(value)  # type: ignore[arg-type]


@strawberry.type(
    description="Points of an LSST object as columns (one JSON array per field, aligned, "
    "oldest first): its sources (`lightcurve`) or forced photometry (`forcedPhotometry`)."
)
class LsstLightCurve:
    _data: strawberry.Private[LsstSeries]

    @resolver_field(description="Number of points.")
    def length(self) -> int:
        return self._data.length

    @resolver_field(
        description="Exposure midpoint (r:midpointMjdTai), MJD TAI.",
        metadata=fink_column("r:midpointMjdTai"),
    )
    def midpoint_mjd_tai(self) -> FloatSeries:
        return FloatSeries(self._data.column("midpointMjdTai"))

    @resolver_field(
        description="Filter band (r:band): u, g, r, i, z or y.", metadata=fink_column("r:band")
    )
    def band(self) -> StringSeries:
        return StringSeries(self._data.column("band"))

    @resolver_field(
        description="PSF flux on the difference image (r:psfFlux), nJy.",
        metadata=fink_column("r:psfFlux"),
    )
    def psf_flux(self) -> FloatSeries:
        return FloatSeries(self._data.column("psfFlux"))

    @resolver_field(
        description="1σ uncertainty of psfFlux (r:psfFluxErr), nJy.",
        metadata=fink_column("r:psfFluxErr"),
    )
    def psf_flux_err(self) -> FloatSeries:
        return FloatSeries(self._data.column("psfFluxErr"))

    @resolver_field(
        description="PSF flux on the science image (r:scienceFlux), nJy.",
        metadata=fink_column("r:scienceFlux"),
    )
    def science_flux(self) -> FloatSeries:
        return FloatSeries(self._data.column("scienceFlux"))

    @resolver_field(
        description="1σ uncertainty of scienceFlux (r:scienceFluxErr), nJy.",
        metadata=fink_column("r:scienceFluxErr"),
    )
    def science_flux_err(self) -> FloatSeries:
        return FloatSeries(self._data.column("scienceFluxErr"))

    @resolver_field(
        description="AB magnitude of psfFlux, 31.4 − 2.5 log10(psfFlux / nJy); null where the "
        "flux is not positive.",
        metadata=unit("mag"),
    )
    def mag(self) -> FloatSeries:
        return FloatSeries(self._magnitudes()[0])

    @resolver_field(
        description="1σ uncertainty of mag, 2.5/ln 10 · psfFluxErr / psfFlux.",
        metadata=unit("mag"),
    )
    def mag_err(self) -> FloatSeries:
        return FloatSeries(self._magnitudes()[1])

    def _magnitudes(self) -> tuple[np.ndarray, np.ndarray]:
        return resolver.ab_magnitude(self._data.floats("psfFlux"), self._data.floats("psfFluxErr"))

    @resolver_field(
        description="Right ascension of each source (r:ra), degrees.", metadata=fink_column("r:ra")
    )
    def ra(self) -> FloatSeries:
        return FloatSeries(self._data.column("ra"))

    @resolver_field(
        description="Declination of each source (r:dec), degrees.", metadata=fink_column("r:dec")
    )
    def dec(self) -> FloatSeries:
        return FloatSeries(self._data.column("dec"))

    @resolver_field(
        description="Id of each source (r:diaSourceId, or r:diaForcedSourceId).",
        metadata=fink_column("r:diaSourceId"),  # the forced one's is a long too
    )
    def source_id(self) -> StringSeries:
        forced = b"r:diaForcedSourceId" in self._data.types
        name = "diaForcedSourceId" if forced else "diaSourceId"
        return StringSeries(decimal_texts(self._data.column(name)))

    @resolver_field(
        description="Any stored column by its Fink name (e.g. 'r:snr', 'f:clf_cats_score'), "
        "aligned with the points; 64-bit integers as text."
    )
    def column(self, name: str) -> JSON:
        qualifier = name.split(":", 1)[-1]
        return JSON([_exact(v) for v in _as_list(self._data.column(qualifier))])


def series_columns_of(info: Info) -> tuple[bytes, ...]:
    """The columns the selected light-curve fields read (column push-down)."""
    fields = direct_fields(selected_fields(info))
    return resolver.series_columns([(f.name, f.arguments.get("name")) for f in fields])


def _as_list(values: np.ndarray | list[Any]) -> list[Any]:
    """JSON values of a decoded column: NaN → None, float32 as its shortest text reads."""
    if not isinstance(values, np.ndarray):
        return values
    if values.dtype == np.float32:
        return [None if v != v else float(str(v)) for v in values]
    return [None if isinstance(v, float) and v != v else v for v in values.tolist()]


@strawberry.type(description="A Rubin LSST object (rubin.diaObject: its last alert's diaObject).")
class DiaObject(SurveyObject):
    _record: strawberry.Private[LsstRecord]

    @resolver_field(description="The survey: LSST.")
    def survey(self) -> Survey:
        return Survey.LSST

    @resolver_field(description="The diaObjectId, as `diaObjectId`.")
    def name(self) -> str:
        return self._record.key.split(b"_", 1)[1].decode()

    @resolver_field(
        description="LSST object identifier (r:diaObjectId), as text.",
        metadata=fink_column("r:diaObjectId"),
    )
    def dia_object_id(self) -> BigInt:
        return BigInt(int(self._record.key.split(b"_", 1)[1]))

    @resolver_field(description="Right ascension (r:ra), degrees.", metadata=fink_column("r:ra"))
    def ra(self) -> float | None:
        return float_value(self._record.values, "ra")

    @resolver_field(description="Declination (r:dec), degrees.", metadata=fink_column("r:dec"))
    def dec(self) -> float | None:
        return float_value(self._record.values, "dec")

    @resolver_field(
        description="Number of sources the object had (r:nDiaSources).",
        metadata=fink_column("r:nDiaSources"),
    )
    def n_dia_sources(self) -> int | None:
        value = self._record.values.get("nDiaSources")
        return None if value is None else int(value)  # type: ignore[call-overload]

    @resolver_field(
        description="Midpoint of the first source Fink saw (f:firstDiaSourceMjdTaiFink), MJD TAI.",
        metadata=fink_column("f:firstDiaSourceMjdTaiFink"),
    )
    def first_dia_source_mjd_tai(self) -> float | None:
        return float_value(self._record.values, "firstDiaSourceMjdTaiFink")

    @resolver_field(
        description="Whether the alert is of a Solar System object (f:is_sso).",
        metadata=fink_column("f:is_sso"),
    )
    def is_sso(self) -> bool | None:
        return self._record.values.get("is_sso")  # type: ignore[return-value]

    @resolver_field(
        description="Whether the object had one source then (f:is_first).",
        metadata=fink_column("f:is_first"),
    )
    def is_first(self) -> bool | None:
        return self._record.values.get("is_first")  # type: ignore[return-value]

    @resolver_field(
        description="Every stored column by its Fink name ('r:…', 'f:…'), or those of `names`; "
        "64-bit integers as text."
    )
    def record(self, names: list[str] | None = None) -> JSON:
        return stored_record(self._record.values, names)

    @resolver_field(description="The object's sources (rubin.diaSource_static), oldest first.")
    async def lightcurve(self, info: Info) -> LsstLightCurve:
        return await self._points(info, rubin.DIA_SOURCE)

    @resolver_field(description="The object's forced photometry (rubin.fp), oldest first.")
    async def forced_photometry(self, info: Info) -> LsstLightCurve:
        return await self._points(info, rubin.FORCED)

    async def _points(self, info: Info, spec: TableSpec) -> LsstLightCurve:
        prefix = rubin.object_sources_prefix(int(self._record.key.split(b"_", 1)[1]))
        columns = series_columns_of(info)
        reader = info.context.lsst_reader
        (series,) = await resolver.load_sources(reader, spec, [prefix], columns)
        return LsstLightCurve(_data=series)




@strawberry.type(description="An LSST object found by a cone search, with its distance.")
class DiaObjectMatch:
    object: DiaObject = strawberry.field(description="The object (its pixel1024 row).")
    separation_arcsec: float = strawberry.field(description="Distance to the centre, arcsec.")


@strawberry.type(description="A Solar System object's LSST sources (rubin.diaSource_sso).")
class LsstSolarSystemObject:
    packed_designation: str = strawberry.field(
        description="MPC packed provisional designation "
        "(r:packed_primary_provisional_designation).",
        metadata=fink_column("r:packed_primary_provisional_designation"),
    )
    designation: str | None = strawberry.field(description="The usual spelling, e.g. 2001 SB97.")
    sources: LsstLightCurve = strawberry.field(description="Its sources, oldest first.")


@strawberry.type
class LsstQuery:
    @resolver_field(description="One Rubin LSST object by diaObjectId; null when unknown.")
    async def lsst_object(self, info: Info, dia_object_id: BigInt) -> DiaObject | None:
        oid = resolver.dia_object_id(dia_object_id)
        (found,) = await resolver.load_dia_objects(info.context.lsst_reader, [oid])
        return None if found is None else DiaObject(_record=found)

    @resolver_field(
        description="Several LSST objects, in the order asked (null for unknown ids), read in "
        "one store call."
    )
    async def lsst_objects(
        self, info: Info, dia_object_ids: list[BigInt]
    ) -> list[DiaObject | None]:
        cap = info.context.settings.limits.max_object_ids
        ids = resolver.dia_object_ids(dia_object_ids, cap)
        found = await resolver.load_dia_objects(info.context.lsst_reader, ids)
        return [None if f is None else DiaObject(_record=f) for f in found]

    @resolver_field(
        description="LSST objects whose last source lies within `radius` of (ra, dec) "
        "(rubin.pixel1024), nearest first."
    )
    async def lsst_conesearch(
        self,
        info: Info,
        ra: ConeRa,
        dec: ConeDec,
        radius: ConeRadius,
    ) -> list[DiaObjectMatch]:
        ra_deg, dec_deg, radius_arcsec = cone_of(info, ra, dec, radius)
        reader = info.context.lsst_reader
        hits = await resolver.lsst_cone_search(reader, ra_deg, dec_deg, radius_arcsec)
        return [
            DiaObjectMatch(
                object=DiaObject(_record=LsstRecord(rubin.object_key(h.dia_object_id), h.values)),
                separation_arcsec=h.separation_arcsec,
            )
            for h in hits
        ]

    @resolver_field(
        description="A Solar System object's LSST sources by provisional designation, packed "
        "('K01S97B') or not ('2001 SB97'); null when it has none."
    )
    async def lsst_solar_system_object(
        self, info: Info, designation: str
    ) -> LsstSolarSystemObject | None:
        packed = resolver.packed_designation(designation)
        reader = info.context.lsst_reader
        prefix = rubin.orbit_key(packed) + b"_"
        (series,) = await resolver.load_sources(reader, rubin.SSO_SOURCE, [prefix])
        if not series.length:
            return None
        return LsstSolarSystemObject(
            packed_designation=packed,
            designation=unpack_designation(packed),
            sources=LsstLightCurve(_data=series),
        )
