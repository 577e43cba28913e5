"""Gravitational-wave sky maps: a bayestar HEALPix FITS file → the credible region at the
resolution of Fink's ``pixel128`` index (FINK-REFERENCE §11).

:func:`read_sky_map` streams the (gzipped) FITS file: it parses the headers with astropy and
keeps only the ``PROB`` column, chunk by chunk, so memory stays at one float64 per pixel
whatever the other columns (``DISTMU``…), and the bytes it reads are bounded by the header
(``MAX_NSIDE``), which defuses decompression bombs. :func:`credible_levels` and
:func:`credible_region` follow Fink: greedy credible levels (ligo.skymap's
``find_greedy_credible_levels``), averaged to nside 128 with ``healpy.ud_grade``.

Pure functions: bytes or a binary file in, numpy out.
"""

from __future__ import annotations

import gzip
import io
import math
import re
import warnings
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import healpy
import numpy as np
import numpy.typing as npt
from astropy.io import fits
from astropy.time import Time
from astropy.utils.exceptions import AstropyUserWarning

from fink_gateway.science.healpix import NSIDE

FloatArray = npt.NDArray[np.float64]
_Stream = BinaryIO | gzip.GzipFile  # a map file, or the gunzipped stream over it

MAX_NSIDE = 2048
"""Finest map accepted: 50 M pixels, ~1.2 GB of work arrays. GW maps are 512–2048."""
MAX_HEADER_BYTES = 2 * 1024 * 1024
"""Most header bytes read before the table (a bayestar header is 2 FITS blocks)."""
_BLOCK = 2880
_CHUNK_BYTES = 16 * 1024 * 1024
_TFORM = re.compile(r"\s*(\d*)([LXBIJKAEDCMPQ])")
_WIDTH = {"L": 1, "B": 1, "I": 2, "J": 4, "K": 8, "A": 1, "E": 4, "D": 8, "C": 8, "M": 16,
          "P": 8, "Q": 16}  # fmt: skip
_FLOATS = {"E": ">f4", "D": ">f8"}


