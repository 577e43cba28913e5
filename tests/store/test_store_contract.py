"""The Store contract, run on every backend (embedded always; HBase when configured).

Expected results come from a tiny model: Python sorts ``bytes`` in HBase's unsigned byte
order, and :meth:`ScanRange.contains` says which keys a range holds.
"""

from __future__ import annotations

import itertools

import pyarrow as pa
import pytest

from fink_gateway.errors import InvalidArgument, NotFound
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.types import Cells, Row, ScanRange
from tests.conftest import StoreFactory, TestStore

pytestmark = pytest.mark.anyio

EDGE_KEYS = [
    b"\x00",
    b"\x00\x00",
    b"\x00a",
    b" ",
    b"(SIMBAD) RRLyr_2460000.5_ZTF18aaaaaaa",
    b"78_2460000.1_ZTF19aaaaaaa",
    b"78_2460001.25_ZTF19aaaaaab",
    b"780_2460000.1_ZTF20aaaaaaa",
    b"7800_2459000.5_ZTF21aaaaaaa",
    b"SN Ia_2460990.8659259_ZTF25abxvhmk",
    b"SN candidate_2460983.8906481_ZTF25abuovxv",
    b"SN candidate_2460983.8906481_ZTF25abuovxw",
    b"SN_2460000.5_ZTF22aaaaaaa",
    b"Solar System MPC_2459795.8062153_ZTF22aayqeuc",
    b"a",
    b"a\x00",
    b"a\x7f",
    b"a\x80",
    b"a\xff",
    b"a\xff\xff\xff\xff\x01",  # between "a\xff..." and "b": the reversed-scan lower bound
    b"b",
    "Étoile_2460000.5".encode(),
    "星_2460000.5".encode(),
    b"\xfe",
    b"\xff",
    b"\xff\xff",
]
SEVENTY_EIGHT = [  # in byte order: "0" < "_"
    b"7800_2459000.5_ZTF21aaaaaaa",
    b"780_2460000.1_ZTF20aaaaaaa",
    b"78_2460000.1_ZTF19aaaaaaa",
    b"78_2460001.25_ZTF19aaaaaab",
]
SN_CANDIDATES = [b"SN candidate_2460983.8906481_ZTF25abuovx" + c for c in (b"v", b"w")]
BOUNDS = sorted(
    {*EDGE_KEYS, b"", b"0", b"78_", b"78`", b"780_", b"SN ", b"SN_", b"SN candidate_", b"\xff\x00"}
)


def value(key: bytes) -> Cells:
    return {b"i:k": key, b"d:n": str(len(key)).encode()}


def expected(keys: list[bytes], r: ScanRange) -> list[bytes]:
    """The keys a range returns, by the contract."""
    selected = sorted(k for k in keys if r.contains(k))
    if r.reverse:
        selected.reverse()
    return selected if r.limit is None else selected[: r.limit]


def keys_of(rows: list[Row]) -> list[bytes]:
    return [key for key, _ in rows]


async def fresh(store_factory: StoreFactory, families: tuple[str, ...] = ("i", "d")):
    """A store and the name of a new, empty table in it (a dotted name, as Fink's)."""
    store, prefix = await store_factory()
    table = f"{prefix}.pixel128"
    await store.create_table(table, families)
    return store, table


async def filled(store_factory: StoreFactory) -> tuple[TestStore, str]:
    store, table = await fresh(store_factory)
    assert await store.put_rows(table, [(k, value(k)) for k in EDGE_KEYS]) == len(EDGE_KEYS)
    return store, table


async def test_rows_come_back_in_unsigned_byte_order(store_factory) -> None:
    store, table = await filled(store_factory)
    forward, backward = await store.scan(table, [ScanRange(), ScanRange(reverse=True)])
    assert keys_of(forward) == sorted(EDGE_KEYS)
    assert keys_of(backward) == sorted(EDGE_KEYS, reverse=True)
    assert dict(forward) == {k: value(k) for k in EDGE_KEYS}


