"""Keyset pages of an index table read newest first (class search, anomalies).

Index keys start with a JD text (after a fixed prefix), so a page is a reversed range scan
from just below the cursor, the last row key of the previous page. Rows the caller does not
keep (outside the exact JD window, another trend) are read and dropped, within a budget of
rows per page; when the budget runs out first the page resumes below the last row read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fink_gateway.layout import tables
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.records import AlertRecord
from fink_gateway.store.types import Cells, Column, Row, ScanRange


@dataclass(frozen=True, slots=True)
class KeysetPage:
    """Alerts of a page, newest first; ``resume`` is the key to continue below."""

    items: list[AlertRecord]
    has_next: bool
    resume: bytes | None


EMPTY_PAGE = KeysetPage([], False, None)


@dataclass(frozen=True, slots=True)
class KeptRows:
    """What one page's scans found: up to ``first + 1`` kept rows, newest first."""

    rows: list[Row]
    exhausted: bool  # the range holds no more rows
    last: bytes | None  # the last key read, when the budget ran out first


async def scan_kept(
    reader: Reader,
    table: tables.TableSpec,
    found: ScanRange,
    after: bytes | None,
    columns: Sequence[Column] | None,
    keep: Callable[[bytes, Cells], bool],
    need: int,
    batch: int,
    budget: int,
) -> KeptRows:
    """Reversed scans of ``found`` strictly below ``after``, ``batch`` rows at a time, until
    ``need`` rows pass ``keep``, the range ends, or ``budget`` rows were read."""
    stop = found.stop
    if after is not None and (stop is None or after < stop):
        stop = after
    kept: list[Row] = []
    scanned, last = 0, None
    while len(kept) < need and scanned < budget:
        if stop is not None and stop <= found.start:
            return KeptRows(kept, True, None)
        size = min(batch, budget - scanned)
        scan = ScanRange(found.start, stop, reverse=True, limit=size)
        (rows,) = await reader.scan(table, [scan], columns)
        scanned += len(rows)
        kept += [(k, c) for k, c in rows if keep(k, c)]
        if len(rows) < size:
            return KeptRows(kept, True, None)
        stop = last = rows[-1][0]
    return KeptRows(kept, False, last)


def keyset_page(items: list[AlertRecord], found: KeptRows, first: int) -> KeysetPage:
    """The page of the first ``first`` kept rows (decoded as ``items``)."""
    end = items[-1].key if items else None
    if len(found.rows) > first:
        return KeysetPage(items, True, end)
    if found.exhausted:
        return KeysetPage(items, False, end)
    return KeysetPage(items, True, found.last)  # budget spent: resume below the last row read
