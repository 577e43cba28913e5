"""diaObject fields of each alert: the object as Rubin knew it when it sent the alert.

Its position is the mean of its sources' positions so far; per band, the number, mean,
spread, extremes and mean error of its sources' difference fluxes and the mean science flux
(nJy), over its sources up to and including the alert's; ``nDiaSources`` counts them all.
"""

from __future__ import annotations

import numpy as np

from fink_gateway.demo.arrays import F64, I64
from fink_gateway.demo.lsst.epochs import Visits
from fink_gateway.demo.lsst.layout import Values
from fink_gateway.demo.lsst.lightcurves import BANDS
from fink_gateway.demo.lsst.photometry import History, Measurement


class _Windows:
    """Sums over each alert's sources so far: sources ``first … rank`` of ``sources``."""

    def __init__(self, h: History, v: Visits) -> None:
        self.end = h.source_rank + 1
        self.start = h.source_rank - h.prv_lengths
        unit = v.unit[h.sources]
        self.group = np.concatenate([[0], np.cumsum(unit[1:] != unit[:-1])])

    def total(self, values: F64) -> F64:
        cumulative = np.concatenate([[0.0], np.cumsum(values)])
        result: F64 = cumulative[self.end] - cumulative[self.start]
        return result

    def running_max(self, values: F64, mask: np.ndarray) -> F64:
        """Largest of ``values`` where ``mask`` holds, over each window (junk where none)."""
        span = 4.0 * float(np.max(np.abs(values), initial=1.0)) + 1.0
        lifted = np.where(mask, values, -np.inf) + self.group * span
        result: F64 = np.maximum.accumulate(lifted)[self.end - 1] - self.group[self.end - 1] * span
        return result


def dia_object_values(
    v: Visits, m: Measurement, h: History, source_ra: F64, source_dec: F64, object_ids: I64
) -> Values:
    """Every alert's diaObject fields (meaningless, and nulled, for Solar System alerts)."""
    w = _Windows(h, v)
    s, a = h.sources, h.alerts
    count = w.total(np.ones(len(s)))
    cos_dec = np.cos(np.radians(v.dec[s]))
    dra = ((source_ra[s] - v.ra[s] + 180.0) % 360.0 - 180.0) * cos_dec
    ddec = source_dec[s] - v.dec[s]
    dec = v.dec[a] + w.total(ddec) / count
    out: Values = {
        "diaObjectId": object_ids[a],
        "validityStartMjdTai": v.mjd[a],
        "ra": (v.ra[a] + w.total(dra) / count / np.cos(np.radians(dec))) % 360.0,
        "raErr": w.total(0.7 / 3600.0 * m.psf_flux_err[s] / np.abs(m.psf_flux[s])) / count**1.5,
        "dec": dec,
        "firstDiaSourceMjdTai": v.mjd[h.first],
        "lastDiaSourceMjdTai": v.mjd[a],
        "nDiaSources": h.n_sources,
    }
    out["decErr"] = out["raErr"]
    flux, error = m.psf_flux[s], m.psf_flux_err[s]
    science, science_error = m.science_flux[s], m.science_flux_err[s]
    for index, band in enumerate(BANDS):
        mask = v.band[s] == index
        n = w.total(mask.astype(np.float64))
        with np.errstate(invalid="ignore", divide="ignore"):
            none = np.where(n > 0, 1.0, np.nan)
            mean = w.total(np.where(mask, flux, 0.0)) / n * none
            square = w.total(np.where(mask, flux**2, 0.0)) / n * none
            variance = w.total(np.where(mask, error**2, 0.0)) / n**2 * none
            science_mean = w.total(np.where(mask, science, 0.0)) / n * none
            science_var = w.total(np.where(mask, science_error**2, 0.0)) / n**2 * none
            out |= {
                f"{band}_psfFluxMean": mean,
                f"{band}_psfFluxMeanErr": np.sqrt(variance),
                f"{band}_psfFluxSigma": np.sqrt(np.maximum(square - mean**2, 0.0)),
                f"{band}_psfFluxNdata": n.astype(np.int64),
                f"{band}_psfFluxMin": -w.running_max(-flux, mask) * none,
                f"{band}_psfFluxMax": w.running_max(flux, mask) * none,
                f"{band}_psfFluxErrMean": w.total(np.where(mask, error, 0.0)) / n * none,
                f"{band}_scienceFluxMean": science_mean,
                f"{band}_scienceFluxMeanErr": np.sqrt(science_var),
            }
    return out
