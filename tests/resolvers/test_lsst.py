"""Pure parts of the LSST reads: pixel runs of a cone search, ids, designations, magnitudes."""

from __future__ import annotations

import numpy as np
import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import rubin
from fink_gateway.resolvers.lsst import (
    ab_magnitude,
    dia_object_id,
    packed_designation,
    pixel_runs,
)
from fink_gateway.science.healpix import disc_pixels


def test_pixel_runs_cover_the_disc_in_few_ranges() -> None:
    pixels = disc_pixels(59.98, -48.24, 3.0, rubin.PIXEL_NSIDE).tolist()
    runs = pixel_runs(pixels)
    assert len(pixels) > 5000 and len(runs) < 250
    inside = {
        p for p in pixels
        if any(r.start <= f"{p}_".encode() < (r.stop or b"\\xff") for r in runs)
    }  # fmt: skip
    assert inside == set(pixels)


def test_pixel_runs_split_where_the_digit_count_changes() -> None:
    runs = pixel_runs([998, 999, 1000, 1001, 1003])
    assert [(r.start, r.stop) for r in runs] == [
        (b"998_", b"999`"), (b"1000_", b"1001`"), (b"1003_", b"1003`"),
    ]  # fmt: skip


@pytest.mark.parametrize("bad", ["12a", "-5", "", "9223372036854775808", "1.5"])
def test_dia_object_id_rejects_what_is_not_a_64_bit_id(bad: str) -> None:
    with pytest.raises(InvalidArgument):
        dia_object_id(bad)


def test_dia_object_id_is_exact() -> None:
    assert dia_object_id("169813006680588318") == 169813006680588318
    assert dia_object_id(" 9223372036854775807 ") == 2**63 - 1


def test_packed_designation_of_usual_and_packed_names() -> None:
    assert packed_designation("2001  SB97") == "K01S97B"
    assert packed_designation("K17SA9A") == "K17SA9A"
    with pytest.raises(InvalidArgument):
        packed_designation("Ceres")


def test_ab_magnitude_of_nanojansky() -> None:
    mag, err = ab_magnitude(np.array([3631e9, 1.0, -5.0]), np.array([3631e8, 0.1, 1.0]))
    assert mag[0] == pytest.approx(0.0, abs=1e-3)  # 3631 Jy is AB 0 (31.4 rounds 8.90 + 22.5)
    assert mag[1] == pytest.approx(31.4)
    assert err[0] == pytest.approx(2.5 / np.log(10) * 0.1) and np.isnan(mag[2])
