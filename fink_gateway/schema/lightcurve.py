"""``LightCurve``: an object's points as columns, each computed only when selected."""

from __future__ import annotations

import numpy as np
import strawberry

from fink_gateway.resolvers.lightcurve import LightCurveData
from fink_gateway.schema.fields import column, resolver_field, unit
from fink_gateway.schema.lightcurve_columns import LightCurveColumns
from fink_gateway.schema.scalars import FloatSeries, IntSeries, StringSeries, decimal_texts
from fink_gateway.science.times import MJD_OFFSET


@strawberry.type(
    description="g − r colour and magnitude rates of the valid points (FINK-REFERENCE §8): "
    "r points within 0.3 d of a g point give it a colour; every point within 0.3 d of such a "
    "g point gets its values. Aligned with the light curve's points (null elsewhere)."
)
class Colour:
    _data: strawberry.Private[LightCurveData]

    def _aligned(self, name: str) -> np.ndarray:
        valid, block = self._data.colour
        out = np.full(len(valid), np.nan)
        out[valid] = getattr(block, name)
        return out

    @resolver_field(description="g − r, mag.", metadata=unit("mag"))
    def g_minus_r(self) -> FloatSeries:
        return FloatSeries(self._aligned("g_minus_r"))

    @resolver_field(description="Uncertainty of g − r, mag.", metadata=unit("mag"))
    def sigma_g_minus_r(self) -> FloatSeries:
        return FloatSeries(self._aligned("sigma_g_minus_r"))

    @resolver_field(
        description="Rate of change of g − r between matched g points, mag/day.",
        metadata=unit("mag/d"),
    )
    def rate_g_minus_r(self) -> FloatSeries:
        return FloatSeries(self._aligned("rate_g_minus_r"))

    @resolver_field(description="Uncertainty of that rate, mag/day.", metadata=unit("mag/d"))
    def sigma_rate_g_minus_r(self) -> FloatSeries:
        return FloatSeries(self._aligned("sigma_rate_g_minus_r"))

    @resolver_field(
        description="Magnitude rate since the previous same-band point, mag/day.",
        metadata=unit("mag/d"),
    )
    def rate(self) -> FloatSeries:
        return FloatSeries(self._aligned("rate"))

    @resolver_field(description="Uncertainty of that rate, mag/day.", metadata=unit("mag/d"))
    def sigma_rate(self) -> FloatSeries:
        return FloatSeries(self._aligned("sigma_rate"))


@strawberry.type(
    description="An object's light curve as columns (one JSON array per field, all aligned, "
    "oldest point first). Upper limits and bad-quality points appear only with "
    "withUpperLimits: true, marked by `tag`."
)
class LightCurve:
    _data: strawberry.Private[LightCurveData]

    @resolver_field(description="Number of points.")
    def length(self) -> int:
        return self._data.length

    @resolver_field(
        description="Julian Date of each point (exposure start, UTC), JD.",
        metadata=column("i:jd"),
    )
    def jd(self) -> FloatSeries:
        return FloatSeries(self._data.column("jd"))

    @resolver_field(description="Modified Julian Date of each point, days.", metadata=unit("d"))
    def mjd(self) -> FloatSeries:
        return FloatSeries(self._data.floats("jd") - MJD_OFFSET)

    @resolver_field(
        description="PSF-fit difference magnitude (i:magpsf), mag; null for limits.",
        metadata=column("i:magpsf"),
    )
    def magpsf(self) -> FloatSeries:
        return FloatSeries(self._data.column("magpsf"))

    @resolver_field(
        description="1σ uncertainty of magpsf (i:sigmapsf), mag.",
        metadata=column("i:sigmapsf"),
    )
    def sigmapsf(self) -> FloatSeries:
        return FloatSeries(self._data.column("sigmapsf"))

    @resolver_field(
        description="5σ limiting magnitude of the difference image (i:diffmaglim).",
        metadata=column("i:diffmaglim"),
    )
    def diffmaglim(self) -> FloatSeries:
        return FloatSeries(self._data.column("diffmaglim"))

    @resolver_field(description="Filter id (i:fid): 1 g, 2 r, 3 i.", metadata=column("i:fid"))
    def fid(self) -> IntSeries:
        return IntSeries(self._data.column("fid"))

    @resolver_field(description="Filter name: g, r or i.")
    def band(self) -> StringSeries:
        return StringSeries(self._data.bands)

    @resolver_field(
        description="'t'/'1': positive subtraction, 'f'/'0': negative (i:isdiffpos).",
        metadata=column("i:isdiffpos"),
    )
    def isdiffpos(self) -> StringSeries:
        return StringSeries(self._data.column("isdiffpos"))

    @resolver_field(description="Fink's tag of each point: valid, upperlim or badquality.")
    def tag(self) -> StringSeries:
        return StringSeries(self._data.column("tag"))

    @resolver_field(
        description="ZTF candidate id (i:candid) as text (19 digits: exact in every client); "
        "null for limits and bad points.",
        metadata=column("i:candid"),
    )
    def candid(self) -> StringSeries:
        return StringSeries(decimal_texts(self._data.column("candid")))

    @resolver_field(
        description="Right ascension of each detection (i:ra), deg.",
        metadata=column("i:ra"),
    )
    def ra(self) -> FloatSeries:
        return FloatSeries(self._data.column("ra"))

    @resolver_field(
        description="Declination of each detection (i:dec), deg.",
        metadata=column("i:dec"),
    )
    def dec(self) -> FloatSeries:
        return FloatSeries(self._data.column("dec"))

    @resolver_field(
        description="Magnitude of the nearest reference source (i:magnr), mag.",
        metadata=column("i:magnr"),
    )
    def magnr(self) -> FloatSeries:
        return FloatSeries(self._data.column("magnr"))

    @resolver_field(
        description="Uncertainty of magnr (i:sigmagnr), mag.",
        metadata=column("i:sigmagnr"),
    )
    def sigmagnr(self) -> FloatSeries:
        return FloatSeries(self._data.column("sigmagnr"))

    @resolver_field(
        description="Distance to the nearest reference source (i:distnr), pixels.",
        metadata=column("i:distnr"),
    )
    def distnr(self) -> FloatSeries:
        return FloatSeries(self._data.column("distnr"))

    @resolver_field(
        description="DC (apparent) magnitude: reference flux ± difference flux, mag "
        "(ZTF Explanatory Supplement; FINK-REFERENCE §8). Meaningful when dcFlag is true.",
        metadata=unit("mag"),
    )
    def dc_mag(self) -> FloatSeries:
        return FloatSeries(self._data.dc[0])

    @resolver_field(description="Uncertainty of dcMag, mag.", metadata=unit("mag"))
    def dc_sigmag(self) -> FloatSeries:
        return FloatSeries(self._data.dc[1])

    @resolver_field(
        description="True when a source sits behind the transient (latest alert's distnr ≤ 1.5 "
        "pixels), i.e. when Fink's portal shows DC magnitudes."
    )
    def dc_flag(self) -> bool:
        return self._data.source_behind

    @resolver_field(description="g − r colour and rates (valid points only).")
    def color(self) -> Colour:
        return Colour(_data=self._data)

    @resolver_field(
        description="Every main-table column of each point (Fink's record of the point), as "
        "series aligned with this light curve; only the columns selected are read."
    )
    def columns(self) -> LightCurveColumns:
        return LightCurveColumns(_data=self._data)
