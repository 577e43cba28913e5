"""Class search (FINK-REFERENCE §4): the newest alerts of a class, read from Fink's index
tables with reversed range scans, and the list of classes a client may ask for.

``<Fink label>``, ``Unknown`` and ``(SIMBAD) <label>`` read ``class`` (key
``<class>_<jd>_<objectId>``); ``(TNS) <type>`` reads ``tns`` (key ``<type>_<jd>_<objectId>``).
A page is one reversed scan of ``first + 1`` rows from just below the cursor (the last row
key of the previous page). Unlike Fink, the date window is exact (rows are filtered on the
JD of their key, see :func:`~fink_gateway.resolvers.conesearch.jd_key_range`) and the trend
filter does not shorten pages: scanning goes on until ``first`` rows match, within
``MAX_SCANNED_ROWS`` rows per page.
"""

from __future__ import annotations

import asyncio
import difflib
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from fink_gateway.errors import InvalidArgument, NotFound, QueryTooCostly
from fink_gateway.layout import tables
from fink_gateway.layout.cells import decode_value
from fink_gateway.layout.columns import INDEX_COLUMNS
from fink_gateway.loaders.decoding import Types, decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers import args
from fink_gateway.resolvers.conesearch import jd_in_window, jd_key_range
from fink_gateway.resolvers.keyset import EMPTY_PAGE, KeysetPage, keyset_page, scan_kept
from fink_gateway.resolvers.records import AlertRecord, alert_records
from fink_gateway.science.classification import (
    FINK_CLASSES,
    TNS_TYPES,
    UNKNOWN,
)
from fink_gateway.science.simbad_types import SIMBAD_LABELS
from fink_gateway.store.types import Cells, Column, Row, ScanRange, next_prefix

DEFAULT_SINCE_JD = 2458788.5
"""Fink's default start of a class search: 2019-11-01T00:00:00 UTC."""

SIMBAD_PREFIX = "(SIMBAD) "
TNS_PREFIX = "(TNS) "
FINK_LABELS: tuple[str, ...] = (*FINK_CLASSES, UNKNOWN)
RISING, FADING = "rising", "fading"

MAX_SCANNED_ROWS = 10_000
"""Rows one page may scan looking for rows that pass the trend filter."""
COUNT_CAP = 100_000
"""Largest ``totalCount`` computed; beyond it the count is refused as too costly."""
LABELS_TTL_S = 600.0
"""How long the labels found in the data are kept (also bounded by the data version)."""

_JD, _MAG_RATE = b"i:jd", b"d:mag_rate"
_INDEX = frozenset(c.column for c in INDEX_COLUMNS)
_CURSOR_KIND = "class"


@dataclass(frozen=True, slots=True)
class ClassTarget:
    """What a ``class`` argument reads: a table and the class part of its keys."""

    name: str  # as asked, e.g. "(SIMBAD) RRLyr"
    table: tables.TableSpec
    label: str  # e.g. "RRLyr"

    @property
    def prefix(self) -> bytes:
        return f"{self.label}_".encode()


@dataclass(frozen=True, slots=True)
class KnownLabels:
    """Class labels found in the data beyond the built-in lists."""

    simbad: frozenset[str]  # class-table labels that are not Fink's
    tns: frozenset[str]  # tns-table types


def class_target(name: str, known: KnownLabels) -> ClassTarget:
    """Validate a ``class`` argument (a bare SIMBAD label is accepted, as Fink does)."""
    target = _target(name, known)
    if target is None:
        raise InvalidArgument(_unknown_class_message(name, known), argument="class", value=name)
    return target


def _target(name: str, known: KnownLabels) -> ClassTarget | None:
    if name.startswith(TNS_PREFIX):
        tns = name[len(TNS_PREFIX) :]
        known_tns = tns in TNS_TYPES or tns in known.tns
        return ClassTarget(name, tables.TNS, tns) if known_tns else None
    label = name[len(SIMBAD_PREFIX) :] if name.startswith(SIMBAD_PREFIX) else name
    simbad = label in SIMBAD_LABELS or label in known.simbad
    if simbad or (label == name and label in FINK_LABELS):
        return ClassTarget(name, tables.CLASS, label)
    return None


