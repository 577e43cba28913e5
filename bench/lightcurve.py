"""Light-curve and object queries (issue #3: P1, P2, P3), ratios against baselines in the same run.

    .venv/bin/python bench/lightcurve.py [--store URL] [--output BENCHMARKS.md]

P1  100 objects × ~500 points, 4 light-curve columns: the gateway (GraphQL execution and JSON
    encoding, in process) against the floor: the same store reads, decoding and orjson, no
    GraphQL. Goal ≤ 1.3×.
P2  store round trips of `objects { lightcurve }` for K = 1…1000 objects. Goal: constant.
P3  one-object summary query through the ASGI app (GraphQL over HTTP, in process) against a
    bare Starlette route doing the same store read and JSON. Goal ≥ 0.5× its requests/s.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    ROOT,
    best_of,
    drop_prefix,
    query,
    report_run,
    round_trips_table,
    with_epochs,
)
from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.graphql_view import encode_response
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import decode_columns
from fink_gateway.schema.build import build_schema
from fink_gateway.store.factory import open_store
from fink_gateway.store.types import ScanRange

PREFIX = "benchlc"
LC_COLUMNS = [b"i:fid", b"i:jd", b"i:magpsf", b"i:sigmapsf"]
FLOOR_TYPES = {b"i:fid": ">i4", b"i:jd": ">f8", b"i:magpsf": ">f4", b"i:sigmapsf": ">f4"}


async def load_data(store, alerts: int, prefix: str = PREFIX,  # type: ignore[no-untyped-def]
                    n_long: int = 100) -> tuple[list[str], list[str]]:
    """Ingest demo alerts plus ``n_long`` objects stretched to ~500 points; return (long, all)
    ids."""
    batches = list(generate_alerts(alerts, seed=1, with_cutouts=False))
    demo = pa.concat_tables(batches)
    counts = pc.value_counts(demo.column("objectId")).to_pylist()
    counts.sort(key=lambda c: -c["counts"])
    top = [c["values"] for c in counts[:n_long]]
    mean = sum(c["counts"] for c in counts[:n_long]) / n_long
    long = demo.filter(pc.is_in(demo.column("objectId"), pa.array(top)))
    stretched = with_epochs(long, max(1, math.ceil(500 / mean)), 0.37)
    others = demo.filter(pc.invert(pc.is_in(demo.column("objectId"), pa.array(top))))
    await ingest_tables(store, prefix, [others, stretched], source="bench", with_cutouts=False)
    every = [c["values"] for c in counts]
    return top, every


async def p1(store, ids: list[str]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    schema = build_schema()
    services = Services(store, Settings(), PREFIX, None)
    text = query("lightcurves")

    async def gateway() -> bytes:
        result = await schema.execute(
            text, variable_values={"ids": ids}, context_value=services.new_context()
        )
        assert result.errors is None, result.errors
        return encode_response({"data": result.data})

    async def floor() -> bytes:
        # A minimal reader written for this benchmark alone: one columnar store call, each
        # column's cells viewed by numpy as Fink's big-endian type, orjson. No gateway
        # decoding, no GraphQL, no sorting or merging of tables.
        ranges = [ScanRange.prefix(f"{oid}_".encode()) for oid in ids]
        found = await store.scan_columns(PREFIX, ranges, LC_COLUMNS)
        out = []
        for oid, block in zip(ids, found, strict=True):
            columns = {}
            for column, dtype in FLOOR_TYPES.items():
                cells = block.column(column)
                raw = (np.ascontiguousarray(cells.fixed).tobytes() if cells.fixed is not None
                       else b"".join(c for c in cells.as_list() if c is not None))
                columns[column.decode()[2:]] = np.frombuffer(raw, dtype).astype(dtype[1:])
            out.append({"objectId": oid, "lightcurve": columns})
        return orjson.dumps({"data": {"objects": out}}, option=orjson.OPT_SERIALIZE_NUMPY)

    objects = orjson.loads(await gateway())["data"]["objects"]
    points = sum(len(o["lightcurve"]["jd"]) for o in objects)
    g_med, _ = await best_of(7, gateway)
    f_med, _ = await best_of(7, floor)
    return {"points": points, "gateway": g_med, "floor": f_med, "ratio": g_med / f_med}


async def p2(store, ids: list[str]) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    schema = build_schema()
    services = Services(store, Settings(), PREFIX, None)
    text = query("lightcurves")
    out = []
    for k in (1, 10, 100, 1000):
        context = services.new_context()
        result = await schema.execute(
            text, variable_values={"ids": ids[:k]}, context_value=context
        )
        assert result.errors is None, result.errors
        out.append((k, context.reader.stats.round_trips))
    return out


async def p3(store, ids: list[str]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    settings = Settings()
    app = build_app(settings, store, PREFIX)
    types = await Services(store, settings, PREFIX, None).new_context().reader.types(tables.MAIN)
    columns = [b"i:fid", b"i:jd", b"i:magpsf"]

    async def bare(request: Request) -> Response:
        oid = request.path_params["oid"]
        (rows,) = await store.scan(PREFIX, [ScanRange.prefix(f"{oid}_".encode())], columns)
        values = decode_columns(rows, types, columns)
        last = {k: v[-1] for k, v in values.items()}
        body = {"objectId": oid, "nAlerts": len(rows), "lastAlert": last}
        return Response(orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY),
                        media_type="application/json")

    bare_app = Starlette(routes=[Route("/bare/{oid}", bare)])
    text = query("summary")
    n = 400

    async def run(client: httpx.AsyncClient, graphql: bool) -> float:
        start = time.perf_counter()
        for i in range(n):
            oid = ids[i % len(ids)]
            if graphql:
                r = await client.post("/graphql", json={"query": text, "variables": {"id": oid}})
            else:
                r = await client.get(f"/bare/{oid}")
            assert r.status_code == 200, r.text
        return n / (time.perf_counter() - start)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await run(client, True)
        gateway = await run(client, True)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bare_app),
                                 base_url="http://bench") as client:
        await run(client, False)
        baseline = await run(client, False)
    return {"gateway": gateway, "bare": baseline, "ratio": gateway / baseline}


async def main(args: argparse.Namespace) -> str:
    tmp = tempfile.TemporaryDirectory()
    url = args.store or str(Path(tmp.name) / "bench.db")
    store = open_store(url)
    try:
        long_ids, all_ids = await load_data(store, args.alerts)
        r1 = await p1(store, long_ids)
        r2 = await p2(store, all_ids)
        r3 = await p3(store, all_ids)
    finally:
        if args.store:
            await drop_prefix(store, PREFIX)
        await store.close()
        tmp.cleanup()
    kind = "HBase" if url.startswith("hbase://") else "embedded"
    lines = [
        f"Store: {kind}. Data: {args.alerts:,} demo alerts (seed 1) plus the 100 longest objects "
        f"stretched to ~500 points each.",
        "",
        "| case | measured | baseline (same run) | ratio | goal |",
        "|---|---|---|---|---|",
        f"| P1: 100 objects × {r1['points'] / 100:.0f} points, 4 columns | "
        f"{r1['gateway'] * 1e3:.1f} ms | floor: a minimal reader (one columnar scan, numpy, "
        "orjson) "
        f"{r1['floor'] * 1e3:.1f} ms | {r1['ratio']:.2f}× | ≤ 1.3× |",
        f"| P3: one-object summary over HTTP (in-process ASGI) | {r3['gateway']:.0f} req/s | "
        f"bare Starlette route {r3['bare']:.0f} req/s | {r3['ratio']:.2f}× | ≥ 0.5× |",
        "",
        "P2, store round trips of `objects(objectIds) { lightcurve { jd magpsf sigmapsf fid } }`:",
        "",
        *round_trips_table(r2),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="store URL (default: a temporary embedded file)")
    parser.add_argument("--alerts", type=int, default=20000, help="demo alerts to ingest")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    report_run(asyncio.run(main(ns)), ns.output, "Light curves and objects", ns.store)
    _ = ROOT
