"""Julian Dates as people read them: ISO 8601 UTC text and Modified Julian Dates (days)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from astropy.time import Time

MJD_OFFSET = 2400000.5
"""JD − MJD, days."""
_UNIX_EPOCH_JD = 2440587.5
_NO_LEAP_SECONDS_SINCE_JD = 2457754.5  # 2017-01-01: no leap second has been added since
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def iso_time(jd: float) -> str:
    """ISO 8601 UTC with milliseconds, e.g. 2460983.8906481 → ``2025-11-04T09:22:31.996Z``.

    Dates since 2017 (no leap second since) take a fast path identical to astropy's UTC
    conversion; older ones go through astropy.
    """
    if jd >= _NO_LEAP_SECONDS_SINCE_JD:
        milliseconds = round((jd - _UNIX_EPOCH_JD) * 86_400_000.0)
        moment = _EPOCH + timedelta(milliseconds=milliseconds)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return cast(str, Time(jd, format="jd", scale="utc").isot)[:23] + "Z"  # astropy is untyped


def mjd_of(jd: float) -> float:
    """Modified Julian Date (days)."""
    return jd - MJD_OFFSET
