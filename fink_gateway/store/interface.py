"""The one interface through which everything reads and writes tables.

Two backends implement it: :mod:`fink_gateway.store.hbase` (Apache HBase through its
Thrift1 server) and :mod:`fink_gateway.store.embedded` (one local SQLite file). Both keep
HBase's data model: tables of rows sorted by the unsigned bytes of their key, each row a map
``b"family:qualifier" -> bytes``; a put merges cells into the row; absent cells are nulls.

Every method is one *round trip*: a call may carry many keys or many scan ranges, which
the backend runs as efficiently as it can. ``stats`` counts round trips, rows and cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from fink_gateway.store.batch import CellBatch
from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.types import Cells, Column, Row, RowKey, ScanRange


@dataclass
class StoreStats:
    """Counters of store work, read by telemetry and tests."""

    round_trips: int = 0
    rows: int = 0
    cells: int = 0
    columns: set[bytes] = field(default_factory=set)

    def record(self, rows: int, cells: int, columns: Sequence[Column] | None) -> None:
        self.round_trips += 1
        self.rows += rows
        self.cells += cells
        if columns:
            self.columns.update(columns)


@runtime_checkable
class Store(Protocol):
    """Async access to HBase-like tables. ``columns`` lists ``fam:qual`` or whole ``fam``."""

    stats: StoreStats

    async def create_table(self, table: str, families: Sequence[str]) -> None:
        """Create ``table`` with these column families, if it does not exist yet."""

    async def list_tables(self) -> list[str]:
        """Names of the existing tables, sorted."""

    async def get_rows(
        self, table: str, keys: Sequence[RowKey], columns: Sequence[Column] | None = None
    ) -> list[Cells | None]:
        """Multi-get: one entry per key, in order; None where the row does not exist.

        As in HBase, a row holding none of the projected ``columns`` counts as absent, and
        ``columns`` None or empty means every column.
        """

    async def scan(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column] | None = None
    ) -> list[list[Row]]:
        """Run several key ranges at once; one list of rows per range, in range order."""

    async def scan_columns(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column]
    ) -> list[CellBlock]:
        """:meth:`scan` answered as columns: one :class:`CellBlock` of the exact ``columns``
        per range (rows holding none of them are left out, as in :meth:`scan`)."""

    async def put_rows(self, table: str, rows: Iterable[Row]) -> int:
        """Merge these cells into their rows (batched); returns the number of rows put."""

    async def put_batch(self, table: str, batch: CellBatch) -> int:
        """Put a columnar batch (a null value is an absent cell); returns the rows put."""

    async def delete_rows(self, table: str, keys: Sequence[RowKey]) -> None:
        """Delete whole rows."""

    async def count_rows(self, table: str) -> int:
        """Number of rows in ``table`` (a full key-only scan on HBase)."""

    async def ping(self) -> None:
        """Raise :class:`~fink_gateway.errors.BackendUnavailable` when the store is unreachable."""

    async def close(self) -> None:
        """Release connections and threads."""
