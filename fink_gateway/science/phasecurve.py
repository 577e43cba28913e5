"""Asteroid phase curves as Fink fits them: HG, HG12, HG1G2 and sHG1G2 (FINK-REFERENCE §9b).

Models, with m_red the reduced magnitude (mag) and α the phase angle:

* **HG** (Bowell et al. 1989, Asteroids II, 524): H − 2.5·log10((1−G)·Φ1(α) + G·Φ2(α)).
* **HG1G2** (Muinonen et al. 2010, Icarus 209, 542): H − 2.5·log10(G1·φ1 + G2·φ2 + (1−G1−G2)·φ3).
* **HG12** (Penttilä et al. 2016, P&SS 123, 117): HG1G2 with G1 = 0.84293649·G12 and
  G2 = 0.53513350·(1 − G12), the constants of sbpy's ``HG12_Pen16``.
* **sHG1G2** (Carry et al. 2024, A&A 687, A38): HG1G2 + 2.5·log10(1 − (1−R)·|cosΛ|), with
  cosΛ = sinδ·sinδ0 + cosδ·cosδ0·cos(α − α0) the cosine of the aspect angle between the target
  direction (α, δ) and the spin axis (α0, δ0); R is the oblateness.

The basis functions Φ1, Φ2 and φ1, φ2, φ3 are sbpy's (``HG._hgphi``, ``HG1G2._phi1/2/3``).
H and the G's are fitted per band; R, α0 and δ0 are shared across bands. The fit follows Fink:
``scipy.optimize.least_squares`` on unweighted residuals (model − data), ``jac="2-point"``,
``loss="soft_l1"``; covariance inv(JᵀJ)·Σres²/(N − p) (pinv for sHG1G2), reduced χ²
Σ(res/σ)²/(N − p − 1). A fit that fails is a :class:`PhaseCurveFit` with a :class:`FitCode`.

Angles are degrees at every public edge (plain floats or astropy ``Quantity``), radians inside.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum, StrEnum
from typing import cast

import astropy.units as u
import numpy as np
import numpy.typing as npt
from astropy.utils.exceptions import AstropyDeprecationWarning
from scipy.optimize import least_squares

with warnings.catch_warnings():
    # sbpy 0.6 imports astropy's deprecated TestRunner at package import.
    warnings.simplefilter("ignore", AstropyDeprecationWarning)
    from sbpy.photometry import HG, HG1G2, HG12_Pen16

FloatArray = npt.NDArray[np.float64]
Band = int | str
"""A band label: a ZTF ``fid`` (1 = g, 2 = r) or any hashable name such as ``"V"``."""
Bounds = tuple[tuple[float, ...], tuple[float, ...]]
"""(lower, upper) limits, in the order of the model's p0."""


class PhaseCurveModel(StrEnum):
    """Phase-curve model names, as Fink spells them."""

    HG = "HG"
    HG12 = "HG12"
    HG1G2 = "HG1G2"
    SHG1G2 = "SHG1G2"


class FitCode(IntEnum):
    """Fink's ``fit`` quality code."""

    OK = 0
    BAD_INPUT = 1
    """Non-finite input, or fewer points than parameters + 2."""
    RUNTIME_ERROR = 3
    """The optimiser failed (RuntimeError, or non-finite residuals along the way)."""
    LINALG_ERROR = 4
    """JᵀJ could not be inverted (degenerate Jacobian)."""


STATUS_NOT_RUN = -2
"""``status`` when least_squares did not run or raised (Fink's value); else least_squares'."""

GMIN = -0.429
"""Lowest G1/G2 in fink-utils' default bounds (Muinonen et al. 2010 validity domain)."""
GMAX = 1.429
"""Highest G1/G2 in fink-utils' default bounds."""

DEFAULT_P0: Mapping[PhaseCurveModel, tuple[float, ...]] = {
    PhaseCurveModel.HG: (15.0, 0.15),
    PhaseCurveModel.HG12: (15.0, 0.15),
    PhaseCurveModel.HG1G2: (15.0, 0.15, 0.15),
    PhaseCurveModel.SHG1G2: (15.0, 0.15, 0.15, 0.8, np.pi, 0.0),
}
"""Initial guesses (H mag, G's, then R, α0 rad, δ0 rad), shared by Fink's portal, API and utils."""

