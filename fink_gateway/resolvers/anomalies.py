"""Anomalies (FINK-REFERENCE §11): the ``anomaly`` table (Fink's ≤ 10 most anomalous alerts
per night, full main-table layout, key ``<jd>_<objectId>``), newest first.

A page is a reversed range scan between the JD texts of the window, from just below the
cursor (the last row key of the previous page). Text order is not exactly numeric order
(see :func:`~fink_gateway.resolvers.conesearch.jd_key_range`), so the range is planned wide
and rows are filtered on the JD of their key: the window is exact at both ends. Unlike
Fink's ``stop_date`` (which adds a day), ``until`` is the last moment included, as in every
other query of the gateway.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from fink_gateway.errors import InvalidArgument, QueryTooCostly
from fink_gateway.layout import tables
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers import args
from fink_gateway.resolvers.conesearch import jd_in_window, jd_key_range
from fink_gateway.resolvers.keyset import EMPTY_PAGE, KeysetPage, keyset_page, scan_kept
from fink_gateway.resolvers.records import alert_records
from fink_gateway.store.types import Column, ScanRange

DEFAULT_SINCE_JD = 2458788.5
"""Fink's default ``start_date``: 2019-11-01T00:00:00 UTC."""
MAX_SCANNED_ROWS = 10_000
"""Rows one page may read; only rows at the window's edges are read and dropped."""
COUNT_CAP = 100_000
"""Largest ``totalCount`` computed (Fink keeps ≤ 10 rows a night: ~2,500 in 2019–2026)."""

_KEY = re.compile(rb"\d+\.\d+(?:E\d+)?_[^_]+\Z")
_CURSOR_KIND = "anomaly"
_JD, _OBJECT_ID = b"i:jd", b"i:objectId"


def anomaly_window(since: str | None, until: str | None) -> tuple[float, float]:
    """(since, until) as JD; defaults 2019-11-01 (Fink's) and now."""
    since_jd, until_jd = args.date_window(since, until)
    start = DEFAULT_SINCE_JD if since_jd is None else since_jd
    stop = args.now_jd() if until_jd is None else until_jd
    if start > stop:
        raise InvalidArgument(
            f"since ({since}) is after until (now)", argument="since", value=since
        )
    return start, stop


def anomaly_cursor(key: bytes) -> str:
    """The opaque cursor of a row: its key."""
    return args.encode_cursor(_CURSOR_KIND, key.decode())


def anomaly_cursor_key(cursor: str | None) -> bytes | None:
    """The row key a cursor names; InvalidArgument when it is not an anomaly cursor."""
    text = args.decode_cursor(cursor, _CURSOR_KIND)
    if text is None:
        return None
    key = text.encode()
    if not _KEY.match(key):
        raise InvalidArgument(f"invalid cursor {cursor!r}", argument="after", value=cursor)
    return key


def _jd_of(key: bytes) -> float:
    return float(key.split(b"_", 1)[0])


def anomaly_columns(wanted: Collection[Column]) -> tuple[Column, ...]:
    """Columns to read: those wanted plus ``i:jd`` and ``i:objectId``."""
    return tuple(sorted({*wanted, _JD, _OBJECT_ID}))


async def anomaly_page(
    reader: Reader,
    window: tuple[float, float],
    first: int,
    after: bytes | None,
    columns: Collection[Column],
) -> KeysetPage:
    """Up to ``first`` anomalous alerts in ``window`` (JD, both ends included), newest key
    first, strictly below ``after``."""
    found = jd_key_range(b"", *window)
    if found is None:
        return EMPTY_PAGE
    wanted = anomaly_columns(columns)
    types = await reader.types(tables.ANOMALY)
    need = first + 1
    kept = await scan_kept(
        reader, tables.ANOMALY, found, after, wanted,
        lambda key, _: jd_in_window(_jd_of(key), *window), need, need, MAX_SCANNED_ROWS,
    )  # fmt: skip
    return keyset_page(alert_records(kept.rows[:first], types, wanted), kept, first)


async def count_anomalies(reader: Reader, window: tuple[float, float]) -> int:
    """Anomalous alerts in ``window`` (JD); QueryTooCostly past ``COUNT_CAP``."""
    found = jd_key_range(b"", *window)
    if found is None:
        return 0
    scan = ScanRange(found.start, found.stop, limit=COUNT_CAP + 1)
    (rows,) = await reader.scan(tables.ANOMALY, [scan], [_JD])
    if len(rows) > COUNT_CAP:
        raise QueryTooCostly(
            f"more than {COUNT_CAP} anomalies in the window: do not select totalCount, or "
            "narrow since/until",
            limit=COUNT_CAP,
        )
    return sum(1 for key, _ in rows if jd_in_window(_jd_of(key), *window))
