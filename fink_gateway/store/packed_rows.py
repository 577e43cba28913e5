"""A compact row encoding for the embedded store, packed a whole batch at a time.

Ingest writes ~150 cells per alert; building and serialising one dict per row costs more
than the rest of ingest together. A :class:`~fink_gateway.store.batch.CellBatch` shares
its column list across rows, so its rows are packed with numpy/pyarrow in a few passes::

    0x02 | layout id (u32 BE) | presence bitmap | fixed-width cells | u32 BE lengths | bytes

The *layout* (column names and widths, fixed ones first) is stored once per distinct column
list. A row unpacks to the same ``{b"fam:qual": value}`` cells as any other encoding.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import accumulate
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.store.batch import CellBatch
from fink_gateway.store.cell_block import CellColumn
from fink_gateway.store.types import Cells

TAG = 0x02
_HEAD = 5  # tag + layout id


@dataclass(frozen=True)
class Layout:
    """Column order and widths (0 = variable length) of packed rows."""

    columns: tuple[bytes, ...]
    widths: tuple[int, ...]
    offsets: tuple[int, ...] = field(init=False)  # fixed columns: byte offset in the row
    n_fixed: int = field(init=False)
    lengths_at: int = field(init=False)
    # derived, for unpack_row: every fixed cell in one struct call, the bitmap of a full row
    fixed: struct.Struct = field(init=False, repr=False, compare=False)
    lengths: struct.Struct = field(init=False, repr=False, compare=False)
    full_bitmap: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n_fixed = sum(1 for w in self.widths if w)
        assert all(self.widths[:n_fixed]) and not any(self.widths[n_fixed:]), "fixed first"
        start = _HEAD + (len(self.columns) + 7) // 8
        offsets = []
        for width in self.widths[:n_fixed]:
            offsets.append(start)
            start += width
        object.__setattr__(self, "offsets", tuple(offsets))
        object.__setattr__(self, "n_fixed", n_fixed)
        object.__setattr__(self, "lengths_at", start)
        fixed = "".join(f"{w}s" for w in self.widths[:n_fixed])
        object.__setattr__(self, "fixed", struct.Struct(">" + fixed))
        object.__setattr__(self, "lengths", struct.Struct(f">{len(self.columns) - n_fixed}I"))
        n, size = len(self.columns), (len(self.columns) + 7) // 8
        object.__setattr__(self, "full_bitmap", ((1 << n) - 1).to_bytes(size, "little"))

    def to_bytes(self) -> bytes:
        """Serialised form (stored once per layout)."""
        parts = [struct.pack(">I", len(self.columns))]
        for column, width in zip(self.columns, self.widths, strict=True):
            parts.append(struct.pack(">HH", len(column), width) + column)
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Layout:
        (count,) = struct.unpack_from(">I", raw, 0)
        pos, columns, widths = 4, [], []
        for _ in range(count):
            size, width = struct.unpack_from(">HH", raw, pos)
            pos += 4
            columns.append(raw[pos : pos + size])
            widths.append(width)
            pos += size
        return cls(tuple(columns), tuple(widths))


def layout_of(batch: CellBatch) -> tuple[Layout, list[pa.Array]]:
    """The batch's layout and its columns in layout order."""
    fixed, variable = [], []
    for column, values in batch.columns:
        if pa.types.is_fixed_size_binary(values.type):
            fixed.append((column, values.type.byte_width, values))
        else:
            variable.append((column, 0, values))
    ordered = fixed + variable
    layout = Layout(tuple(c for c, _, _ in ordered), tuple(w for _, w, _ in ordered))
    return layout, [v for _, _, v in ordered]


def pack_rows(layout: Layout, layout_id: int, values: Sequence[pa.Array], n: int) -> list[bytes]:
    """Pack ``n`` rows whose columns (in layout order) are ``values``."""
    presence = np.empty((n, len(values)), dtype=bool)
    for j, array in enumerate(values):
        presence[:, j] = array.is_valid().to_numpy(zero_copy_only=False)
    bitmap = np.packbits(presence, axis=1, bitorder="little")
    parts = [
        np.broadcast_to(np.frombuffer(struct.pack(">BI", TAG, layout_id), np.uint8), (n, _HEAD)),
        bitmap,
    ]
    for array, width in zip(values[: layout.n_fixed], layout.widths, strict=False):
        data = np.frombuffer(array.buffers()[1], dtype=np.uint8)
        start = array.offset * width
        parts.append(data[start : start + n * width].reshape(n, width))
    variable = [v.cast(pa.binary()) for v in values[layout.n_fixed :]]
    if variable:
        lengths = np.stack(
            [pc.binary_length(v).fill_null(0).to_numpy(zero_copy_only=False) for v in variable],
            axis=1,
        ).astype(">u4")
        parts.append(lengths.view(np.uint8).reshape(n, 4 * len(variable)))
    head = np.ascontiguousarray(np.concatenate(parts, axis=1))
    heads = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(head.shape[1]), n, [None, pa.py_buffer(head.tobytes())]
    ).cast(pa.binary())
    # pyarrow is untyped; a binary array without nulls lists as bytes
    if not variable:
        return cast(list[bytes], heads.to_pylist())
    joined = pc.binary_join_element_wise(
        heads, *variable, b"", null_handling="replace", null_replacement=b""
    )
    return cast(list[bytes], joined.to_pylist())


def is_packed(blob: bytes) -> bool:
    """True for a row in this encoding (msgpack maps never start with 0x02)."""
    return len(blob) >= _HEAD and blob[0] == TAG