class SkyMapError(ValueError):
    """A file that is not a flat HEALPix probability map this module can read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return f"unreadable sky map: {self.reason}"


@dataclass(frozen=True, slots=True)
class SkyMap:
    """A probability sky map in RING order."""

    prob: FloatArray  # probability per pixel (sums to ~1), RING
    nside: int
    event_jd: float  # DATE-OBS, JD (UTC)
    date_obs: str  # DATE-OBS as written, ISO 8601 UTC
    event_name: str | None  # OBJECT header card (GraceDB id)


class _Limited(io.RawIOBase):
    """Reads through ``stream``, refusing to go past ``limit`` bytes in all."""

    def __init__(self, stream: _Stream, limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = self.limit - self.count + 1
        data = self.stream.read(size)
        self.count += len(data)
        if self.count > self.limit:
            raise SkyMapError(f"more than {self.limit} bytes before the end of the map")
        return data

    # narrower than RawIOBase's any writable buffer: it assigns to a slice of it
    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_exact(stream: _Stream | _Limited, size: int) -> bytes:
    parts, left = [], size
    while left > 0:
        data = stream.read(min(left, _CHUNK_BYTES))
        if not data:
            raise SkyMapError(f"file ends {left} bytes before the end of its table")
        parts.append(data)
        left -= len(data)
    return b"".join(parts)


def _header(stream: _Limited, what: str) -> fits.Header:
    try:
        with warnings.catch_warnings():  # padding remarks: the checks below are stricter
            warnings.simplefilter("ignore", AstropyUserWarning)
            return fits.Header.fromfile(stream)
    except SkyMapError:
        raise
    except (OSError, ValueError, EOFError, zlib.error) as exc:
        raise SkyMapError(f"{what}: not a FITS header ({exc})") from exc


def _data_bytes(header: fits.Header) -> int:
    """Size of an HDU's data including its padding to whole FITS blocks."""
    naxis = int(header.get("NAXIS", 0))
    if naxis == 0:
        return 0
    count = math.prod(int(header.get(f"NAXIS{i}", 0)) for i in range(1, naxis + 1))
    size = (
        abs(int(header.get("BITPIX", 8)))
        // 8
        * int(header.get("GCOUNT", 1))
        * (int(header.get("PCOUNT", 0)) + count)
    )
    return -(-size // _BLOCK) * _BLOCK


def _column_layout(header: fits.Header, name: str) -> tuple[int, str, int]:
    """(byte offset in a row, numpy dtype, values per row) of a float column."""
    offset = 0
    for i in range(1, int(header.get("TFIELDS", 0)) + 1):
        match = _TFORM.match(str(header.get(f"TFORM{i}", "")))
        if match is None:
            raise SkyMapError(f"column {i}: unknown TFORM {header.get(f'TFORM{i}')!r}")
        repeat = int(match.group(1) or 1)
        code = match.group(2)
        if str(header.get(f"TTYPE{i}", "")).strip().upper() == name:
            if code not in _FLOATS:
                raise SkyMapError(f"column {name} has TFORM {code}, not E or D")
            return offset, _FLOATS[code], repeat
        offset += -(-repeat // 8) if code == "X" else repeat * _WIDTH[code]
    raise SkyMapError(f"no {name} column in the table")


def _nside(header: fits.Header, naxis2: int, repeat: int) -> int:
    ordering = str(header.get("ORDERING", "")).strip().upper()
    if ordering not in ("RING", "NESTED"):
        raise SkyMapError(
            f"ORDERING {ordering or 'missing'}: only flat RING or NESTED maps are read "
            "(flatten a multi-order map first, e.g. with ligo-skymap-flatten)"
        )
    if str(header.get("INDXSCHM", "IMPLICIT")).strip().upper() != "IMPLICIT":
        raise SkyMapError("INDXSCHM is not IMPLICIT (partial maps are not supported)")
    nside = int(header.get("NSIDE", 0) or healpy.npix2nside(naxis2 * repeat))
    if nside < 1 or nside & (nside - 1) or nside > MAX_NSIDE:
        raise SkyMapError(f"NSIDE {nside} is not a power of two up to {MAX_NSIDE}")
    if 12 * nside * nside != naxis2 * repeat:
        raise SkyMapError(f"{naxis2 * repeat} pixels, but NSIDE {nside} needs {12 * nside**2}")
    return nside


def _event_time(*headers: fits.Header) -> tuple[str, float]:
    for header in headers:
        date_obs = header.get("DATE-OBS")
        if date_obs:
            try:
                return str(date_obs), float(Time(str(date_obs), scale="utc").jd)
            except ValueError as exc:
                raise SkyMapError(f"DATE-OBS {date_obs!r} is not a date") from exc
    raise SkyMapError("no DATE-OBS card: the time of the event is unknown")


def read_sky_map(source: bytes | BinaryIO) -> SkyMap:
    """Read the probability of a flat HEALPix FITS map (plain or gzipped), in RING order.

    Parameters
    ----------
    source
        The file's bytes, or a binary file positioned at its start.

    Returns
    -------
    SkyMap
        ``prob`` per pixel (NESTED maps reordered to RING; NaN, UNSEEN and negative values
        → 0), NSIDE, and the event time from ``DATE-OBS`` (JD, UTC).

    Raises
    ------
    SkyMapError
        Not gzip/FITS, no ``PROB`` column, multi-order or partial map, NSIDE above
        ``MAX_NSIDE``, no ``DATE-OBS``, or a truncated file.
    """
    raw: BinaryIO = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    head = raw.read(2)
    raw.seek(0)
    stream: _Stream = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw
    try:
        return _read(stream)
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise SkyMapError(f"not a readable (gzipped) FITS file ({exc})") from exc


def _read(stream: _Stream) -> SkyMap:
    limited = _Limited(stream, MAX_HEADER_BYTES)
    primary = _header(limited, "primary HDU")
    skip = _data_bytes(primary)
    if skip:
        limited.limit += skip
        _read_exact(limited, skip)
    table = _header(limited, "HDU 1")
    if str(table.get("XTENSION", "")).strip() != "BINTABLE":
        raise SkyMapError("HDU 1 is not a binary table")
    row_bytes, rows = int(table.get("NAXIS1", 0)), int(table.get("NAXIS2", 0))
    offset, dtype, repeat = _column_layout(table, "PROB")
    nside = _nside(table, rows, repeat)
    row = np.dtype({"names": ["p"], "formats": [(dtype, (repeat,))], "offsets": [offset],
                    "itemsize": row_bytes})  # fmt: skip
    prob = np.empty(rows * repeat, dtype=np.float64)
    per_chunk = max(1, _CHUNK_BYTES // max(row_bytes, 1))
    for start in range(0, rows, per_chunk):
        n = min(per_chunk, rows - start)
        chunk = np.frombuffer(_read_exact(stream, n * row_bytes), dtype=row)
        prob[start * repeat : (start + n) * repeat] = chunk["p"].ravel()
    prob[~((prob > 0.0) & np.isfinite(prob))] = 0.0  # NaN, UNSEEN (−1.6375e30), negatives
    if str(table.get("ORDERING")).strip().upper() == "NESTED":
        prob = healpy.reorder(prob, n2r=True)
    date_obs, event_jd = _event_time(table, primary)
    name = table.get("OBJECT") or primary.get("OBJECT")
    return SkyMap(prob, nside, event_jd, date_obs, None if name is None else str(name).strip())


def credible_levels(prob: npt.ArrayLike) -> FloatArray:
    """Greedy credible level of each pixel: the probability of all pixels at least as
    probable as it (most probable pixel ≈ its own probability, least probable ≈ 1).

    Ranking as ligo.skymap's ``find_greedy_credible_levels`` (reversed ascending argsort).
    """
    p = np.asarray(prob, dtype=np.float64)
    order = np.argsort(p)[::-1]
    levels = np.empty_like(p)
    levels[order] = np.cumsum(p[order])
    return levels


@dataclass(frozen=True, slots=True)
class CredibleRegion:
    """Pixels (nside 128, RING) whose averaged credible level is within the bound."""

    pixels: npt.NDArray[np.int64]  # sorted
    levels: FloatArray  # the averaged credible level of each pixel

    @property
    def area_deg2(self) -> float:
        """Area of the region, square degrees."""
        return float(len(self.pixels) * healpy.nside2pixarea(NSIDE, degrees=True))


def credible_region(
    prob_ring: npt.ArrayLike, credible_level: float, nside: int = NSIDE
) -> CredibleRegion:
    """The ``credible_level`` region (0–1) at ``nside`` (Fink: 128), as Fink's ``/skymap``.

    Credible levels at the map's own resolution, averaged to ``nside`` (``ud_grade``), then
    the pixels whose level is ≤ ``credible_level``.
    """
    levels = np.asarray(healpy.ud_grade(credible_levels(prob_ring), nside), dtype=np.float64)
    pixels = np.flatnonzero(levels <= credible_level).astype(np.int64)
    return CredibleRegion(pixels, levels[pixels])
