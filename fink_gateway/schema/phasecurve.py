"""Phase-curve fits of a Solar System object (FINK-REFERENCE §9b): parameters per band,
shared spin parameters, quality, and the model curve sampled on request."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from fink_gateway.resolvers.sso_lightcurve import model_curve
from fink_gateway.schema.enums import BAND_OF_FID, Band
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.scalars import FloatSeries
from fink_gateway.science import phasecurve as pc


@strawberry.enum(name="PhaseCurveModel", description="Phase-curve model (FINK-REFERENCE §9b).")
class PhaseCurveModelName(Enum):
    HG = strawberry.enum_value("HG", description="H, G (Bowell et al. 1989).")
    HG12 = strawberry.enum_value("HG12", description="H, G12 (Penttilä et al. 2016).")
    HG1G2 = strawberry.enum_value("HG1G2", description="H, G1, G2 (Muinonen et al. 2010).")
    SHG1G2 = strawberry.enum_value(
        "SHG1G2",
        description="sHG1G2 (Carry et al. 2024): H, G1, G2 per band plus oblateness R and "
        "spin axis (alpha0, delta0) shared by the bands.",
    )


@strawberry.enum(description="Outcome of a fit: Fink's `fit` code (0, 1, 3, 4).")
class PhaseCurveStatus(Enum):
    OK = strawberry.enum_value(0, description="Converged (code 0).")
    BAD_INPUT = strawberry.enum_value(
        1, description="Too few points with ephemerides, or missing values (code 1)."
    )
    RUNTIME_ERROR = strawberry.enum_value(3, description="The optimiser failed (code 3).")
    LINALG_ERROR = strawberry.enum_value(
        4, description="Degenerate Jacobian: no covariance (code 4)."
    )


@strawberry.type(description="The fitted model sampled at phase angles.")
class ModelCurve:
    phase: FloatSeries = strawberry.field(description="Phase angle, deg.")
    reduced_mag: FloatSeries = strawberry.field(
        description="Model reduced magnitude (at 1 AU from the Sun and the observer), mag."
    )


@strawberry.type(description="Fitted parameters of one band; the G's a model lacks are null.")
class PhaseCurveBand:
    _fit: strawberry.Private[pc.PhaseCurveFit]
    _fid: strawberry.Private[int]
    fid: int = strawberry.field(description="Filter id: 1 g, 2 r, 3 i.")
    H: float = strawberry.field(name="H", description="Absolute magnitude in this band, mag.")
    H_error: float = strawberry.field(name="HError", description="1σ uncertainty of H, mag.")
    G: float | None = strawberry.field(name="G", description="HG slope parameter.")
    G_error: float | None = strawberry.field(name="GError", description="1σ uncertainty of G.")
    G12: float | None = strawberry.field(name="G12", description="HG12 phase parameter.")
    G12_error: float | None = strawberry.field(
        name="G12Error", description="1σ uncertainty of G12."
    )
    G1: float | None = strawberry.field(name="G1", description="HG1G2/sHG1G2 G1.")
    G1_error: float | None = strawberry.field(name="G1Error", description="1σ uncertainty of G1.")
    G2: float | None = strawberry.field(name="G2", description="HG1G2/sHG1G2 G2.")
    G2_error: float | None = strawberry.field(name="G2Error", description="1σ uncertainty of G2.")
    rms: float = strawberry.field(description="RMS of the residuals in this band, mag.")
    n_points: int = strawberry.field(description="Points fitted in this band.")
    median_error: float = strawberry.field(description="Median sigmapsf in this band, mag.")
    min_phase: float = strawberry.field(description="Smallest phase angle observed, deg.")
    max_phase: float = strawberry.field(description="Largest phase angle observed, deg.")

    @resolver_field(description="Filter name.")
    def band(self) -> Band | None:
        return BAND_OF_FID.get(self.fid)

    @resolver_field(
        description="The model curve of this band: at the given phase angles, else at "
        "`nPoints` angles from 0 to the largest observed phase. sHG1G2 is drawn at the mean "
        "aspect (|cosΛ|) of the observations."
    )
    def model_curve(
        self,
        phase: Annotated[
            list[float] | None,
            strawberry.argument(description="Phase angles, deg, within [0, 180]; ≤ 10000."),
        ] = None,
        n_points: Annotated[
            int, strawberry.argument(description="Number of evenly spaced angles (2–10000).")
        ] = 100,
    ) -> ModelCurve:
        angles, mags = model_curve(self._fit, self._fid, phase, n_points)
        return ModelCurve(phase=FloatSeries(angles), reduced_mag=FloatSeries(mags))


def _band(fit: pc.PhaseCurveFit, fid: int, p: pc.BandParameters) -> PhaseCurveBand:
    return PhaseCurveBand(
        _fit=fit, _fid=fid, fid=fid, H=p.H, H_error=p.H_err, G=p.G, G_error=p.G_err,
        G12=p.G12, G12_error=p.G12_err, G1=p.G1, G1_error=p.G1_err, G2=p.G2, G2_error=p.G2_err,
        rms=p.rms, n_points=p.n_obs, median_error=p.median_error,
        min_phase=p.min_phase_deg, max_phase=p.max_phase_deg,
    )  # fmt: skip


@strawberry.type(
    description="A phase-curve fit on the points that have ephemerides, as Fink fits it "
    "(unweighted soft-L1 least squares, Fink's API bounds; FINK-REFERENCE §9b). A fit that "
    "fails is still a result: see `status` and `message`; its parameters are then null."
)
class PhaseCurve:
    _fit: strawberry.Private[pc.PhaseCurveFit]

    @resolver_field(description="Model fitted.")
    def model(self) -> PhaseCurveModelName:
        return PhaseCurveModelName(self._fit.model.value)

    @resolver_field(description="Outcome of the fit.")
    def status(self) -> PhaseCurveStatus:
        return PhaseCurveStatus(self._fit.fit_code)

    @resolver_field(description="True when the fit converged (status OK).")
    def ok(self) -> bool:
        return self._fit.ok

    @resolver_field(description="scipy least_squares status (−2: not run).")
    def optimizer_status(self) -> int:
        return self._fit.status

    @resolver_field(description="What the optimiser, or the input check, said.")
    def message(self) -> str:
        return self._fit.message

    @resolver_field(description="Points fitted (all bands).")
    def n_points(self) -> int:
        return self._fit.n_obs

    @resolver_field(description="Parameters per band, by filter id (empty when not OK).")
    def bands(self) -> list[PhaseCurveBand]:
        return [_band(self._fit, int(fid), p) for fid, p in sorted(self._fit.bands.items())]

    @resolver_field(description="Reduced χ²: Σ((model − data)/σ)² / (N − p − 1).")
    def chi2red(self) -> float | None:
        return self._fit.chi2red

    @resolver_field(description="RMS of all residuals, mag.")
    def rms(self) -> float | None:
        return self._fit.rms

    @resolver_field(description="Smallest phase angle fitted, deg.")
    def min_phase(self) -> float | None:
        return self._fit.min_phase_deg

    @resolver_field(description="Largest phase angle fitted, deg.")
    def max_phase(self) -> float | None:
        return self._fit.max_phase_deg

    @resolver_field(description="Median sigmapsf of the points fitted, mag.")
    def median_error(self) -> float | None:
        return self._fit.median_error

    @resolver_field(name="R", description="sHG1G2 oblateness (0.3–1).")
    def R(self) -> float | None:
        return self._fit.R

    @resolver_field(name="RError", description="1σ uncertainty of R.")
    def R_error(self) -> float | None:
        return self._fit.R_err

    @resolver_field(description="sHG1G2 spin-axis right ascension, deg.")
    def alpha0(self) -> float | None:
        return self._fit.alpha0_deg

    @resolver_field(description="1σ uncertainty of alpha0, deg.")
    def alpha0_error(self) -> float | None:
        return self._fit.alpha0_err_deg

    @resolver_field(description="sHG1G2 spin-axis declination, deg.")
    def delta0(self) -> float | None:
        return self._fit.delta0_deg

    @resolver_field(description="1σ uncertainty of delta0, deg.")
    def delta0_error(self) -> float | None:
        return self._fit.delta0_err_deg

    @resolver_field(description="sHG1G2: smallest |cosΛ| (aspect) of the observations.")
    def min_cos_lambda(self) -> float | None:
        return self._fit.min_cos_lambda

    @resolver_field(description="sHG1G2: mean |cosΛ| of the observations.")
    def mean_cos_lambda(self) -> float | None:
        return self._fit.mean_cos_lambda

    @resolver_field(description="sHG1G2: largest |cosΛ| of the observations.")
    def max_cos_lambda(self) -> float | None:
        return self._fit.max_cos_lambda