def _unknown_class_message(name: str, known: KnownLabels) -> str:
    close = difflib.get_close_matches(name, [e.name for e in class_catalog(known)], n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    tns = sorted({*TNS_TYPES, *known.tns}, key=str.casefold)
    n_simbad = len({*SIMBAD_LABELS, *known.simbad})
    return (
        f"unknown class {name!r}.{hint} Valid classes: Fink's ({', '.join(FINK_LABELS)}); "
        f"'(TNS) <type>' with a TNS type ({', '.join(tns)}); '(SIMBAD) <label>' with one of "
        f"{n_simbad} SIMBAD labels (e.g. 'RRLyr', 'EB*'). The query `classes` lists them all."
    )


NO_LABELS = KnownLabels(frozenset(), frozenset())


async def resolve_class(
    reader: Reader, name: str, memo: KnownLabelsMemo | None = None
) -> ClassTarget:
    """:func:`class_target`, reading the labels found in the data (through ``memo`` when
    given) only when the built-in lists do not hold ``name``."""
    target = _target(name, NO_LABELS)
    if target is not None:
        return target
    known = await (memo.get(reader) if memo is not None else known_labels(reader))
    return class_target(name, known)


@dataclass(frozen=True, slots=True)
class ClassEntry:
    """One searchable class: the name to pass, its source and its bare label."""

    name: str
    source: str  # "FINK", "TNS" or "SIMBAD"
    label: str


def class_catalog(known: KnownLabels) -> list[ClassEntry]:
    """Every class a client may search: Fink's, then TNS, then SIMBAD (each sorted without
    regard to case; labels that differ only in case, such as SIMBAD's ``Blue`` and ``blue``,
    in code-point order, so that every process lists them alike)."""

    def fold(label: str) -> tuple[str, str]:
        return label.casefold(), label

    fink = [ClassEntry(c, "FINK", c) for c in sorted(FINK_LABELS, key=fold)]
    tns = [ClassEntry(TNS_PREFIX + t, "TNS", t) for t in sorted({*TNS_TYPES, *known.tns}, key=fold)]
    simbad = [
        ClassEntry(SIMBAD_PREFIX + s, "SIMBAD", s)
        for s in sorted({*SIMBAD_LABELS, *known.simbad}, key=fold)
    ]
    return fink + tns + simbad


class KnownLabelsMemo:
    """The labels found in the data, per table prefix and data version, each kept for
    ``LABELS_TTL_S`` at most; one per application (``Services.shared.labels``)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], tuple[float, KnownLabels]] = {}

    async def get(self, reader: Reader) -> KnownLabels:
        key = (reader.prefix, await reader.data_version())
        now = time.monotonic()
        found = self._found.get(key)
        if found is not None and now - found[0] < LABELS_TTL_S:
            return found[1]
        labels = await known_labels(reader)
        for stale in [k for k, (t, _) in self._found.items() if now - t >= LABELS_TTL_S]:
            del self._found[stale]
        self._found[key] = (now, labels)
        return labels


async def known_labels(reader: Reader) -> KnownLabels:
    """Labels present in the data: SIMBAD labels from the per-night counts of
    ``statistics_class`` (one scan), TNS types from the keys of ``tns`` (one short scan per
    distinct type). :class:`KnownLabelsMemo` keeps them between requests."""
    return KnownLabels(await _simbad_in_statistics(reader), await _tns_types_in_keys(reader))


_NOT_LABELS = frozenset({"simbad_tot", "simbad_gal"})


async def _simbad_in_statistics(reader: Reader) -> frozenset[str]:
    try:
        (rows,) = await reader.scan(tables.STATISTICS, [ScanRange()], [b"class"])
    except NotFound:
        return frozenset()
    qualifiers = {c.split(b":", 1)[1].decode() for _, cells in rows for c in cells}
    return frozenset(qualifiers - _NOT_LABELS - set(FINK_LABELS))


_MAX_DISTINCT = 10_000


async def _tns_types_in_keys(reader: Reader) -> frozenset[str]:
    """Distinct ``<type>`` of ``<type>_<jd>_<objectId>`` keys, skipping from type to type."""
    table = reader.table(tables.TNS)
    found: set[str] = set()
    start = b""
    for _ in range(_MAX_DISTINCT):
        try:
            (rows,) = await reader.store.scan(table, [ScanRange(start, None, limit=1)], [_JD])
        except NotFound:
            break
        if not rows:
            break
        key = rows[0][0]
        if key.startswith(tables.SCHEMA_ROW_PREFIX):
            start = next_prefix(tables.SCHEMA_ROW_PREFIX + b"_") or b""
            continue
        label = key.rsplit(b"_", 2)[0]
        found.add(label.decode())
        start = label + b"_:"  # ':' follows the digits: past every key of this type
    return frozenset(found)


def index_columns(wanted: Collection[Column], trend: str | None) -> tuple[Column, ...]:
    """The index-table columns to read: those wanted, ``i:jd``, and ``d:mag_rate`` for a trend."""
    columns = {c for c in wanted if c in _INDEX} | {_JD}
    if trend is not None:
        columns.add(_MAG_RATE)
    return tuple(sorted(columns))


def class_window(since_jd: float | None, until_jd: float | None) -> tuple[float, float]:
    """The search window (JD): Fink's defaults 2019-11-01 and now."""
    start = DEFAULT_SINCE_JD if since_jd is None else since_jd
    stop = args.now_jd() if until_jd is None else until_jd
    return start, stop


def class_cursor(key: bytes) -> str:
    """The opaque cursor of a row: its key."""
    return args.encode_cursor(_CURSOR_KIND, key.decode())


def class_cursor_key(cursor: str | None, target: ClassTarget) -> bytes | None:
    """The row key a cursor names; InvalidArgument when it is not one of this class."""
    text = args.decode_cursor(cursor, _CURSOR_KIND)
    if text is None:
        return None
    key = text.encode()
    if not key.startswith(target.prefix):
        raise InvalidArgument(
            f"cursor {cursor!r} does not belong to class {target.name!r}",
            argument="after",
            value=cursor,
        )
    return key


def _trend_ok(cells: Cells, types: Types, trend: str | None) -> bool:
    if trend is None:
        return True
    raw = cells.get(_MAG_RATE)
    if raw is None:
        return False
    # a numeric cell decodes to an int or a float
    rate = float(decode_value(raw, types.get(_MAG_RATE, "double")))  # type: ignore[arg-type]
    return rate < 0 if trend == RISING else rate > 0  # NaN passes neither


@dataclass(frozen=True, slots=True)
class ClassQuery:
    """What a class search asks: the class, the window (since, until) in JD, both included,
    on the alert's JD, and the trend: ``rising`` (``d:mag_rate`` < 0), ``fading`` (> 0) or
    None."""

    target: ClassTarget
    window: tuple[float, float]
    trend: str | None = None

    def keeps(self, key: bytes, cells: Cells, types: Types) -> bool:
        """Whether the index row ``key`` (read with its trend cell) answers the query."""
        label, jd, _ = key.rsplit(b"_", 2)
        return (
            label.decode() == self.target.label
            and jd_in_window(float(jd), *self.window)
            and _trend_ok(cells, types, self.trend)
        )


async def alerts_by_class(
    reader: Reader, query: ClassQuery, first: int, after: bytes | None, columns: Sequence[Column]
) -> KeysetPage:
    """Up to ``first`` alerts of the class, newest key first, strictly below ``after``."""
    target = query.target
    found = jd_key_range(target.prefix, *query.window)
    if found is None:
        return EMPTY_PAGE
    types = await reader.types(target.table)
    need = first + 1
    budget = max(MAX_SCANNED_ROWS, need)
    batch = need if query.trend is None else min(max(4 * need, 100), budget)
    kept = await scan_kept(
        reader, target.table, found, after, columns,
        lambda key, cells: query.keeps(key, cells, types), need, batch, budget,
    )  # fmt: skip
    return keyset_page(_hits(target, kept.rows[:first], types, columns), kept, first)


def _hits(
    target: ClassTarget, rows: list[Row], types: Types, columns: Sequence[Column]
) -> list[AlertRecord]:
    if target.table is not tables.CLASS:
        return alert_records(rows, types, columns)
    simbad = target.label not in FINK_LABELS
    hits = []
    for key, cells in rows:
        record = decode_record(cells, types)
        record["classification"] = target.label
        hits.append(AlertRecord(key, record, simbad))
    return hits


async def count_class_alerts(reader: Reader, query: ClassQuery) -> int:
    """Alerts of the class in the window (and trend); QueryTooCostly past ``COUNT_CAP``."""
    target = query.target
    found = jd_key_range(target.prefix, *query.window)
    if found is None:
        return 0
    types = await reader.types(target.table)
    columns = index_columns((), query.trend)
    scan = ScanRange(found.start, found.stop, limit=COUNT_CAP + 1)
    (rows,) = await reader.scan(target.table, [scan], columns)
    if len(rows) > COUNT_CAP:
        raise QueryTooCostly(
            f"class {target.name!r} has more than {COUNT_CAP} alerts in the window: "
            "do not select totalCount, or narrow since/until",
            limit=COUNT_CAP,
        )
    return sum(1 for k, c in rows if query.keeps(k, c, types))


async def search_class(
    reader: Reader,
    query: ClassQuery,
    first: int,
    after: bytes | None,
    columns: Sequence[Column],
    with_count: bool,
) -> tuple[KeysetPage, int | None]:
    """A page of :func:`alerts_by_class` and, when asked, :func:`count_class_alerts`,
    read concurrently once the table's types are known."""
    await reader.types(query.target.table)
    page = alerts_by_class(reader, query, first, after, columns)
    if not with_count:
        return await page, None
    count = count_class_alerts(reader, query)
    found, total = await asyncio.gather(page, count)
    return found, total
