"""Cutouts (FINK-REFERENCE §10): an alert's stamps read from the ``cutouts`` table and rendered
as Fink's ``/api/v1/cutouts`` does (PNG, FITS or a pixel array).

The table is keyed ``objectId_jd`` like the main table and holds, per stamp kind, the gzipped
FITS file in ``b:cutout<Kind>_stampData`` and its name in ``b:cutout<Kind>_fileName``. Reads
go through the request's :func:`~fink_gateway.loaders.keyed_rows.keyed_rows` loader: the
stamps of every alert of a query cost ONE ``get_rows`` call per kind. An absent or unreadable
stamp gives no cutout (a warning is logged for the unreadable ones), never an error.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.loaders.keyed_rows import keyed_rows
from fink_gateway.loaders.reader import Reader
from fink_gateway.science.cutouts import (
    KERNELS,
    STRETCHES,
    StampError,
    read_stamp,
    stamp_array,
    stamp_fits,
    stamp_png,
)
from fink_gateway.store.types import Cells, RowKey

log = logging.getLogger("fink_gateway.cutouts")

KINDS: tuple[str, ...] = ("Science", "Template", "Difference")
FORMATS: tuple[str, ...] = ("PNG", "FITS", "ARRAY")
PNG_DATA_URL = "data:image/png;base64,"


def stamp_column(kind: str) -> bytes:
    """``b"b:cutout<Kind>_stampData"``: the gzipped FITS stamp."""
    return f"b:cutout{kind}_stampData".encode()


def file_name_column(kind: str) -> bytes:
    """``b"b:cutout<Kind>_fileName"``: ZTF's name of the stamp file."""
    return f"b:cutout{kind}_fileName".encode()


def cutout_key(object_id: str, jd: float) -> RowKey:
    """``objectId_jd`` with the JD as Fink's key text (Python ``repr``, §1.1)."""
    return f"{object_id}_{float(jd)!r}".encode()


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render stamps: output format and Fink's PNG options (validated)."""

    format: str = "PNG"
    stretch: str = "sigmoid"
    colormap: str | None = None
    pmin: float = 0.5
    pmax: float = 99.5
    convolution_kernel: str | None = None


def render_options(
    format: str,
    stretch: str = "sigmoid",
    colormap: str | None = None,
    pmin: float = 0.5,
    pmax: float = 99.5,
    convolution_kernel: str | None = None,
) -> RenderOptions:
    """Validated options; InvalidArgument names the argument and what is allowed.

    ``pmin``/``pmax`` are percentiles in [0, 100] with pmin < pmax; as in Fink they have no
    effect on the rendering (§10).
    """
    if format not in FORMATS:
        raise InvalidArgument(
            f"unknown format {format!r}; use one of {', '.join(FORMATS)}",
            argument="format", value=format,
        )  # fmt: skip
    if stretch not in STRETCHES:
        raise InvalidArgument(
            f"unknown stretch {stretch!r}; use one of {', '.join(STRETCHES)}",
            argument="stretch", value=stretch,
        )  # fmt: skip
    if convolution_kernel is not None and convolution_kernel not in KERNELS:
        raise InvalidArgument(
            f"unknown convolution kernel {convolution_kernel!r}; use one of {', '.join(KERNELS)}",
            argument="convolutionKernel", value=convolution_kernel,
        )  # fmt: skip
    for name, value in (("pmin", pmin), ("pmax", pmax)):
        if not (math.isfinite(value) and 0.0 <= value <= 100.0):
            raise InvalidArgument(
                f"{name} {value} is not a percentile in [0, 100]", argument=name, value=value
            )
    if pmin >= pmax:
        raise InvalidArgument(
            f"pmin ({pmin}) must be below pmax ({pmax})", argument="pmin", value=pmin
        )
    if colormap is not None:
        _check_colormap(colormap)
    return RenderOptions(format, stretch, colormap, pmin, pmax, convolution_kernel)


def _check_colormap(name: str) -> None:
    import matplotlib  # deferred: only queries naming a colormap pay for the import

    if name not in matplotlib.colormaps:
        raise InvalidArgument(
            f"unknown colormap {name!r}: use a matplotlib colormap name such as 'viridis', "
            "'magma', 'Greys_r' (omit it for greyscale)",
            argument="colormap", value=name,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class RenderedCutout:
    """One rendered stamp: PNG data URL or base64 FITS in ``data``, or pixel rows in ``array``."""

    kind: str
    format: str
    jd: float  # of the alert, JD
    file_name: str | None
    width: int  # pixels
    height: int  # pixels
    data: str | None
    array: list[list[float | None]] | None


def render(
    stamp: bytes, kind: str, jd: float, file_name: str | None, options: RenderOptions
) -> RenderedCutout:
    """Render one gzipped FITS stamp (raises :class:`StampError` when it is unreadable)."""
    image = read_stamp(stamp)
    height, width = image.shape
    data: str | None = None
    array: list[list[float | None]] | None = None
    if options.format == "PNG":
        png = stamp_png(
            image, stretch=options.stretch, colormap=options.colormap, pmin=options.pmin,
            pmax=options.pmax, convolution_kernel=options.convolution_kernel,
        )  # fmt: skip
        data = PNG_DATA_URL + base64.b64encode(png).decode()
    elif options.format == "FITS":
        data = base64.b64encode(stamp_fits(stamp)).decode()
    else:
        array = stamp_array(image)
    return RenderedCutout(kind, options.format, jd, file_name, width, height, data, array)


async def _render_cells(
    cells: Cells | None, kind: str, jd: float, options: RenderOptions, key: RowKey
) -> RenderedCutout | None:
    stamp = None if cells is None else cells.get(stamp_column(kind))
    if not stamp:
        return None
    raw_name = cells.get(file_name_column(kind)) if cells else None
    name = None if raw_name is None else raw_name.decode("utf-8", errors="replace")
    try:
        # rendering is CPU work (astropy, PIL): off the event loop
        return await asyncio.to_thread(render, stamp, kind, jd, name, options)
    except StampError as exc:
        log.warning("cutout %s of %s: %s", kind, key.decode(errors="replace"), exc)
        return None


def _columns(kind: str) -> tuple[bytes, bytes]:
    return stamp_column(kind), file_name_column(kind)


async def alert_cutout(
    reader: Reader, object_id: str, jd: float, kind: str, options: RenderOptions
) -> RenderedCutout | None:
    """The ``kind`` stamp of one alert, rendered; None when it has no readable stamp."""
    key = cutout_key(object_id, jd)
    cells = await keyed_rows(reader).get(tables.CUTOUTS, key, _columns(kind))
    return await _render_cells(cells, kind, jd, options, key)


async def object_cutouts(
    reader: Reader, object_id: str, jds: Sequence[float], kind: str, options: RenderOptions
) -> list[RenderedCutout]:
    """The ``kind`` stamps of an object's alerts at ``jds`` (in that order), rendered;
    alerts without a readable stamp are left out. One ``get_rows`` call in all."""
    keys = [cutout_key(object_id, jd) for jd in jds]
    found = await keyed_rows(reader).get_many(tables.CUTOUTS, keys, _columns(kind))
    rendered = await asyncio.gather(
        *(_render_cells(c, kind, jd, options, k)
          for c, jd, k in zip(found, jds, keys, strict=True))
    )  # fmt: skip
    return [r for r in rendered if r is not None]
