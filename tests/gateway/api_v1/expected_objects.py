"""What Fink's ``/api/v1/objects`` answers for the samples, built here from the parquet files
with FINK-REFERENCE's rules, independently of the gateway's ingest and read paths:

* §1.1: an alert enters Fink when ``nbad == 0 and rb >= 0.55 and fid != 3``; one row per
  (objectId, jd);
* §1.2: the ``i:`` columns are the candidate's fields (and the root's), typed as listed
  there; a ``d:`` column missing from a file, or null, takes Fink's default (the gateway's
  ingest fills Fink's defaults in both cases; a NaN stays, and reads as null);
* §2: a float32 column reads as the float64 of its shortest text (18.812384f → 18.812384);
* §6: upper limits and bad-quality points (``withupperlim``), tagged, ``i:candid`` -1;
* §8: ``v:lastdate``/``v:firstdate`` (astropy ISO), ``v:lapse``, ``v:constellation``;
* §7: ``v:classification`` (Fink's rules as ``tests/schema/test_objects.py`` applies them).
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from astropy.coordinates import SkyCoord, get_constellation
from astropy.time import Time

from fink_gateway.science.classification import classify
from tests.data_paths import SCIENCE_FILES, classification_frame
from tests.schema.test_objects import _is_bad, _is_upper

DOUBLE = "ra dec ranr decnr jd jdstarthist jdendhist jdstartref jdendref scorr".split()
INTEGER = ("fid field nbad ncovhist ndethist nframesref nid nmatches nmtchps nneg programid "
           "rcid tooflag").split()  # fmt: skip
LONG = "pid rfid tblid objectidps1 objectidps2 objectidps3".split()
STRING = "isdiffpos ssnamenr pdiffimfilename programpi rbversion drbversion".split()
FLOAT = (
    "aimage aimagerat bimage bimagerat chinr chipsf classtar clrcoeff clrcounc clrmed clrrms "
    "diffmaglim distnr distpsnr1 distpsnr2 distpsnr3 drb dsdiff dsnrms elong exptime fwhm magap "
    "magapbig magdiff magfromlim maggaia maggaiabright magnr magpsf magzpsci magzpscirms "
    "magzpsciunc mindtoedge neargaia neargaiabright rb seeratio sgmag1 sgmag2 sgmag3 sgscore1 "
    "sgscore2 sgscore3 sharpnr sigmagap sigmagapbig sigmagnr sigmapsf simag1 simag2 simag3 sky "
    "srmag1 srmag2 srmag3 ssdistnr ssmagnr ssnrms sumrat szmag1 szmag2 szmag3 xpos ypos zpclrcov "
    "zpmed"
).split()
"""FINK-REFERENCE §1.2, the candidate columns by stored type."""

FINK_DEFAULTS: dict[str, tuple[str, object]] = {
    "DR3Name": ("string", "Unknown"), "cdsxmatch": ("string", "Unknown"),
    "gcvs": ("string", "Unknown"), "vsx": ("string", "Unknown"), "x3hsp": ("string", "Unknown"),
    "x4lac": ("string", "Unknown"), "spicy_class": ("string", "Unknown"),
    "tns": ("string", ""), "gaiaClass": ("string", "Unknown"), "tracklet": ("string", ""),
    "Plx": ("float", 0.0), "e_Plx": ("float", 0.0), "slsn_score": ("float", -1.0),
    "anomaly_score": ("double", 0.0), "rf_kn_vs_nonkn": ("double", 0.0),
    "rf_snia_vs_nonia": ("double", 0.0), "snn_sn_vs_all": ("double", 0.0),
    "snn_snia_vs_nonia": ("double", 0.0), "jd_first_real_det": ("double", 0.0),
    "jdstarthist_dt": ("double", 0.0), "mag_rate": ("double", 0.0), "sigma_rate": ("double", 0.0),
    "lower_rate": ("double", 0.0), "upper_rate": ("double", 0.0), "delta_time": ("double", 0.0),
    "nalerthist": ("integer", 0), "roid": ("integer", 0), "spicy_id": ("integer", -1),
    "gaiaVarFlag": ("integer", 0), "from_upper": ("boolean", False),
    "is_transient": ("boolean", False),
}  # fmt: skip
"""FINK-REFERENCE §1.2, the scalar ``d:`` columns and their defaults (``mulens``, the
struct-valued ``mangrove``, ``blazar_stats`` and ``lc_features_*`` are left out)."""


def f32(value: Any) -> float | None:
    """§2: the float64 Fink's API gives a float32 cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(str(np.float32(value)))


