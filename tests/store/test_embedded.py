"""Embedded-store behaviour beyond the Store contract: the file, its layout, concurrency."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
from msgpack import packb, unpackb

from fink_gateway.errors import BackendUnavailable
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.embedded import EmbeddedStore, sql_name
from fink_gateway.store.packed_rows import is_packed
from fink_gateway.store.types import ScanRange

pytestmark = pytest.mark.anyio


@pytest.fixture
async def store(tmp_path: Path):
    store = EmbeddedStore(tmp_path / "fink.db")
    yield store
    await store.close()


def test_sqlite_compares_blobs_as_unsigned_bytes() -> None:
    keys = [b"a\xff", b"a\x00", b"a", b"\xff", b"\x00", b"78_", b"780_", "é".encode(), b" "]
    with sqlite3.connect(":memory:") as db:
        db.execute("CREATE TABLE t (key BLOB PRIMARY KEY) WITHOUT ROWID")
        db.executemany("INSERT INTO t VALUES (?)", [(k,) for k in keys])
        assert [k for (k,) in db.execute("SELECT key FROM t ORDER BY key")] == sorted(keys)


async def test_file_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "fink.db"
    path.parent.mkdir()
    first = EmbeddedStore(path)
    await first.create_table("ztf.class", ["i", "d"])
    await first.put_rows("ztf.class", [(b"SN candidate_1_ZTF", {b"i:jd": b"1"})])
    await first.close()
    again = EmbeddedStore(str(path))
    try:
        assert await again.list_tables() == ["ztf.class"]
        assert await again.get_rows("ztf.class", [b"SN candidate_1_ZTF"]) == [{b"i:jd": b"1"}]
    finally:
        await again.close()


async def test_file_layout(store: EmbeddedStore) -> None:
    await store.create_table("ztf", ["i", "d", "a"])
    await store.put_rows("ztf", [(b"k", {b"i:a": b"1"})])
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 't:ztf'").fetchone()[0]
        assert "WITHOUT ROWID" in sql
        assert db.execute("SELECT families FROM _tables").fetchone() == ('["i", "d", "a"]',)
        ((key, blob),) = db.execute(f"SELECT key, cells FROM {sql_name('ztf')}")
        assert (key, unpackb(blob)) == (b"k", {b"i:a": b"1"})


async def test_merge_cells(store: EmbeddedStore) -> None:
    old = packb({b"i:a": b"1", b"i:b": b"2"})
    assert unpackb(store.merge_cells(old, packb({b"i:b": b"3", b"d:c": b"4"}))) == {
        b"i:a": b"1",
        b"i:b": b"3",
        b"d:c": b"4",
    }


async def test_packed_rows_merge_with_msgpack_rows(store: EmbeddedStore) -> None:
    await store.create_table("t", ["i"])
    keys = [b"k1", b"k2"]
    batch = CellBatch(keys, [(b"i:x", pa.array([b"\x00\x01", b"\x00\x02"], pa.binary(2)))])
    await store.put_batch("t", batch)
    with sqlite3.connect(store.path) as db:
        assert all(is_packed(blob) for (blob,) in db.execute('SELECT cells FROM "t:t"'))
    await store.put_rows("t", [(b"k2", {b"i:y": b"y"})])  # packed + msgpack → msgpack
    await store.put_batch("t", CellBatch([b"k2"], [(b"i:z", pa.array([b"z"]))]))
    assert await store.get_rows("t", keys) == [
        {b"i:x": b"\x00\x01"},
        {b"i:x": b"\x00\x02", b"i:y": b"y", b"i:z": b"z"},
    ]
    reopened = EmbeddedStore(store.path)  # layouts are read back from the file
    try:
        assert await reopened.get_rows("t", [b"k1"], [b"i:x"]) == [{b"i:x": b"\x00\x01"}]
    finally:
        await reopened.close()


async def test_reads_do_not_wait_for_a_long_write(store: EmbeddedStore) -> None:
    await store.create_table("big", ["i"])
    await store.create_table("small", ["i"])
    await store.put_rows("small", [(b"k", {b"i:a": b"1"})])
    rows = [(b"%08d" % i, {b"i:%03d" % c: b"x" * 8 for c in range(50)}) for i in range(40_000)]
    write = asyncio.create_task(store.put_rows("big", rows))
    await asyncio.sleep(0.05)
    reads = 0
    while not write.done():
        assert await store.get_rows("small", [b"k"]) == [{b"i:a": b"1"}]
        (seen,) = await store.scan("big", [ScanRange(limit=1)])
        assert len(seen) in (0, 1)  # never a half-written batch: all or nothing
        reads += 1
    assert await write == 40_000
    assert reads > 1
    assert await store.count_rows("big") == 40_000


async def test_writes_are_serialised_in_order(store: EmbeddedStore) -> None:
    await store.create_table("t", ["i"])
    await asyncio.gather(*(store.put_rows("t", [(b"k", {b"i:n": b"%03d" % n})]) for n in range(50)))
    assert await store.get_rows("t", [b"k"]) == [{b"i:n": b"049"}]


async def test_duplicate_keys_in_one_batch_last_put_wins(store: EmbeddedStore) -> None:
    await store.create_table("t", ["i"])
    rows = [(b"k", {b"i:a": b"1", b"i:b": b"1"}), (b"j", {b"i:a": b"0"}), (b"k", {b"i:a": b"2"})]
    await store.put_rows("t", rows)
    assert await store.get_rows("t", [b"k"]) == [{b"i:a": b"2", b"i:b": b"1"}]


async def test_unopenable_file_is_backend_unavailable(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "missing-folder" / "fink.db")
    try:
        with pytest.raises(BackendUnavailable, match="unable to open"):
            await store.ping()
        with pytest.raises(BackendUnavailable):
            await store.put_rows("t", [(b"k", {b"i:a": b"1"})])
        (tmp_path / "missing-folder").mkdir()  # recovers once the file can be created
        await store.ping()
        assert await store.list_tables() == []
    finally:
        await store.close()


async def test_closed_store_is_backend_unavailable(store: EmbeddedStore) -> None:
    await store.ping()
    await store.close()
    await store.close()
    with pytest.raises(BackendUnavailable, match="closed"):
        await store.list_tables()
