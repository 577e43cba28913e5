"""ZTF alert cutouts (stamps): decoding and rendering as Fink's cutout route (FINK-REFERENCE §10).

An alert carries three stamps (science, template, difference), each a gzip-compressed FITS file
with one 63×63 float32 image (smaller at CCD edges). :func:`read_stamp` decodes one,
:func:`stamp_fits` gives the plain FITS file, :func:`stamp_array` the JSON-ready pixel list and
:func:`stamp_png` the PNG Fink's ``/api/v1/cutouts`` renders by default.

Pure functions: bytes or numpy in, bytes, numpy or lists out. Pixel values are in the stamp's
own units (DN); rendered intensities are 0–1 before the final 8-bit conversion.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import Literal

import numpy as np
import numpy.typing as npt
from astropy.convolution import Box2DKernel, Gaussian2DKernel, convolve
from astropy.io import fits
from astropy.visualization import simple_norm
from PIL import Image

FloatImage = npt.NDArray[np.float64]

Stretch = Literal["sigmoid", "linear", "sqrt", "power", "log", "asinh", "arcsinh", "sinh"]
Kernel = Literal["gauss", "box"]

STRETCHES: tuple[str, ...] = (
    "sigmoid", "linear", "sqrt", "power", "log", "asinh", "arcsinh", "sinh",
)  # fmt: skip
"""Stretches :func:`stamp_png` accepts: ``arcsinh`` is ``asinh``, and ``sinh`` (any astropy
``simple_norm`` stretch works in Fink) is kept for completeness."""

KERNELS: tuple[str, ...] = ("gauss", "box")
"""Smoothing kernels :func:`stamp_png` accepts."""

MAX_STAMP_BYTES = 8 * 1024 * 1024
"""Largest decompressed stamp accepted (bytes); a ZTF stamp is about 20 kB."""

_FITS_BLOCK = 2880
"""A FITS file is a whole number of 2880-byte blocks."""
_POWER_EXPONENT = 2.0
_ASINH_A = 10.0
_KERNEL_SIZE = 5
"""Fink smooths with ``smooth=1``: a σ = 1 px Gaussian or a 1 px box, on a 5×5 pixel grid."""


class StampError(ValueError):
    """A stamp that is not a readable gzip-compressed FITS image."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"unreadable cutout stamp: {self.reason}"