@pytest.mark.parametrize(
    ("prefix", "keys"),
    [
        (b"78_", [b"78_2460000.1_ZTF19aaaaaaa", b"78_2460001.25_ZTF19aaaaaab"]),
        (b"780_", [b"780_2460000.1_ZTF20aaaaaaa"]),
        (b"SN ", [b"SN Ia_2460990.8659259_ZTF25abxvhmk", *SN_CANDIDATES]),
        (b"SN_", [b"SN_2460000.5_ZTF22aaaaaaa"]),
        (b"(SIMBAD) RRLyr_", [b"(SIMBAD) RRLyr_2460000.5_ZTF18aaaaaaa"]),
        ("Étoile_".encode(), ["Étoile_2460000.5".encode()]),
        (b"\x00", [b"\x00", b"\x00\x00", b"\x00a"]),
        (b"a\xff", [b"a\xff", b"a\xff\xff\xff\xff\x01"]),
        (b"\xff", [b"\xff", b"\xff\xff"]),
        (b"79", []),
    ],
)
async def test_prefix_scans_match_exactly_the_prefix(store_factory, prefix, keys) -> None:
    store, table = await filled(store_factory)
    forward, backward, first, last = await store.scan(
        table,
        [
            ScanRange.prefix(prefix),
            ScanRange.prefix(prefix, reverse=True),
            ScanRange.prefix(prefix, limit=1),
            ScanRange.prefix(prefix, reverse=True, limit=1),
        ],
    )
    assert keys_of(forward) == keys
    assert keys_of(backward) == keys[::-1]
    assert keys_of(first) == keys[:1]
    assert keys_of(last) == keys[::-1][:1]


async def test_every_range_between_edge_keys_in_one_scan_call(store_factory) -> None:
    store, table = await filled(store_factory)
    ranges = [
        ScanRange(start, stop, reverse, limit)
        for start, stop in itertools.product(BOUNDS, [*BOUNDS, None])
        if stop is None or stop > start
        for reverse in (False, True)
        for limit in (None, 1, 3)
    ]
    before = store.stats.round_trips
    results = await store.scan(table, ranges)
    assert store.stats.round_trips == before + 1
    assert len(results) == len(ranges)
    for r, rows in zip(ranges, results, strict=True):
        assert keys_of(rows) == expected(EDGE_KEYS, r), r


@pytest.mark.parametrize(
    ("r", "keys"),
    [
        (ScanRange(b"78_", b"78`"), [b"78_2460000.1_ZTF19aaaaaaa", b"78_2460001.25_ZTF19aaaaaab"]),
        (ScanRange(b"780_", b"78_"), [b"780_2460000.1_ZTF20aaaaaaa"]),
        (ScanRange(b"78", b"79", reverse=True, limit=3), SEVENTY_EIGHT[::-1][:3]),
        (ScanRange(b"78_", b"780_"), []),  # "780_" sorts before "78_"
        (ScanRange(b"a", b"b", reverse=True, limit=2), [b"a\xff\xff\xff\xff\x01", b"a\xff"]),
        (ScanRange(b"a\x80", b"b", reverse=True), [b"a\xff\xff\xff\xff\x01", b"a\xff", b"a\x80"]),
        (ScanRange(b"a\x00", b"a\x80", reverse=True), [b"a\x7f", b"a\x00"]),  # stop excluded
        (ScanRange(b"b", None, reverse=True, limit=1), [b"\xff\xff"]),
        (ScanRange(b"\x00", b"\x00a", reverse=True), [b"\x00\x00", b"\x00"]),
        (ScanRange(b"", b"\x00\x00", reverse=True), [b"\x00"]),
        (ScanRange.closed(b"a", b"a\x7f", reverse=True), [b"a\x7f", b"a\x00", b"a"]),
        (ScanRange(b"b", b"b"), []),
        (ScanRange(b"b", b"a"), []),
        (ScanRange(b"b", b"a", reverse=True), []),
        (ScanRange(b"a\x01", b"a\x02", reverse=True), []),
        (ScanRange(limit=0), []),
    ],
)
async def test_range_edges(store_factory, r, keys) -> None:
    store, table = await filled(store_factory)
    (rows,) = await store.scan(table, [r])
    assert keys_of(rows) == keys
    assert keys == expected(EDGE_KEYS, r)