DEFAULT_BOUNDS: Mapping[PhaseCurveModel, Bounds] = {
    PhaseCurveModel.HG: ((-3.0, 0.0), (30.0, 1.0)),
    PhaseCurveModel.HG12: ((-3.0, 0.0), (30.0, 1.0)),
    PhaseCurveModel.HG1G2: ((-3.0, 0.0, 0.0), (30.0, 1.0, 1.0)),
    PhaseCurveModel.SHG1G2: (
        (-3.0, 0.0, 0.0, 0.3, 0.0, -np.pi / 2),
        (30.0, 1.0, 1.0, 1.0, 2 * np.pi, np.pi / 2),
    ),
}
"""Bounds of Fink's portal and ``/api/v1/sso`` (§9b table); angles in rad."""

FINK_UTILS_BOUNDS: Mapping[PhaseCurveModel, Bounds] = {
    PhaseCurveModel.HG: ((-3.0, 0.0), (30.0, 1.0)),
    PhaseCurveModel.HG12: ((-3.0, -0.29), (30.0, 1.6979)),
    PhaseCurveModel.HG1G2: ((-3.0, GMIN, GMIN), (30.0, GMAX, GMAX)),
    PhaseCurveModel.SHG1G2: (
        (-3.0, GMIN, GMIN, 0.3, 0.0, -np.pi / 2),
        (30.0, GMAX, GMAX, 1.0, 2 * np.pi, np.pi / 2),
    ),
}
"""fink-utils' own default bounds (``fink_utils/sso/spins.py``); angles in rad."""

_BAND_PARAMETERS: Mapping[PhaseCurveModel, tuple[str, ...]] = {
    PhaseCurveModel.HG: ("H", "G"),
    PhaseCurveModel.HG12: ("H", "G12"),
    PhaseCurveModel.HG1G2: ("H", "G1", "G2"),
    PhaseCurveModel.SHG1G2: ("H", "G1", "G2"),
}
_N_SHARED = {PhaseCurveModel.SHG1G2: 3}


@dataclass(frozen=True)
class BandParameters:
    """Fitted parameters of one band; the G's a model does not use are None."""

    H: float
    """Absolute magnitude in this band (mag)."""
    H_err: float
    rms: float
    """Root mean square of the residuals in this band (mag)."""
    n_obs: int
    median_error: float
    """Median photometric error in this band (mag)."""
    min_phase_deg: float
    max_phase_deg: float
    G: float | None = None
    G_err: float | None = None
    G12: float | None = None
    G12_err: float | None = None
    G1: float | None = None
    G1_err: float | None = None
    G2: float | None = None
    G2_err: float | None = None


@dataclass(frozen=True)
class PhaseCurveFit:
    """One phase-curve fit. Fields that do not apply, or were not computed, are None.

    ``fit_code`` is Fink's ``fit`` (:class:`FitCode`); ``status`` is least_squares' status
    (:data:`STATUS_NOT_RUN` when it did not run). On failure ``bands`` is empty.
    """

    model: PhaseCurveModel
    fit_code: int
    status: int
    message: str
    n_obs: int
    bands: dict[Band, BandParameters] = field(default_factory=dict)
    chi2red: float | None = None
    """Σ((model − data)/σ)² / (N − p − 1)."""
    rms: float | None = None
    """Root mean square of all residuals (mag)."""
    min_phase_deg: float | None = None
    max_phase_deg: float | None = None
    median_error: float | None = None
    """Median photometric error (mag)."""
    R: float | None = None
    """sHG1G2 oblateness (dimensionless, 0.3–1)."""
    R_err: float | None = None
    alpha0_deg: float | None = None
    """sHG1G2 spin-axis right ascension (deg)."""
    alpha0_err_deg: float | None = None
    delta0_deg: float | None = None
    """sHG1G2 spin-axis declination (deg)."""
    delta0_err_deg: float | None = None
    min_cos_lambda: float | None = None
    """sHG1G2 smallest |cosΛ| over the observations."""
    mean_cos_lambda: float | None = None
    max_cos_lambda: float | None = None

    @property
    def ok(self) -> bool:
        """True when the fit succeeded (``fit_code`` 0)."""
        return self.fit_code == FitCode.OK

    def model_curve(
        self,
        phase_deg: npt.ArrayLike | u.Quantity,
        band: Band,
        *,
        ra_deg: npt.ArrayLike | u.Quantity | None = None,
        dec_deg: npt.ArrayLike | u.Quantity | None = None,
    ) -> FloatArray:
        """The fitted model's reduced magnitude in ``band`` at ``phase_deg`` (mag).

        For sHG1G2 the aspect is the target direction (``ra_deg``, ``dec_deg``, deg, same shape
        as ``phase_deg``) when given, otherwise the mean |cosΛ| of the fitted observations;
        other models ignore them. All NaN when the fit failed.

        Raises
        ------
        ValueError
            ``band`` was not fitted, or only one of ``ra_deg``/``dec_deg`` is given.
        """
        phase = _degrees(phase_deg)
        if not self.ok:
            return np.full(phase.shape, np.nan)
        if band not in self.bands:
            raise ValueError(f"band {band!r} was not fitted; fitted bands: {list(self.bands)}")
        p = self.bands[band]
        if self.model is PhaseCurveModel.HG:
            return hg_magnitude(phase, p.H, _given(p.G))
        if self.model is PhaseCurveModel.HG12:
            return hg12_magnitude(phase, p.H, _given(p.G12))
        if self.model is PhaseCurveModel.HG1G2:
            return hg1g2_magnitude(phase, p.H, _given(p.G1), _given(p.G2))
        if (ra_deg is None) != (dec_deg is None):
            raise ValueError("give both ra_deg and dec_deg, or neither")
        R = _given(self.R)
        if ra_deg is None or dec_deg is None:
            cos_lambda = np.full(phase.shape, _given(self.mean_cos_lambda))
        else:
            cos_lambda = cos_aspect(
                ra_deg, dec_deg, _given(self.alpha0_deg), _given(self.delta0_deg)
            )
        return hg1g2_magnitude(phase, p.H, _given(p.G1), _given(p.G2)) + _spin_term(cos_lambda, R)


