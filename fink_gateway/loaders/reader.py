"""Per-request reads of Fink's tables: batched, column-projected, cached.

A :class:`Reader` lives for one GraphQL request. Its DataLoaders collect the object ids that
resolvers ask for during one tick of the event loop and read them in ONE store call per
table and column set, whatever the number of objects. Results are also kept in the
cross-request :class:`~fink_gateway.loaders.cache.ResultCache` under the data version.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from fink_gateway.layout import tables
from fink_gateway.layout.columns import (
    INDEX_COLUMNS,
    MAIN_COLUMNS,
    PIXEL_COLUMNS,
    UPPER_COLUMNS,
    UPPERVALID_COLUMNS,
)
from fink_gateway.layout.data_version import read_data_version
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.loaders.decoding import Types, read_table_types
from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.counting import CountingStore
from fink_gateway.store.interface import Store, StoreStats
from fink_gateway.store.types import Column, Row, ScanRange

L = TypeVar("L")
T = TypeVar("T")

CATALOG_TYPES: dict[tables.TableSpec, dict[Column, str]] = {
    spec: {c.column: c.type for c in columns}
    for spec, columns in (
        (tables.MAIN, MAIN_COLUMNS),
        (tables.ANOMALY, MAIN_COLUMNS),
        (tables.PIXEL128, PIXEL_COLUMNS),
        (tables.CLASS, INDEX_COLUMNS),
        (tables.SSNAMENR, INDEX_COLUMNS),
        (tables.TRACKLET, INDEX_COLUMNS),
        (tables.TNS, INDEX_COLUMNS),
        (tables.UPPER, UPPER_COLUMNS),
        (tables.UPPERVALID, UPPERVALID_COLUMNS),
    )
}
"""Fink's types per table, used where a table has no schema row for a column."""


class TypesCache:
    """Schema-row types per table, shared by requests, reloaded when the data version moves.

    Concurrent callers of one table share one read: they all resume in the same tick of the
    event loop, so that the loads they make next still batch together.
    """

    def __init__(self) -> None:
        self._types: dict[tuple[str, str], Types] = {}
        self._pending: dict[tuple[str, str], asyncio.Future[Types]] = {}

    async def get(self, store: CountingStore, table: str, spec: tables.TableSpec,
                  version: str) -> Types:
        key = (table, version)
        if key in self._types:
            return self._types[key]
        pending = self._pending.get(key)
        if pending is None:
            fallback = CATALOG_TYPES.get(spec, {})
            pending = asyncio.ensure_future(read_table_types(store, table, fallback))
            self._pending[key] = pending
            pending.add_done_callback(lambda done: self._keep(key, done))
        return await asyncio.shield(pending)  # a cancelled caller must not cancel the others

    def _keep(self, key: tuple[str, str], done: asyncio.Future[Types]) -> None:
        self._pending.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            return  # not cached: the next request reads again
        # one version per table is kept (tables of several prefixes have their own versions)
        self._types = {k: v for k, v in self._types.items() if k[0] != key[0]}
        self._types[key] = done.result()


ALL, LATEST, KEYS = "all", "latest", "keys"
"""Modes of a prefix read: every row, the last row only, the keys only."""


@dataclass(frozen=True, slots=True)
class RowsKey:
    """One prefix of one table, read with one column projection: every row (``ALL``), the
    last row only (``LATEST``), or the keys only (``KEYS``, for counting)."""

    table: tables.TableSpec
    prefix: bytes
    columns: tuple[Column, ...]
    mode: str = ALL

    @classmethod
    def of(cls, spec: tables.TableSpec, prefix: bytes, columns: Sequence[Column], mode: str
           ) -> RowsKey:
        """The key of a read (columns sorted, none when counting keys)."""
        return cls(spec, prefix, () if mode == KEYS else tuple(sorted(columns)), mode)

    def range(self) -> ScanRange:
        if self.mode == LATEST:
            return ScanRange.prefix(self.prefix, reverse=True, limit=1)
        return ScanRange.prefix(self.prefix, keys_only=self.mode == KEYS)



