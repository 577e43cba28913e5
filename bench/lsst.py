"""LSST light curves (issue #10): the ZTF light-curve benchmarks on Rubin data, ratios against
baselines in the same run.

    .venv/bin/python bench/lsst.py [--alerts 40000] [--store URL] [--output BENCHMARKS.md]

Data: demo LSST alerts (`fink_gateway.demo.lsst`, seed 1) through the LSST ingest into the
Rubin tables; the objects with the most alerts are asked (each alert adds one source to
rubin.diaSource_static).
L1  K objects' light curves (midpointMjdTai band psfFlux psfFluxErr) in one request: the
    gateway (GraphQL execution and JSON encoding, in process) against the floor: the same
    store reads with a minimal reader (one scan call, cells viewed by numpy, orjson), no
    GraphQL. Goal as ZTF's P1: ≤ 1.3×.
L2  store round trips of `lsstObjects { lightcurve }` for K = 1…1000 objects. Goal: constant.
L3  the same K objects asked in one request against K requests of one object (batching).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import best_of, drop_prefix, report_run, round_trips_table, store_kind
from fink_gateway.demo.lsst import generate_lsst_alerts
from fink_gateway.gateway.context import Services
from fink_gateway.gateway.graphql_view import encode_response
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.layout import rubin
from fink_gateway.schema.build import build_schema
from fink_gateway.settings import Settings
from fink_gateway.store.factory import open_store
from fink_gateway.store.types import ScanRange

PREFIX = "bench_lsst"
LSST_PREFIX = f"{PREFIX}.rubin"
QUERY = """query L($ids: [BigInt!]!) { lsstObjects(diaObjectIds: $ids) {
  diaObjectId lightcurve { midpointMjdTai band psfFlux psfFluxErr } } }"""
FLOOR_TYPES = {b"r:midpointMjdTai": ">f8", b"r:psfFlux": ">f4", b"r:psfFluxErr": ">f4"}


async def load_data(store: Any, alerts: int) -> list[int]:
    """Ingest the demo alerts; the diaObjectIds, most alerts first."""
    tables = list(generate_lsst_alerts(alerts, seed=1))
    report = await ingest_tables(
        store, PREFIX, tables, source="bench-lsst", with_cutouts=False, lsst_prefix=LSST_PREFIX
    )
    assert not report.failures
    counts: collections.Counter[int] = collections.Counter()
    for table in tables:
        counts.update(s["diaObjectId"] for s in table.column("diaSource").to_pylist())
    counts.pop(0, None)  # Solar System alerts
    return [oid for oid, _ in counts.most_common()]


def services(store: Any) -> Services:
    return Services(store, Settings(lsst_table_prefix=LSST_PREFIX), PREFIX, None)


async def l1(store: Any, ids: list[int]) -> dict[str, float]:
    schema = build_schema()
    shared = services(store)
    variables = {"ids": [str(i) for i in ids]}

    async def gateway() -> bytes:
        result = await schema.execute(QUERY, variables, context_value=shared.new_context())
        assert result.errors is None, result.errors
        return encode_response({"data": result.data})

    async def floor() -> bytes:
        # A minimal reader written for this benchmark alone: one row scan of every object's
        # sources, cells viewed by numpy as Fink's big-endian types, sorted by time, orjson.
        ranges = [ScanRange.prefix(rubin.object_sources_prefix(i)) for i in ids]
        table = rubin.DIA_SOURCE.name(LSST_PREFIX)
        found = await store.scan(table, ranges, [*FLOOR_TYPES, b"r:band"])
        out = []
        for oid, rows in zip(ids, found, strict=True):
            columns: dict[str, Any] = {
                c.decode()[2:]: np.frombuffer(b"".join(r[1][c] for r in rows), t).astype(t[1:])
                for c, t in FLOOR_TYPES.items()
            }
            order = np.argsort(columns["midpointMjdTai"], kind="stable")
            columns = {k: v[order] for k, v in columns.items()}
            columns["band"] = [rows[i][1][b"r:band"].decode() for i in order.tolist()]
            out.append({"diaObjectId": str(oid), "lightcurve": columns})
        return orjson.dumps({"data": {"lsstObjects": out}}, option=orjson.OPT_SERIALIZE_NUMPY)

    objects = orjson.loads(await gateway())["data"]["lsstObjects"]
    points = sum(len(o["lightcurve"]["midpointMjdTai"]) for o in objects)
    g_med, _ = await best_of(7, gateway)
    f_med, _ = await best_of(7, floor)
    return {"points": points, "gateway": g_med, "floor": f_med, "ratio": g_med / f_med}


async def l2(store: Any, ids: list[int]) -> list[tuple[int, int]]:
    schema = build_schema(telemetry=True)
    shared = services(store)
    out = []
    for k in (1, 10, 100, 1000):
        chosen = [str(i) for i in ids[:k]]
        context = shared.new_context()
        result = await schema.execute(QUERY, {"ids": chosen}, context_value=context)
        assert result.errors is None, result.errors
        out.append((len(chosen), context.reader.stats.round_trips))
    return out


async def l3(store: Any, ids: list[int]) -> dict[str, float]:
    schema = build_schema()
    shared = services(store)

    async def one_request() -> None:
        variables = {"ids": [str(i) for i in ids]}
        result = await schema.execute(QUERY, variables, context_value=shared.new_context())
        assert result.errors is None

    async def many_requests() -> None:
        for oid in ids:
            result = await schema.execute(
                QUERY, {"ids": [str(oid)]}, context_value=shared.new_context()
            )
            assert result.errors is None

    batched, _ = await best_of(5, one_request)
    separate, _ = await best_of(3, many_requests)
    return {"one": batched, "many": separate, "ratio": separate / batched}


async def main(args: argparse.Namespace) -> str:
    tmp = tempfile.TemporaryDirectory()
    url = args.store or str(Path(tmp.name) / "lsst.db")
    store = open_store(url)
    try:
        started = time.perf_counter()
        ids = await load_data(store, args.alerts)
        ingest_s = time.perf_counter() - started
        top = ids[:100]
        first = await l1(store, top)
        trips = await l2(store, ids)
        batch = await l3(store, top)
    finally:
        if args.store:
            await drop_prefix(store, PREFIX)
        await store.close()
        tmp.cleanup()
    kind = store_kind(args.store)
    per_object = first["points"] / len(top)
    lines = [
        f"Store: {kind}. Data: {args.alerts:,} demo LSST alerts (seed 1, {len(ids):,} objects, "
        f"ingested in {ingest_s:.0f} s); the 100 objects with the most sources "
        f"({per_object:.0f} points each on average) are asked.",
        "",
        "| case | measured | baseline (same run) | ratio | goal |",
        "|---|---|---|---|---|",
        f"| L1: 100 LSST objects × {per_object:.0f} points, 4 columns | "
        f"{first['gateway'] * 1e3:.1f} ms | floor: a minimal reader (one scan, numpy, orjson) "
        f"{first['floor'] * 1e3:.1f} ms | {first['ratio']:.2f}× | ≤ 1.3× |",
        f"| L3: the same 100 objects in one request | {batch['one'] * 1e3:.1f} ms | 100 "
        f"requests of one object {batch['many'] * 1e3:.1f} ms | {batch['ratio']:.1f}× "
        f"faster | batching pays |",
        "",
        "L2, store round trips of `lsstObjects(diaObjectIds) { lightcurve { … } }`:",
        "",
        *round_trips_table(trips),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=40_000)
    parser.add_argument("--store", help="store URL (default: a temporary embedded file)")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    report_run(asyncio.run(main(ns)), ns.output, "LSST light curves", ns.store)
