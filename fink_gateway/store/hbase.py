"""The HBase backend: Apache HBase through its Thrift1 server, with happybase.

happybase is blocking, so every call runs on a thread pool as large as the connection pool;
the event loop only awaits. The ranges of one ``scan`` call, and the chunks of a large get
or put, run concurrently across the pool. Thrift, socket and timeout errors become
:class:`~fink_gateway.errors.BackendUnavailable`; happybase's pool then replaces the failed
connection, so the store recovers by itself once the server is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import happybase
import numpy as np
from thriftpy2.thrift import TException
from thriftpy2.transport import TTransportException

from fink_gateway.errors import BackendUnavailable, GatewayError, InvalidArgument, NotFound
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.interface import StoreStats
from fink_gateway.store.naming import check_families, check_keys, check_table
from fink_gateway.store.types import Cells, Column, Row, RowKey, ScanRange

T = TypeVar("T")
Connection = Any  # happybase.Connection (untyped)

_thrift_types = sys.modules["Hbase_thrift"]  # the Thrift1 types, loaded by ``import happybase``
AlreadyExists: type[TException] = _thrift_types.AlreadyExists
IllegalArgument: type[TException] = _thrift_types.IllegalArgument
ThriftIOError: type[TException] = _thrift_types.IOError
Mutation: Any = _thrift_types.Mutation
BatchMutation: Any = _thrift_types.BatchMutation

SCAN_BATCH = 1000
"""Rows per ``scannerGetList`` round trip (also the server-side scanner caching)."""
GET_CHUNK = 1000
"""Keys per ``getRowsWithColumns`` call; larger multi-gets run in concurrent chunks."""
PUT_CHUNK_CELLS = 50_000
"""Cells per ``mutateRows`` call; larger puts run in concurrent chunks."""
PUT_CHUNK_BYTES = 8 << 20
"""Bytes of cell values per ``mutateRows`` call (a cutouts row holds ~12 kB of stamps)."""
COUNT_FILTER = b"FirstKeyOnlyFilter() AND KeyOnlyFilter()"
_BELOW = b"\xff" * 4


def reversed_bounds(r: ScanRange) -> tuple[bytes | None, bytes | None]:
    """``(row_start, row_stop)`` of a Thrift1 reversed scan covering ``[r.start, r.stop)``.

    A reversed HBase scan starts at ``row_start`` (the higher key, inclusive) and ends at
    ``row_stop`` (the lower key, exclusive). So ``row_start = r.stop`` (the caller drops a
    row equal to it) and ``row_stop`` is a key just below ``r.start``: ``start[:-1]`` when
    ``start`` ends with 0x00 (exact), else ``start`` with its last byte decremented and
    0xFF bytes appended; the caller drops the rows below ``start`` (only keys with four 0xFF
    bytes there, never UTF-8 text), which come last. None means unbounded.
    """
    start = r.start
    if not start:
        row_stop = None
    elif start[-1] == 0:
        row_stop = start[:-1] or None
    else:
        row_stop = start[:-1] + bytes([start[-1] - 1]) + _BELOW
    return r.stop, row_stop


def error_message(error: BaseException) -> str:
    """The text of a Thrift or socket error (happybase leaves Thrift messages as bytes)."""
    message = getattr(error, "message", None)
    if isinstance(message, bytes):
        return message.decode("utf-8", "replace")
    if isinstance(message, str) and message:
        return message
    try:
        return str(error) or type(error).__name__
    except Exception:  # thriftpy2's __str__ fails on bytes messages
        return repr(error)


def is_stale(error: BaseException) -> bool:
    """True when a pooled connection died under us (server restarted, socket reset).

    happybase's pool has already reopened that connection, so a retry may succeed. A
    refused reconnection, a timeout or an HBase error is not stale: retrying would not help.
    """
    if isinstance(error, TTransportException):
        return error.type == TTransportException.END_OF_FILE
    return isinstance(error, ConnectionResetError | BrokenPipeError | ConnectionAbortedError)


def thrift_columns(columns: Sequence[Column] | None) -> list[Column] | None:
    """The projection for Thrift: None for all, and no ``fam:qual`` beside its whole ``fam``.

    (HBase's Get/Scan narrow a family to one column when ``fam:qual`` follows ``fam``.)
    """
    if not columns:
        return None
    families = {c for c in columns if b":" not in c}
    kept = [c for c in columns if b":" not in c or c.split(b":", 1)[0] not in families]
    return list(dict.fromkeys(kept))


class HBaseStore:
    """A :class:`~fink_gateway.store.interface.Store` on an HBase Thrift1 server.

    ``table_prefix_ns`` puts every table in that HBase namespace (``ns:table``); the
    namespace must exist (Thrift1 cannot create one). ``timeout_s`` bounds each socket
    operation and the wait for a pooled connection.
    """

    def __init__(
        self,
        host: str,
        port: int = 9090,
        *,
        pool_size: int = 4,
        timeout_s: float = 10.0,
        table_prefix_ns: str | None = None,
    ) -> None:
        assert pool_size >= 1, "pool_size must be at least 1"
        self.host = host
        self.port = port
        self.pool_size = pool_size
        self.timeout_s = timeout_s
        self.table_prefix_ns = table_prefix_ns
        self.stats = StoreStats()
        self._executor = ThreadPoolExecutor(pool_size, thread_name_prefix="hbase")
        self._pool: happybase.ConnectionPool | None = None
        self._pool_lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"HBaseStore({self.host!r}, {self.port})"

    async def create_table(self, table: str, families: Sequence[str]) -> None:
        check_table(table)
        check_families(table, families)

        def create(connection: Connection) -> None:
            if table.encode() in connection.tables():
                return
            with contextlib.suppress(AlreadyExists):  # created meanwhile by someone else
                # one version per cell, as in Fink's tables
                connection.create_table(table, {f: {"max_versions": 1} for f in families})

        await self._call(table, create)
        self.stats.record(0, 0, None)

    async def drop_table(self, table: str) -> None:
        """Disable and delete ``table``, if it exists (not part of the Store protocol)."""

        def drop(connection: Connection) -> None:
            if table.encode() in connection.tables():
                connection.delete_table(table, disable=True)

        await self._call(table, drop)
        self.stats.record(0, 0, None)

    async def list_tables(self) -> list[str]:
        names = await self._call(None, lambda connection: connection.tables())
        self.stats.record(0, 0, None)
        return sorted(name.decode() for name in names)

    async def get_rows(
        self, table: str, keys: Sequence[RowKey], columns: Sequence[Column] | None = None
    ) -> list[Cells | None]:
        wanted = thrift_columns(columns)
        unique = list(dict.fromkeys(keys))

        def get(chunk: list[RowKey]) -> Callable[[Connection], list[Row]]:
            return lambda connection: connection.table(table).rows(chunk, columns=wanted)

        chunks = [unique[i : i + GET_CHUNK] for i in range(0, len(unique), GET_CHUNK)]
        parts = await asyncio.gather(*(self._call(table, get(chunk)) for chunk in chunks))
        found = {key: cells for part in parts for key, cells in part if cells}
        self.stats.record(len(found), sum(map(len, found.values())), columns)
        return [found.get(key) for key in keys]

    async def scan(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column] | None = None
    ) -> list[list[Row]]:
        wanted = thrift_columns(columns)

        def one(r: ScanRange) -> Callable[[Connection], list[Row]]:
            return lambda connection: _scan_range(connection.table(table), r, wanted)

        results = list(await asyncio.gather(*(self._call(table, one(r)) for r in ranges)))
        cells = sum(len(c) for result in results for _, c in result)
        self.stats.record(sum(map(len, results)), cells, columns)
        return results

    async def scan_columns(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column]
    ) -> list[CellBlock]:
        """Thrift hands rows over as maps: the columns are gathered from them, fixed-width
        cells joined into one byte matrix per column for the reader to decode at once."""
        results = await self.scan(table, ranges, columns)
        return [CellBlock.from_rows(rows, columns) for rows in results]

    async def put_rows(self, table: str, rows: Iterable[Row]) -> int:
        merged: dict[RowKey, Cells] = {}  # a key put twice in one call: the later cells win
        for key, cells in rows:
            if cells:
                merged[key] = {**merged[key], **cells} if key in merged else cells
        batch = list(merged.items())
        check_keys(table, batch)
        chunks: list[list[Row]] = [[]]
        cells_in_chunk = bytes_in_chunk = 0
        for row in batch:
            size = sum(map(len, row[1].values()))
            if chunks[-1] and (
                cells_in_chunk + len(row[1]) > PUT_CHUNK_CELLS
                or bytes_in_chunk + size > PUT_CHUNK_BYTES
            ):
                chunks.append([])
                cells_in_chunk = bytes_in_chunk = 0
            chunks[-1].append(row)
            cells_in_chunk += len(row[1])
            bytes_in_chunk += size
        if batch:
            await asyncio.gather(*(self._call(table, _row_putter(table, c)) for c in chunks))
        self.stats.record(len(batch), sum(len(cells) for _, cells in batch), None)
        return len(batch)

    async def put_batch(self, table: str, batch: CellBatch) -> int:
        """Put a columnar batch in concurrent chunks, each turned into Thrift on the pool."""
        if len(set(batch.keys)) < len(batch):  # repeated keys: merged as put_rows does
            return await self.put_rows(table, batch.rows())
        present = np.zeros(len(batch), dtype=np.int64)  # cells per row
        for _, values in batch.columns:
            present += values.is_valid().to_numpy(zero_copy_only=False)
        if any(not batch.keys[i] for i in np.flatnonzero(present).tolist()):
            raise InvalidArgument(f"empty row key in a put to {table!r}", table=table)
        if not present.any():
            self.stats.record(0, 0, None)
            return 0
        row_bytes = sum(values.nbytes for _, values in batch.columns) / max(len(batch), 1)
        per_chunk = max(
            1,
            min(
                PUT_CHUNK_CELLS // max(len(batch.columns), 1),
                int(PUT_CHUNK_BYTES // max(row_bytes, 1.0)),
            ),
        )
        starts = range(0, len(batch), per_chunk)
        parts = await asyncio.gather(
            *(self._call(table, _batch_putter(table, batch, i, per_chunk)) for i in starts)
        )
        rows = sum(parts)
        self.stats.record(rows, int(present.sum()), None)
        return rows

    async def delete_rows(self, table: str, keys: Sequence[RowKey]) -> None:
        def delete(connection: Connection) -> None:
            with connection.table(table).batch(transaction=False) as batch:
                for key in keys:
                    batch.delete(key)

        if keys:
            await self._call(table, delete)
        self.stats.record(len(keys), 0, None)

    async def count_rows(self, table: str) -> int:
        def count(connection: Connection) -> int:
            scanner = connection.table(table).scan(filter=COUNT_FILTER, batch_size=5000)
            return sum(1 for _ in scanner)

        n = await self._call(table, count)
        self.stats.record(n, 0, None)
        return n

    async def ping(self) -> None:
        await self._call(None, lambda connection: connection.tables())

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await asyncio.to_thread(self._shut_down)

    def _shut_down(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        pool, self._pool = self._pool, None
        if pool is not None:  # happybase's pool has no close(); its idle connections are here
            while not pool._queue.empty():
                pool._queue.get_nowait().close()

    async def _call(self, table: str | None, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(connection)`` on the thread pool with a pooled connection."""
        if self._closed:
            raise BackendUnavailable(f"{self!r} is closed", host=self.host, port=self.port)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run, table, fn)

    def _run(self, table: str | None, fn: Callable[[Connection], T]) -> T:
        """Call ``fn``; retry on stale connections (all store operations are idempotent)."""
        for attempt in range(self.pool_size + 1):
            try:
                with self._connection_pool().connection(timeout=self.timeout_s) as connection:
                    return fn(connection)
            except GatewayError:
                raise
            except (TException, OSError, happybase.NoConnectionsAvailable) as error:
                if not (is_stale(error) and attempt < self.pool_size):
                    translated = self._translate(error, table)
                    if isinstance(translated, BackendUnavailable) and (
                        isinstance(error, ThriftIOError) and table and self._absent(table)
                    ):
                        translated = NotFound(f"table {table!r} does not exist", table=table)
                    raise translated from error
        raise AssertionError("unreachable")

    def _absent(self, table: str) -> bool:
        """After an HBase error: is it because the table does not exist? (Puts don't say.)"""
        try:
            with self._connection_pool().connection(timeout=self.timeout_s) as connection:
                return table.encode() not in connection.tables()
        except (TException, OSError, happybase.NoConnectionsAvailable):
            return False

    def _connection_pool(self) -> happybase.ConnectionPool:
        """The connection pool, created on first use (it connects once, and may fail)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = happybase.ConnectionPool(
                    self.pool_size,
                    host=self.host,
                    port=self.port,
                    timeout=int(self.timeout_s * 1000),
                    table_prefix=self.table_prefix_ns,
                    table_prefix_separator=b":",
                )
            return self._pool

    def _translate(self, error: Exception, table: str | None) -> GatewayError:
        message = error_message(error)
        if isinstance(error, ThriftIOError):
            if "TableNotFoundException" in message:
                return NotFound(f"table {table!r} does not exist in HBase", table=table)
            if "NamespaceNotFoundException" in message:
                ns = self.table_prefix_ns
                return NotFound(f"HBase namespace {ns!r} does not exist", namespace=ns)
            if "NoSuchColumnFamilyException" in message:
                first = message.split("\n", 1)[0]
                return InvalidArgument(f"table {table!r}: {first[-200:]}", table=table)
        if isinstance(error, IllegalArgument):
            return InvalidArgument(f"HBase refused the request: {message}", table=table)
        where = f"{self.host}:{self.port}"
        return BackendUnavailable(
            f"HBase Thrift server {where}: {type(error).__name__}: {message.splitlines()[0][:300]}",
            host=self.host,
            port=self.port,
            table=table,
        )


def _scan_range(table: Any, r: ScanRange, columns: list[Column] | None) -> list[Row]:
    """Rows of one range as ``ScanRange`` defines them, through happybase's scanner."""
    if (r.limit is not None and r.limit <= 0) or (r.stop is not None and r.stop <= r.start):
        return []
    if r.keys_only:  # one empty cell per row travels; a reversed count is still a count
        scanner = table.scan(row_start=r.start, row_stop=r.stop, filter=COUNT_FILTER,
                             batch_size=SCAN_BATCH)
        keys = [key for key, _ in scanner]
        return [(key, {}) for key in (keys[::-1] if r.reverse else keys)[: r.limit]]
    if not r.reverse:
        batch = min(r.limit or SCAN_BATCH, SCAN_BATCH)
        scanner = table.scan(
            row_start=r.start,
            row_stop=r.stop,
            columns=columns,
            limit=r.limit,
            batch_size=batch,
        )
        return list(scanner)
    row_start, row_stop = reversed_bounds(r)
    limit = None if r.limit is None else r.limit + (row_start is not None)
    scanner = table.scan(
        row_start=row_start,
        row_stop=row_stop,
        columns=columns,
        limit=limit,
        batch_size=min(limit or SCAN_BATCH, SCAN_BATCH),
        reverse=True,
    )
    rows = [(key, cells) for key, cells in scanner if r.start <= key and key != r.stop]
    return rows if r.limit is None else rows[: r.limit]