async def test_limits_count_rows_not_cells(store_factory) -> None:
    store, table = await filled(store_factory)
    results = await store.scan(table, [ScanRange(limit=n) for n in (1, 2, 5, 1000)])
    assert [len(rows) for rows in results] == [1, 2, 5, len(EDGE_KEYS)]
    assert all(len(cells) == 2 for rows in results for _, cells in rows)


async def test_column_projection(store_factory) -> None:
    store, table = await fresh(store_factory)
    rows = {
        b"r1": {b"i:a": b"1", b"i:b": b"2", b"d:x": b"3"},
        b"r2": {b"i:a": b"4"},
        b"r3": {b"d:y": b"5"},
    }
    await store.put_rows(table, list(rows.items()))
    keys = [b"r1", b"r2", b"r3"]
    cases = [
        (None, rows),
        ([], rows),
        ([b"i:a"], {b"r1": {b"i:a": b"1"}, b"r2": {b"i:a": b"4"}}),
        ([b"d"], {b"r1": {b"d:x": b"3"}, b"r3": {b"d:y": b"5"}}),
        ([b"i:b", b"d"], {b"r1": {b"i:b": b"2", b"d:x": b"3"}, b"r3": {b"d:y": b"5"}}),
        ([b"i", b"i:a"], {b"r1": {b"i:a": b"1", b"i:b": b"2"}, b"r2": {b"i:a": b"4"}}),
        ([b"i:zzz"], {}),
        ([b"i:zzz", b"d:nope"], {}),
    ]
    for columns, want in cases:
        (scanned,) = await store.scan(table, [ScanRange()], columns)
        assert dict(scanned) == want, columns
        assert keys_of(scanned) == sorted(want), columns
        assert await store.get_rows(table, keys, columns) == [want.get(k) for k in keys], columns


async def test_projected_rows_without_the_columns_do_not_count_towards_limits(
    store_factory,
) -> None:
    store, table = await fresh(store_factory)
    await store.put_rows(table, [(b"k%d" % i, {b"i:a": b"x"}) for i in range(5)])
    await store.put_rows(table, [(b"k3", {b"d:z": b"y"}), (b"k4", {b"d:z": b"y"})])
    forward, backward = await store.scan(
        table, [ScanRange(limit=1), ScanRange(reverse=True, limit=2)], [b"d"]
    )
    assert forward == [(b"k3", {b"d:z": b"y"})]
    assert keys_of(backward) == [b"k4", b"k3"]


async def test_multi_get_keeps_order_and_marks_missing_rows(store_factory) -> None:
    store, table = await filled(store_factory)
    keys = [b"b", b"missing", b"\x00", b"78_", b"b", "星_2460000.5".encode(), b"\xff\xff"]
    got = await store.get_rows(table, keys)
    assert got == [value(k) if k in EDGE_KEYS else None for k in keys]
    assert await store.get_rows(table, []) == []
    assert await store.get_rows(table, [b"nope"]) == [None]


async def test_multi_get_of_many_keys(store_factory) -> None:
    store, table = await fresh(store_factory)
    rows = [(b"key%05d" % i, {b"i:v": b"%d" % i}) for i in range(0, 6000, 2)]
    await store.put_rows(table, rows)
    keys = [b"key%05d" % i for i in range(6000)]
    got = await store.get_rows(table, keys, [b"i:v"])
    assert got == [{b"i:v": b"%d" % i} if i % 2 == 0 else None for i in range(6000)]


async def test_put_merges_cells_into_the_row(store_factory) -> None:
    store, table = await fresh(store_factory)
    await store.put_rows(table, [(b"row", {b"i:a": b"1", b"i:b": b"2"})])
    await store.put_rows(table, [(b"row", {b"d:x": b"3"})])
    assert await store.get_rows(table, [b"row"]) == [{b"i:a": b"1", b"i:b": b"2", b"d:x": b"3"}]
    await store.put_rows(table, [(b"row", {b"i:a": b"one"})])
    assert await store.get_rows(table, [b"row"]) == [{b"i:a": b"one", b"i:b": b"2", b"d:x": b"3"}]
    assert await store.count_rows(table) == 1


async def test_rows_without_cells_are_not_written(store_factory) -> None:
    store, table = await fresh(store_factory)
    assert await store.put_rows(table, [(b"empty", {}), (b"full", {b"i:a": b"1"})]) == 1
    assert await store.put_rows(table, []) == 0
    assert await store.get_rows(table, [b"empty", b"full"]) == [None, {b"i:a": b"1"}]


