"""A columnar batch of rows to write: the fast path from ingest to the stores.

Ingest encodes whole columns at once (numpy/pyarrow) instead of building one dict per row;
a store may pack the batch without ever materialising per-row dicts (the embedded store
does), or turn it into rows (HBase through Thrift needs a map per row anyway).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fink_gateway.store.types import Row


@dataclass(frozen=True)
class CellBatch:
    """Rows as columns: ``keys[i]`` owns the i-th value of every column.

    Each column is ``(b"fam:qual", values)`` where ``values`` is a pyarrow ``binary`` or
    ``fixed_size_binary`` array of encoded cells; a null value means "no cell" (Fink does
    not write nulls).
    """

    keys: Sequence[bytes]
    columns: Sequence[tuple[bytes, pa.Array]]

    def __post_init__(self) -> None:
        for name, values in self.columns:
            assert len(values) == len(self.keys), f"column {name!r} length != number of keys"

    def __len__(self) -> int:
        return len(self.keys)

    def take(self, indices: np.ndarray) -> CellBatch:
        """The rows at ``indices`` (positions into this batch), in that order."""
        idx = pa.array(np.asarray(indices, dtype=np.int64))
        keys = [self.keys[i] for i in idx.to_pylist()]
        return CellBatch(keys, [(c, v.take(idx)) for c, v in self.columns])

    def select(self, columns: Sequence[bytes]) -> CellBatch:
        """Only these columns (in this order); unknown names are ignored."""
        by_name = dict(self.columns)
        return CellBatch(self.keys, [(c, by_name[c]) for c in columns if c in by_name])

    def rows(self) -> Iterator[Row]:
        """One ``(key, cells)`` per row, skipping null cells (the slow, general path)."""
        names = [name for name, _ in self.columns]
        values = [v.to_pylist() for _, v in self.columns]
        for key, row in zip(self.keys, zip(*values, strict=True), strict=True):
            yield key, {c: v for c, v in zip(names, row, strict=True) if v is not None}