def _given(value: float | None) -> float:
    assert value is not None, "a successful fit sets every parameter of its model"
    return value


def _degrees(values: npt.ArrayLike | u.Quantity) -> FloatArray:
    if isinstance(values, u.Quantity):
        return np.asarray(values.to_value(u.deg), dtype=np.float64)
    return np.asarray(values, dtype=np.float64)


def reduced_magnitude(
    mag: npt.ArrayLike,
    dobs_au: npt.ArrayLike | u.Quantity,
    dhelio_au: npt.ArrayLike | u.Quantity,
) -> FloatArray:
    """Magnitude reduced to unit distances: mag − 5·log10(Dobs·Dhelio) (mag).

    Parameters
    ----------
    mag
        Apparent magnitude (mag), e.g. ``magpsf``.
    dobs_au, dhelio_au
        Distances to the observer and to the Sun (AU), e.g. Miriade's ``Dobs``/``Dhelio``.
    """
    dobs = dobs_au.to_value(u.au) if isinstance(dobs_au, u.Quantity) else dobs_au
    dhelio = dhelio_au.to_value(u.au) if isinstance(dhelio_au, u.Quantity) else dhelio_au
    distances = np.asarray(dobs, dtype=np.float64) * np.asarray(dhelio, dtype=np.float64)
    return np.asarray(mag, dtype=np.float64) - 5.0 * np.log10(distances)


# --- basis functions (sbpy) and model magnitudes -----------------------------------------------


def _hg_basis(phase_rad: FloatArray) -> FloatArray:
    """Bowell et al. (1989) Φ1, Φ2 (sbpy ``HG._hgphi``), shape (2, N)."""
    return np.stack([HG._hgphi(phase_rad, 1), HG._hgphi(phase_rad, 2)])


def _hg1g2_basis(phase_rad: FloatArray) -> FloatArray:
    """Muinonen et al. (2010) φ1, φ2, φ3 (sbpy's splines, clipped at 0), shape (3, N)."""
    flat = np.ravel(phase_rad)
    basis = np.stack([HG1G2._phi1(flat), HG1G2._phi2(flat), HG1G2._phi3(flat)])
    return basis.reshape((3, *np.shape(phase_rad)))


def _hg_from_basis(basis: FloatArray, H: float, G: float) -> FloatArray:
    # numpy types a row of an array (basis[0]) as Any
    return cast(FloatArray, H - 2.5 * np.log10((1.0 - G) * basis[0] + G * basis[1]))


def _hg1g2_from_basis(basis: FloatArray, H: float, G1: float, G2: float) -> FloatArray:
    # numpy types a row of an array (basis[0]) as Any
    return cast(
        FloatArray, H - 2.5 * np.log10(G1 * basis[0] + G2 * basis[1] + (1.0 - G1 - G2) * basis[2])
    )


