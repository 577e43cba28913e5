"""Rubin LSST reads (docs/fink-lsst.md): objects, their sources as light curves, cone search
on ``pixel1024`` and Solar System sources by designation.

Unlike Fink's API, an object is read with its exact key and its sources with the prefix
``<salt>_<id>_`` (trailing ``_``), so a longer id sharing the first digits and the salt never
answers for it (docs/fink-lsst.md §8.1). Ids are Python ints (64-bit, exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import rubin
from fink_gateway.layout.tables import TableSpec
from fink_gateway.loaders.decoding import Types, decode_columns, decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.science.coords import separation_deg
from fink_gateway.science.designations import pack_designation, unpack_designation
from fink_gateway.science.healpix import disc_pixels
from fink_gateway.store.types import Cells, Column, Row, ScanRange, next_prefix

ARCSEC_PER_DEG = 3600.0
_MAX_ID = 2**63 - 1


def dia_object_id(value: int | str, argument: str = "diaObjectId") -> int:
    """A 64-bit LSST id from its decimal text (or int); InvalidArgument otherwise."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > _MAX_ID:
        raise InvalidArgument(
            f"{argument} must be a non-negative 64-bit integer, got {value!r}",
            argument=argument, value=str(value),
        )  # fmt: skip
    return int(text)


def dia_object_ids(values: Sequence[int | str], cap: int) -> list[int]:
    """Valid ids in the order given; at most ``cap`` of them."""
    if len(values) > cap:
        raise InvalidArgument(
            f"too many diaObjectIds: {len(values)} given, at most {cap} per query",
            argument="diaObjectIds",
        )
    return [dia_object_id(v, "diaObjectIds") for v in values]


class LsstRecord:
    """One row: its key and its values by qualifier, decoded on first use (a query that
    asks an object's id and light curve never decodes its ~90 diaObject cells)."""

    __slots__ = ("_cells", "_types", "_values", "key")

    def __init__(
        self,
        key: bytes,
        values: dict[str, object] | None = None,
        cells: Cells | None = None,
        types: Types | None = None,
    ) -> None:
        self.key = key
        self._values = values
        self._cells = cells
        self._types = types

    @property
    def values(self) -> dict[str, object]:
        if self._values is None:
            self._values = decode_record(self._cells or {}, self._types or {})
        return self._values


async def load_dia_objects(reader: Reader, ids: Sequence[int]) -> list[LsstRecord | None]:
    """The ``diaObject`` row of each id (None where absent), in one store call."""
    keys = [rubin.object_key(i) for i in ids]
    types = await reader.types(rubin.DIA_OBJECT)
    found = await reader.scan(rubin.DIA_OBJECT, [ScanRange.closed(k, k) for k in keys], None)
    return [
        LsstRecord(rows[0][0], cells=rows[0][1], types=types) if rows else None
        for rows in found
    ]


@dataclass
class LsstSeries:
    """Rows of one source table decoded as columns (oldest first), for one object."""

    rows: list[Row]
    types: Types
    _columns: dict[str, np.ndarray | list[Any]] | None = None

    @property
    def length(self) -> int:
        return len(self.rows)

    def column(self, qualifier: str) -> np.ndarray | list[Any]:
        """The values of ``r:``/``f:`` column ``qualifier`` (NaN/None where absent)."""
        if self._columns is None:
            self._columns = {}
        if qualifier not in self._columns:
            column = self._find(qualifier)
            if column is None:
                self._columns[qualifier] = [None] * len(self.rows)
            else:
                self._columns[qualifier] = decode_columns(self.rows, self.types, [column])[
                    qualifier
                ]
        return self._columns[qualifier]

    def floats(self, qualifier: str) -> np.ndarray:
        values = self.column(qualifier)
        if isinstance(values, np.ndarray):
            return values.astype(np.float64)
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    def _find(self, qualifier: str) -> Column | None:
        for family in (b"r:", b"f:"):
            column = family + qualifier.encode()
            if column in self.types or any(column in cells for _, cells in self.rows[:1]):
                return column
        return None


SERIES_COLUMNS: dict[str, tuple[str, ...]] = {
    "length": (),
    "midpointMjdTai": ("r:midpointMjdTai",),
    "band": ("r:band",),
    "psfFlux": ("r:psfFlux",),
    "psfFluxErr": ("r:psfFluxErr",),
    "scienceFlux": ("r:scienceFlux",),
    "scienceFluxErr": ("r:scienceFluxErr",),
    "mag": ("r:psfFlux", "r:psfFluxErr"),
    "magErr": ("r:psfFlux", "r:psfFluxErr"),
    "ra": ("r:ra",),
    "dec": ("r:dec",),
    "sourceId": ("r:diaSourceId", "r:diaForcedSourceId"),
    "__typename": (),
}
"""Columns each light-curve field reads (``column(name)`` reads its own)."""


def series_columns(fields: Sequence[tuple[str, object]]) -> tuple[Column, ...]:
    """Columns to read for the selected (field name, ``column`` argument) pairs; empty: all
    columns (a field this map does not know)."""
    wanted: set[str] = set()
    for name, argument in fields:
        if name == "column" and isinstance(argument, str) and ":" in argument:
            wanted.add(argument)
        elif name in SERIES_COLUMNS:
            wanted.update(SERIES_COLUMNS[name])
        else:
            return ()
    return tuple(sorted(c.encode() for c in wanted)) or (b"r:midpointMjdTai",)


