"""``PeriodFit``: a multiband Lomb–Scargle period of an object, with its folded light curve."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from fink_gateway.schema.enums import BAND_OF_FID, Band
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.scalars import FloatSeries, StringSeries


@strawberry.enum(description="Periodogram implementation (gatspy).")
class PeriodMethod(Enum):
    MULTIBAND = "multiband"
    FAST = "fast"


@strawberry.type(description="The best-fit model of one band on the phase grid.")
class BandModel:
    band: Band = strawberry.field(description="The filter.")
    magnitude: FloatSeries = strawberry.field(description="Model magnitude at each phaseGrid, mag.")


@strawberry.type(
    description="Fink's variable-star period (FINK-REFERENCE §9a): a multiband Lomb–Scargle fit "
    "(gatspy) of the valid points — DC magnitudes when a source sits behind — over a period "
    "range. A fit that cannot run has a status other than 'ok' and null numbers."
)
class PeriodFit:
    _fit: strawberry.Private[dict[str, Any]]

    @resolver_field(description="ok, insufficient_data or failed.")
    def status(self) -> str:
        return str(self._fit["status"])

    @resolver_field(description="Why the status is not ok.")
    def message(self) -> str | None:
        return self._fit.get("message")

    @resolver_field(description="Best period, days.")
    def period_days(self) -> float | None:
        return self._fit.get("period_days")

    @resolver_field(description="Normalised periodogram power at the best period (0–1).")
    def power(self) -> float | None:
        return self._fit.get("power")

    @resolver_field(description="χ² of the model against the points.")
    def chi2(self) -> float | None:
        return self._fit.get("chi2")

    @resolver_field(description="χ² / (N − 1).")
    def reduced_chi2(self) -> float | None:
        return self._fit.get("reduced_chi2")

    @resolver_field(description="Number of points fitted.")
    def n_points(self) -> int:
        return len(self._fit.get("jd") or [])

    @resolver_field(description="True when DC magnitudes (source behind) were fitted.")
    def dc_magnitudes(self) -> bool:
        return bool(self._fit.get("dc_magnitudes"))

    @resolver_field(description="Julian Date of each fitted point.")
    def jd(self) -> FloatSeries:
        return FloatSeries(self._fit.get("jd") or [])

    @resolver_field(description="Phase of each point, (jd mod P)/P, cycles (0–1).")
    def phase(self) -> FloatSeries:
        return FloatSeries(self._fit.get("phase") or [])

    @resolver_field(description="Magnitude of each fitted point, mag.")
    def magnitude(self) -> FloatSeries:
        return FloatSeries(self._fit.get("mag") or [])

    @resolver_field(description="1σ uncertainty of each point, mag.")
    def sigma(self) -> FloatSeries:
        return FloatSeries(self._fit.get("sigma") or [])

    @resolver_field(description="Filter of each point (g, r, i).")
    def band(self) -> StringSeries:
        return StringSeries([BAND_OF_FID[int(b)].value for b in self._fit.get("band") or []])

    @resolver_field(description="Phases where the models are sampled, cycles.")
    def phase_grid(self) -> FloatSeries:
        return FloatSeries(self._fit.get("phase_grid") or [])

    @resolver_field(description="Best-fit model of each band on phaseGrid.")
    def models(self) -> list[BandModel]:
        curves = self._fit.get("model_curves") or {}
        return [BandModel(band=BAND_OF_FID[int(b)], magnitude=c) for b, c in curves.items()]