def _g1g2_of_g12(G12: float) -> tuple[float, float]:
    """Penttilä et al. (2016) G1, G2 from G12 (sbpy ``HG12_Pen16``)."""
    return float(HG12_Pen16._G12_to_G1(G12)), float(HG12_Pen16._G12_to_G2(G12))


def _spin_term(cos_lambda: npt.ArrayLike, R: float) -> FloatArray:
    return 2.5 * np.log10(1.0 - (1.0 - R) * np.abs(np.asarray(cos_lambda, dtype=np.float64)))


def hg_magnitude(phase_deg: npt.ArrayLike | u.Quantity, H: float, G: float) -> FloatArray:
    """HG reduced magnitude (mag) at phase angles ``phase_deg`` (deg); H in mag."""
    return _hg_from_basis(_hg_basis(np.radians(_degrees(phase_deg))), H, G)


def hg12_magnitude(phase_deg: npt.ArrayLike | u.Quantity, H: float, G12: float) -> FloatArray:
    """HG12 (Penttilä et al. 2016) reduced magnitude (mag) at ``phase_deg`` (deg); H in mag."""
    return hg1g2_magnitude(phase_deg, H, *_g1g2_of_g12(G12))


def hg1g2_magnitude(
    phase_deg: npt.ArrayLike | u.Quantity, H: float, G1: float, G2: float
) -> FloatArray:
    """HG1G2 reduced magnitude (mag) at phase angles ``phase_deg`` (deg); H in mag."""
    return _hg1g2_from_basis(_hg1g2_basis(np.radians(_degrees(phase_deg))), H, G1, G2)


def cos_aspect(
    ra_deg: npt.ArrayLike | u.Quantity,
    dec_deg: npt.ArrayLike | u.Quantity,
    alpha0_deg: float,
    delta0_deg: float,
) -> FloatArray:
    """cosΛ between the target direction (ra, dec) and the spin axis (α0, δ0); all in deg."""
    return _cos_aspect_rad(
        np.radians(_degrees(ra_deg)),
        np.radians(_degrees(dec_deg)),
        np.radians(alpha0_deg),
        np.radians(delta0_deg),
    )


def _cos_aspect_rad(ra: FloatArray, dec: FloatArray, alpha0: float, delta0: float) -> FloatArray:
    # numpy types a ufunc of a float (np.sin(delta0)) as Any
    return cast(
        FloatArray,
        np.sin(dec) * np.sin(delta0) + np.cos(dec) * np.cos(delta0) * np.cos(ra - alpha0),
    )


def shg1g2_magnitude(
    phase_deg: npt.ArrayLike | u.Quantity,
    ra_deg: npt.ArrayLike | u.Quantity,
    dec_deg: npt.ArrayLike | u.Quantity,
    H: float,
    G1: float,
    G2: float,
    R: float,
    alpha0_deg: float,
    delta0_deg: float,
) -> FloatArray:
    """sHG1G2 (Carry et al. 2024) reduced magnitude (mag).

    Parameters
    ----------
    phase_deg, ra_deg, dec_deg
        Phase angle and target direction (deg), one per observation.
    H, G1, G2
        Absolute magnitude (mag) and phase parameters of the band.
    R
        Oblateness (dimensionless).
    alpha0_deg, delta0_deg
        Spin-axis equatorial coordinates (deg).
    """
    cos_lambda = cos_aspect(ra_deg, dec_deg, alpha0_deg, delta0_deg)
    return hg1g2_magnitude(phase_deg, H, G1, G2) + _spin_term(cos_lambda, R)


# --- fitting ------------------------------------------------------------------------------------


def _per_band_model(
    model: PhaseCurveModel, phase_rad: FloatArray
) -> Callable[[FloatArray, FloatArray], FloatArray]:
    """(band parameters, row mask) → model magnitudes, with the basis computed once."""
    if model is PhaseCurveModel.HG:
        hg = _hg_basis(phase_rad)
        return lambda p, rows: _hg_from_basis(hg[:, rows], p[0], p[1])
    g = _hg1g2_basis(phase_rad)
    if model is PhaseCurveModel.HG12:
        return lambda p, rows: _hg1g2_from_basis(g[:, rows], p[0], *_g1g2_of_g12(p[1]))
    return lambda p, rows: _hg1g2_from_basis(g[:, rows], p[0], p[1], p[2])