def layout_id_of(blob: bytes) -> int:
    return cast(int, struct.unpack_from(">I", blob, 1)[0])  # typeshed: a tuple of Any


def layout_ids_of(blobs: Sequence[bytes]) -> np.ndarray:
    """The layout id of each stored row, -1 for a row in another encoding (one numpy pass
    over the rows' first bytes)."""
    heads = b"".join(blob[:_HEAD] for blob in blobs)
    if len(heads) != _HEAD * len(blobs):  # a row shorter than a head: not packed
        return np.array([layout_id_of(b) if is_packed(b) else -1 for b in blobs], np.int64)
    matrix = np.frombuffer(heads, dtype=np.uint8).reshape(len(blobs), _HEAD)
    ids = matrix[:, 1:].copy().view(">u4")[:, 0].astype(np.int64)
    return np.where(matrix[:, 0] == TAG, ids, -1)


def unpack_row(blob: bytes, layout: Layout, wanted: set[bytes] | None = None) -> Cells:
    """The cells of a packed row (only ``wanted`` columns when given)."""
    columns = layout.columns
    start = _HEAD + len(layout.full_bitmap)
    values = list(layout.fixed.unpack_from(blob, start))
    if layout.n_fixed < len(columns):
        at = layout.lengths_at + layout.lengths.size
        for length in layout.lengths.unpack_from(blob, layout.lengths_at):
            values.append(blob[at : at + length])
            at += length
    bitmap = blob[_HEAD:start]
    if bitmap == layout.full_bitmap:
        cells = dict(zip(columns, values, strict=True))
    else:
        bits = int.from_bytes(bitmap, "little")
        cells = {
            c: v for j, (c, v) in enumerate(zip(columns, values, strict=True)) if bits >> j & 1
        }
    if wanted is not None:
        return {c: v for c, v in cells.items() if c in wanted}
    return cells


@dataclass(frozen=True)
class Projector:
    """Reads only some columns of a layout's packed rows (a plan made once per projection)."""

    layout: Layout
    fixed: tuple[tuple[bytes, int, int, int], ...]  # (column, bit, offset, width)
    variable: tuple[tuple[bytes, int, int], ...]  # (column, bit, index among variable columns)

    @classmethod
    def plan(cls, layout: Layout, wanted: AbstractSet[bytes]) -> Projector:
        fixed, variable = [], []
        offsets = layout.offsets
        for j, column in enumerate(layout.columns):
            if column not in wanted:
                continue
            if j < layout.n_fixed:
                fixed.append((column, j, offsets[j], layout.widths[j]))
            else:
                variable.append((column, j, j - layout.n_fixed))
        return cls(layout, tuple(fixed), tuple(variable))

    def unpack(self, blob: bytes) -> Cells:
        """The wanted cells of one packed row of this layout."""
        layout = self.layout
        start = _HEAD + len(layout.full_bitmap)
        bits = int.from_bytes(blob[_HEAD:start], "little")
        cells: Cells = {
            column: blob[at : at + width]
            for column, bit, at, width in self.fixed
            if bits >> bit & 1
        }
        if self.variable:
            lengths = layout.lengths.unpack_from(blob, layout.lengths_at)
            base = layout.lengths_at + layout.lengths.size
            ends = list(accumulate(lengths, initial=base))
            for column, bit, k in self.variable:
                if bits >> bit & 1:
                    cells[column] = blob[ends[k] : ends[k + 1]]
        return cells


def unpack_block(blobs: Sequence[bytes], layout: Layout, wanted: Sequence[bytes]
                 ) -> dict[bytes, CellColumn]:
    """The ``wanted`` columns of packed rows that all share ``layout``, as cell columns:
    fixed-width cells cut out of one byte matrix of the rows' heads (no per-cell work),
    variable ones sliced per row. The matrix spans only the bytes the wanted columns need,
    and each column is copied out of it, so nothing keeps the rest of the rows alive."""
    n = len(blobs)
    head = layout.lengths_at
    n_variable = len(layout.columns) - layout.n_fixed
    index = {column: j for j, column in enumerate(layout.columns)}
    wanted_variable = [c for c in wanted if index.get(c, -1) >= layout.n_fixed]
    if wanted_variable:
        size = head + 4 * n_variable
    else:
        size = max(
            [layout.offsets[0] if layout.n_fixed else head]
            + [layout.offsets[j] + layout.widths[j]
               for j in (index.get(c, -1) for c in wanted) if 0 <= j < layout.n_fixed]
        )
    heads = np.frombuffer(b"".join(blob[:size] for blob in blobs), dtype=np.uint8)
    heads = heads.reshape(n, size)
    out: dict[bytes, CellColumn] = {}
    for column in wanted:
        j = index.get(column)
        if j is None:
            continue
        present = (heads[:, _HEAD + j // 8] >> (j % 8)) & 1 == 1
        if j < layout.n_fixed:
            at, width = layout.offsets[j], layout.widths[j]
            out[column] = CellColumn(present, heads[:, at:at + width].copy())
    if wanted_variable:
        lengths = heads[:, head:size].copy().view(">u4").astype(np.int64)
        ends = np.cumsum(lengths, axis=1) + size
        starts = ends - lengths
        for column in wanted_variable:
            k = index[column] - layout.n_fixed
            first, last = starts[:, k].tolist(), ends[:, k].tolist()
            present = (heads[:, _HEAD + index[column] // 8] >> (index[column] % 8)) & 1 == 1
            cells = [blob[a:b] if ok else None
                     for blob, a, b, ok in zip(blobs, first, last, present.tolist(), strict=True)]
            out[column] = CellColumn(present, None, cells)
    return out
