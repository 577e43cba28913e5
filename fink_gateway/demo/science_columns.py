"""Fink's scalar science columns of each alert (FINK-REFERENCE §7).

Classifier scores chosen so that Fink's rules (:mod:`fink_gateway.science.classification`) give
each kind its intended label, cross-matches (SIMBAD, Gaia DR3, VSX, TNS), magnitude rates
(mag/day) and tracklet ids.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from astropy.time import Time

from fink_gateway.demo.arrays import F64, I64, Bool, Columns, Index, const, text
from fink_gateway.demo.arrow_schema import FINK_SCALARS
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.epochs import Epochs
from fink_gateway.demo.observing import History, Photometry
from fink_gateway.demo.units import (
    KINDS,
    MAX_SUB,
    VOCAB,
    VOCAB_INDEX,
    K,
    cdsxmatch_codes,
    peak_jd,
)
from fink_gateway.layout.columns import ARROW_TYPES


def _scores(d: Draws, kind: I64, unit: I64, key: I64, ndet: I64, jd: F64, age: F64) -> Columns:
    """Classifier outputs that steer Fink's rules (§7) to each kind's intended label."""
    is_ = {name: kind == K[name] for name in KINDS}
    sn, orphan = is_["sn_ia"] | is_["sn_ii"], is_["orphan"]
    rising = jd < peak_jd(d, unit)
    snn = np.where(ndet >= 2, d.uniform(key, "snn", 0.6, 0.99), d.uniform(key, "snn0", 0.0, 0.4))
    ambiguous = is_["microlensing"] & (d.uniform(unit, "ambiguous") < 0.12)
    low = d.uniform(key, "low_score", 0.0, 0.45)
    kn = np.where(age < 5, d.uniform(key, "rf_kn", 0.55, 0.95), d.uniform(key, "rf_kn0", 0.1, 0.45))
    return {
        "snn_sn_vs_all": np.select(
            [sn, ambiguous, orphan], [snn, d.uniform(key, "snn_amb", 0.55, 0.9), low], 0.0
        ),
        "snn_snia_vs_nonia": np.select(
            [is_["sn_ia"], is_["sn_ii"] | orphan], [snn, d.uniform(key, "snn_ii", 0.05, 0.45)], 0.0
        ),
        "rf_snia_vs_nonia": np.select(
            [is_["sn_ia"] & rising & (ndet <= 20), sn | orphan],
            [d.uniform(key, "rf_ia", 0.55, 0.95), low],
            0.0,
        ),
        "rf_kn_vs_nonkn": np.where(is_["kilonova"], kn, 0.0),
        "mulens": np.where(
            is_["microlensing"] & (ndet >= 3), d.uniform(key, "mulens", 0.55, 0.97), 0.0
        ),
        "roid": np.select([is_["asteroid"], is_["sso_candidate"]], [3, 2], 0),
        "slsn_score": np.where(sn, d.uniform(key, "slsn", 0.0, 0.4), -1.0),
        "anomaly_score": np.minimum(-0.08 + 0.05 * d.normal(key, "anomaly"), 0.05),
        "is_transient": sn | is_["kilonova"] | orphan,
        "gaiaVarFlag": is_["variable"].astype(np.int64),
    }


def _crossmatches(d: Draws, kind: I64, unit: I64, star: Bool, age: F64) -> Columns:
    """SIMBAD, Gaia DR3, VSX and TNS values of each alert."""
    n = len(kind)
    cds = cdsxmatch_codes(d, unit, kind)
    gaia = text(d.integers(unit, "dr3", 10**17, 6 * 10**18))
    variable_type = np.select([cds == VOCAB_INDEX["RRLyr"], cds == VOCAB_INDEX["EB*"]], [1, 2])
    sn = (kind == K["sn_ia"]) | (kind == K["sn_ii"])
    tns = np.where(kind == K["sn_ia"], 0, np.where(d.uniform(unit, "tns_type") < 0.5, 1, 2))
    reported = sn & (d.uniform(unit, "tns") < 0.3) & (age >= 4.0)
    unknown = const("Unknown", n)
    return {
        "cdsxmatch": pa.array(VOCAB).take(pa.array(cds)),
        "DR3Name": pc.if_else(
            pa.array(star), pc.binary_join_element_wise("Gaia DR3 ", gaia, ""), "nan"
        ),
        "Plx": np.where(star, d.uniform(unit, "plx", 0.05, 2.5), np.nan),
        "e_Plx": np.where(star, d.uniform(unit, "e_plx", 0.01, 0.3), np.nan),
        "vsx": pa.array(["Unknown", "RRAB", "EA"]).take(pa.array(variable_type)),
        "gcvs": unknown,
        "x3hsp": unknown,
        "x4lac": unknown,
        "spicy_class": unknown,
        "spicy_id": np.full(n, -1),
        "gaiaClass": unknown,
        "tns": pc.if_else(
            pa.array(reported), pa.array(["SN Ia", "SN II", "SN IIP"]).take(pa.array(tns)), ""
        ),
    }


def _rates(ep: Epochs, ph: Photometry, hist: History) -> Columns:
    """Magnitude rate (mag/day) from the previous epoch, a detection or an upper limit."""
    a = hist.alerts
    prev = a - 1
    has_prev = hist.prv_start < a
    from_upper = has_prev & (ph.status[prev] == 0)
    prev_mag = np.where(from_upper, ph.diffmaglim[prev], ph.magpsf[prev])
    dt = np.where(has_prev, ep.jd[a] - ep.jd[prev], np.nan)
    rate = (ph.magpsf[a] - prev_mag) / dt
    sigma = np.hypot(ph.sigmapsf[a], np.where(from_upper, 0.0, ph.sigmapsf[prev])) / dt
    return {
        "jd_first_real_det": hist.first_valid[a],
        "jdstarthist_dt": hist.first_valid[a] - hist.jdstarthist[a],
        "mag_rate": rate,
        "sigma_rate": sigma,
        "lower_rate": rate - 1.645 * sigma,
        "upper_rate": rate + 1.645 * sigma,
        "delta_time": dt,
        "from_upper": from_upper,
    }


def _tracklets(ep: Epochs, alerts: Index) -> pa.Array:
    """``TRCK_<YYYYMMDD>_<HHMMSS>_00`` of the exposure (astropy UTC; FINK-REFERENCE §5.3)."""
    mask = ep.kind[alerts] == K["tracklet"]
    nulls = pa.nulls(len(alerts), pa.string())
    if not mask.any():
        return nulls
    exposures, inverse = np.unique(ep.jd[alerts][mask], return_inverse=True)
    stamps = np.atleast_1d(Time(exposures, format="jd", scale="utc").strftime("%Y%m%d_%H%M%S"))
    index = np.zeros(len(alerts), dtype=np.int64)
    index[mask] = inverse
    ids = pa.array([f"TRCK_{stamp}_00" for stamp in stamps])
    return pc.if_else(pa.array(mask), ids.take(pa.array(index)), nulls)


def fink_columns(d: Draws, ep: Epochs, ph: Photometry, hist: History) -> dict[str, pa.Array]:
    a = hist.alerts
    kind, unit, key = ep.kind[a], ep.obj[a] // MAX_SUB, ep.key[a]
    age = ep.jd[a] - hist.jdstarthist[a]  # days
    columns: Columns = {
        **_scores(d, kind, unit, key, hist.ndethist[a], ep.jd[a], age),
        **_crossmatches(d, kind, unit, ep.behind[a], age),
        **_rates(ep, ph, hist),
        "nalerthist": hist.nalerthist,
        "tracklet": _tracklets(ep, a),
    }
    out = {}
    for column in FINK_SCALARS:
        values, kind_ = columns[column.name], ARROW_TYPES[column.type]
        if not isinstance(values, pa.Array):
            values = pa.array(np.asarray(values).astype(kind_.to_pandas_dtype()), kind_)
        out[column.name] = values
    return out
