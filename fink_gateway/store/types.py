"""Type aliases and small value types shared by the store interface and its users.

Row keys, column names and cell values are raw bytes, exactly as HBase holds them:
a column is ``b"family:qualifier"``; a whole family is ``b"family"`` (projection only).
"""

from __future__ import annotations

from dataclasses import dataclass

RowKey = bytes
Column = bytes
Cells = dict[bytes, bytes]
Row = tuple[RowKey, Cells]


def next_prefix(prefix: bytes) -> bytes | None:
    """Smallest key greater than every key starting with ``prefix`` (None: no upper bound)."""
    trimmed = prefix.rstrip(b"\xff")
    if not trimmed:
        return None
    return trimmed[:-1] + bytes([trimmed[-1] + 1])


@dataclass(frozen=True, slots=True)
class ScanRange:
    """A contiguous range of row keys, in HBase's unsigned byte order.

    ``start`` is inclusive, ``stop`` exclusive (None: to the end of the table), whatever the
    direction; ``reverse`` returns the rows from the largest key down. ``limit`` caps the
    number of rows returned by this range (None: no cap). ``keys_only`` returns the keys
    with empty cells (counting rows without moving or decoding their cells).
    """

    start: bytes = b""
    stop: bytes | None = None
    reverse: bool = False
    limit: int | None = None
    keys_only: bool = False

    @classmethod
    def prefix(
        cls, prefix: bytes, *, reverse: bool = False, limit: int | None = None,
        keys_only: bool = False,
    ) -> ScanRange:  # fmt: skip
        """Every key that starts with ``prefix``."""
        return cls(prefix, next_prefix(prefix), reverse, limit, keys_only)

    @classmethod
    def closed(
        cls, low: bytes, high: bytes, *, reverse: bool = False, limit: int | None = None
    ) -> ScanRange:
        """Keys k with ``low <= k <= high`` (both ends inclusive)."""
        return cls(low, high + b"\x00", reverse, limit)

    def contains(self, key: bytes) -> bool:
        """True when ``key`` lies in the range."""
        return key >= self.start and (self.stop is None or key < self.stop)
