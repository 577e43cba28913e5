"""Fink's LSST tags (docs/fink-lsst.md §4.8, §6): the alerts that passed a Fink filter, one
table ``rubin.tag_<tag>`` per tag, key ``<midpointMjdTai>_<diaObjectId>``, newest first.

A page is a reversed range scan from just below the cursor (the last key of the previous
page), filtered on the exact window as for ZTF classes. Dates are UTC; keys hold MJD TAI, so
the window is converted (TAI − UTC = 37 s since 2017).
"""

from __future__ import annotations

from astropy.time import Time

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import rubin
from fink_gateway.layout.tables import TableSpec
from fink_gateway.loaders.decoding import decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers import args
from fink_gateway.resolvers.conesearch import MJD_TEXT_RANGE, jd_in_window, jd_key_range
from fink_gateway.resolvers.keyset import EMPTY_PAGE, KeysetPage, keyset_page, scan_kept
from fink_gateway.resolvers.records import AlertRecord
from fink_gateway.store.types import Cells, ScanRange

MAX_SCANNED_ROWS = 10_000
"""Rows one page may read (only rows at the window's edges are read and dropped)."""
CURSOR_KIND = "lsst-tag"
_DIGITS_END = b":"  # the byte after "9"


async def known_tags(reader: Reader) -> list[str]:
    """The tags the store has a table of, sorted."""
    prefix = f"{reader.prefix}.{rubin.TAG_PREFIX}"
    names = await reader.store.list_tables()
    return sorted(n[len(prefix) :] for n in names if n.startswith(prefix))


async def tag_spec(reader: Reader, tag: str) -> TableSpec:
    """The table of ``tag``; InvalidArgument (listing the known ones) when there is none."""
    known = await known_tags(reader)
    if tag not in known:
        raise InvalidArgument(
            f"unknown LSST tag {tag!r}; the store has: {', '.join(known) or 'none'}",
            argument="tag", value=tag,
        )  # fmt: skip
    return rubin.tag_table(tag)


def mjd_tai_window(since: str | None, until: str | None) -> tuple[float | None, float | None]:
    """The (since, until) dates (UTC; ISO, JD or MJD as elsewhere) as MJD TAI."""
    since_jd, until_jd = args.date_window(since, until)

    def tai(jd: float | None) -> float | None:
        return None if jd is None else float(Time(jd, format="jd", scale="utc").tai.mjd)

    return tai(since_jd), tai(until_jd)


def tag_cursor(key: bytes) -> str:
    return args.encode_cursor(CURSOR_KIND, key.decode())


def tag_cursor_key(cursor: str | None) -> bytes | None:
    text = args.decode_cursor(cursor, CURSOR_KIND)
    return None if text is None else text.encode()


async def tag_page(
    reader: Reader,
    spec: TableSpec,
    window: tuple[float | None, float | None],
    first: int,
    after: bytes | None,
) -> KeysetPage:
    """Up to ``first`` alerts of the tag within ``window`` (MJD TAI, ends included), newest
    key first, strictly below ``after``."""
    found = jd_key_range(b"", *window, text_range=MJD_TEXT_RANGE)
    if found is None:
        return EMPTY_PAGE
    # keys of data start with a digit: end below Fink's schema rows ("schema_…"), which a
    # reversed scan would meet first and the reader drops after the scan's limit
    stop = _DIGITS_END if found.stop is None else min(found.stop, _DIGITS_END)
    found = ScanRange(found.start, stop)
    types = await reader.types(spec)
    need = first + 1

    def keep(key: bytes, _: Cells) -> bool:
        return jd_in_window(float(key.split(b"_", 1)[0]), *window)

    kept = await scan_kept(reader, spec, found, after, None, keep, need, need, MAX_SCANNED_ROWS)
    items = [AlertRecord(k, decode_record(c, types), False) for k, c in kept.rows[:first]]
    return keyset_page(items, kept, first)
