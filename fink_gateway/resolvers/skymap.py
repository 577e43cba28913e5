"""Alerts in a gravitational-wave sky map (FINK-REFERENCE §11, Fink's ``/skymap``).

1. Read the bayestar map (an upload, or a file of the configured folder) and take its
   credible region at nside 128 (:mod:`fink_gateway.science.skymap`).
2. Scan ``pixel128`` (key ``<pix>_<jdstarthist>_<objectId>``) for every pixel of the region
   over the window on the first detection, in ONE store call.
3. Keep the latest alert of each object, and only objects with ``jd − jdstarthist ≤
   daysAfter`` (as Fink).

**Window.** Fink's documented window is [T − n_day_before, T + n_day_after] with T the map's
DATE-OBS, but its code scans [T − before, T − before + after] (defaults 1 and 6 give
[T − 1, T + 5]). The gateway follows the documented intent: [T − daysBefore, T + daysAfter].
Like Fink, the maxima are 7 and 14 days (enforced here).

**Server files.** ``path`` reads a file of the server. It is disabled unless the setting
``skymap.folder`` names a folder, and then only files inside that folder are read (the path
is resolved, symbolic links included, before the check): a client must not be able to make
the gateway read arbitrary files.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from fink_gateway.errors import InvalidArgument, NotFound
from fink_gateway.layout import tables
from fink_gateway.layout.columns import PIXEL_COLUMNS
from fink_gateway.loaders.decoding import decode_columns, decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.conesearch import jd_in_window, jd_key_range, latest_per_object
from fink_gateway.science.classification import is_simbad_label
from fink_gateway.science.skymap import CredibleRegion, SkyMap, SkyMapError, credible_region
from fink_gateway.science.skymap import read_sky_map as parse_sky_map
from fink_gateway.store.types import Row, ScanRange

MAX_DAYS_BEFORE = 7.0
MAX_DAYS_AFTER = 14.0
_COLUMNS = tuple(c.column for c in PIXEL_COLUMNS)


def skymap_arguments(
    credible_level: float, days_before: float, days_after: float
) -> tuple[float, float, float]:
    """Validated (credible level in (0, 1], days before in [0, 7], days after in [0, 14])."""
    if not (math.isfinite(credible_level) and 0.0 < credible_level <= 1.0):
        raise InvalidArgument(
            f"credibleLevel {credible_level} must be in (0, 1], e.g. 0.9",
            argument="credibleLevel", value=credible_level,
        )  # fmt: skip
    for name, value, cap in (("daysBefore", days_before, MAX_DAYS_BEFORE),
                             ("daysAfter", days_after, MAX_DAYS_AFTER)):  # fmt: skip
        if not (math.isfinite(value) and 0.0 <= value <= cap):
            raise InvalidArgument(
                f"{name} {value} must be between 0 and {cap:g} days",
                argument=name, value=value,
            )  # fmt: skip
    return credible_level, days_before, days_after


def skymap_window(event_jd: float, days_before: float, days_after: float) -> tuple[float, float]:
    """[T − daysBefore, T + daysAfter] (JD) on the first detection; see the module docstring."""
    return event_jd - days_before, event_jd + days_after


def plan_skymap_scans(pixels: Sequence[int], jd_start: float, jd_end: float) -> list[ScanRange]:
    """One ``pixel128`` key range per pixel holding every jdstarthist in [start, end] (pure;
    the ranges may hold a few rows just outside: filter on the key's JD)."""
    ranges = []
    for pix in pixels:
        found = jd_key_range(f"{int(pix)}_".encode(), jd_start, jd_end)
        if found is None:
            return []
        ranges.append(found)
    return ranges


def map_path(folder: str, path: str) -> Path:
    """The file ``path`` names inside ``folder`` (relative to it, or absolute within it)."""
    if not folder:
        raise InvalidArgument(
            "reading sky maps from server files is disabled: upload the map as `bayestar` "
            "(the operator can allow a folder with the setting skymap.folder)",
            argument="path", value=path,
        )  # fmt: skip
    root = Path(folder).resolve()
    try:
        target = (root / path).resolve()
    except (OSError, ValueError):  # a NUL byte, a symlink loop
        raise InvalidArgument(f"invalid path {path!r}", argument="path", value=path) from None
    if not target.is_relative_to(root):
        raise InvalidArgument(
            f"path {path!r} is outside the sky-map folder", argument="path", value=path
        )
    if not target.is_file():
        raise NotFound(f"no sky map {path!r} in the sky-map folder", path=path)
    return target


async def _upload_bytes(upload: Any, max_bytes: int) -> bytes:
    """Up to ``max_bytes`` + 1 bytes of an upload (starlette ``UploadFile``, file, bytes)."""
    if isinstance(upload, bytes | bytearray):
        return bytes(upload[: max_bytes + 1])
    data = upload.read(max_bytes + 1)
    if inspect.isawaitable(data):
        data = await data
    return bytes(data)


async def load_sky_map(path: str | None, upload: Any | None, folder: str, max_bytes: int) -> SkyMap:
    """The map of exactly one of ``path`` (in ``folder``) and ``upload``; at most
    ``max_bytes`` bytes as stored (compressed)."""
    if (path is None) == (upload is None):
        raise InvalidArgument(
            "give exactly one of `bayestar` (an uploaded FITS file) and `path`",
            argument="bayestar" if upload is not None else "path",
        )
    argument = "path" if path is not None else "bayestar"
    if path is not None:
        target = map_path(folder, path)
        if target.stat().st_size > max_bytes:
            raise InvalidArgument(
                f"sky map {path!r} is larger than {max_bytes} bytes", argument="path", value=path
            )
        data = await anyio.Path(target).read_bytes()
    else:
        data = await _upload_bytes(upload, max_bytes)
        if len(data) > max_bytes:
            raise InvalidArgument(
                f"the uploaded sky map is larger than {max_bytes} bytes", argument="bayestar"
            )
    try:
        return await anyio.to_thread.run_sync(parse_sky_map, data)
    except SkyMapError as exc:
        raise InvalidArgument(str(exc), argument=argument) from None


@dataclass(frozen=True, slots=True)
class SkymapHit:
    """An object first detected in the region and window: its latest ``pixel128`` row."""

    object_id: str
    pixel: int  # nside 128, RING
    credible_level: float  # of its pixel
    record: dict[str, object]  # pixel128 columns by qualifier, incl. ``classification``
    simbad: bool


@dataclass(frozen=True, slots=True)
class SkymapResult:
    """The map, its region, the window (JD) and the objects found."""

    sky_map: SkyMap
    credible_level: float
    region: CredibleRegion
    window: tuple[float, float]
    hits: list[SkymapHit]


def _latest_hits(
    rows: list[Row], types: Any, levels: dict[int, float], days_after: float
) -> list[SkymapHit]:
    table = decode_columns(rows, types, [b"i:jd", b"i:jdstarthist"])
    jd = np.asarray(table["jd"], dtype=np.float64)
    first = np.asarray(table["jdstarthist"], dtype=np.float64)
    hits = []
    for i in latest_per_object(rows, jd):
        if not jd[i] - first[i] <= days_after:  # also drops NaN
            continue
        key, cells = rows[i]
        pix_text, _, object_id = key.decode().split("_", 2)
        record = decode_record(cells, types)
        simbad = bool(is_simbad_label([record.get("cdsxmatch", "Unknown")])[0])
        hits.append(SkymapHit(object_id, int(pix_text), levels[int(pix_text)], record, simbad))
    hits.sort(key=lambda h: (h.credible_level, h.object_id))
    return hits


async def skymap_search(
    reader: Reader, sky_map: SkyMap, credible_level: float, days_before: float,
    days_after: float,
) -> SkymapResult:  # fmt: skip
    """Objects first detected in the map's credible region within the window, most probable
    pixel first (ties by objectId). Every pixel is read in ONE store call."""
    region = await anyio.to_thread.run_sync(credible_region, sky_map.prob, credible_level)
    window = skymap_window(sky_map.event_jd, days_before, days_after)
    ranges = plan_skymap_scans(region.pixels.tolist(), *window)
    hits: list[SkymapHit] = []
    if ranges:
        types = await reader.types(tables.PIXEL128)
        found = await reader.scan(tables.PIXEL128, ranges, _COLUMNS)
        rows = [
            row for part in found for row in part
            if jd_in_window(float(row[0].split(b"_", 2)[1]), *window)
        ]  # fmt: skip
        levels = dict(zip(region.pixels.tolist(), region.levels.tolist(), strict=True))
        hits = _latest_hits(rows, types, levels, days_after) if rows else []
    return SkymapResult(sky_map, credible_level, region, window, hits)
