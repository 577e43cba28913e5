"""A per-request view of a store that counts the work done for that request (telemetry)."""

from __future__ import annotations

from collections.abc import Sequence

from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.interface import Store, StoreStats
from fink_gateway.store.types import Cells, Column, Row, RowKey, ScanRange


class CountingStore:
    """Forwards reads to ``store`` and records round trips, rows, cells and columns."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stats = StoreStats()

    async def list_tables(self) -> list[str]:
        """The store's tables (one round trip)."""
        names = await self.store.list_tables()
        self.stats.record(0, 0, None)
        return names

    async def get_rows(
        self, table: str, keys: Sequence[RowKey], columns: Sequence[Column] | None = None
    ) -> list[Cells | None]:
        rows = await self.store.get_rows(table, keys, columns)
        found = [r for r in rows if r is not None]
        self.stats.record(len(found), sum(len(r) for r in found), columns)
        return rows

    async def scan(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column] | None = None
    ) -> list[list[Row]]:
        results = await self.store.scan(table, ranges, columns)
        rows = sum(len(r) for r in results)
        cells = sum(len(c) for result in results for _, c in result)
        self.stats.record(rows, cells, columns)
        return results

    async def scan_columns(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column]
    ) -> list[CellBlock]:
        blocks = await self.store.scan_columns(table, ranges, columns)
        rows = sum(len(b) for b in blocks)
        cells = CellBlock.cells_in(blocks)
        self.stats.record(rows, cells, columns)
        return blocks
