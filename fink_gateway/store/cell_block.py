"""Rows as columns of raw cells: what a columnar scan returns.

A :class:`CellBlock` holds the rows of one scan range (or of several, concatenated): their
keys and, per projected column, a :class:`CellColumn` of raw cell bytes. Where every present
cell of a column has the same width (Fink's integers and floats) the cells sit in one
``(rows, width)`` byte matrix, which a reader turns into a numpy array without touching a
row in Python; other columns keep one ``bytes`` per row. Absent cells are marked in
``present`` (an absent cell's bytes in the matrix are zeros).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, cast

import numpy as np

from fink_gateway.store.types import Cells, Column, Row


@dataclass(frozen=True, slots=True)
class CellColumn:
    """One column's cells over a block's rows: a byte matrix (``fixed``) or a list."""

    present: np.ndarray
    fixed: np.ndarray | None = None
    cells: Sequence[bytes | None] | None = None

    def __len__(self) -> int:
        return len(self.present)

    def cell(self, i: int) -> bytes | None:
        """The raw cell of row ``i`` (None where absent)."""
        if not self.present[i]:
            return None
        if self.fixed is not None:
            return cast(bytes, self.fixed[i].tobytes())  # numpy types a row of a matrix as Any
        # a column holds either a byte matrix or a list of cells
        return self.cells[i]  # type: ignore[index]

    def as_list(self) -> list[bytes | None]:
        """Every cell as bytes (None where absent)."""
        if self.cells is not None:
            return list(self.cells)
        assert self.fixed is not None
        width = self.fixed.shape[1]
        raw = np.ascontiguousarray(self.fixed).tobytes()
        return [raw[i * width:(i + 1) * width] if ok else None
                for i, ok in enumerate(self.present.tolist())]

    @classmethod
    def from_cells(cls, cells: Sequence[bytes | None]) -> CellColumn:
        """A column from one cell (or None) per row; a byte matrix when widths agree."""
        present = np.fromiter((c is not None for c in cells), bool, len(cells))
        widths = {len(c) for c in cells if c is not None}
        if len(widths) == 1:
            (width,) = widths
            if present.all():
                raw = b"".join(cells)  # type: ignore[arg-type]  # all present: no None
            else:
                zero = bytes(width)
                raw = b"".join(zero if c is None else c for c in cells)
            fixed = np.frombuffer(raw, dtype=np.uint8).reshape(len(cells), width)
            return cls(present, fixed)
        return cls(present, None, list(cells))

    @classmethod
    def concat(cls, parts: Sequence[CellColumn]) -> CellColumn:
        """The rows of several columns, one after the other (a matrix while widths agree;
        parts without any cell take any width)."""
        if not parts:
            return absent_column(0)
        present = np.concatenate([p.present for p in parts])
        used = [p for p in parts if p.present.any()]
        widths = {p.fixed.shape[1] for p in used if p.fixed is not None}
        if all(p.fixed is not None for p in used) and len(widths) <= 1:
            width = next(iter(widths), 0)
            fixed = np.concatenate([
                p.fixed if p.fixed is not None and p.fixed.shape[1] == width
                else np.zeros((len(p), width), np.uint8)
                for p in parts
            ])
            return cls(present, fixed)
        return cls(present, None, [c for p in parts for c in p.as_list()])

    def slice(self, start: int, stop: int) -> CellColumn:
        """Rows ``start:stop`` (views of the matrix)."""
        if self.fixed is not None:
            return CellColumn(self.present[start:stop], self.fixed[start:stop])
        return CellColumn(self.present[start:stop], None, (self.cells or [])[start:stop])

    def take(self, rows: np.ndarray) -> CellColumn:
        """The cells of these rows (positions), in that order."""
        if self.fixed is not None:
            return CellColumn(self.present[rows], self.fixed[rows])
        cells = self.cells or []
        return CellColumn(self.present[rows], None, [cells[i] for i in rows.tolist()])


def absent_column(n: int) -> CellColumn:
    """A column of ``n`` absent cells."""
    return CellColumn(np.zeros(n, dtype=bool), np.zeros((n, 0), dtype=np.uint8))


class CellBlock:
    """Rows as columns: ``keys[i]`` owns row ``i`` of every column.

    A block may be a *slice* of another (the rows of one range of a multi-range scan): its
    columns are views made on first use, and :meth:`concat` of consecutive slices of one
    block is that block's span again, without copying a cell.
    """

    __slots__ = ("_columns", "_cumulative", "_keys", "parent", "start", "stop")

    def __init__(self, keys: Sequence[bytes], columns: dict[Column, CellColumn]) -> None:
        self._keys: Sequence[bytes] | None = keys
        self._columns: dict[Column, CellColumn] | None = columns
        self.parent: CellBlock | None = None
        self.start, self.stop = 0, len(keys)
        self._cumulative: np.ndarray | None = None

    def __len__(self) -> int:
        return self.stop - self.start

    @property
    def keys(self) -> Sequence[bytes]:
        if self._keys is None:
            assert self.parent is not None
            self._keys = self.parent.keys[self.start:self.stop]
        return self._keys

    @property
    def columns(self) -> dict[Column, CellColumn]:
        if self._columns is None:
            assert self.parent is not None
            self._columns = {
                name: c.slice(self.start, self.stop) for name, c in self.parent.columns.items()
            }
        return self._columns

    def slice(self, start: int, stop: int) -> CellBlock:
        """Rows ``start:stop`` as a block (views, made when first used)."""
        if self.parent is not None:
            return self.parent.slice(self.start + start, self.start + stop)
        if start == 0 and stop == len(self):
            return self
        part = CellBlock.__new__(CellBlock)
        part._keys, part._columns, part.parent, part._cumulative = None, None, self, None
        part.start, part.stop = start, stop
        return part

    def cell_count(self) -> int:
        """Number of cells present (a slice asks its block, which counts once)."""
        if self.parent is not None:
            cumulative = self.parent.cumulative_cells()
            return int(cumulative[self.stop] - cumulative[self.start])
        return int(self.cumulative_cells()[-1])

    @staticmethod
    def cells_in(blocks: Sequence[CellBlock]) -> int:
        """Cells present in all ``blocks`` (one numpy pass when they slice one block)."""
        parent = blocks[0].parent if blocks else None
        if parent is None or any(b.parent is not parent for b in blocks):
            return sum(b.cell_count() for b in blocks)
        cumulative = parent.cumulative_cells()
        starts = np.fromiter((b.start for b in blocks), np.int64, len(blocks))
        stops = np.fromiter((b.stop for b in blocks), np.int64, len(blocks))
        return int((cumulative[stops] - cumulative[starts]).sum())

    def cumulative_cells(self) -> np.ndarray:
        """Cells present in rows ``0:i``, for every ``i`` (computed once)."""
        if self._cumulative is None:
            per_row = np.zeros(len(self), dtype=np.int64)
            for column in self.columns.values():
                per_row += column.present
            self._cumulative = np.concatenate([[0], np.cumsum(per_row)])
        return self._cumulative

    def column(self, name: Column) -> CellColumn:
        """A column of the block (all absent when no row has it)."""
        found = self.columns.get(name)
        return absent_column(len(self)) if found is None else found

    def cells(self, i: int) -> Cells:
        """Row ``i`` as a ``{column: bytes}`` map (absent cells left out)."""
        out: Cells = {}
        for name, column in self.columns.items():
            value = column.cell(i)
            if value is not None:
                out[name] = value
        return out

    def take(self, rows: np.ndarray) -> CellBlock:
        """The rows at these positions, in that order."""
        keys = self.keys
        return CellBlock([keys[i] for i in rows.tolist()],
                         {name: c.take(rows) for name, c in self.columns.items()})

    @classmethod
    def from_rows(cls, rows: Sequence[Row], columns: Sequence[Column] | None = None) -> CellBlock:
        """A block of row-wise results (``columns``: these; None: every column seen)."""
        names = list(columns) if columns else list(
            dict.fromkeys(name for _, cells in rows for name in cells)
        )
        return cls(
            [key for key, _ in rows],
            {name: CellColumn.from_cells([cells.get(name) for _, cells in rows])
             for name in names},
        )

    @classmethod
    def concat(cls, blocks: Sequence[CellBlock]) -> CellBlock:
        """The rows of several blocks, one after the other (union of their columns)."""
        used = [b for b in blocks if len(b)]
        if not used:
            return EMPTY_BLOCK
        parent = used[0].parent
        if parent is not None and all(b.parent is parent for b in used):
            if all(a.stop == b.start for a, b in pairwise(used)):
                return parent.slice(used[0].start, used[-1].stop)
            return parent.take(np.concatenate([np.arange(b.start, b.stop) for b in used]))
        if len(used) == 1:
            return used[0]
        names = list(dict.fromkeys(name for b in used for name in b.columns))
        return cls(
            [key for b in used for key in b.keys],
            {name: CellColumn.concat([b.column(name) for b in used]) for name in names},
        )

    @classmethod
    def split(cls, block: CellBlock, counts: Sequence[int]) -> list[CellBlock]:
        """Consecutive slices of ``block`` of these numbers of rows."""
        out, start = [], 0
        for n in counts:
            out.append(block.slice(start, start + n))
            start += n
        return out

    def to_plain(self) -> list[object]:
        """A msgpack-ready form (for the cross-request cache)."""
        columns = []
        for name, c in self.columns.items():
            present = np.packbits(c.present).tobytes()
            if c.fixed is not None:
                columns.append([name, present, c.fixed.shape[1],
                                np.ascontiguousarray(c.fixed).tobytes()])
            else:
                columns.append([name, present, -1, list(c.cells or [])])
        return [list(self.keys), columns]

    @classmethod
    def from_plain(cls, plain: Sequence[Any]) -> CellBlock:
        keys, columns = plain  # decoded msgpack: the lists to_plain made
        n = len(keys)
        out: dict[Column, CellColumn] = {}
        for name, present_bits, width, data in columns:
            present = np.unpackbits(np.frombuffer(present_bits, np.uint8), count=n).astype(bool)
            if width >= 0:
                fixed = np.frombuffer(data, np.uint8).reshape(n, width)
                out[name] = CellColumn(present, fixed)
            else:
                out[name] = CellColumn(present, None, data)
        return cls(list(keys), out)


EMPTY_BLOCK = CellBlock([], {})
