"""Tests for fink_gateway.science.skymap on the shared bayestar map, against healpy."""

from __future__ import annotations

import gzip
import io

import healpy
import numpy as np
import pytest
from astropy.io import fits
from astropy.time import Time

from fink_gateway.science.skymap import (
    SkyMapError,
    credible_levels,
    credible_region,
    read_sky_map,
)
from tests.archive_data import BAYESTAR


@pytest.fixture(scope="module")
def gz_bytes() -> bytes:
    return BAYESTAR.read_bytes()


@pytest.fixture(scope="module")
def healpy_ring() -> np.ndarray:
    """PROB as healpy reads it (NESTED → RING)."""
    return np.asarray(healpy.read_map(str(BAYESTAR), field=0, nest=False))


def _fits(hdul: fits.HDUList) -> bytes:
    buffer = io.BytesIO()
    hdul.writeto(buffer)
    return buffer.getvalue()


def _small_map(
    nside: int = 4, ordering: str = "RING", prob_name: str = "PROB", **cards: object
) -> fits.HDUList:
    """A flat map whose pixel i holds probability ∝ i + 1, with two extra columns."""
    npix = 12 * nside * nside
    prob = np.arange(1, npix + 1, dtype=np.float64)
    prob /= prob.sum()
    table = fits.BinTableHDU.from_columns(
        [
            fits.Column("DISTMU", "E", array=np.ones(npix, np.float32)),
            fits.Column(prob_name, "D", array=prob),
            fits.Column("FLAG", "J", array=np.zeros(npix, np.int32)),
        ]
    )
    header = {"PIXTYPE": "HEALPIX", "ORDERING": ordering, "NSIDE": nside,
              "INDXSCHM": "IMPLICIT", "DATE-OBS": "2020-02-19T09:44:15.197", **cards}  # fmt: skip
    for key, value in header.items():
        if value is None:
            table.header.remove(key, ignore_missing=True)
        else:
            table.header[key] = value
    return fits.HDUList([fits.PrimaryHDU(), table])


def test_read_sky_map_matches_healpy(gz_bytes: bytes, healpy_ring: np.ndarray) -> None:
    sky = read_sky_map(gz_bytes)
    assert sky.nside == 512
    np.testing.assert_array_equal(sky.prob, healpy_ring)
    assert sky.event_name == "G364600"
    assert sky.date_obs == "2020-02-19T09:44:15.197173"
    assert sky.event_jd == pytest.approx(Time("2020-02-19T09:44:15.197173").jd, abs=1e-9)
    assert sky.event_jd == pytest.approx(58898.40573144879 + 2400000.5, abs=1e-8)  # MJD-OBS


def test_read_sky_map_reads_a_file_object_and_plain_fits(gz_bytes: bytes) -> None:
    from_file = read_sky_map(io.BytesIO(gz_bytes))
    plain = read_sky_map(gzip.decompress(gz_bytes))
    np.testing.assert_array_equal(from_file.prob, plain.prob)


def test_read_sky_map_keeps_only_prob_from_any_column_position() -> None:
    nested = _small_map(ordering="NESTED")
    sky = read_sky_map(_fits(nested))
    expected = healpy.reorder(np.asarray(nested[1].data["PROB"]), n2r=True)
    np.testing.assert_array_equal(sky.prob, expected)
    ring = read_sky_map(_fits(_small_map(ordering="RING")))
    np.testing.assert_array_equal(ring.prob, np.asarray(_small_map()[1].data["PROB"]))


def test_credible_region_at_0_9_matches_a_direct_healpy_computation(
    healpy_ring: np.ndarray,
) -> None:
    order = np.flipud(np.argsort(healpy_ring))
    levels = np.empty_like(healpy_ring)
    levels[order] = np.cumsum(healpy_ring[order])
    expected = np.flatnonzero(healpy.ud_grade(levels, 128) <= 0.9)

    region = credible_region(read_sky_map(BAYESTAR.read_bytes()).prob, 0.9)
    np.testing.assert_array_equal(region.pixels, expected)
    assert len(region.pixels) == 5960  # ~1250 deg² at 0.2098 deg² per pixel
    assert region.area_deg2 == pytest.approx(5960 * healpy.nside2pixarea(128, degrees=True))
    assert region.levels.max() <= 0.9


def test_credible_region_grows_with_the_level(healpy_ring: np.ndarray) -> None:
    sizes = [len(credible_region(healpy_ring, level).pixels) for level in (0.5, 0.9, 0.99)]
    assert 0 < sizes[0] < sizes[1] < sizes[2] < 12 * 128**2


def test_credible_levels_rank_pixels_by_probability() -> None:
    levels = credible_levels([0.1, 0.6, 0.3])
    np.testing.assert_allclose(levels, [1.0, 0.6, 0.9])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a fits file at all" * 200, "not a FITS header"),
        (gzip.compress(b"\x00" * 100), "not a FITS header"),
        (b"\x1f\x8b\x08 broken gzip", "decompressing"),
    ],
)
def test_read_sky_map_rejects_what_is_not_a_map(data: bytes, reason: str) -> None:
    with pytest.raises(SkyMapError, match=reason):
        read_sky_map(data)


@pytest.mark.parametrize(
    ("cards", "reason"),
    [
        ({"ORDERING": "NUNIQ"}, "only flat RING or NESTED"),
        ({"INDXSCHM": "EXPLICIT"}, "partial maps"),
        ({"NSIDE": 8}, "pixels, but NSIDE 8"),
        ({"NSIDE": 3}, "power of two"),
        ({"DATE-OBS": None}, "no DATE-OBS"),
    ],
)
def test_read_sky_map_rejects_unsupported_headers(cards: dict[str, object], reason: str) -> None:
    with pytest.raises(SkyMapError, match=reason):
        read_sky_map(_fits(_small_map(**cards)))


def test_read_sky_map_rejects_a_map_without_prob() -> None:
    with pytest.raises(SkyMapError, match="no PROB column"):
        read_sky_map(_fits(_small_map(prob_name="PROBDENSITY")))


def test_read_sky_map_rejects_a_truncated_file(gz_bytes: bytes) -> None:
    raw = gzip.decompress(gz_bytes)
    with pytest.raises(SkyMapError, match="ends"):
        read_sky_map(raw[: len(raw) // 2])
