"""Put/scan/get throughput of a store: ``python bench/store_throughput.py URL [ROWS] [CELLS]``.

URL is a store URL (``hbase://127.0.0.1:9090`` or a file path). Rows have CELLS cells of
4-8 bytes named like Fink's (``i:col000``); keys look like ``ZTF<id>_<jd>`` in random order.
A fresh table is created and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid

import numpy as np
import pyarrow as pa

from fink_gateway.store.batch import CellBatch
from fink_gateway.store.factory import open_store
from fink_gateway.store.types import Row, ScanRange


def make_rows(n: int, cells: int) -> list[Row]:
    columns = [b"i:col%03d" % c for c in range(cells)]
    values = [bytes(range(4 + c % 5)) for c in range(cells)]
    return [
        (b"ZTF%08d_2460%06d.5" % (i * 7919 % n, i), dict(zip(columns, values, strict=True)))
        for i in range(n)
    ]


def make_batch(rows: list[Row]) -> CellBatch:
    columns = list(rows[0][1])
    return CellBatch(
        [key for key, _ in rows],
        [(c, pa.array([cells[c] for _, cells in rows], pa.binary())) for c in columns],
    )


async def timed(label: str, n: int, work) -> object:
    started = time.perf_counter()
    result = await work
    elapsed = time.perf_counter() - started
    print(f"{label:<44} {elapsed:7.2f} s  {n / elapsed:>10,.0f} rows/s", flush=True)
    return result


async def main(url: str, n: int, cells: int) -> None:
    rows = make_rows(n, cells)
    batch = make_batch(rows)
    store = open_store(url)
    table = f"bench_{uuid.uuid4().hex[:8]}.t"
    second = table + "2"
    try:
        await store.create_table(table, ["i", "d"])
        await store.create_table(second, ["i", "d"])
        print(f"{store!r}: {n:,} rows x {cells} cells")
        await timed("put_rows (new rows)", n, store.put_rows(table, rows))
        await timed("put_rows (same rows again: merge)", n, store.put_rows(table, rows))
        await timed("put_batch (columnar, new rows)", n, store.put_batch(second, batch))
        (full,) = await timed("scan, every column", n, store.scan(table, [ScanRange()]))
        assert len(full) == n
        await timed(
            "scan, 2 columns", n, store.scan(table, [ScanRange()], [b"i:col001", b"i:col100"])
        )
        await timed("scan of put_batch rows, every column", n, store.scan(second, [ScanRange()]))
        keys = [key for key, _ in rows[:: max(1, n // 10_000)]]
        await timed(f"get_rows of {len(keys):,} keys", len(keys), store.get_rows(table, keys))
        prefixes = [ScanRange.prefix(b"ZTF%05d" % i, limit=20) for i in np.arange(200) * 7]
        await timed("200 prefix ranges (limit 20) in one scan", 200, store.scan(table, prefixes))
        started = time.perf_counter()
        for r in prefixes[:100]:
            await store.scan(table, [r], [b"i:col001"])
        latency_ms = (time.perf_counter() - started) * 10
        print(f"{'one small prefix scan (latency)':<44} {latency_ms:7.2f} ms")
        await timed("count_rows", n, store.count_rows(table))
    finally:
        for name in (table, second):
            await store.drop_table(name)  # type: ignore[attr-defined]
        await store.close()


if __name__ == "__main__":
    asyncio.run(
        main(
            sys.argv[1],
            int(sys.argv[2]) if len(sys.argv) > 2 else 100_000,
            int(sys.argv[3]) if len(sys.argv) > 3 else 150,
        )
    )