class Reader:
    """Reads for one request. ``stats`` counts its store work."""

    def __init__(
        self, store: Store, prefix: str, types: TypesCache, cache: ResultCache | None = None
    ) -> None:
        self.store = CountingStore(store)
        self.prefix = prefix
        self._types = types
        self._cache = cache if cache is not None and cache.ttl > 0 else None  # 0: disabled
        self._version: asyncio.Future[str] | None = None
        self.rows_by_prefix: DataLoader[RowsKey, list[Row]] = DataLoader(
            load_fn=self._load_prefixes
        )
        self.blocks_by_prefix: DataLoader[RowsKey, CellBlock] = DataLoader(
            load_fn=self._load_blocks
        )
        self._loaders: dict[str, object] = {}
        self._version_of: Reader | None = None  # a sibling asks the reader it came from

    def sibling(self, prefix: str) -> Reader:
        """A reader of the tables under another prefix (Rubin's beside ZTF's) for the same
        request: same store counters, type and result caches, and data version (ingest bumps
        the version of the gateway's prefix whichever survey it writes)."""
        other = Reader(self.store.store, prefix, self._types, self._cache)
        other.store = self.store
        other._version_of = self
        return other

    def loader(self, name: str, make: Callable[[], L]) -> L:
        """This request's loader called ``name`` (made by ``make`` on first use): how other
        layers batch their own reads per request without process-wide registries."""
        found = self._loaders.get(name)
        if found is None:
            found = self._loaders[name] = make()
        return found  # type: ignore[return-value]  # what make() built under this name

    @property
    def cache(self) -> ResultCache | None:
        """The cross-request cache (None when disabled)."""
        return self._cache

    @property
    def stats(self) -> StoreStats:
        return self.store.stats

    def table(self, spec: tables.TableSpec) -> str:
        return spec.name(self.prefix)

    async def data_version(self) -> str:
        """The data version, read once per request (concurrent callers share the read)."""
        if self._version_of is not None:
            return await self._version_of.data_version()
        if self._version is not None and self._version.done():
            return self._version.result()
        if self._version is None:
            self._version = asyncio.ensure_future(read_data_version(self.store, self.prefix))
        return await asyncio.shield(self._version)

    async def types(self, spec: tables.TableSpec) -> Types:
        """Types of the table's columns (schema rows over Fink's catalog)."""
        version = await self.data_version()
        return await self._types.get(self.store, self.table(spec), spec, version)

    def rows_with_prefix(
        self, spec: tables.TableSpec, prefix: bytes, columns: Sequence[Column], mode: str = ALL
    ) -> Awaitable[list[Row]]:
        """The rows of ``spec`` whose key starts with ``prefix`` (batched with other calls):
        all of them, the last one (``mode=LATEST``) or their keys (``mode=KEYS``).

        A future, not a coroutine: gathering many costs no task each."""
        return self.rows_by_prefix.load(RowsKey.of(spec, prefix, columns, mode))

    def block_with_prefix(
        self, spec: tables.TableSpec, prefix: bytes, columns: Sequence[Column], mode: str = ALL
    ) -> Awaitable[CellBlock]:
        """:meth:`rows_with_prefix` answered as columns of raw cells (a :class:`CellBlock`)."""
        return self.blocks_by_prefix.load(RowsKey.of(spec, prefix, columns, mode))

    async def blocks_with_prefixes(
        self, spec: tables.TableSpec, prefixes: Sequence[bytes], columns: Sequence[Column],
        mode: str = ALL,
    ) -> list[CellBlock]:
        """:meth:`block_with_prefix` of many prefixes known together: one batch read without
        a future per prefix (a single prefix still waits for the tick's other loads)."""
        if len(prefixes) == 1:
            return [await self.block_with_prefix(spec, prefixes[0], columns, mode)]
        return await self._load_blocks([RowsKey.of(spec, p, columns, mode) for p in prefixes])

    async def scan(
        self, spec: tables.TableSpec, ranges: Sequence[ScanRange], columns: Sequence[Column] | None
    ) -> list[list[Row]]:
        """Several ranges of one table in one round trip (no cross-request cache)."""
        results = await self.store.scan(self.table(spec), ranges, columns)
        return [[r for r in rows if not r[0].startswith(tables.SCHEMA_ROW_PREFIX)]
                for rows in results]

    async def _load_prefixes(self, keys: list[RowsKey]) -> list[list[Row]]:
        async def scan(spec: tables.TableSpec, ranges: list[ScanRange],
                       columns: tuple[Column, ...]) -> list[list[Row]]:
            return await self.scan(spec, ranges, list(columns) or None)

        return await self._load(
            keys, "rows", scan,
            lambda rows: [[k, v] for k, v in rows],
            lambda plain: [(k, v) for k, v in plain],
        )  # fmt: skip

    async def _load_blocks(self, keys: list[RowsKey]) -> list[CellBlock]:
        async def scan(spec: tables.TableSpec, ranges: list[ScanRange],
                       columns: tuple[Column, ...]) -> list[CellBlock]:
            return await self.store.scan_columns(self.table(spec), ranges, columns)

        return await self._load(keys, "block", scan, CellBlock.to_plain, CellBlock.from_plain)

    async def _load(
        self,
        keys: list[RowsKey],
        kind: str,
        scan: Callable[[tables.TableSpec, list[ScanRange], tuple[Column, ...]],
                       Awaitable[list[T]]],
        to_plain: Callable[[T], Any],
        from_plain: Callable[[Any], T],
    ) -> list[T]:
        """Cached results first; the rest in one store call per (table, columns)."""
        results: list[T | None] = [None] * len(keys)
        cache_keys: list[str] = []
        if self._cache:
            version = await self.data_version()
            cache_keys = [self._cache_key(version, k) + "|" + kind for k in keys]
            cached = await self._cache.get_many(cache_keys)
            results = [None if c is None else from_plain(c) for c in cached]
        groups: dict[tuple[tables.TableSpec, tuple[Column, ...]], list[int]] = defaultdict(list)
        for i, key in enumerate(keys):
            if results[i] is None:
                groups[(key.table, key.columns)].append(i)

        async def read(spec: tables.TableSpec, columns: tuple[Column, ...], where: list[int]
                       ) -> None:
            found = await scan(spec, [keys[i].range() for i in where], columns)
            for i, result in zip(where, found, strict=True):
                results[i] = result

        await asyncio.gather(*(read(s, c, w) for (s, c), w in groups.items()))
        # every result is set now: from the cache, or by the read of its group
        if self._cache:
            fresh = [(cache_keys[i], to_plain(results[i]))  # type: ignore[arg-type]
                     for w in groups.values() for i in w]
            await self._cache.set_many(fresh)
        return results  # type: ignore[return-value]

    def _cache_key(self, version: str, key: RowsKey) -> str:
        columns = hashlib.blake2b(b",".join(key.columns), digest_size=8).hexdigest()
        return (f"{self.prefix}|{version}|{key.table.suffix}|{key.prefix.hex()}|{columns}"
                f"|{key.mode}")