async def test_put_batch_skips_null_cells_and_merges(store_factory) -> None:
    store, table = await fresh(store_factory)
    await store.put_rows(table, [(b"k2", {b"d:old": b"kept", b"i:f": b"\x00\x00\x00\x00"})])
    batch = CellBatch(
        [b"k2", b"k1", b"k3"],
        [
            (b"i:f", pa.array([b"\x3f\x80\x00\x00", None, b"\x40\x00\x00\x00"], pa.binary(4))),
            (b"i:s", pa.array([b"two", b"one", None], pa.binary())),
        ],
    )
    empty = CellBatch([b"k9"], [(b"i:s", pa.array([None], pa.binary()))])
    assert await store.put_batch(table, batch) == 3
    assert await store.put_batch(table, empty) == 0
    (rows,) = await store.scan(table, [ScanRange()])
    assert rows == [
        (b"k1", {b"i:s": b"one"}),
        (b"k2", {b"d:old": b"kept", b"i:f": b"\x3f\x80\x00\x00", b"i:s": b"two"}),
        (b"k3", {b"i:f": b"\x40\x00\x00\x00"}),
    ]
    assert await store.get_rows(table, [b"k3", b"k2"], [b"i:f"]) == [
        {b"i:f": b"\x40\x00\x00\x00"},
        {b"i:f": b"\x3f\x80\x00\x00"},
    ]


async def test_delete_rows(store_factory) -> None:
    store, table = await filled(store_factory)
    await store.delete_rows(table, [b"a", b"\xff", b"not there"])
    assert await store.get_rows(table, [b"a", b"\xff", b"b"]) == [None, None, value(b"b")]
    assert await store.count_rows(table) == len(EDGE_KEYS) - 2
    await store.delete_rows(table, [])
    await store.put_rows(table, [(b"a", {b"i:new": b"1"})])  # a deleted row starts afresh
    assert await store.get_rows(table, [b"a"]) == [{b"i:new": b"1"}]


async def test_empty_table(store_factory) -> None:
    store, table = await fresh(store_factory)
    assert await store.scan(table, [ScanRange(), ScanRange(reverse=True, limit=3)]) == [[], []]
    assert await store.get_rows(table, [b"x"]) == [None]
    assert await store.count_rows(table) == 0
    assert await store.scan(table, []) == []


async def test_large_batches(store_factory) -> None:
    store, table = await fresh(store_factory)
    n = 20_000
    rows = [
        (b"ZTF%08d_2460%06d" % (i * 7919 % n, i), {b"i:%02d" % c: b"v%d" % c for c in range(12)})
        for i in range(n)
    ]
    assert await store.put_rows(table, rows) == n
    assert await store.count_rows(table) == n
    (scanned,) = await store.scan(table, [ScanRange()])
    assert keys_of(scanned) == sorted(k for k, _ in rows)
    assert all(cells == rows[0][1] for _, cells in scanned)
    (tail,) = await store.scan(table, [ScanRange.prefix(b"ZTF0001999", reverse=True, limit=5)])
    assert keys_of(tail) == sorted((k for k, _ in rows if k.startswith(b"ZTF0001999")))[::-1][:5]


async def test_stats_count_one_round_trip_per_call(store_factory) -> None:
    store, table = await fresh(store_factory)
    start = store.stats.round_trips
    await store.put_rows(table, [(b"k%d" % i, {b"i:a": b"1", b"d:b": b"2"}) for i in range(3000)])
    await store.get_rows(table, [b"k%d" % i for i in range(2500)], [b"i:a"])
    results = await store.scan(table, [ScanRange.prefix(b"k1"), ScanRange(limit=2)], [b"i"])
    await store.count_rows(table)
    assert store.stats.round_trips == start + 4
    assert sum(map(len, results)) == 1111 + 2
    assert b"i:a" in store.stats.columns and b"i" in store.stats.columns


