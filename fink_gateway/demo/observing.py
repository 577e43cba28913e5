"""Observing the planned epochs: detections, bad-quality points, upper limits and history.

Each epoch becomes an alert (rb ≥ 0.55), a bad-quality detection (rb < 0.55) or an upper
limit; :func:`history` gives each alert its running counters and ``prv_candidates`` window.
Magnitudes in mag, times JD.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fink_gateway.demo.arrays import F64, I64, Bool, Index
from fink_gateway.demo.arrow_schema import JD_START
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.epochs import Epochs


@dataclass
class Photometry:
    """Per-epoch measurement (mag); ``status`` 0 upper limit, 1 alert, 2 bad quality."""

    status: npt.NDArray[np.int8]
    diffmaglim: F64
    magpsf: F64
    sigmapsf: F64
    positive: Bool
    rb: F64


def observe(d: Draws, ep: Epochs) -> Photometry:
    """Detect each epoch or set its upper limit (mag): ``Epochs`` → ``Photometry``."""
    lim = np.clip(20.3 + 0.35 * d.normal(ep.key, "lim"), 19.0, 21.0)
    with np.errstate(divide="ignore", over="ignore"):
        flux = 10.0 ** (-0.4 * ep.mag) - np.where(ep.behind, 10.0 ** (-0.4 * ep.ref), 0.0)
        diff = -2.5 * np.log10(np.abs(flux))
    forced = ep.forced == 1
    lim = np.where(forced, np.maximum(lim, diff + d.uniform(ep.key, "margin", 0.2, 1.0)), lim)
    detected = forced | ((ep.forced == 0) & (diff < lim))
    bad = detected & (ep.forced == 0) & (d.uniform(ep.key, "bad") < 0.04)
    sigma = np.clip(0.217 * 10.0 ** (-0.4 * (lim - np.where(detected, diff, lim))), 0.008, 0.3)
    return Photometry(
        status=np.where(detected, np.where(bad, 2, 1), 0).astype(np.int8),
        diffmaglim=lim,
        magpsf=np.where(detected, diff + sigma * d.normal(ep.key, "noise"), np.nan),
        sigmapsf=sigma,
        positive=flux > 0,
        rb=np.where(
            bad, d.uniform(ep.key, "bad_rb", 0.05, 0.54), 0.55 + 0.45 * d.uniform(ep.key, "rb")
        ),
    )


@dataclass
class History:
    """Running per-objectId quantities and each alert's ``prv_candidates`` window."""

    ndethist: I64
    jdstarthist: F64  # first detection (any quality), JD
    first_valid: F64  # first alert, JD
    position: I64
    alerts: Index
    prv_start: Index
    nalerthist: I64


def history(ep: Epochs, status: npt.NDArray[np.int8], limit: int) -> History:
    """ZTF sends the last 30 days of history; the demo keeps at most 10 entries."""
    n = len(ep.jd)
    new = np.ones(n, dtype=bool)
    new[1:] = ep.obj[1:] != ep.obj[:-1]
    heads = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    start = heads[group]
    detected = status > 0
    count = np.cumsum(detected)
    jd_or_nan = np.append(ep.jd, np.nan)

    def first_jd(mask: Bool) -> F64:
        first: F64 = jd_or_nan[np.minimum.reduceat(np.where(mask, np.arange(n), n), heads)[group]]
        return first

    alerts = np.flatnonzero(status == 1)[:limit]
    order = group * 1000.0 + (ep.jd - JD_START)  # increasing; groups 1000 d apart
    low = np.searchsorted(order, order[alerts] - 30.0, side="left")
    low = np.maximum(np.maximum(low, start[alerts]), alerts - 10)
    # nalerthist = 1 + detections (any quality) in prv_candidates, as in the sample files
    seen = np.concatenate([[0], count])
    return History(
        ndethist=count - count[start] + detected[start],
        jdstarthist=first_jd(detected),
        first_valid=first_jd(status == 1),
        position=np.arange(n) - start,
        alerts=alerts,
        prv_start=low,
        nalerthist=1 + seen[alerts] - seen[low],
    )
