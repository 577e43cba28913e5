"""Fits as fields (issue #4): period fit time per object (cold, cached), phase-curve fit time,
and 50 objects' periods in one request, with the event loop's responsiveness meanwhile.

    .venv/bin/python bench/fits.py [--output BENCHMARKS.md]

Baseline in the same run: the same fits called directly (no GraphQL, no worker process), one
after the other.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import write_section
from fink_gateway.demo import demo_truth, generate_alerts
from fink_gateway.gateway.config import Settings
from fink_gateway.gateway.context import Services
from fink_gateway.ingest.pipeline import ingest_files, ingest_tables
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.resolvers.objects import load_objects
from fink_gateway.resolvers.periods import PERIOD_INPUTS, fit_object_period, period_args
from fink_gateway.schema.build import build_schema
from fink_gateway.store.factory import open_store

PREFIX = "benchfits"
SSO_FILE = (
    Path(__file__).resolve().parents[1] / "tests/data/fink-ztf/"
    "sso_lightcurves_with_ephemerides_202504.parquet"
)
PERIOD = """query ($ids: [String!]!) { objects(objectIds: $ids) { objectId
  period(method: FAST) { status periodDays power } } }"""
PHASE = """query { solarSystemObject(nameOrNumber: "8467") {
  phaseCurve(model: SHG1G2) { status rms } } }"""


async def loop_lag(stop: asyncio.Event) -> float:
    """Largest delay (s) of a 10 ms ticker while other work runs."""
    worst = 0.0
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - start - 0.01)
    return worst


async def timed_query(schema, services, query, variables=None):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = await schema.execute(
        query, variable_values=variables, context_value=services.new_context()
    )
    assert result.errors is None, result.errors
    return time.perf_counter() - start, result.data


async def main() -> str:
    tmp = tempfile.TemporaryDirectory()
    store = open_store(str(Path(tmp.name) / "bench.db"))
    services = Services(store, Settings(), PREFIX, ResultCache("memory", ttl_seconds=600))
    try:
        batches = list(generate_alerts(20000, seed=3, with_cutouts=False))
        await ingest_tables(store, PREFIX, batches, source="bench", with_cutouts=False)
        if SSO_FILE.exists():
            await ingest_files(store, PREFIX, [SSO_FILE])
        counts = {}
        for table in batches:
            for item in pc.value_counts(table.column("objectId")).to_pylist():
                counts[item["values"]] = counts.get(item["values"], 0) + item["counts"]
        variables = sorted(
            oid for oid, n in counts.items()
            if n >= 30 and demo_truth(oid, 3).kind == "variable"
        )[:50]  # fmt: skip
        schema = build_schema()
        cold_one, _ = await timed_query(schema, services, PERIOD, {"ids": variables[:1]})
        cached_one, _ = await timed_query(schema, services, PERIOD, {"ids": variables[:1]})
        stop = asyncio.Event()
        lag = asyncio.create_task(loop_lag(stop))
        many, data = await timed_query(schema, services, PERIOD, {"ids": variables[1:50]})
        stop.set()
        worst_lag = await lag
        ok = sum(o["period"]["status"] == "ok" for o in data["objects"])
        # baseline: the same fits in this process, one after the other
        reader = services.new_context().reader
        columns = {f"i:{n}".encode() for n in PERIOD_INPUTS}
        objects = await load_objects(reader, variables[1:50], columns)
        args = period_args(1, 1, 0.1, 1.2, "fast", 100)
        start = time.perf_counter()
        for obj in objects:
            assert obj is not None
            inputs = {n: obj.table[n] for n in PERIOD_INPUTS if n != "jd"}
            fit_object_period({**inputs, "jd": obj.jd}, args)
        serial = time.perf_counter() - start
        phase_cold = phase_cached = float("nan")
        if SSO_FILE.exists():
            phase_cold, _ = await timed_query(schema, services, PHASE)
            phase_cached, _ = await timed_query(schema, services, PHASE)
    finally:
        services.shared.fits.close()
        await store.close()
        tmp.cleanup()
    n = len(variables) - 1
    return "\n".join([
        "Store: embedded; 20,000 demo alerts (seed 3); fits of demo variable stars with ≥ 30 "
        "points (method FAST, 0.1–1.2 d); the phase curve of asteroid 8467 (216 points, SHG1G2) "
        "from the SSO file in tests/data. Times include the GraphQL request.",
        "",
        "| case | time | baseline (same run) |",
        "|---|---|---|",
        f"| period, 1 object, cold (first request also starts the worker pool) | "
        f"{cold_one * 1e3:.0f} ms | |",
        f"| period, 1 object, cached | {cached_one * 1e3:.1f} ms | |",
        f"| periods of {n} objects in one request ({ok} ok) | {many:.2f} s | the same fits "
        f"serially in-process, no GraphQL: {serial:.2f} s (ratio {many / serial:.2f}) |",
        f"| largest event-loop stall meanwhile (10 ms ticker) | {worst_lag * 1e3:.0f} ms | |",
        f"| phase curve SHG1G2 of 8467, cold | {phase_cold * 1e3:.0f} ms | |",
        f"| phase curve SHG1G2 of 8467, cached | {phase_cached * 1e3:.1f} ms | |",
    ])  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    text = asyncio.run(main())
    print(text)
    if ns.output:
        write_section(ns.output, "Fits as fields", text)
