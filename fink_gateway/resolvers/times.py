"""Julian Dates as people read them."""

from __future__ import annotations

from astropy.time import Time

MJD_OFFSET = 2400000.5


def iso_time(jd: float) -> str:
    """ISO 8601 UTC with milliseconds, e.g. 2460983.8906481 → ``2025-11-04T09:22:31.996Z``."""
    return Time(jd, format="jd", scale="utc").isot[:23] + "Z"


def mjd_of(jd: float) -> float:
    """Modified Julian Date (days)."""
    return jd - MJD_OFFSET