class LazyMutations:
    """The Thrift ``Mutation`` puts of one row, made one at a time while Thrift writes them.

    thriftpy2 writes a ``list<Mutation>`` field from any sized iterable. Made lazily, each
    ``Mutation`` is freed as soon as it is written: millions of them never pile up as live
    objects, which would make Python's cyclic garbage collector rescan the heap over and over
    (with a list per row, the collector took most of the client's CPU time on a large ingest).
    ``values[i]`` None means no cell in ``columns[i]``.
    """

    __slots__ = ("columns", "count", "values")

    def __init__(
        self, columns: Sequence[Column], values: Sequence[bytes | None], count: int
    ) -> None:
        self.columns = columns
        self.values = values
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        for column, value in zip(self.columns, self.values, strict=True):
            if value is not None:
                yield Mutation(False, column, value, True)  # isDelete, column, value, writeToWAL


def batch_mutations(batch: CellBatch, start: int, length: int) -> list[Any]:
    """Thrift ``BatchMutation`` s of rows ``start:start + length``, rows without cells left out."""
    columns = [name for name, _ in batch.columns]
    arrays = [values.slice(start, length) for _, values in batch.columns]
    if not arrays:
        return []
    counts = np.zeros(len(arrays[0]), dtype=np.int64)
    for array in arrays:
        counts += array.is_valid().to_numpy(zero_copy_only=False)
    values = [array.to_pylist() for array in arrays]
    keys = batch.keys[start : start + length]
    return [
        BatchMutation(key, LazyMutations(columns, row, count))
        for key, row, count in zip(keys, zip(*values, strict=True), counts.tolist(), strict=True)
        if count
    ]


def _mutate(connection: Connection, table: str, mutations: list[Any]) -> None:
    """One ``mutateRows`` call (happybase's ``Batch.send`` without its per-cell dict work)."""
    if mutations:
        connection.client.mutateRows(connection.table(table).name, mutations, {})


def _row_putter(table: str, rows: list[Row]) -> Callable[[Connection], None]:
    def put(connection: Connection) -> None:
        _mutate(
            connection,
            table,
            [
                BatchMutation(key, LazyMutations(tuple(cells), tuple(cells.values()), len(cells)))
                for key, cells in rows
            ],
        )

    return put


def _batch_putter(
    table: str, batch: CellBatch, start: int, length: int
) -> Callable[[Connection], int]:
    def put(connection: Connection) -> int:
        mutations = batch_mutations(batch, start, length)
        _mutate(connection, table, mutations)
        return len(mutations)

    return put
