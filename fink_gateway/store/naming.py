"""HBase's rules for table and family names, checked before a call (both backends)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from fink_gateway.errors import InvalidArgument
from fink_gateway.store.types import Column, Row

TABLE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*\Z")
"""A table name without namespace: letters, digits, ``_ - .``, not starting with ``.``/``-``."""


def check_table(table: str) -> None:
    """Raise :class:`InvalidArgument` unless ``table`` is a valid HBase table name."""
    if not TABLE_NAME.match(table):
        raise InvalidArgument(
            f"invalid table name {table!r}: use letters, digits, '_', '-' and '.'", table=table
        )


def check_families(table: str, families: Sequence[str]) -> None:
    """Raise :class:`InvalidArgument` unless ``families`` are non-empty names without ``:``."""
    if not families or any(not f or ":" in f or not f.isprintable() for f in families):
        raise InvalidArgument(
            f"invalid column families {list(families)!r} for table {table!r}",
            table=table,
            families=list(families),
        )


def check_keys(table: str, rows: Iterable[Row]) -> None:
    """Raise :class:`InvalidArgument` for an empty row key (HBase refuses them)."""
    if any(not key for key, _ in rows):
        raise InvalidArgument(f"empty row key in a put to {table!r}", table=table)


def unknown_families(columns: Sequence[Column], families: Iterable[str]) -> list[str]:
    """Families named by a projection that the table does not have."""
    known = {f.encode() for f in families}
    wanted = {c.split(b":", 1)[0] for c in columns}
    return sorted(f.decode(errors="replace") for f in wanted - known)