def _failure(
    model: PhaseCurveModel, code: FitCode, n_obs: int, message: str, status: int = STATUS_NOT_RUN
) -> PhaseCurveFit:
    return PhaseCurveFit(
        model=model, fit_code=int(code), status=status, message=message, n_obs=n_obs
    )


def _model_of(model: PhaseCurveModel | str) -> PhaseCurveModel:
    try:
        return PhaseCurveModel(str(model).upper())
    except ValueError:
        valid = ", ".join(m.value for m in PhaseCurveModel)
        raise ValueError(f"unknown phase-curve model {model!r}; choose among {valid}") from None


def _band_key(value: object) -> Band:
    item = value.item() if isinstance(value, np.generic) else value
    assert isinstance(item, int | str), f"band labels must be ints or strings, got {item!r}"
    return item


def fit_phase_curve(
    phase_deg: npt.ArrayLike | u.Quantity,
    reduced_mag: npt.ArrayLike,
    sigma_mag: npt.ArrayLike,
    band: npt.ArrayLike,
    model: PhaseCurveModel | str,
    *,
    ra_deg: npt.ArrayLike | u.Quantity | None = None,
    dec_deg: npt.ArrayLike | u.Quantity | None = None,
    p0: tuple[float, ...] | list[float] | None = None,
    bounds: Bounds | None = None,
) -> PhaseCurveFit:
    """Fit a phase curve per band, as Fink does (FINK-REFERENCE §9b).

    Parameters
    ----------
    phase_deg
        Phase angle of each observation (deg).
    reduced_mag
        Reduced magnitude (mag), see :func:`reduced_magnitude`.
    sigma_mag
        Photometric 1σ error (mag); only enters χ² and the median error, not the fit.
    band
        Band label of each observation (ZTF ``fid`` or name); H and the G's are fitted per band.
    model
        ``"HG"``, ``"HG12"``, ``"HG1G2"`` or ``"SHG1G2"``.
    ra_deg, dec_deg
        Observed target position (deg); required by sHG1G2, ignored otherwise.
    p0, bounds
        One band's initial guess and (lower, upper) bounds in the order (H, G's) then, for
        sHG1G2, (R, α0 rad, δ0 rad); every band starts from the same values.
        Default :data:`DEFAULT_P0` and :data:`DEFAULT_BOUNDS` (Fink's portal and API).

    Returns
    -------
    PhaseCurveFit
        ``fit_code`` 1 if any input is non-finite or N ≤ p + 1 (p = number of fitted
        parameters), 3 if the optimiser fails, 4 if JᵀJ is singular; never raises for these.

    Raises
    ------
    ValueError
        Unknown model, arrays of different lengths, sHG1G2 without ``ra_deg``/``dec_deg``,
        or ``p0``/``bounds`` of the wrong length or ``p0`` outside ``bounds``.
    """
    kind = _model_of(model)
    phase = np.radians(_degrees(phase_deg)).ravel()
    mag = np.asarray(reduced_mag, dtype=np.float64).ravel()
    sigma = np.asarray(sigma_mag, dtype=np.float64).ravel()
    labels = np.asarray(band).ravel()
    spin = kind is PhaseCurveModel.SHG1G2
    columns = [phase, mag, sigma]
    if spin:
        if ra_deg is None or dec_deg is None:
            raise ValueError("the SHG1G2 model needs ra_deg and dec_deg")
        ra = np.radians(_degrees(ra_deg)).ravel()
        dec = np.radians(_degrees(dec_deg)).ravel()
        columns += [ra, dec]
    if any(c.size != labels.size for c in columns):
        sizes = [c.size for c in [*columns, labels]]
        raise ValueError(f"input arrays must have the same length, got {sizes}")

    start = tuple(float(v) for v in (DEFAULT_P0[kind] if p0 is None else p0))
    low, high = DEFAULT_BOUNDS[kind] if bounds is None else bounds
    n_band = len(_BAND_PARAMETERS[kind])
    n_model = n_band + _N_SHARED.get(kind, 0)
    if not len(start) == len(low) == len(high) == n_model:
        raise ValueError(f"{kind} needs p0 and bounds of {n_model} values, in §9b order")
    if not all(lo <= v <= hi for v, lo, hi in zip(start, low, high, strict=True)):
        raise ValueError(f"p0 {start} lies outside bounds {(low, high)}")

    n_obs = labels.size
    if not all(np.all(np.isfinite(c)) for c in columns):
        return _failure(kind, FitCode.BAD_INPUT, n_obs, "non-finite input (missing ephemerides?)")
    bands = [_band_key(b) for b in np.unique(labels)]
    rows = [labels == b for b in bands]
    n_params = n_band * len(bands) + (n_model - n_band)
    if n_obs <= n_params + 1:
        return _failure(kind, FitCode.BAD_INPUT, n_obs, f"{n_obs} points for {n_params} parameters")

    x0 = np.array(start[:n_band] * len(bands) + start[n_band:])
    lower = np.array(tuple(low[:n_band]) * len(bands) + tuple(low[n_band:]), dtype=np.float64)
    upper = np.array(tuple(high[:n_band]) * len(bands) + tuple(high[n_band:]), dtype=np.float64)
    band_model = _per_band_model(kind, phase)

    def residuals(x: FloatArray) -> FloatArray:
        predicted = np.empty_like(mag)
        for i, mask in enumerate(rows):
            predicted[mask] = band_model(x[i * n_band : (i + 1) * n_band], mask)
        if spin:
            R, alpha0, delta0 = x[-3:]
            predicted += _spin_term(_cos_aspect_rad(ra, dec, alpha0, delta0), R)
        return predicted - mag

    try:
        with np.errstate(invalid="ignore", divide="ignore"):
            result = least_squares(
                residuals, x0, jac="2-point", bounds=(lower, upper), loss="soft_l1"
            )
    except (RuntimeError, ValueError) as error:
        return _failure(kind, FitCode.RUNTIME_ERROR, n_obs, f"least_squares failed: {error}")

    res = np.asarray(result.fun, dtype=np.float64)
    jac = np.asarray(result.jac, dtype=np.float64)
    status = int(result.status)
    try:
        normal = jac.T @ jac
        inverse = np.linalg.pinv(normal) if spin else np.linalg.inv(normal)
    except np.linalg.LinAlgError as error:
        return _failure(kind, FitCode.LINALG_ERROR, n_obs, f"covariance: {error}", status)
    covariance = inverse * np.sum(res**2) / (res.size - n_params)
    with np.errstate(invalid="ignore"):
        errors = np.sqrt(np.diag(covariance))

    x = np.asarray(result.x, dtype=np.float64)
    names = _BAND_PARAMETERS[kind]
    per_band: dict[Band, BandParameters] = {}
    for i, (label, mask) in enumerate(zip(bands, rows, strict=True)):

        def pick(name: str, vector: FloatArray, i: int = i) -> float | None:
            return float(vector[i * n_band + names.index(name)]) if name in names else None

        per_band[label] = BandParameters(
            H=float(x[i * n_band]),
            H_err=float(errors[i * n_band]),
            rms=float(np.sqrt(np.mean(res[mask] ** 2))),
            n_obs=int(mask.sum()),
            median_error=float(np.median(sigma[mask])),
            min_phase_deg=float(np.degrees(phase[mask].min())),
            max_phase_deg=float(np.degrees(phase[mask].max())),
            G=pick("G", x),
            G_err=pick("G", errors),
            G12=pick("G12", x),
            G12_err=pick("G12", errors),
            G1=pick("G1", x),
            G1_err=pick("G1", errors),
            G2=pick("G2", x),
            G2_err=pick("G2", errors),
        )

    fitted = PhaseCurveFit(
        model=kind,
        fit_code=int(FitCode.OK),
        status=status,
        message=str(result.message),
        n_obs=n_obs,
        bands=per_band,
        chi2red=float(np.sum((res / sigma) ** 2) / (res.size - n_params - 1)),
        rms=float(np.sqrt(np.mean(res**2))),
        min_phase_deg=float(np.degrees(phase.min())),
        max_phase_deg=float(np.degrees(phase.max())),
        median_error=float(np.median(sigma)),
    )
    if not spin:
        return fitted
    R, alpha0, delta0 = x[-3:]
    cos_lambda = np.abs(_cos_aspect_rad(ra, dec, alpha0, delta0))
    return replace(
        fitted,
        R=float(R),
        R_err=float(errors[-3]),
        alpha0_deg=float(np.degrees(alpha0)),
        alpha0_err_deg=float(np.degrees(errors[-2])),
        delta0_deg=float(np.degrees(delta0)),
        delta0_err_deg=float(np.degrees(errors[-1])),
        min_cos_lambda=float(cos_lambda.min()),
        mean_cos_lambda=float(cos_lambda.mean()),
        max_cos_lambda=float(cos_lambda.max()),
    )