async def test_count_and_list_tables(store_factory) -> None:
    store, table = await filled(store_factory)
    other = table.rsplit(".", 1)[0] + ".class"
    await store.create_table(other, ["i"])
    await store.create_table(other, ["i"])  # idempotent
    names = await store.list_tables()
    assert names == sorted(names)
    assert {table, other} <= set(names)
    assert await store.count_rows(table) == len(EDGE_KEYS)
    await store.create_table(table, ["i", "d"])  # keeps the rows
    assert await store.count_rows(table) == len(EDGE_KEYS)
    assert await store.count_rows(other) == 0


async def test_unknown_tables_are_not_found(store_factory) -> None:
    store, prefix = await store_factory()
    table = f"{prefix}.absent"
    calls = [
        store.get_rows(table, [b"a"]),
        store.scan(table, [ScanRange()]),
        store.scan(table, [ScanRange(b"a", b"b", reverse=True)]),
        store.put_rows(table, [(b"a", {b"i:a": b"1"})]),
        store.delete_rows(table, [b"a"]),
        store.count_rows(table),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            await call
    assert table not in await store.list_tables()


async def test_ping_and_reopen(store_factory) -> None:
    store, table = await filled(store_factory)
    await store.ping()
    await store.close()
    again = store_factory.open()
    try:
        assert await again.count_rows(table) == len(EDGE_KEYS)
    finally:
        await again.close()


async def test_unknown_families_and_bad_names_are_invalid_arguments(store_factory) -> None:
    store, table = await filled(store_factory)
    with pytest.raises(InvalidArgument):
        await store.scan(table, [ScanRange()], [b"zz"])
    with pytest.raises(InvalidArgument):
        await store.get_rows(table, [b"a"], [b"i:k", b"zz:x"])
    with pytest.raises(InvalidArgument):
        await store.put_rows(table, [(b"", {b"i:a": b"1"})])
    for name in ("bad name", ".hidden", "-dash", 'quote"', ""):
        with pytest.raises(InvalidArgument):
            await store.create_table(name, ["i"])
    for families in ([], ["i:x"], [""]):
        with pytest.raises(InvalidArgument):
            await store.create_table(table + "x", families)
    assert await store.get_rows(table, [b"a"], [b"i:unknown"]) == [None]


async def test_scan_columns_holds_what_scan_returns(store_factory, monkeypatch) -> None:
    """Column blocks hold the rows and cells a projected scan returns, range by range, for
    packed and per-row writes, ranges read together or alone, and reads cut in chunks."""
    monkeypatch.setattr("fink_gateway.store.embedded._ROWS_PER_CHUNK", 3)
    store, table = await fresh(store_factory)
    keys = [b"o%d_%d" % (o, t) for o in range(4) for t in range(5)]
    batch = CellBatch(
        keys[:15],
        [
            (b"i:f", pa.array([b"%04d" % i if i % 4 else None for i in range(15)], pa.binary(4))),
            (b"i:s", pa.array([b"s" * (i % 3) if i % 5 else None for i in range(15)], pa.binary())),
            (b"d:x", pa.array([b"x%d" % i for i in range(15)], pa.binary())),
        ],
    )
    await store.put_batch(table, batch)
    await store.put_rows(table, [(k, {b"i:f": b"rows", b"d:y": k}) for k in keys[12:]])
    ranges = [
        ScanRange.prefix(b"o1_"),
        ScanRange.prefix(b"o3_", reverse=True),
        ScanRange(start=b"o2_3"),  # no stop
        ScanRange.prefix(b"o0_"),
        ScanRange(start=b"o1_2", stop=b"o2_1"),  # overlaps the first
        ScanRange(start=b"o9", stop=b"o9"),  # empty
        ScanRange.prefix(b"p"),  # no rows
        ScanRange.prefix(b"o2_", limit=2),
    ]
    for columns in ([b"i:f"], [b"i:f", b"i:s"], [b"d:x", b"d:y"], [b"i:s", b"d:y", b"i:zz"]):
        blocks = await store.scan_columns(table, ranges, columns)
        scanned = await store.scan(table, ranges, columns)
        assert len(blocks) == len(scanned) == len(ranges)
        for r, block, rows in zip(ranges, blocks, scanned, strict=True):
            got = [(block.keys[i], block.cells(i)) for i in range(len(block))]
            assert got == rows, (r, columns)
