"""Tests for fink_gateway.science.cutouts (FINK-REFERENCE §10), on real ZTF stamps."""

from __future__ import annotations

import gzip
import io

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq
import pytest
from astropy.io import fits
from PIL import Image

from fink_gateway.science.cutouts import (
    STRETCHES,
    StampError,
    read_stamp,
    stamp_array,
    stamp_fits,
    stamp_png,
)
from tests.data_paths import FINK_ZTF

STAMP_FILE = FINK_ZTF / "science_20250114.parquet"
KINDS = ("cutoutScience", "cutoutTemplate", "cutoutDifference")


@pytest.fixture(scope="module")
def stamps() -> dict[str, bytes]:
    """``stampData`` of the first alert's three cutouts, read in place."""
    table = pq.read_table(STAMP_FILE, columns=list(KINDS))
    return {kind: table.column(kind)[0].as_py()["stampData"] for kind in KINDS}


def _decode(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG"
    return picture


def _pixels(png: bytes) -> npt.NDArray[np.uint8]:
    return np.asarray(_decode(png))


@pytest.mark.parametrize("kind", KINDS)
def test_read_stamp_gives_a_63x63_float_image(stamps: dict[str, bytes], kind: str) -> None:
    image = read_stamp(stamps[kind])
    assert image.shape == (63, 63)
    assert image.dtype == np.float64
    assert np.isfinite(image).any()
    with fits.open(io.BytesIO(gzip.decompress(stamps[kind])), ignore_missing_simple=True) as hdul:
        np.testing.assert_array_equal(image, hdul[0].data.astype(np.float64))


@pytest.mark.parametrize("kind", KINDS)
def test_stamp_fits_is_the_ungzipped_file(stamps: dict[str, bytes], kind: str) -> None:
    raw = stamp_fits(stamps[kind])
    assert raw == gzip.decompress(stamps[kind])
    assert raw.startswith(b"SIMPLE") and len(raw) % 2880 == 0


def test_stamp_array_is_json_ready(stamps: dict[str, bytes]) -> None:
    image = read_stamp(stamps["cutoutDifference"])
    rows = stamp_array(image)
    assert len(rows) == 63 and all(len(row) == 63 for row in rows)
    assert rows[31][31] == image[31, 31]
    assert all(isinstance(v, float) for row in rows for v in row)

    holed = image.copy()
    holed[0, 1] = np.nan
    assert stamp_array(holed)[0][1] is None
    with pytest.raises(ValueError):
        stamp_array(image.ravel())


@pytest.mark.parametrize("stretch", STRETCHES)
@pytest.mark.parametrize("kind", KINDS)
def test_stamp_png_every_stretch_renders_greyscale(
    stamps: dict[str, bytes], kind: str, stretch: str
) -> None:
    picture = _decode(stamp_png(read_stamp(stamps[kind]), stretch=stretch))
    assert picture.mode == "L"
    assert picture.size == (63, 63)


@pytest.mark.parametrize("kernel", ["gauss", "box"])
def test_stamp_png_with_a_colormap_is_rgba(stamps: dict[str, bytes], kernel: str) -> None:
    image = read_stamp(stamps["cutoutScience"])
    picture = _decode(stamp_png(image, colormap="viridis", convolution_kernel=kernel))
    assert picture.mode == "RGBA"
    assert picture.size == (63, 63)
    assert np.all(np.asarray(picture)[..., 3] == 255)


def test_stamp_png_sigmoid_follows_fink(stamps: dict[str, bytes]) -> None:
    image = read_stamp(stamps["cutoutScience"])
    z = (image - image.mean()) / image.std()
    expected = (255.0 / (1.0 + np.exp(-z))).astype(np.uint8)
    np.testing.assert_array_equal(_pixels(stamp_png(image)), expected)


def test_stamp_png_linear_cuts_at_the_central_pixel(stamps: dict[str, bytes]) -> None:
    image = read_stamp(stamps["cutoutDifference"])
    vmax = image[31, 31]
    vmin = image.min() + 0.2 * np.median(np.abs(image - np.median(image)))
    expected = (255.0 * np.clip((image - vmin) / (vmax - vmin), 0.0, 1.0)).astype(np.uint8)
    got = _pixels(stamp_png(image, stretch="linear")).astype(int)
    assert np.abs(got - expected.astype(int)).max() <= 1  # float rounding at a truncation edge
    assert got[31, 31] == 255


def test_stamp_png_pmin_pmax_have_no_effect(stamps: dict[str, bytes]) -> None:
    image = read_stamp(stamps["cutoutTemplate"])
    for stretch in ("sigmoid", "asinh"):
        default = stamp_png(image, stretch=stretch)
        assert stamp_png(image, stretch=stretch, pmin=10.0, pmax=60.0) == default


def test_stamp_png_smoothing_changes_the_image(stamps: dict[str, bytes]) -> None:
    image = read_stamp(stamps["cutoutScience"])
    plain = _pixels(stamp_png(image))
    for kernel in ("gauss", "box"):
        smoothed = _pixels(stamp_png(image, convolution_kernel=kernel))
        assert smoothed.shape == plain.shape
        assert not np.array_equal(smoothed, plain)
        assert smoothed.std() < plain.std()


def test_stamp_png_handles_nan_and_flat_images() -> None:
    image = np.full((63, 63), 5.0)
    assert np.all(_pixels(stamp_png(image)) == 127)  # flat: z = 0 everywhere, 255 × 0.5
    for stretch in STRETCHES:
        assert _pixels(stamp_png(image, stretch=stretch)).shape == (63, 63)
    holed = np.arange(63 * 63, dtype=np.float64).reshape(63, 63)
    holed[10:20, 10:20] = np.nan
    assert _pixels(stamp_png(holed, stretch="log")).shape == (63, 63)
    edge = np.random.default_rng(1).normal(100.0, 5.0, (40, 63))  # a stamp cut by the CCD edge
    assert _decode(stamp_png(edge, stretch="asinh")).size == (63, 40)


@pytest.mark.parametrize(
    "options",
    [
        {"stretch": "histeq"},
        {"convolution_kernel": "tophat"},
        {"colormap": "no_such_colormap"},
    ],
)
def test_stamp_png_rejects_unknown_options(options: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        stamp_png(np.zeros((63, 63)), **options)  # type: ignore[arg-type]


def test_stamp_png_rejects_non_images() -> None:
    with pytest.raises(ValueError):
        stamp_png(np.zeros(63))


def _empty_fits() -> bytes:
    buffer = io.BytesIO()
    fits.PrimaryHDU().writeto(buffer)
    return gzip.compress(buffer.getvalue())


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(lambda good: b"", id="empty"),
        pytest.param(lambda good: b"not a stamp at all", id="not-gzip"),
        pytest.param(lambda good: good[:200], id="truncated-gzip"),
        pytest.param(lambda good: gzip.compress(b"SIMPLE = nonsense" * 40), id="odd-size"),
        pytest.param(lambda good: gzip.compress(b"nonsense" * 360), id="not-fits"),
        pytest.param(lambda good: gzip.compress(gzip.decompress(good)[:1000]), id="cut-fits"),
        pytest.param(lambda good: _empty_fits(), id="no-image"),
    ],
)
def test_corrupt_stamp_raises_stamp_error(stamps: dict[str, bytes], corrupt: object) -> None:
    bad = corrupt(stamps["cutoutScience"])  # type: ignore[operator]
    with pytest.raises(StampError) as info:
        read_stamp(bad)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("unreadable cutout stamp: ")
    with pytest.raises(StampError):
        stamp_fits(bad)
