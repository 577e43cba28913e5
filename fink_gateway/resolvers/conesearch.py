"""Cone search over ``pixel128`` (FINK-REFERENCE §3): plan the pixel scans, run them in one
round trip, keep the latest alert of each object, filter by exact angular separation.

Row keys are ``<pix>_<jdstarthist>_<objectId>`` with the JD as Java ``Double.toString`` text
(Python ``repr``), so a date window on the first detection is a key range per pixel. Text
order is not numeric order (``…943.0_`` sorts after ``…943.05_``, as ``_`` follows digits),
so ranges are planned wide enough to hold every row of the window and the rows are then
filtered on the JD parsed from their key: results are exact at both ends of the window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.layout.columns import PIXEL_COLUMNS
from fink_gateway.loaders.decoding import decode_columns, decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers import args
from fink_gateway.science.classification import is_simbad_label
from fink_gateway.science.coords import separation_deg
from fink_gateway.science.healpix import NSIDE, disc_pixels
from fink_gateway.store.types import Row, ScanRange, next_prefix

ARCSEC_PER_DEG = 3600.0
JD_TEXT_MIN = 1_000_000.0
JD_TEXT_MAX = 10_000_000.0
"""JDs in [min, max) print with 7 integer digits, where text order follows numeric order
up to the quirk above; no alert lies outside (JD 1e6 is −1975, JD 1e7 is 22666)."""
MJD_TEXT_RANGE = (10_000.0, 100_000.0)
"""MJDs with 5 integer digits: 1886-05 to 2132-08."""

_COLUMNS = tuple(c.column for c in PIXEL_COLUMNS)


def jd_key_range(
    prefix: bytes,
    since_jd: float | None,
    until_jd: float | None,
    text_range: tuple[float, float] = (JD_TEXT_MIN, JD_TEXT_MAX),
) -> ScanRange | None:
    """Keys ``<prefix><jd text>_…`` holding every JD in [since, until] (None: unbounded).

    ``text_range`` is where the dates of the keys print with one number of integer digits
    (7 for JDs; pass ``MJD_TEXT_RANGE`` for keys that start with an MJD).

    The range may also hold a few rows just outside the window (filter them with
    :func:`jd_in_window`); None when the window holds no representable JD.

    Lower bound: every key of a JD ≥ since is ≥ ``prefix + repr(since)``. Upper bound: a
    JD ≤ until is either until itself or, at its first differing digit, smaller — or its
    text is a *prefix* of until's text (``2460943.0`` ≤ ``2460943.05``), and that key sorts
    above until's. All of them sort below ``prefix + <until text to its first decimal> + "`"``
    (the byte after ``_``).
    """
    low, high = since_jd, until_jd
    text_min, text_max = text_range
    if (low is not None and low >= text_max) or (high is not None and high < text_min):
        return None
    if low is not None and high is not None and low > high:
        return None
    start = prefix if low is None else prefix + repr(float(max(low, text_min))).encode()
    if high is None:
        return ScanRange(start, next_prefix(prefix))
    text = repr(float(min(high, np.nextafter(text_max, 0.0))))
    first_decimal = text[: text.index(".") + 2]
    return ScanRange(start, next_prefix(prefix + first_decimal.encode() + b"_"))


def jd_in_window(jd: float, since_jd: float | None, until_jd: float | None) -> bool:
    """since ≤ jd ≤ until (JD; a None bound is open)."""
    return (since_jd is None or jd >= since_jd) and (until_jd is None or jd <= until_jd)


def plan_cone_scans(
    ra_deg: float,
    dec_deg: float,
    radius_arcsec: float,
    since_jd: float | None = None,
    until_jd: float | None = None,
) -> list[ScanRange]:
    """One key range of ``pixel128`` per HEALPix pixel touching the cone (pure).

    Parameters
    ----------
    ra_deg, dec_deg : float
        Centre (ICRS), deg.
    radius_arcsec : float
        Cone radius, arcsec.
    since_jd, until_jd : float or None
        Window on the objects' first detection (``jdstarthist``), JD, both ends included;
        None is open. Without either bound each range is the prefix ``<pix>_``.

    Returns
    -------
    list of ScanRange
        In pixel order (nside 128, RING, inclusive disc); empty when the window is empty.
    """
    pixels = disc_pixels(ra_deg, dec_deg, radius_arcsec / ARCSEC_PER_DEG, NSIDE)
    ranges = []
    for pix in pixels.tolist():
        prefix = f"{pix}_".encode()
        if since_jd is None and until_jd is None:
            ranges.append(ScanRange.prefix(prefix))
            continue
        found = jd_key_range(prefix, since_jd, until_jd)
        if found is None:
            return []
        ranges.append(found)
    return ranges


@dataclass(frozen=True, slots=True)
class ConeHit:
    """One object in the cone: its latest ``pixel128`` row, decoded."""

    object_id: str
    separation_arcsec: float
    record: dict[str, object]  # pixel128 columns by qualifier, incl. ``classification``
    simbad: bool  # the classification is the SIMBAD cross-match type


def latest_per_object(rows: Sequence[Row], jd: np.ndarray) -> list[int]:
    """Position of the max-JD row of each object (objectId from the key), first on ties."""
    best: dict[bytes, int] = {}
    for i, (key, _) in enumerate(rows):
        oid = key.rsplit(b"_", 1)[1]
        j = best.get(oid)
        if j is None or jd[i] > jd[j]:
            best[oid] = i
    return list(best.values())


async def cone_search(
    reader: Reader,
    ra_deg: float,
    dec_deg: float,
    radius_arcsec: float,
    since_jd: float | None = None,
    until_jd: float | None = None,
) -> list[ConeHit]:
    """Objects whose latest alert lies within ``radius_arcsec`` of (ra, dec), nearest first.

    Every pixel is read in ONE store call; the window applies to ``jdstarthist`` (JD, ends
    included), as in Fink. Ties in separation are ordered by objectId.
    """
    ranges = plan_cone_scans(ra_deg, dec_deg, radius_arcsec, since_jd, until_jd)
    if not ranges:
        return []
    types = await reader.types(tables.PIXEL128)
    found = await reader.scan(tables.PIXEL128, ranges, _COLUMNS)
    rows = [
        row
        for rows in found
        for row in rows
        if jd_in_window(float(row[0].split(b"_", 2)[1]), since_jd, until_jd)
    ]
    if not rows:
        return []
    table = decode_columns(rows, types, [b"i:jd", b"i:ra", b"i:dec"])
    jd = np.asarray(table["jd"], dtype=np.float64)
    latest = latest_per_object(rows, jd)
    ra = np.asarray(table["ra"], dtype=np.float64)[latest]
    dec = np.asarray(table["dec"], dtype=np.float64)[latest]
    separation = separation_deg(ra_deg, dec_deg, ra, dec) * ARCSEC_PER_DEG
    hits = []
    for i, sep in zip(latest, separation.tolist(), strict=True):
        if not sep <= radius_arcsec:  # also drops NaN positions
            continue
        key, cells = rows[i]
        record = decode_record(cells, types)
        simbad = bool(is_simbad_label([record.get("cdsxmatch", "Unknown")])[0])
        hits.append(ConeHit(key.rsplit(b"_", 1)[1].decode(), sep, record, simbad))
    hits.sort(key=lambda h: (h.separation_arcsec, h.object_id))
    return hits


@dataclass(frozen=True, slots=True)
class ConePage:
    """A page of cone hits: (position in the full list, hit) pairs."""

    items: list[tuple[int, ConeHit]]
    has_next: bool
    total: int


def cone_page(hits: Sequence[ConeHit], first: int, after: int | None) -> ConePage:
    """Hits after position ``after`` (None: from the start), at most ``first`` of them."""
    start = 0 if after is None else after + 1
    chosen = list(enumerate(hits))[start : start + first]
    return ConePage(chosen, start + first < len(hits), len(hits))


CURSOR_KIND = "cone"


def cone_cursor(position: int) -> str:
    """The opaque cursor of the hit at ``position`` in the separation-sorted list."""
    return args.encode_cursor(CURSOR_KIND, str(position))


def cone_position(cursor: str | None) -> int | None:
    """The position a cone cursor names; InvalidArgument when it is not a cone cursor."""
    text = args.decode_cursor(cursor, CURSOR_KIND)
    if text is None:
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidArgument(f"invalid cursor {cursor!r}", argument="after", value=cursor)
    return int(text)
