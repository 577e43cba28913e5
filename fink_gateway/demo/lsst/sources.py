"""diaSource and diaForcedSource fields of every visit (the alert's ``diaSource``, the items of
``prvDiaSources`` and ``prvDiaForcedSources``).

Ids as Rubin packs them (:mod:`.ids`); the source number of a unit's sources is its unit
number, so ids are unique while a visit holds each unit once. Fluxes nJy, positions degrees
(astrometric error ≈ 0.7″ / SNR), times MJD TAI. Fields not modelled (second moments,
dipole and trail fits) are null; flags are false.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from fink_gateway.demo.arrays import I64
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.epochs import Visits
from fink_gateway.demo.lsst.ids import DETECTORS, source_ids, visit_ids
from fink_gateway.demo.lsst.layout import Values
from fink_gateway.demo.lsst.lightcurves import BANDS
from fink_gateway.demo.lsst.photometry import Measurement
from fink_gateway.demo.lsst.units import K

MAX_UNITS = 1 << 18
"""Units of one run: a unit's source number is its unit number, forced sources add 2^18."""
_ARCSEC = 1.0 / 3600.0
_PIXEL_ARCSEC = 0.2
_EXTENDEDNESS = {"sn_ia": (0.4, 1.0), "sn_ii": (0.4, 1.0), "orphan": (0.3, 1.0),
                 "agn": (0.2, 0.8), "variable": (0.0, 0.1), "asteroid": (0.0, 0.1)}  # fmt: skip


def detectors(d: Draws, v: Visits) -> I64:
    """The detector each visit's source falls on (the pointing changes between visits)."""
    return d.integers(v.key, "detector", 0, DETECTORS - 1)


def dia_source_ids(d: Draws, v: Visits) -> I64:
    assert np.all(v.unit < MAX_UNITS), "too many units for 18-bit source numbers"
    return source_ids(v.day_obs, v.seq, detectors(d, v), v.unit)


def band_names(band: I64) -> pa.Array:
    return pa.array(list(BANDS)).take(pa.array(band))


def processed_mjd(d: Draws, v: Visits) -> np.ndarray:
    """When Rubin's pipeline processed the visit (1–4 min after its midpoint), MJD TAI."""
    return v.mjd + d.uniform(v.key, "processing", 60.0, 240.0) / 86400.0


def dia_source_values(
    d: Draws, v: Visits, m: Measurement, object_ids: I64, ss_object_ids: I64
) -> Values:
    """Every visit's diaSource fields (ids, position, photometry, quality)."""
    key = v.key
    snr = np.abs(m.psf_flux) / m.psf_flux_err
    error_arcsec = np.maximum(0.7 / np.maximum(snr, 1.0), 0.01)
    error = error_arcsec * _ARCSEC
    cos_dec = np.cos(np.radians(v.dec))
    extendedness = np.zeros(len(key))
    for kind, (low, high) in _EXTENDEDNESS.items():
        extendedness = np.where(v.kind == K[kind], d.uniform(key, "ext", low, high), extendedness)
    ndata = d.integers(key, "ndata", 400, 1700)
    return {
        "diaSourceId": dia_source_ids(d, v),
        "visit": visit_ids(v.day_obs, v.seq),
        "detector": detectors(d, v),
        "diaObjectId": object_ids,
        "ssObjectId": ss_object_ids,
        "parentDiaSourceId": np.zeros(len(key), dtype=np.int64),
        "midpointMjdTai": v.mjd,
        "ra": (v.ra + error * d.normal(key, "dra") / cos_dec) % 360.0,
        "raErr": error,
        "dec": v.dec + error * d.normal(key, "ddec"),
        "decErr": error,
        "x": d.uniform(key, "x", 20.0, 4050.0),
        "xErr": error_arcsec / _PIXEL_ARCSEC,
        "y": d.uniform(key, "y", 20.0, 3980.0),
        "yErr": error_arcsec / _PIXEL_ARCSEC,
        "apFlux": m.psf_flux * d.uniform(key, "aperture", 0.95, 1.05),
        "apFluxErr": 1.2 * m.psf_flux_err,
        "isNegative": m.psf_flux < 0,
        "snr": snr,
        "psfFlux": m.psf_flux,
        "psfFluxErr": m.psf_flux_err,
        "psfChi2": ndata * d.uniform(key, "chi2", 0.9, 1.3),
        "psfNdata": ndata,
        "scienceFlux": m.science_flux,
        "scienceFluxErr": m.science_flux_err,
        "templateFlux": m.template_flux,
        "templateFluxErr": m.template_flux_err,
        "extendedness": extendedness,
        "reliability": d.uniform(key, "reliability", 0.55, 1.0),
        "band": band_names(v.band),
        "timeProcessedMjdTai": processed_mjd(d, v),
        "bboxSize": d.integers(key, "bbox", 15, 40),
    }


def forced_source_values(d: Draws, v: Visits, m: Measurement, object_ids: I64) -> Values:
    """Every visit's forced measurement at its object's position (difference image)."""
    forced_numbers = MAX_UNITS + v.unit
    return {
        "diaForcedSourceId": source_ids(v.day_obs, v.seq, detectors(d, v), forced_numbers),
        "diaObjectId": object_ids,
        "ra": v.ra,
        "dec": v.dec,
        "visit": visit_ids(v.day_obs, v.seq),
        "detector": detectors(d, v),
        "psfFlux": m.forced_flux,
        "psfFluxErr": m.psf_flux_err,
        "midpointMjdTai": v.mjd,
        "scienceFlux": m.science_flux,
        "scienceFluxErr": m.science_flux_err,
        "band": band_names(v.band),
        "timeProcessedMjdTai": processed_mjd(d, v),
    }
