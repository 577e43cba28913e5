"""Row layouts of the embedded store's packed rows (:mod:`~fink_gateway.store.packed_rows`).

A packed row names its layout by id; the layouts live in the ``_layouts`` table of the same
file. :class:`LayoutRegistry` caches them for every thread of the process. On a miss it reads
the table through its own connection, which sees every committed layout; the writer
registers a layout *before* the rows that use it are committed, so that the put-merge SQL
function can decode them inside the transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from msgpack import unpackb

from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.packed_rows import (
    Layout,
    Projector,
    is_packed,
    layout_id_of,
    layout_ids_of,
    unpack_block,
    unpack_row,
)
from fink_gateway.store.types import Cells

LAYOUTS = "_layouts"
LAYOUTS_SQL = f"CREATE TABLE IF NOT EXISTS {LAYOUTS} (id INTEGER PRIMARY KEY, layout BLOB UNIQUE)"


class LayoutRegistry:
    """Layouts by id, shared by the threads of one embedded store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._by_id: dict[int, Layout] = {}
        self._projectors: dict[tuple[int, frozenset[bytes]], Projector] = {}
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def id_for(self, connection: sqlite3.Connection, layout: Layout) -> tuple[int, bool]:
        """The id of ``layout`` inside the writer's transaction; True when it is new here."""
        raw = layout.to_bytes()
        connection.execute(f"INSERT OR IGNORE INTO {LAYOUTS} (layout) VALUES (?)", (raw,))
        (layout_id,) = connection.execute(
            f"SELECT id FROM {LAYOUTS} WHERE layout = ?", (raw,)
        ).fetchone()
        with self._lock:
            new = layout_id not in self._by_id
            self._by_id[layout_id] = layout
        return layout_id, new

    def forget(self, layout_id: int) -> None:
        """Drop a layout whose transaction rolled back (its id may be reused)."""
        with self._lock:
            self._by_id.pop(layout_id, None)
            self._projectors = {k: p for k, p in self._projectors.items() if k[0] != layout_id}

    def get(self, layout_id: int) -> Layout:
        layout = self._by_id.get(layout_id)
        if layout is not None:
            return layout
        with self._lock:
            if self._connection is None:
                self._connection = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False
                )
            row = self._connection.execute(
                f"SELECT layout FROM {LAYOUTS} WHERE id = ?", (layout_id,)
            ).fetchone()
            if row is None:
                raise sqlite3.DatabaseError(f"{self.path}: unknown row layout {layout_id}")
            layout = self._by_id[layout_id] = Layout.from_bytes(row[0])
        return layout

    def decode(self, blob: bytes, wanted: frozenset[bytes] | None = None) -> Cells:
        """The cells of a stored row, packed or msgpack (``wanted``: only these columns)."""
        if is_packed(blob):
            layout_id = layout_id_of(blob)
            if wanted is None:
                return unpack_row(blob, self.get(layout_id))
            key = (layout_id, wanted)
            projector = self._projectors.get(key)
            if projector is None:
                projector = self._projectors[key] = Projector.plan(self.get(layout_id), wanted)
            return projector.unpack(blob)
        cells: Cells = unpackb(blob)
        if wanted is not None:
            return {c: v for c, v in cells.items() if c in wanted}
        return cells

    def block(self, keys: list[bytes], blobs: list[bytes], wanted: Sequence[bytes]) -> CellBlock:
        """Stored rows as a block of the ``wanted`` columns (rows of one packed layout are cut
        column-wise in one pass; other rows are decoded one by one)."""
        layout_ids = layout_ids_of(blobs)
        first = int(layout_ids[0]) if len(layout_ids) else -1
        if first >= 0 and bool((layout_ids == first).all()):
            return CellBlock(keys, unpack_block(blobs, self.get(first), wanted))
        parts, order = [], []
        for layout_id in np.unique(layout_ids).tolist():
            where = np.flatnonzero(layout_ids == layout_id).tolist()
            part_keys = [keys[i] for i in where]
            part_blobs = [blobs[i] for i in where]
            if layout_id == -1:
                rows = [(k, unpackb(b)) for k, b in zip(part_keys, part_blobs, strict=True)]
                parts.append(CellBlock.from_rows(rows, wanted))
            else:
                columns = unpack_block(part_blobs, self.get(layout_id), wanted)
                parts.append(CellBlock(part_keys, columns))
            order += where
        merged = CellBlock.concat(parts)
        return merged.take(np.argsort(np.asarray(order), kind="stable"))

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