def _typed(value: Any, type_: str) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type_ == "float":
        return f32(value)
    if type_ == "double":
        return float(value)
    if type_ in ("integer", "long"):
        return int(value)
    if type_ == "boolean":
        return bool(value)
    return str(value)


def _iso(jd: float | None) -> str | None:
    return None if jd is None else str(Time(jd, format="jd", scale="utc").iso)


def _valid_row(alert: Mapping[str, Any], names: set[str], label: str) -> dict[str, Any]:
    c = alert["candidate"]
    row: dict[str, Any] = {"i:objectId": alert["objectId"], "i:candid": int(alert["candid"]),
                           "d:tag": "valid", "v:classification": label}  # fmt: skip
    for name in ("publisher", "schemavsn", "fink_broker_version", "fink_science_version"):
        row[f"i:{name}"] = _typed(alert.get(name), "string")
    for type_, group in (("double", DOUBLE), ("integer", INTEGER), ("long", LONG),
                         ("string", STRING), ("float", FLOAT)):  # fmt: skip
        for name in group:
            row[f"i:{name}"] = _typed(c.get(name), type_)
    for name, (type_, default) in FINK_DEFAULTS.items():
        value = alert.get(name) if name in names else None
        row[f"d:{name}"] = default if value is None else _typed(value, type_)  # NaN: null
    row["v:lastdate"] = _iso(row["i:jd"])
    row["v:firstdate"] = _iso(row["i:jdstarthist"])
    row["v:lapse"] = row["i:jd"] - row["i:jdstarthist"]
    return row


def _history_row(oid: str, entry: Mapping[str, Any], tag: str) -> dict[str, Any]:
    row: dict[str, Any] = {"i:objectId": oid, "i:candid": -1, "d:tag": tag,
                           "i:jd": float(entry["jd"]), "i:fid": int(entry["fid"]),
                           "i:diffmaglim": f32(entry["diffmaglim"])}  # fmt: skip
    if tag == "badquality":
        for name in ("magpsf", "sigmapsf", "magnr", "sigmagnr", "distnr"):
            row[f"i:{name}"] = f32(entry.get(name))
        row["i:isdiffpos"] = entry.get("isdiffpos")
    return row


@functools.cache
def expected_points() -> dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """objectId → (valid rows, upper-limit and bad-quality rows)."""
    valid: dict[str, dict[float, dict[str, Any]]] = defaultdict(dict)
    upper: dict[str, dict[float, dict[str, Any]]] = defaultdict(dict)
    bad: dict[str, dict[float, dict[str, Any]]] = defaultdict(dict)
    for path in SCIENCE_FILES:
        table = pq.read_table(path)
        names = set(table.column_names)
        labels = classify(classification_frame(table))
        for alert, label in zip(table.to_pylist(), labels, strict=True):
            c, oid = alert["candidate"], alert["objectId"]
            if not (c["nbad"] == 0 and c["rb"] >= 0.55 and c["fid"] != 3):
                continue
            valid[oid][c["jd"]] = _valid_row(alert, names, str(label))
            history = [e for e in alert["prv_candidates"] or [] if e["jd"] is not None]
            if history and _is_upper(history[-1]):
                upper[oid].update((e["jd"], _history_row(oid, e, "upperlim"))
                                  for e in history if _is_upper(e))  # fmt: skip
            if history and _is_bad(history[-1]):
                bad[oid].update((e["jd"], _history_row(oid, e, "badquality"))
                                for e in history if _is_bad(e))  # fmt: skip
    out = {}
    for oid, rows in valid.items():
        limits = [*upper[oid].values(), *(r for jd, r in bad[oid].items() if jd not in rows)]
        out[oid] = (list(rows.values()), limits)
    return out


def expected_frame(object_ids: list[str], with_upper: bool) -> pd.DataFrame:
    """Fink's rows for these objects, newest first (ties: valid before limits)."""
    rows: list[dict[str, Any]] = []
    for oid in object_ids:
        valid, limits = expected_points()[oid]
        rows += valid + (limits if with_upper else [])
    frame = pd.DataFrame(rows, dtype=object)  # exact 64-bit ids beside nulls
    known = frame["d:tag"] == "valid"
    names = np.full(len(frame), None, dtype=object)
    coords = SkyCoord(frame.loc[known, "i:ra"].to_numpy(), frame.loc[known, "i:dec"].to_numpy(),
                      unit="deg")  # fmt: skip
    names[known.to_numpy()] = get_constellation(coords)
    frame["v:constellation"] = names
    if not with_upper:
        frame = frame.drop(columns=["d:tag"])
    return frame
