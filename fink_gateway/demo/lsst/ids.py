"""Rubin's visits and 64-bit ids, as the real alerts pack them.

A visit is ``dayObs · 10^5 + seqNum`` (``2025123100240``: dayObs 2025-12-31, the 240th
exposure of that night). A ``diaSourceId`` packs the exposure, the detector and a source
number: ``(((day << 15 | seqNum) << 8 | detector) << 19) | source``, where ``day`` counts days
with day 38611 = dayObs 2025-12-31 (read off the ids of the Rubin sample, docs/fink-lsst.md
§9: ``169813006680588318`` is visit 2025123100244, detector 174, source 30). A new object's
``diaObjectId`` is the ``diaSourceId`` of its first source. An ``ssObjectId`` is the packed
MPC designation's ASCII bytes read as a big-endian integer (``K01S97B`` →
``21163611661088578`` in the sample). Times are MJD (TAI); ``day_obs`` is the MJD of the
night's dayObs (the date at UTC−12 h).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from fink_gateway.demo.arrays import F64, I64

DETECTORS = 189
"""Science detectors of LSSTCam."""
VISIT_SECONDS = 90.0
"""One exposure (seqNum) every 90 s, as in the sample (seqNum 240 → 249 in 812 s)."""
NIGHT_START = 0.97
"""Fraction of dayObs's MJD at which a night's first exposure starts (23:17 UTC, about
20:17 in Chile); the sample's seqNum 244 is then at 61041.225 (it is at 61041.2257)."""
LAST_SEQ = 400
"""Last exposure of a night: midpoints run from dayObs + 0.97 to dayObs + 1.39."""
SOURCE_BITS = 19
_DAY_ZERO = 61040 - 38611  # dayObs 2025-12-31 (MJD 61040) is day 38611 in the ids
_UNIX_MJD = 40587  # MJD of 1970-01-01


def midpoint_mjd(day_obs: I64, seq: I64) -> F64:
    """Exposure midpoint (MJD TAI) of exposure ``seq`` of night ``day_obs`` (MJD)."""
    return day_obs + NIGHT_START + (seq + 0.5) * VISIT_SECONDS / 86400.0


def visit_ids(day_obs: I64, seq: I64) -> I64:
    """``YYYYMMDD · 10^5 + seqNum`` of each exposure."""
    days = (np.asarray(day_obs, dtype=np.int64) - _UNIX_MJD).astype("datetime64[D]")
    text = np.datetime_as_string(days, unit="D")
    ymd = np.char.replace(text, "-", "").astype(np.int64)
    return ymd * 100_000 + seq


def source_ids(day_obs: I64, seq: I64, detector: I64, source: I64) -> I64:
    """Rubin's 64-bit ``diaSourceId`` of source number ``source`` (< 2^19) on ``detector`` of
    an exposure; unique while (exposure, detector, source) are."""
    assert np.all((source >= 0) & (source < 1 << SOURCE_BITS)), "source numbers are 19-bit"
    exposure = ((day_obs - _DAY_ZERO).astype(np.int64) << 15) | seq
    return (((exposure << 8) | detector) << SOURCE_BITS) | source


def ss_object_ids(packed: Sequence[str]) -> I64:
    """Rubin's ``ssObjectId`` of each packed designation: its ASCII bytes, big-endian."""
    return np.array([int.from_bytes(p.encode("ascii"), "big") for p in packed], dtype=np.int64)