def _gunzip(gzipped_fits: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(gzipped_fits)) as stream:
            raw = stream.read(MAX_STAMP_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise StampError(f"not gzip data ({exc})") from exc
    if len(raw) > MAX_STAMP_BYTES:
        raise StampError(f"decompresses to more than {MAX_STAMP_BYTES} bytes")
    return raw


def _image(fits_bytes: bytes) -> FloatImage:
    """The primary image of a FITS file as a native float64 array."""
    if len(fits_bytes) % _FITS_BLOCK:  # checked first: astropy only warns about it
        raise StampError(f"{len(fits_bytes)} bytes is not a whole number of FITS blocks")
    try:
        # ZTF writes a non-standard SIMPLE card: astropy needs ignore_missing_simple.
        with fits.open(io.BytesIO(fits_bytes), ignore_missing_simple=True, memmap=False) as hdul:
            data = hdul[0].data
            image = None if data is None else np.array(data, dtype=np.float64)
    except (OSError, ValueError, TypeError, IndexError, EOFError) as exc:
        raise StampError(f"not a FITS file ({exc})") from exc
    if image is None or image.ndim != 2 or image.size == 0:
        shape = None if image is None else image.shape
        raise StampError(f"primary HDU holds no 2-D image (shape {shape})")
    return image


def read_stamp(gzipped_fits: bytes) -> FloatImage:
    """Pixels of one alert stamp (``cutout*.stampData``).

    Parameters
    ----------
    gzipped_fits
        The gzip-compressed FITS file (magic ``1f 8b 08``) of an alert cutout.

    Returns
    -------
    numpy.ndarray
        2-D float64 image (rows, columns), usually 63×63, in the stamp's units; NaN pixels kept.

    Raises
    ------
    StampError
        The bytes are not gzip, not FITS, or hold no 2-D primary image.
    """
    return _image(_gunzip(gzipped_fits))


def stamp_fits(gzipped_fits: bytes) -> bytes:
    """The plain (decompressed) FITS file of a stamp, as Fink's ``output-format=FITS``.

    The file is checked to hold a 2-D image (else :class:`StampError`) and returned byte for
    byte as stored.
    """
    raw = _gunzip(gzipped_fits)
    _image(raw)
    return raw


def stamp_array(image: npt.ArrayLike) -> list[list[float | None]]:
    """Pixels as nested lists (rows of columns) for JSON, NaN → None.

    Values are the exact pixel values (a float32 pixel gives its float64 equivalent), as
    Fink's ``output-format=array``.
    """
    pixels = np.asarray(image, dtype=np.float64)
    if pixels.ndim != 2:
        raise ValueError(f"a stamp image is 2-D, got shape {pixels.shape}")
    return [[None if v != v else v for v in row] for row in pixels.tolist()]


def _sigmoid(data: FloatImage) -> FloatImage:
    """1/(1 + e^(−z)) with z = (x − mean)/std over the image; 0.5 everywhere if flat."""
    std = float(data.std())
    if std == 0.0 or not np.isfinite(std):
        return np.full(data.shape, 0.5)
    z = (data - data.mean()) / std
    with np.errstate(over="ignore"):  # e^(−z) overflows to inf for very negative z: gives 0
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def _central_stretch(data: FloatImage, stretch: str) -> FloatImage:
    """Fink's ``legacy_normalizer``: cuts from the central pixel and the image's spread.

    vmax = the central pixel, vmin = min + 0.2·median(|x − median|); astropy ``simple_norm``
    (power 2, asinh a = 10) with those cuts, values clipped to [0, 1], invalid ones → 0.
    """
    rows, cols = data.shape
    vmax = float(data[rows // 2, cols // 2])
    vmin = float(data.min() + 0.2 * np.median(np.abs(data - np.median(data))))
    norm = simple_norm(
        data,
        stretch="asinh" if stretch == "arcsinh" else stretch,
        power=_POWER_EXPONENT,
        asinh_a=_ASINH_A,
        vmin=vmin,
        vmax=vmax,
        clip=False,
    )
    with np.errstate(divide="ignore", invalid="ignore"):  # vmin ≥ vmax: handled below
        scaled = np.ma.filled(norm(data, clip=True), 0.0)
    return np.clip(np.nan_to_num(np.asarray(scaled, dtype=np.float64)), 0.0, 1.0)


def _smooth(data: FloatImage, kernel: str) -> FloatImage:
    if kernel == "gauss":
        weights = Gaussian2DKernel(1, x_size=_KERNEL_SIZE, y_size=_KERNEL_SIZE)
    else:
        weights = Box2DKernel(1, x_size=_KERNEL_SIZE, y_size=_KERNEL_SIZE)
    return np.asarray(convolve(data, weights, boundary="extend"), dtype=np.float64)


def stamp_png(
    image: npt.ArrayLike,
    *,
    stretch: Stretch | str = "sigmoid",
    colormap: str | None = None,
    pmin: float = 0.5,
    pmax: float = 99.5,
    convolution_kernel: Kernel | str | None = None,
) -> bytes:
    """Render a stamp as a PNG the way Fink's ``/api/v1/cutouts`` does (``output-format=PNG``).

    1. NaN pixels → 0.
    2. ``stretch="sigmoid"`` (default): 1/(1 + e^(−z)), z = (x − mean)/std of the image.
       Any other stretch: vmax = the central pixel (``data[31, 31]`` for 63×63), vmin =
       min + 0.2·median(|x − median|), astropy ``simple_norm(stretch, power=2, asinh_a=10)``
       between those cuts, clipped to [0, 1].
    3. ``convolution_kernel``: smoothing with a σ = 1 px Gaussian (``"gauss"``) or a 1 px box
       (``"box"``) on a 5×5 grid, edges extended.
    4. ``colormap``: a matplotlib colormap name gives an RGBA image; none gives 8-bit grey.
    5. Intensities × 255, truncated to uint8; row 0 of the array is the top row of the PNG
       (no flip, as Fink).

    Parameters
    ----------
    image
        2-D stamp pixels (any units), e.g. from :func:`read_stamp`.
    stretch
        One of :data:`STRETCHES`.
    colormap
        Matplotlib colormap name (``"viridis"``, ``"Greys_r"``...), or None for greyscale.
    pmin, pmax
        Percentiles (0–100). Accepted for compatibility and **without effect**, as in Fink: its
        stretches always pass explicit cuts, so the percentile interval they parametrise is never
        used. Kept a no-op so that PNGs match Fink's byte for byte.
    convolution_kernel
        ``"gauss"``, ``"box"`` or None (no smoothing).

    Returns
    -------
    bytes
        The PNG file: mode ``L`` (greyscale) or ``RGBA`` (with a colormap), same size as ``image``.

    Raises
    ------
    ValueError
        ``image`` not 2-D, or an unknown stretch, kernel or colormap.
    """
    del pmin, pmax  # no effect, see the docstring
    data = np.nan_to_num(np.array(image, dtype=np.float64), nan=0.0)
    if data.ndim != 2 or data.size == 0:
        raise ValueError(f"a stamp image is a non-empty 2-D array, got shape {data.shape}")
    if stretch not in STRETCHES:
        raise ValueError(f"unknown stretch {stretch!r}; use one of {STRETCHES}")
    if convolution_kernel is not None and convolution_kernel not in KERNELS:
        raise ValueError(f"unknown convolution_kernel {convolution_kernel!r}; use {KERNELS}")

    scaled = _sigmoid(data) if stretch == "sigmoid" else _central_stretch(data, stretch)
    if convolution_kernel is not None:
        scaled = _smooth(scaled, convolution_kernel)

    if colormap is None:
        picture = Image.fromarray((scaled * 255).astype(np.uint8))  # 2-D uint8: mode L
    else:
        import matplotlib  # deferred: only colour renderings pay for importing matplotlib

        try:
            cmap = matplotlib.colormaps[colormap]
        except KeyError as exc:
            raise ValueError(f"unknown matplotlib colormap {colormap!r}") from exc
        rgba = (np.asarray(cmap(scaled)) * 255).astype(np.uint8)
        picture = Image.fromarray(rgba)  # (rows, cols, 4) uint8: mode RGBA
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
