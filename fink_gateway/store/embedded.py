"""The embedded backend: HBase's data model in one local SQLite file.

Layout: a catalog ``_tables(name, families)`` and, per HBase table, a SQLite table
``"t:<name>"(key BLOB PRIMARY KEY, cells BLOB) WITHOUT ROWID`` whose ``cells`` is the msgpack
of the row's ``{b"fam:qual": value}`` map. SQLite compares BLOBs with ``memcmp``, which is
HBase's unsigned byte order, so ``ORDER BY key`` and key ranges behave as in HBase.

A columnar :class:`~fink_gateway.store.batch.CellBatch` (``put_batch``) is stored in the
packed encoding of :mod:`~fink_gateway.store.packed_rows` instead, its layout kept once in
``_layouts``; readers decode either encoding to the same cells.

A put merges cells into the stored row; the merge runs in SQL (``ON CONFLICT ... DO UPDATE``)
through the Python function ``merge_cells``, called only for keys that already exist. A batch
is inserted in key order (b-tree appends instead of page splits: 2-3x faster puts).
Column families are recorded but, unlike HBase, puts are not checked against them.

``scan_columns`` reads many ranges with one statement (their bounds joined with the key
index, a ``CROSS JOIN`` so that SQLite walks the ranges in order and each range by its key)
and cuts the stored rows into columns a chunk at a time, so a large answer never holds all
its stored rows at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
from msgpack import packb

from fink_gateway.errors import BackendUnavailable, InvalidArgument, NotFound
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.interface import StoreStats
from fink_gateway.store.naming import check_families, check_table, unknown_families
from fink_gateway.store.packed_rows import layout_of, pack_rows
from fink_gateway.store.projection import Projection, projection_of
from fink_gateway.store.row_layouts import LAYOUTS_SQL, LayoutRegistry
from fink_gateway.store.sqlite_file import SQLiteFile
from fink_gateway.store.types import Cells, Column, Row, RowKey, ScanRange

T = TypeVar("T")

CATALOG = "_tables"
_IN_CHUNK = 500  # keys per ``WHERE key IN (...)``, well under SQLite's variable limit


def sql_name(table: str) -> str:
    """The quoted SQLite name holding an HBase table."""
    return '"t:' + table.replace('"', '""') + '"'


def _initialise(connection: sqlite3.Connection) -> None:
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {CATALOG} (name TEXT PRIMARY KEY, families TEXT NOT NULL)"
    )
    connection.execute(LAYOUTS_SQL)


class EmbeddedStore:
    """A :class:`~fink_gateway.store.interface.Store` on one SQLite file (created on first use)."""

    def __init__(self, path: str | Path, *, readers: int = 3) -> None:
        self.path = Path(path)
        self.stats = StoreStats()
        self._layouts = LayoutRegistry(self.path)
        self._db = SQLiteFile(
            self.path, initialise=_initialise, prepare_writer=self._prepare_writer, readers=readers
        )

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"

    def merge_cells(self, old: bytes, new: bytes) -> bytes:
        """Msgpack of the ``old`` cells updated with the ``new`` ones (a put on an existing row)."""
        cells = self._layouts.decode(old)
        cells.update(self._layouts.decode(new))
        return cast(bytes, packb(cells))  # msgpack is untyped

    def _prepare_writer(self, connection: sqlite3.Connection) -> None:
        connection.create_function("merge_cells", 2, self.merge_cells, deterministic=True)

    async def create_table(self, table: str, families: Sequence[str]) -> None:
        check_table(table)
        check_families(table, families)

        def create(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT OR IGNORE INTO {CATALOG} (name, families) VALUES (?, ?)",
                (table, json.dumps(list(families))),
            )
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {sql_name(table)} "
                "(key BLOB PRIMARY KEY, cells BLOB NOT NULL) WITHOUT ROWID"
            )

        await self._call(self._db.write, table, create)
        self.stats.record(0, 0, None)

    async def drop_table(self, table: str) -> None:
        """Delete ``table`` and its rows, if it exists (not part of the Store protocol)."""

        def drop(connection: sqlite3.Connection) -> None:
            connection.execute(f"DELETE FROM {CATALOG} WHERE name = ?", (table,))
            connection.execute(f"DROP TABLE IF EXISTS {sql_name(table)}")

        await self._call(self._db.write, table, drop)
        self.stats.record(0, 0, None)

    async def list_tables(self) -> list[str]:
        def names(connection: sqlite3.Connection) -> list[str]:
            return [name for (name,) in connection.execute(f"SELECT name FROM {CATALOG}")]

        tables = await self._call(self._db.read, None, names)
        self.stats.record(0, 0, None)
        return sorted(tables)

    async def get_rows(
        self, table: str, keys: Sequence[RowKey], columns: Sequence[Column] | None = None
    ) -> list[Cells | None]:
        projection = projection_of(columns)
        decode = self._decoder(projection)
        unique = list(dict.fromkeys(keys))
        select = f"SELECT key, cells FROM {sql_name(table)} WHERE key IN "

        def get(connection: sqlite3.Connection) -> dict[RowKey, Cells]:
            if columns:
                self._check_projection(connection, table, columns)
            found: dict[RowKey, Cells] = {}
            for i in range(0, len(unique), _IN_CHUNK):
                chunk = unique[i : i + _IN_CHUNK]
                sql = select + "(" + ",".join("?" * len(chunk)) + ")"
                for key, blob in connection.execute(sql, chunk):
                    if cells := decode(blob):
                        found[key] = cells
            return found

        found = await self._call(self._db.read, table, get) if unique else {}
        self.stats.record(len(found), sum(map(len, found.values())), columns)
        return [found.get(key) for key in keys]

    async def scan(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column] | None = None
    ) -> list[list[Row]]:
        projection = projection_of(columns)
        decode = self._decoder(projection)
        name = sql_name(table)

        def scan_all(connection: sqlite3.Connection) -> list[list[Row]]:
            connection.execute("BEGIN")  # one snapshot for every range
            if columns:
                self._check_projection(connection, table, columns)
            return [_scan_range(connection, name, r, projection is None, decode) for r in ranges]

        results = await self._call(self._db.read, table, scan_all)
        rows = sum(map(len, results))
        cells = sum(len(c) for result in results for _, c in result)
        self.stats.record(rows, cells, columns)
        return results

    async def scan_columns(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column]
    ) -> list[CellBlock]:
        """Packed rows are cut column-wise (one numpy pass per column and range); ranges
        with a limit, key-only ranges and whole families go through :meth:`scan`."""
        wanted = list(columns)
        if not wanted or any(b":" not in c for c in wanted):
            return [CellBlock.from_rows(rows, wanted or None)
                    for rows in await self.scan(table, ranges, columns)]
        name = sql_name(table)
        decode = self._decoder(projection_of(wanted))
        block = self._layouts.block

        def scan_all(connection: sqlite3.Connection) -> tuple[list[CellBlock], int, int]:
            """The blocks of the ranges, and how many rows and cells they hold."""
            connection.execute("BEGIN")  # one snapshot for every range
            self._check_projection(connection, table, wanted)
            if any(r.limit is not None or r.keys_only for r in ranges):
                blocks = [CellBlock.from_rows(_scan_range(connection, name, r, False, decode),
                                              wanted) for r in ranges]
                return blocks, sum(map(len, blocks)), CellBlock.cells_in(blocks)
            parts, owners = [], []
            for owner, keys, blobs in _ranges_chunks(connection, name, ranges):
                parts.append(block(keys, blobs, wanted))  # the chunk's blobs are freed here
                owners.append(np.asarray(owner, dtype=np.int64))
            whole = CellBlock.concat(parts) if parts else CellBlock([], {})
            owned = np.concatenate(owners) if owners else np.zeros(0, np.int64)
            if len(owned) > 1 and bool((owned[1:] < owned[:-1]).any()):
                order = np.argsort(owned, kind="stable")  # range order, rows kept in order
                whole, owned = whole.take(order), owned[order]
            held = _holding_any(whole)
            if held is not None:
                whole, owned = whole.take(held), owned[held]
            counts = np.bincount(owned, minlength=len(ranges)).tolist()
            return CellBlock.split(whole, counts), len(whole), whole.cell_count()

        blocks, rows, cells = await self._call(self._db.read, table, scan_all)
        self.stats.record(rows, cells, columns)
        return blocks

    async def put_rows(self, table: str, rows: Iterable[Row]) -> int:
        batch = rows if isinstance(rows, list) else list(rows)
        sql = _put_sql(table)

        def put(connection: sqlite3.Connection) -> tuple[int, int]:
            n_rows = n_cells = 0

            def packed() -> Iterable[tuple[bytes, bytes]]:
                nonlocal n_rows, n_cells
                for key, cells in sorted(batch, key=itemgetter(0)):  # stable: last put wins
                    if not key:
                        raise InvalidArgument(f"empty row key in a put to {table!r}", table=table)
                    if cells:
                        n_rows += 1
                        n_cells += len(cells)
                        yield key, packb(cells)

            connection.executemany(sql, packed())
            return n_rows, n_cells

        n_rows, n_cells = await self._call(self._db.write, table, put) if batch else (0, 0)
        self.stats.record(n_rows, n_cells, None)
        return n_rows

    async def put_batch(self, table: str, batch: CellBatch) -> int:
        """Put a columnar batch, packed a whole batch at a time; returns the rows put."""
        sql = _put_sql(table)

        def put(connection: sqlite3.Connection) -> tuple[int, int]:
            if not all(batch.keys):
                raise InvalidArgument(f"empty row key in a put to {table!r}", table=table)
            if batch.columns:
                self._check_projection(connection, table, [c for c, _ in batch.columns])
            present = np.zeros(len(batch), dtype=bool)
            for _, values in batch.columns:
                present |= values.is_valid().to_numpy(zero_copy_only=False)
            layout, values = layout_of(batch)
            layout_id, new = self._layouts.id_for(connection, layout)
            try:
                blobs = pack_rows(layout, layout_id, values, len(batch))
                keys = batch.keys
                order = sorted(np.flatnonzero(present).tolist(), key=keys.__getitem__)
                connection.executemany(sql, ((keys[i], blobs[i]) for i in order))
            except BaseException:
                if new:
                    self._layouts.forget(layout_id)
                raise
            cells = sum(len(v) - v.null_count for _, v in batch.columns)
            return len(order), cells

        n_rows, n_cells = await self._call(self._db.write, table, put) if len(batch) else (0, 0)
        self.stats.record(n_rows, n_cells, None)
        return n_rows

    async def delete_rows(self, table: str, keys: Sequence[RowKey]) -> None:
        sql = f"DELETE FROM {sql_name(table)} WHERE key = ?"

        def delete(connection: sqlite3.Connection) -> None:
            connection.executemany(sql, ((key,) for key in keys))

        if keys:
            await self._call(self._db.write, table, delete)
        self.stats.record(len(keys), 0, None)

    async def count_rows(self, table: str) -> int:
        def count(connection: sqlite3.Connection) -> int:
            (n,) = connection.execute(f"SELECT count(*) FROM {sql_name(table)}").fetchone()
            return int(n)

        n = await self._call(self._db.read, table, count)
        self.stats.record(n, 0, None)
        return n

    async def ping(self) -> None:
        def probe(connection: sqlite3.Connection) -> None:
            connection.execute(f"SELECT count(*) FROM {CATALOG}").fetchone()

        await self._call(self._db.read, None, probe)

    async def close(self) -> None:
        await self._db.close()
        self._layouts.close()

    def _check_projection(
        self, connection: sqlite3.Connection, table: str, columns: Sequence[Column]
    ) -> None:
        """Refuse columns of a family the table lacks, as HBase does."""
        row = connection.execute(
            f"SELECT families FROM {CATALOG} WHERE name = ?", (table,)
        ).fetchone()
        if row is None:
            raise NotFound(f"table {table!r} does not exist in {self.path}", table=table)
        unknown = unknown_families(columns, json.loads(row[0]))
        if unknown:
            raise InvalidArgument(
                f"table {table!r} has no column family {', '.join(unknown)}",
                table=table,
                families=unknown,
            )

    def _decoder(self, projection: Projection | None) -> Callable[[bytes], Cells]:
        """Stored row → cells, projected (empty when the row has none of the columns)."""
        decode = self._layouts.decode
        if projection is None:
            return decode
        if not projection.families:  # the registry already keeps only the wanted cells
            exact = projection.exact
            return lambda blob: decode(blob, exact)
        return lambda blob: projection.apply(decode(blob))

    async def _call(
        self,
        run: Callable[[Callable[[sqlite3.Connection], T]], Awaitable[T]],
        table: str | None,
        fn: Callable[[sqlite3.Connection], T],
    ) -> T:
        """Run ``fn`` through ``run`` (read or write), translating SQLite errors once."""
        try:
            return await run(fn)
        except sqlite3.Error as error:
            raise self._translate(error, table) from error

    def _translate(self, error: sqlite3.Error, table: str | None) -> Exception:
        if table is not None and str(error).startswith("no such table: t:"):
            return NotFound(f"table {table!r} does not exist in {self.path}", table=table)
        return BackendUnavailable(
            f"embedded store {self.path}: {error}", path=str(self.path), error=str(error)
        )


def _put_sql(table: str) -> str:
    return (
        f"INSERT INTO {sql_name(table)} (key, cells) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET cells = merge_cells(cells, excluded.cells)"
    )


def _scan_range(
    connection: sqlite3.Connection,
    table_sql: str,
    r: ScanRange,
    every_column: bool,
    decode: Callable[[bytes], Cells],
) -> list[Row]:
    """The rows of one range, in key order (descending when reversed), up to its limit."""
    if (r.limit is not None and r.limit <= 0) or (r.stop is not None and r.stop <= r.start):
        return []
    sql, params = _range_sql(table_sql, r, "key" if r.keys_only else "key, cells")
    if r.keys_only or every_column:
        if r.limit is not None:
            sql += " LIMIT ?"
            params.append(r.limit)
        if r.keys_only:
            return [(key, {}) for (key,) in connection.execute(sql, params)]
        return [(key, decode(blob)) for key, blob in connection.execute(sql, params)]
    rows: list[Row] = []
    for key, blob in connection.execute(sql, params):
        if cells := decode(blob):  # rows without any projected column are skipped
            rows.append((key, cells))
            if len(rows) == r.limit:
                break
    return rows


_RANGES_PER_STATEMENT = 300
_ROWS_PER_CHUNK = 8192  # stored rows held at once: bounds a large answer's memory


def _ranges_chunks(connection: sqlite3.Connection, table_sql: str, ranges: Sequence[ScanRange]
                   ) -> Iterator[tuple[list[int], list[bytes], list[bytes]]]:
    """(range index, key, stored row) of the rows of every range (none with a limit), a
    chunk of rows at a time. Bounded forward ranges are read by one statement per few hundred
    ranges (a join of their bounds with the table's key index), the others one by one. Rows
    of one range come in its order; ranges may come in any order."""
    joined = [i for i, r in enumerate(ranges)
              if not r.reverse and r.stop is not None and r.start < r.stop]
    statements: list[tuple[str, list[object]]] = []
    for at in range(0, len(joined), _RANGES_PER_STATEMENT):
        chunk = joined[at:at + _RANGES_PER_STATEMENT]
        values = ",".join("(?,?,?)" for _ in chunk)
        params: list[object] = []
        for i in chunk:
            params += [i, ranges[i].start, ranges[i].stop]
        statements.append((
            f"WITH r(i, lo, hi) AS (VALUES {values}) SELECT r.i, t.key, t.cells "
            f"FROM r CROSS JOIN {table_sql} AS t WHERE t.key >= r.lo AND t.key < r.hi "
            "",
            params,
        ))
    for i in sorted(set(range(len(ranges))) - set(joined)):
        r = ranges[i]
        if r.stop is None or r.start < r.stop:
            statements.append(_range_sql(table_sql, r, f"{i}, key, cells"))
    for sql, params in statements:
        cursor = connection.execute(sql, params)
        while rows := cursor.fetchmany(_ROWS_PER_CHUNK):
            owner, keys, blobs = zip(*rows, strict=True)
            yield list(owner), list(keys), list(blobs)


def _range_sql(table_sql: str, r: ScanRange, selected: str) -> tuple[str, list[object]]:
    """The SELECT of one range's rows in its order (its limit is the caller's)."""
    sql = f"SELECT {selected} FROM {table_sql} WHERE key >= ?"
    params: list[object] = [r.start]
    if r.stop is not None:
        sql += " AND key < ?"
        params.append(r.stop)
    sql += " ORDER BY key DESC" if r.reverse else " ORDER BY key"
    return sql, params


def _holding_any(block: CellBlock) -> np.ndarray | None:
    """Positions of the rows holding one of the block's columns at least (HBase keeps only
    those in a projected scan), or None when every row does."""
    if not len(block):
        return None
    if not block.columns:
        return np.zeros(0, dtype=np.int64)
    held = np.logical_or.reduce([c.present for c in block.columns.values()])
    return None if held.all() else np.flatnonzero(held)
