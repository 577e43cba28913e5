"""The data version: a token that ingest changes after every write, read into cache keys.

It lives in the gateway's own ``<prefix>.gateway_meta`` table (row ``data_version``,
column ``m:version``). A Fink HBase that has no such table reads as version ``"0"``: caches
then rely on their TTL alone.
"""

from __future__ import annotations

import time

from fink_gateway.errors import NotFound
from fink_gateway.layout import tables
from fink_gateway.store.counting import CountingStore
from fink_gateway.store.interface import Store

_ROW = b"data_version"
_COLUMN = b"m:version"


async def read_data_version(store: Store | CountingStore, prefix: str) -> str:
    """The current version token (``"0"`` when none was ever written)."""
    try:
        (cells,) = await store.get_rows(tables.GATEWAY_META.name(prefix), [_ROW], [_COLUMN])
    except NotFound:
        return "0"
    return cells[_COLUMN].decode() if cells and _COLUMN in cells else "0"


async def bump_data_version(store: Store, prefix: str) -> str:
    """Write a new version token (nanoseconds since the epoch) and return it."""
    version = str(time.time_ns())
    table = tables.GATEWAY_META.name(prefix)
    await store.create_table(table, tables.GATEWAY_META.families)
    await store.put_rows(table, [(_ROW, {_COLUMN: version.encode()})])
    return version