async def load_sources(
    reader: Reader, spec: TableSpec, prefixes: Sequence[bytes], columns: Sequence[Column] = ()
) -> list[LsstSeries]:
    """The rows under each prefix of a source table (``diaSource_static``, ``fp``,
    ``diaSource_sso``) with ``columns`` (empty: all), sorted by ``midpointMjdTai``. Through
    the request's batching loader: the light curves of every object of a query are read in
    one store call (and cached)."""
    types = await reader.types(spec)
    loads = [reader.rows_with_prefix(spec, p, columns) for p in prefixes]  # batched futures
    found = [await load for load in loads]
    series = []
    for rows in found:
        mjd = np.array([float(k.rsplit(b"_", 1)[1]) for k, _ in rows], dtype=np.float64)
        order = np.argsort(mjd, kind="stable")
        series.append(LsstSeries([rows[i] for i in order.tolist()], types))
    return series


def ab_magnitude(flux_njy: np.ndarray, flux_err_njy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """AB magnitude of a flux in nJy (m = −2.5 log10(f / 3631 Jy) = 31.4 − 2.5 log10 f) and
    its 1σ uncertainty 2.5/ln 10 · σ_f / f; NaN for non-positive fluxes."""
    with np.errstate(divide="ignore", invalid="ignore"):
        positive = flux_njy > 0
        mag = np.where(positive, 31.4 - 2.5 * np.log10(np.where(positive, flux_njy, 1.0)), np.nan)
        err = np.where(positive, 2.5 / np.log(10.0) * flux_err_njy / flux_njy, np.nan)
    return mag, err


def pixel_runs(pixels: Sequence[int]) -> list[ScanRange]:
    """Scan ranges over keys ``<pixel>_…`` of sorted pixels: one per run of consecutive
    pixels with as many digits (text order is number order then), so that a disc of
    thousands of pixels (a few degrees at nside 1024) is a few hundred ranges. A range may
    also hold a pixel of fewer digits (``1097249_`` sorts inside ``10972492_``…``10972500_``):
    callers keep the rows of their pixels only."""
    runs: list[list[int]] = []
    for pixel in pixels:
        run = runs[-1] if runs else None
        if run and pixel == run[-1] + 1 and len(str(pixel)) == len(str(run[0])):
            run.append(pixel)
        else:
            runs.append([pixel])
    return [
        ScanRange(f"{run[0]}_".encode(), next_prefix(f"{run[-1]}_".encode())) for run in runs
    ]


@dataclass(frozen=True, slots=True)
class LsstConeHit:
    """One object in the cone: its newest ``pixel1024`` row, decoded."""

    dia_object_id: int
    separation_arcsec: float
    values: dict[str, object]


async def lsst_cone_search(
    reader: Reader, ra_deg: float, dec_deg: float, radius_arcsec: float
) -> list[LsstConeHit]:
    """Objects whose newest ``pixel1024`` row (the position of its last source) lies within
    ``radius_arcsec`` of (ra, dec), nearest first; every pixel read in one store call."""
    pixels = disc_pixels(ra_deg, dec_deg, radius_arcsec / ARCSEC_PER_DEG, rubin.PIXEL_NSIDE)
    types = await reader.types(rubin.PIXEL1024)
    found = await reader.scan(rubin.PIXEL1024, pixel_runs(pixels.tolist()), None)
    wanted = {str(p).encode() for p in pixels.tolist()}
    rows = [row for part in found for row in part if row[0].split(b"_", 1)[0] in wanted]
    if not rows:
        return []
    table = decode_columns(rows, types, [b"r:midpointMjdTai", b"r:ra", b"r:dec"])
    mjd = np.asarray(table["midpointMjdTai"], dtype=np.float64)
    newest: dict[bytes, int] = {}
    for i, (key, _) in enumerate(rows):
        oid = key.rsplit(b"_", 1)[1]
        j = newest.get(oid)
        if j is None or mjd[i] > mjd[j]:
            newest[oid] = i
    chosen = list(newest.values())
    ra = np.asarray(table["ra"], dtype=np.float64)[chosen]
    dec = np.asarray(table["dec"], dtype=np.float64)[chosen]
    separation = separation_deg(ra_deg, dec_deg, ra, dec) * ARCSEC_PER_DEG
    hits = [
        LsstConeHit(int(rows[i][0].rsplit(b"_", 1)[1]), sep, decode_record(rows[i][1], types))
        for i, sep in zip(chosen, separation.tolist(), strict=True)
        if sep <= radius_arcsec  # also drops NaN positions
    ]
    hits.sort(key=lambda h: (h.separation_arcsec, h.dia_object_id))
    return hits


def packed_designation(name: str) -> str:
    """The packed MPC designation Fink keys Solar System tables with (``2001 SB97`` →
    ``K01S97B``; a packed one is kept); InvalidArgument when it is neither."""
    text = " ".join(name.split())
    if unpack_designation(text) is not None:
        return text
    packed = pack_designation(text)
    if packed is None:
        raise InvalidArgument(
            f"{name!r} is not a provisional designation (e.g. '2001 SB97' or 'K01S97B')",
            argument="designation", value=name,
        )  # fmt: skip
    return packed
