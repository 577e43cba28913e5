"""Fink's columns of each alert (``fink_broker/rubin/science.py``): ``xm`` cross-matches,
``clf`` classifier scores, ``pred`` predictions and ``misc``.

Chosen so that Fink's rules (docs/fink-lsst.md §5) give each kind what it is: variable stars
are SIMBAD ``RRLyr``/``EB*``/``V*`` with a Gaia DR3 counterpart, AGN ``QSO``/``Seyfert1``/
``AGN``, so both are catalogued; transients have no SIMBAD match (now and then a ``Fail`` of
the service) and a host photometric redshift, and some supernovae a TNS name after a few
days. CATS gives −1 to single-point alerts, 11 (SN-like), 12 (fast), 21 (periodic) or 22
(non-periodic) otherwise. ``pred`` and ``misc`` are computed with science.py's expressions
(the gateway's ingest computes them again from the other columns).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.demo.arrays import F64, I64, Bool, text
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.lsst.layout import Values
from fink_gateway.demo.lsst.lightcurves import is_eclipsing, peak_mjd
from fink_gateway.demo.lsst.units import K

_CATS = {"sn_ia": 11, "sn_ii": 11, "orphan": 12, "variable": 21, "agn": 22, "asteroid": -1}
_AGN_LABELS = ("QSO", "Seyfert1", "AGN")


def _labels(values: list[str], picks: I64) -> pa.Array:
    return pa.array(values).take(pa.array(picks))


def _where(mask: Bool, values: pa.Array | str) -> pa.Array:
    """``values`` where ``mask`` holds, else null (text)."""
    return pc.if_else(pa.array(mask), values, pa.scalar(None, pa.string()))


def _tns_names(units: I64, first_mjd: F64, classified: Bool) -> pa.Array:
    """``SN 2025abc`` (classified) or ``AT 2025abc``: year of discovery, 3 letters."""
    year = (first_mjd - 40587).astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    letters = np.array([
        "".join(chr(97 + (u // 26**p) % 26) for p in (2, 1, 0)) for u in units.tolist()
    ], dtype=object)  # fmt: skip
    prefix = pa.array(np.where(classified, "SN ", "AT ").tolist())
    return pc.binary_join_element_wise(prefix, text(year), pa.array(letters.tolist()), "")


def crossmatches(
    d: Draws, kind: I64, unit: I64, key: I64, age_days: F64, first_mjd: F64
) -> Values:
    """``xm`` fields of each alert (the others are null)."""
    is_ = {name: kind == code for name, code in K.items()}
    sn = is_["sn_ia"] | is_["sn_ii"]
    transient = sn | is_["orphan"]
    eclipsing = is_eclipsing(d, unit)
    star = is_["variable"]
    stars = np.where(eclipsing, 1, np.where(d.uniform(unit, "rr_label") < 0.8, 0, 2))
    star_labels = _labels(["RRLyr", "EB*", "V*"], stars)
    agn_labels = _labels(list(_AGN_LABELS), d.choice(unit, "agn_label", (0.6, 0.2, 0.2)))
    failed = transient & (d.uniform(key, "cds_fail") < 0.04)
    simbad = pc.if_else(pa.array(star), star_labels,
                        pc.if_else(pa.array(is_["agn"]), agn_labels, _where(failed, "Fail")))
    gaia = text(d.integers(unit, "dr3", 10**18, 6 * 10**18))
    reported = sn & (d.uniform(unit, "tns") < 0.4) & (age_days >= 3.0)
    classified = reported & (d.uniform(unit, "tns_class") < 0.7)
    tns_type = np.where(is_["sn_ia"], 0, np.where(d.uniform(unit, "tns_ii") < 0.5, 1, 2))
    redshift = d.uniform(unit, "redshift", 0.02, 0.15)
    host_z = np.where(is_["agn"], d.uniform(unit, "zphot_agn", 0.5, 2.5),
                      redshift + 0.03 * d.normal(unit, "zphot"))  # fmt: skip
    has_host = transient | is_["agn"]
    return {
        "simbad_otype": simbad,
        "gaiadr3_DR3Name": _where(star, pc.binary_join_element_wise("Gaia DR3 ", gaia, "")),
        "gaiadr3_Plx": np.where(star, d.uniform(unit, "plx", 0.05, 2.0), np.nan),
        "gaiadr3_e_Plx": np.where(star, d.uniform(unit, "e_plx", 0.02, 0.3), np.nan),
        "gaiadr3_VarFlag": (star & (d.uniform(unit, "varflag") < 0.7)).astype(np.int32),
        "legacydr8_zphot": np.where(has_host, np.abs(host_z), np.nan),
        "legacydr8_e_zphot": np.where(has_host, d.uniform(unit, "e_zphot", 0.02, 0.1), np.nan),
        "legacydr8_pstar": np.where(has_host | star, np.where(star, 0.95, 0.05), np.nan),
        "legacydr8_fqual": np.where(has_host | star, 1.0, np.nan),
        "tns_fullname": _where(reported, _tns_names(unit, first_mjd, classified)),
        "tns_type": _where(classified, _labels(["SN Ia", "SN II", "SN IIP"], tns_type)),
        "tns_redshift": np.where(classified, redshift, np.nan),
        "vsx_Type": _where(star, _labels(["RRAB", "EA"], eclipsing.astype(np.int64))),
    }


def classifiers(
    d: Draws, kind: I64, unit: I64, key: I64, n_sources: I64, mjd: F64, catalogued: Bool
) -> Values:
    """``clf`` fields of each alert."""
    is_ = {name: kind == code for name, code in K.items()}
    sn = is_["sn_ia"] | is_["sn_ii"]
    single = n_sources <= 1
    cats = np.select([kind == K[name] for name in _CATS], list(_CATS.values()))
    cats = np.where(single, -1, cats)
    snn = np.select(
        [sn & ~single, sn, is_["asteroid"]],
        [d.uniform(key, "snn", 0.6, 0.99), d.uniform(key, "snn1", 0.3, 0.7),
         d.uniform(key, "snn_sso", 0.0, 0.2)],
        d.uniform(key, "snn0", 0.0, 0.4),
    )  # fmt: skip
    early = is_["sn_ia"] & (mjd < peak_mjd(d, unit)) & (n_sources >= 3)
    hostless = (sn | is_["orphan"]) & ~catalogued
    return {
        "snnSnVsOthers_score": snn,
        "cats_class": cats.astype(np.int32),
        "cats_score": np.where(cats == -1, 0.0, d.uniform(key, "cats", 0.5, 0.98)),
        "earlySNIa_score": np.where(early, d.uniform(key, "early", 0.55, 0.95), 0.0),
        "elephant_kstest_science": np.where(hostless, d.uniform(key, "ks_sci"), np.nan),
        "elephant_kstest_template": np.where(hostless, d.uniform(key, "ks_tpl"), np.nan),
    }


def is_catalogued(simbad: pa.Array, dr3_name: pa.Array) -> Bool:
    """Fink's ``is_cataloged``: a SIMBAD or Gaia DR3 match that is not ``Fail``."""

    def known(array: pa.Array) -> pa.Array:
        return pc.and_kleene(pc.is_valid(array), pc.not_equal(array, "Fail"))

    result = pc.or_kleene(known(simbad), known(dr3_name)).fill_null(False)
    return np.asarray(result.to_numpy(zero_copy_only=False), dtype=bool)
