"""Julian Dates as text: the fast path since 2017 agrees with astropy's UTC conversion."""

from __future__ import annotations

import numpy as np
from astropy.time import Time

from fink_gateway.science.times import MJD_OFFSET, iso_time, mjd_of


def test_iso_time_utc_with_milliseconds() -> None:
    assert iso_time(2460983.8906481) == "2025-11-04T09:22:31.996Z"
    assert iso_time(2451545.0) == "2000-01-01T12:00:00.000Z"  # before 2017: astropy
    assert iso_time(float(np.float32(2451545.0))) == "2000-01-01T12:00:00.000Z"


def test_iso_time_agrees_with_astropy_around_the_last_leap_second() -> None:
    rng = np.random.default_rng(7)
    jds = np.concatenate([
        2457754.5 + np.array([-1e-6, 0.0, 1e-6, 0.49999999]),  # 2017-01-01, the switch
        rng.uniform(2457000.0, 2462000.0, 500),  # ZTF's years, both sides of it
    ])
    for jd in jds.tolist():
        expected = Time(jd, format="jd", scale="utc").isot[:23] + "Z"
        assert iso_time(jd) == expected, jd


def test_mjd_of() -> None:
    assert mjd_of(2400000.5) == 0.0
    assert mjd_of(2460983.8906481) == 2460983.8906481 - MJD_OFFSET
