"""Column projection as HBase applies it: exact ``fam:qual`` columns and whole ``fam`` families."""

from __future__ import annotations

from collections.abc import Sequence

from fink_gateway.store.types import Cells, Column


class Projection:
    """Keeps the cells a ``columns`` list asks for; an entry without ``:`` names a whole family.

    >>> Projection([b"i:ra", b"d"]).apply({b"i:ra": b"1", b"i:dec": b"2", b"d:x": b"3"})
    {b'i:ra': b'1', b'd:x': b'3'}
    """

    __slots__ = ("exact", "families")

    def __init__(self, columns: Sequence[Column]) -> None:
        self.exact = frozenset(c for c in columns if b":" in c)
        self.families = tuple(c + b":" for c in columns if b":" not in c)

    def apply(self, cells: Cells) -> Cells:
        """The projected cells (empty when the row has none of them)."""
        if not self.families:
            if len(self.exact) < len(cells):
                return {c: cells[c] for c in self.exact if c in cells}
            return {c: v for c, v in cells.items() if c in self.exact}
        exact, families = self.exact, self.families
        return {c: v for c, v in cells.items() if c in exact or c.startswith(families)}


def projection_of(columns: Sequence[Column] | None) -> Projection | None:
    """A projection, or None when every column is wanted (None or empty, as in HBase's Thrift)."""
    return Projection(columns) if columns else None
