"""Tracklets (FINK-REFERENCE §5.3): alerts of fast movers grouped by Fink's tracklet id,
read from the ``tracklet`` table (key ``<tracklet>_<objectId>``, the 77 index columns).

A tracklet id is ``TRCK_<YYYYMMDD>_<HHMMSS>_<NN>``: the exposure time (UTC) and a counter.
A lookup by ``id`` is a prefix scan on ``<id>_``; by ``date`` (``YYYY-MM-DD``, optionally with
``HH``, ``HH:MM`` or ``HH:MM:SS``) a prefix scan on ``TRCK_`` + the date with ``-``/``:``
removed and the space made ``_`` (``2024-11-03 01:02`` → ``TRCK_20241103_0102``). Every
prefix starts with ``TRCK_``, so the rows Fink writes for the literal tracklet ``"None"``
(§1.4 quirk) are never returned.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.layout.columns import INDEX_COLUMNS
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.records import AlertRecord, alert_records
from fink_gateway.store.types import Column

TRACKLET_ID = re.compile(r"TRCK_(\d{8})_(\d{6})_(\d{2})\Z")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2})(?::(\d{2})(?::(\d{2}))?)?)?\Z")
_INDEX = frozenset(c.column for c in INDEX_COLUMNS)
_OBJECT_ID = b"i:objectId"


def tracklet_id(value: str) -> str:
    """A valid tracklet id ``TRCK_YYYYMMDD_HHMMSS_NN`` (a real date and time)."""
    match = TRACKLET_ID.match(value)
    if match is None or _moment(match.group(1) + match.group(2), "%Y%m%d%H%M%S") is None:
        raise InvalidArgument(
            f"malformed tracklet id {value!r}: expected TRCK_YYYYMMDD_HHMMSS_NN, "
            "e.g. TRCK_20210604_093609_00",
            argument="id", value=value,
        )  # fmt: skip
    return value


def _moment(text: str, pattern: str) -> datetime | None:
    try:
        return datetime.strptime(text, pattern)
    except ValueError:
        return None


def date_prefix(value: str) -> str:
    """``TRCK_`` + the date (and time) as tracklet ids write it, for a prefix scan."""
    match = _DATE.match(value.strip())
    parts = [] if match is None else [p for p in match.groups() if p is not None]
    pattern = "%Y%m%d%H%M%S"[: 2 * len(parts)]
    if match is None or _moment("".join(parts), pattern) is None:
        raise InvalidArgument(
            f"malformed date {value!r}: expected YYYY-MM-DD, optionally followed by HH, "
            "HH:MM or HH:MM:SS (UTC), e.g. '2024-11-03' or '2024-11-03 01:02'",
            argument="date", value=value,
        )  # fmt: skip
    day, clock = "".join(parts[:3]), "".join(parts[3:])
    return f"TRCK_{day}_{clock}" if clock else f"TRCK_{day}"


def tracklet_prefix(date: str | None, id: str | None) -> bytes:
    """The row-key prefix of a lookup: exactly one of ``date`` and ``id`` must be given."""
    if (date is None) == (id is None):
        raise InvalidArgument(
            "give exactly one of `date` (YYYY-MM-DD[ HH:MM]) and `id` (TRCK_YYYYMMDD_HHMMSS_NN)",
            argument="date" if date is not None else "id",
        )
    if id is not None:
        return f"{tracklet_id(id)}_".encode()
    assert date is not None
    return date_prefix(date).encode()


@dataclass(frozen=True, slots=True)
class TrackletAlerts:
    """One tracklet: its id and its alerts (one per objectId, in objectId order)."""

    tracklet_id: str
    alerts: list[AlertRecord]


def index_columns(wanted: Collection[Column]) -> tuple[Column, ...]:
    """The tracklet-table columns to read for the wanted main-table columns."""
    return tuple(sorted({c for c in wanted if c in _INDEX} | {_OBJECT_ID}))


async def load_tracklets(
    reader: Reader, prefix: bytes, columns: Collection[Column]
) -> list[TrackletAlerts]:
    """The tracklets whose id starts with ``prefix``, in id order (one prefix scan)."""
    wanted = index_columns(columns)
    types = await reader.types(tables.TRACKLET)
    rows = await reader.rows_with_prefix(tables.TRACKLET, prefix, wanted)
    groups: dict[str, list[AlertRecord]] = {}
    for hit in alert_records(rows, types, wanted):
        ident = hit.key.decode().rsplit("_", 1)[0]  # the objectId never holds "_"
        if TRACKLET_ID.match(ident):
            groups.setdefault(ident, []).append(hit)
    return [TrackletAlerts(ident, hits) for ident, hits in groups.items()]
