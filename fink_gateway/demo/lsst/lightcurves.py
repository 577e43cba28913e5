"""True brightness of static LSST demo units: science-image and template fluxes in nJy.

Magnitudes are AB, fluxes nJy (m = 31.4 − 2.5 log10 f), times MJD (TAI), bands indexed into
``BANDS``. A supernova sits on its host galaxy (the template holds the host); a variable star
or an AGN is in the template at its mean brightness, so its difference flux changes sign; an
orphan is a short, faint transient on a faint host.
"""

from __future__ import annotations

import numpy as np

from fink_gateway.demo.arrays import F64, I64
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.layout import MJD_END, MJD_START

BANDS = "ugrizy"
_SN_IA_PEAK = np.array([0.9, 0.15, 0.0, 0.35, 0.45, 0.55])  # mag relative to r at peak
_SN_IA_FADE = np.array([0.06, 0.045, 0.02, 0.01, 0.015, 0.015])  # mag/day after peak
_SN_II_PEAK = np.array([0.3, 0.0, 0.0, 0.1, 0.2, 0.3])
_SN_II_FADE = np.array([0.05, 0.03, 0.012, 0.008, 0.008, 0.008])
_HOST = np.array([1.2, 0.6, 0.0, -0.3, -0.45, -0.55])  # a red galaxy's colours
_STAR = np.array([1.2, 0.3, 0.0, -0.1, -0.15, -0.2])  # an A/F star (RR Lyrae)
_QSO = np.array([0.3, 0.2, 0.0, -0.1, -0.2, -0.25])
_FLAT = np.array([0.4, 0.1, 0.0, 0.1, 0.2, 0.3])
_PULSATION = np.array([1.4, 1.25, 1.0, 0.85, 0.75, 0.7])  # amplitude ratio to r


def njy(mag: F64) -> F64:
    """Flux (nJy) of an AB magnitude; 0 for +inf."""
    with np.errstate(over="ignore"):
        return 10.0 ** ((31.4 - np.asarray(mag, dtype=np.float64)) / 2.5)


def peak_mjd(d: Draws, units: I64) -> F64:
    """Peak time of a supernova (MJD TAI)."""
    return d.uniform(units, "lsst_peak", MJD_START + 15.0, MJD_END - 25.0)


def period_days(d: Draws, units: I64) -> F64:
    """Period of a variable (days): RR Lyrae 0.3–0.9 d, eclipsing binaries 0.5–5 d."""
    rr = d.uniform(units, "lsst_period", 0.3, 0.9)
    eb = np.exp(d.uniform(units, "lsst_period_eb", np.log(0.5), np.log(5.0)))
    return np.where(is_eclipsing(d, units), eb, rr)


def is_eclipsing(d: Draws, units: I64) -> np.ndarray:
    return np.asarray(d.uniform(units, "lsst_eb") < 0.3)


def _bazin(t: F64, peak: F64, rise: F64, fall: F64) -> F64:
    """Bazin et al. (2009) flux shape, 1 at ``peak`` (days)."""
    t0 = peak - rise * np.log(fall / rise - 1.0)

    def shape(x: F64) -> F64:
        with np.errstate(over="ignore"):
            return np.exp(-(x - t0) / fall) / (1.0 + np.exp(-(x - t0) / rise))

    return shape(t) / shape(peak)


def _supernova(d: Draws, u: I64, t: F64, band: I64, ia: bool) -> tuple[F64, F64]:
    rise = d.uniform(u, "rise", 2.5, 4.0) if ia else d.uniform(u, "rise", 3.0, 6.0)
    fall = d.uniform(u, "fall", 20.0, 30.0) if ia else d.uniform(u, "fall", 60.0, 110.0)
    peak = peak_mjd(d, u)
    offset, fade = (_SN_IA_PEAK, _SN_IA_FADE) if ia else (_SN_II_PEAK, _SN_II_FADE)
    peak_mag = d.uniform(u, "peak_mag", 20.5, 23.2) if ia else d.uniform(u, "peak_mag", 20.8, 23.0)
    colour = offset[band] + fade[band] * np.maximum(t - peak, 0.0)
    sn = njy(peak_mag + colour) * _bazin(t, peak, rise, fall)
    host = njy(d.uniform(u, "host", 21.5, 24.5) + _HOST[band])
    return host + sn, host


def _variable(d: Draws, u: I64, t: F64, band: I64) -> tuple[F64, F64]:
    phase = (t / period_days(d, u) + d.uniform(u, "phase")) % 1.0
    amplitude = d.uniform(u, "amp", 0.3, 0.9) * _PULSATION[band]
    pulsing = 0.5 * (np.sin(2 * np.pi * phase) + 0.25 * np.sin(4 * np.pi * phase + 1.0))
    dips = np.exp(-(((phase + 0.5) % 1.0 - 0.5) / 0.05) ** 2)
    dips += 0.5 * np.exp(-((phase - 0.5) / 0.05) ** 2)
    shape = np.where(is_eclipsing(d, u), dips - 0.1, pulsing)  # mean about 0
    mean = d.uniform(u, "mean", 17.5, 20.5) + _STAR[band]
    return njy(mean + amplitude * shape), njy(mean)


def _agn(d: Draws, u: I64, t: F64, band: I64) -> tuple[F64, F64]:
    wiggle = np.zeros_like(t)
    for j in range(3):
        period = d.uniform(u, f"agn_p{j}", 20.0, 300.0)
        wiggle += np.sin(2 * np.pi * t / period + d.uniform(u, f"agn_phi{j}", 0.0, 2 * np.pi))
    amplitude = d.uniform(u, "agn_amp", 0.1, 0.3) * _PULSATION[band]
    mean = d.uniform(u, "mean", 19.5, 21.8) + _QSO[band]
    return njy(mean + amplitude * wiggle / 1.5), njy(mean)


def _orphan(d: Draws, u: I64, t: F64, band: I64, key: I64) -> tuple[F64, F64]:
    mag = d.uniform(u, "peak_mag", 21.0, 22.8) + _FLAT[band] + 0.1 * d.normal(key, "wiggle")
    host = njy(d.uniform(u, "host", 23.0, 25.5) + _HOST[band])
    return host + njy(mag), host


def static_fluxes(
    d: Draws, kind: str, units: I64, mjd: F64, band: I64, key: I64
) -> tuple[F64, F64]:
    """(science flux, template flux) in nJy of static units of one kind at each visit."""
    if kind in ("sn_ia", "sn_ii"):
        return _supernova(d, units, mjd, band, kind == "sn_ia")
    if kind == "variable":
        return _variable(d, units, mjd, band)
    if kind == "agn":
        return _agn(d, units, mjd, band)
    return _orphan(d, units, mjd, band, key)
