"""Cone search over many demo alerts (issue #3: P4), against a full scan in the same run.

    .venv/bin/python bench/conesearch.py [--alerts 1000000] [--store URL] [--output BENCHMARKS.md]

The gateway answers `conesearch(radius: 1°)` through the pixel128 index (HEALPix nside 128);
the baseline reads every alert's position from the main table and filters by separation.
Goals: ≥ 50× faster than the full scan; p50 < 100 ms on the embedded store.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import drop_prefix, percentile, query, report_run
from fink_gateway.demo import generate_alerts
from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.context import Services
from fink_gateway.ingest.pipeline import ingest_tables
from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import decode_columns
from fink_gateway.schema.build import build_schema
from fink_gateway.science.coords import separation_deg
from fink_gateway.store.factory import open_store
from fink_gateway.store.types import ScanRange

PREFIX = "benchcone"
RADIUS_ARCSEC = 3600.0


async def full_scan(store, types, ra: float, dec: float) -> int:  # type: ignore[no-untyped-def]
    columns = [b"i:ra", b"i:dec", b"i:objectId", b"i:jd"]
    (rows,) = await store.scan(PREFIX, [ScanRange.prefix(b"ZTF")], columns)
    values = decode_columns(rows, types, columns)
    inside = separation_deg(ra, dec, values["ra"], values["dec"]) <= RADIUS_ARCSEC / 3600
    return len({values["objectId"][i] for i in np.flatnonzero(inside)})


async def main(args: argparse.Namespace) -> str:
    tmp = tempfile.TemporaryDirectory()
    url = args.store or str(Path(tmp.name) / "bench.db")
    store = open_store(url)
    try:
        start = time.perf_counter()
        report = await ingest_tables(
            store, PREFIX, generate_alerts(args.alerts, seed=2, with_cutouts=False),
            source="bench", with_cutouts=False,
        )
        ingest_s = time.perf_counter() - start
        schema = build_schema()
        services = Services(store, Settings(), PREFIX, None)
        text = query("cone")
        rng = np.random.default_rng(0)
        centres = [(float(rng.uniform(0, 360)), float(np.degrees(np.arcsin(rng.uniform(-0.5, 1)))))
                   for _ in range(args.queries)]
        latencies, found = [], []
        for ra, dec in centres:
            t = time.perf_counter()
            result = await schema.execute(
                text, variable_values={"ra": ra, "dec": dec, "radius": RADIUS_ARCSEC},
                context_value=services.new_context(),
            )
            latencies.append(time.perf_counter() - t)
            assert result.errors is None, result.errors
            found.append(result.data["conesearch"]["totalCount"])  # type: ignore[index]
        types = await services.new_context().reader.types(tables.MAIN)
        scans = []
        for ra, dec in centres[:3]:
            t = time.perf_counter()
            n = await full_scan(store, types, ra, dec)
            scans.append(time.perf_counter() - t)
            assert n >= found[centres.index((ra, dec))]
    finally:
        if args.store:
            await drop_prefix(store, PREFIX)
        await store.close()
        tmp.cleanup()
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    scan = float(np.median(scans))
    kind = "HBase" if url.startswith("hbase://") else "embedded"
    return "\n".join([
        f"Store: {kind}. {report.counts.alerts:,} demo alerts (seed 2) ingested in "
        f"{ingest_s:.0f} s; {args.queries} cone searches of radius 1° at random centres "
        f"(dec > −30°), {np.mean(found):.0f} objects each on average.",
        "",
        "| case | p50 | p99 | baseline: full scan + separation (median of 3) | speed-up | goal |",
        "|---|---|---|---|---|---|",
        f"| P4: conesearch r = 1° | {p50 * 1e3:.1f} ms | {p99 * 1e3:.1f} ms | {scan:.2f} s | "
        f"{scan / p50:.0f}× | ≥ 50×, p50 < 100 ms |",
    ])  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--store", help="store URL (default: a temporary embedded file)")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    report_run(asyncio.run(main(ns)), ns.output, "Cone search", ns.store)
