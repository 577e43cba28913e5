"""ZTF candidate fields of every epoch (the ``candidate`` and ``prv_candidates`` values).

Geometry on a simple ZTF-like field grid, photometry and PSF shape (mag, pixels), zero points,
reference-image, PS1 and Gaia neighbours (mag, arcsec), ids and history counters. Values not
modelled are plausible draws.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.demo.arrays import I64, Bool, Columns, Index, const, text, unix_seconds
from fink_gateway.demo.arrow_schema import FIELD_TYPES
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.epochs import Epochs
from fink_gateway.demo.observing import History, Photometry
from fink_gateway.demo.units import MAX_SUB, TRANSIENTS, K, asteroid_names


def geometry_columns(ep: Epochs) -> Columns:
    """Field, readout channel, pixel position and exposure ids on a simple ZTF-like grid."""
    zone, across = (ep.dec + 30.0) / 7.2, ep.ra / 7.3
    field = 245 + np.floor(zone).astype(np.int64) * 50 + np.floor(across).astype(np.int64) % 50
    fx, fy = (across % 1.0) * 8.0, (zone % 1.0) * 8.0
    rcid = (np.floor(fy) * 8 + np.floor(fx)).astype(np.int64)
    xpos, ypos = 5.0 + (fx % 1.0) * 3062.0, 5.0 + (fy % 1.0) * 3070.0
    nid = np.floor(ep.jd - 2457754.5).astype(np.int64)  # nights since 2017-01-01
    frac = np.floor(((ep.jd + 0.5) % 1.0) * 1e6).astype(np.int64)
    stamp = pa.array(unix_seconds(ep.jd), pa.timestamp("s"))
    day = pc.strftime(stamp, format="%Y%m%d")
    name = pc.binary_join_element_wise(
        "ztf_", day, text(frac, 6), "_", text(field, 6), "_",
        pa.array(["zg", "zr"]).take(pa.array(ep.fid - 1)), "_c", text(rcid // 4 + 1, 2),
        "_o_q", text(rcid % 4 + 1), "_scimrefdiffimg.fits", "",
    )  # fmt: skip
    path = pc.binary_join_element_wise(
        "/ztf/archive/sci/", pc.utf8_slice_codeunits(day, 0, 4), "/",
        pc.utf8_slice_codeunits(day, 4, 8), "/", text(frac, 6), "/", name, ".fz", "",
    )  # fmt: skip
    return {
        "field": field,
        "rcid": rcid,
        "xpos": xpos,
        "ypos": ypos,
        "mindtoedge": np.minimum.reduce([xpos, ypos, 3072.0 - xpos, 3080.0 - ypos]),
        "nid": nid,
        "pid": nid * 10**9 + frac * 1000 + 100 + rcid,
        "pdiffimfilename": name,
        "pdiffimfilename#prv": path,
        "rfid": field * 1_000_000 + 120_000 + ep.fid * 100 + rcid,
    }


def measurement_columns(d: Draws, ep: Epochs, ph: Photometry) -> Columns:
    """Photometry, PSF shape and quality scores of each epoch (mag, pixels)."""
    key = ep.key
    magap = ph.magpsf + 0.02 * d.normal(key, "magap")
    sigmagap = ph.sigmapsf * 1.2 + 0.005
    fwhm = d.uniform(key, "fwhm", 1.6, 3.6)
    aimage = fwhm * d.uniform(key, "aimage", 0.25, 0.45)
    bimage = aimage * d.uniform(key, "bimage", 0.7, 1.0)
    snr = 5.0 * 10.0 ** (0.4 * (ph.diffmaglim - np.nan_to_num(ph.magpsf, nan=99.0)))
    kind_floor = np.select(
        [ep.behind, np.isin(ep.kind, [K[k] for k in TRANSIENTS]), ep.kind == K["orphan"]],
        [0.6, 0.45, 0.3],
        0.8,
    )
    drb_floor = np.where(ep.kind == K["orphan"], 0.2, 0.75)
    dsnrms = d.uniform(key, "dsnrms", 3.0, 12.0)
    ssnrms = d.uniform(key, "ssnrms", 5.0, 25.0)
    return {
        "jd": ep.jd,
        "fid": ep.fid,
        "diffmaglim": ph.diffmaglim,
        "isdiffpos": pa.array(["f", "t"]).take(pa.array(ph.positive.astype(np.int64))),
        "ra": ep.ra,
        "dec": ep.dec,
        "magpsf": ph.magpsf,
        "sigmapsf": ph.sigmapsf,
        "chipsf": d.uniform(key, "chipsf", 0.3, 4.0),
        "magap": magap,
        "sigmagap": sigmagap,
        "magapbig": magap - d.uniform(key, "big", 0.0, 0.12),
        "sigmagapbig": sigmagap * 1.1,
        "magdiff": magap - ph.magpsf,
        "magfromlim": ph.diffmaglim - magap,
        "sky": 0.5 * d.normal(key, "sky"),
        "fwhm": fwhm,
        "classtar": kind_floor + (1.0 - kind_floor) * d.uniform(key, "classtar"),
        "seeratio": d.uniform(key, "seeratio", 0.85, 1.6),
        "aimage": aimage,
        "bimage": bimage,
        "aimagerat": aimage / fwhm,
        "bimagerat": bimage / fwhm,
        "elong": aimage / bimage,
        "nneg": d.integers(key, "nneg", 0, 8),
        "nbad": np.zeros(len(key), dtype=np.int64),
        "rb": ph.rb,
        "drb": np.where(
            ph.status == 2,
            d.uniform(key, "bad_drb", 0.0, 0.5),
            drb_floor + (1.0 - drb_floor) * d.uniform(key, "drb"),
        ),
        "sumrat": d.uniform(key, "sumrat", 0.85, 1.0),
        "scorr": snr * d.uniform(key, "scorr", 0.9, 1.1),
        "dsnrms": dsnrms,
        "ssnrms": ssnrms,
        "dsdiff": dsnrms - ssnrms,
    }


def calibration_columns(d: Draws, ep: Epochs) -> Columns:
    """Photometric zero point and colour terms of each exposure (mag)."""
    key = ep.key
    magzpsci = d.uniform(key, "zp", 26.0, 26.45)
    return {
        "magzpsci": magzpsci,
        "magzpsciunc": d.uniform(key, "zpunc", 1e-5, 4e-5),
        "magzpscirms": d.uniform(key, "zprms", 0.025, 0.06),
        "nmatches": d.integers(key, "nmatches", 200, 1500),
        "clrcoeff": np.where(ep.fid == 1, -0.05, 0.1) + d.uniform(key, "clr", -0.03, 0.03),
        "clrcounc": d.uniform(key, "clrunc", 1e-5, 5e-5),
        "zpclrcov": d.uniform(key, "zpcov", -3e-5, -5e-6),
        "zpmed": magzpsci + d.uniform(key, "zpmed", 0.03, 0.1),
        "clrmed": d.uniform(key, "clrmed", 0.4, 0.9),
        "clrrms": d.uniform(key, "clrrms", 0.2, 0.4),
        "exptime": np.full(len(key), 30.0),
    }


def reference_columns(d: Draws, ep: Epochs) -> Columns:
    """Reference-image counterpart, PS1 and Gaia neighbours: static per objectId (mag, arcsec)."""
    obj, star = ep.obj, ep.behind
    distnr = np.where(star, d.uniform(obj, "distnr", 0.02, 0.6), d.uniform(obj, "distnr", 0.5, 12))
    angle = d.uniform(obj, "nr_angle", 0.0, 2 * np.pi)
    offset = distnr * 1.01 / 3600.0  # 1.01 arcsec per pixel, in deg
    jdstartref = 2458150.0 + d.uniform(obj, "ref_start", 0.0, 300.0)
    cols: Columns = {
        "distnr": distnr,
        "magnr": ep.ref,
        "sigmagnr": np.clip(0.012 * 10.0 ** (0.2 * (ep.ref - 16.0)), 0.005, 0.3),
        "chinr": d.uniform(obj, "chinr", 0.5, 1.8),
        "sharpnr": d.uniform(obj, "sharpnr", -0.2, 0.2),
        "ranr": ep.ra + offset * np.cos(angle) / np.cos(np.radians(ep.dec)),
        "decnr": ep.dec + offset * np.sin(angle),
        "jdstartref": jdstartref,
        "jdendref": jdstartref + d.uniform(obj, "ref_span", 20.0, 150.0),
        "nframesref": d.integers(obj, "nframesref", 15, 40),
        "nmtchps": d.integers(obj, "nmtchps", 3, 12),
    }
    distance = np.where(star, distnr, d.uniform(obj, "ps1_d1", 0.3, 12.0))
    for i in (1, 2, 3):
        mag = np.where(star & (i == 1), ep.ref, d.uniform(obj, f"ps1_mag{i}", 17.0, 22.0))
        no_g = d.uniform(obj, f"ps1_no_g{i}") < 0.1
        for band, colour in zip("griz", (0.5, 0.0, -0.2, -0.3), strict=True):
            cols[f"s{band}mag{i}"] = np.where(no_g & (band == "g"), -999.0, mag + colour)
        point = star & (i == 1)
        cols[f"sgscore{i}"] = np.where(
            point, d.uniform(obj, "sg", 0.85, 1.0), d.uniform(obj, f"sg{i}")
        )
        cols[f"distpsnr{i}"] = distance
        cols[f"objectidps{i}"] = 10**17 + d.integers(obj, f"ps1_id{i}", 0, 8 * 10**17)
        distance = distance + d.uniform(obj, f"ps1_step{i}", 1.0, 9.0)
    bright = d.uniform(obj, "gaia_bright") < 0.2
    cols["neargaia"] = np.where(star, distnr, d.uniform(obj, "gaia_d", 3.0, 60.0))
    cols["maggaia"] = np.where(star, ep.ref + 0.1, d.uniform(obj, "gaia_mag", 14.0, 20.5))
    cols["neargaiabright"] = np.where(bright, d.uniform(obj, "gaia_bd", 20.0, 60.0), -999.0)
    cols["maggaiabright"] = np.where(bright, d.uniform(obj, "gaia_bmag", 9.0, 12.0), -999.0)
    return cols


def identity_columns(d: Draws, ep: Epochs, hist: History, pid: I64) -> Columns:
    """Ids, history counters, solar-system match and constant version strings."""
    n, key = len(ep.jd), ep.key
    asteroid = ep.kind == K["asteroid"]
    ssnamenr = const("null", n)
    if asteroid.any():
        names = asteroid_names(d, ep.obj[asteroid] // MAX_SUB)
        index = np.zeros(n, dtype=np.int64)
        index[asteroid] = np.arange(asteroid.sum())
        ssnamenr = pc.if_else(pa.array(asteroid), names.take(pa.array(index)), ssnamenr)
    return {
        # candid = pid · 10^6 + a source number; tracklet members differ by their last digit
        "candid": pid * 10**6 + d.integers(key, "candid", 0, 99_998) * 10 + ep.obj % 10,
        "programpi": const("Kulkarni", n),
        "programid": np.ones(n, dtype=np.int64),
        "tblid": d.integers(key, "tblid", 0, 120),
        "ssnamenr": ssnamenr,
        "ssdistnr": np.where(asteroid, d.uniform(key, "ssdist", 0.0, 2.5), -999.0),
        "ssmagnr": np.where(asteroid, np.round(ep.mag + 0.3 * d.normal(key, "ssmag"), 1), -999.0),
        "ndethist": hist.ndethist,
        "ncovhist": d.integers(ep.obj, "ncov", 20, 1200) + hist.position,
        "jdstarthist": hist.jdstarthist,
        "jdendhist": ep.jd,
        "tooflag": np.zeros(n, dtype=np.int64),
        "rbversion": const("t17_f5_c3", n),
        "drbversion": const("d6_m7", n),
    }


def field_array(
    values: np.ndarray | pa.Array, name: str, index: Index, null: Bool | None
) -> pa.Array:
    """Field ``name`` at ``index`` with ZTF's type; null where ``null`` holds (and NaN floats)."""
    kind = FIELD_TYPES[name]
    if isinstance(values, pa.Array):
        taken = values.take(pa.array(index))
        return taken if null is None else pc.if_else(pa.array(null), pa.scalar(None, kind), taken)
    array = np.asarray(values)[index].astype(kind.to_pandas_dtype())
    if pa.types.is_floating(kind):
        null = np.isnan(array) if null is None else null | np.isnan(array)
    return pa.array(array, kind, mask=null)
