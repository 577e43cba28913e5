"""One large answer: the server's peak memory and the time per point from 1,000 to 100,000
light-curve points in one request (issue 8).

    .venv/bin/python bench/big_response.py [--store URL] [--output BENCHMARKS.md]

The gateway serves, in its own process (``fink-gateway serve``), a store holding 240 demo
objects stretched to ~500 points each. ``objects(objectIds: …) { objectId lightcurve { jd
magpsf sigmapsf fid } }`` is asked for more and more objects, until the answer holds more than
100,000 points; each size is timed (best of 3 over HTTP, the body read in full) and divided by
its number of points. The baseline is the time per point of the smallest answer (~1,000
points) in the same run: a flat curve has every ratio near 1. The server's peak resident memory
is its ``VmHWM`` (Linux) after the largest answer.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import served_gateway, write_section
from bench.lightcurve import load_data
from fink_gateway.store.factory import open_store

PREFIX = "benchbig"
QUERY = """query ($ids: [String!]!) {
  objects(objectIds: $ids) { objectId lightcurve { jd magpsf sigmapsf fid } } }"""
RSS_GOAL_MB = 500.0


async def fill(url: str) -> list[str]:
    store = open_store(url)
    try:
        long_ids, _ = await load_data(store, 20000, PREFIX, n_long=240)
        return long_ids
    finally:
        await store.close()


def memory_mb(pid: int, field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of process ``pid``, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def timed(client: httpx.Client, url: str, ids: list[str]) -> tuple[float, int, int]:
    """(best seconds of 3, points, response bytes) for the light curves of ``ids``."""
    best, points, size = float("inf"), 0, 0
    for _ in range(3):
        start = time.perf_counter()
        response = client.post(url, json={"query": QUERY, "variables": {"ids": ids}})
        elapsed = time.perf_counter() - start
        body = orjson.loads(response.content)
        assert "errors" not in body, body["errors"]
        best = min(best, elapsed)
        points = sum(len(o["lightcurve"]["jd"]) for o in body["data"]["objects"])
        size = len(response.content)
    return best, points, size


def main(args: argparse.Namespace) -> str:
    tmp = tempfile.TemporaryDirectory()
    url = args.store or str(Path(tmp.name) / "big.db")
    try:
        ids = asyncio.run(fill(url))
        # a 100,000-point answer is within the default limits but its cost is not; the
        # result cache is off so that every request reads the store
        with served_gateway(
            url, PREFIX, drop=bool(args.store), limits_max_cost="10000000",
            cache_ttl_seconds="0",
        ) as (process, graphql), httpx.Client(timeout=300) as client:
            rows = []
            timed(client, graphql, ids[-2:])  # warm-up
            idle_mb = memory_mb(process.pid, "VmRSS")
            for k in (1, 10, 100, 200, len(ids)):
                seconds, points, size = timed(client, graphql, ids[:k])
                rows.append((k, points, size, seconds))
                print(rows[-1], flush=True)
            peak_mb = memory_mb(process.pid, "VmHWM")
            anon_mb = memory_mb(process.pid, "RssAnon")
            file_mb = memory_mb(process.pid, "RssFile")
    finally:
        tmp.cleanup()
    base = rows[0][3] / rows[0][1]
    lines = [
        "Store: " + ("HBase" if url.startswith("hbase://") else "embedded")
        + f"; {len(ids)} demo objects (seed 1) stretched to ~500 points each; "
        "`objects(objectIds:) { objectId lightcurve { jd magpsf sigmapsf fid } }` over HTTP, "
        "best of 3, the gateway in its own process, result cache off.",
        "",
        "| objects | points | response MB | time ms | µs per point | per point vs smallest |",
        "|---|---|---|---|---|---|",
    ]
    for k, points, size, seconds in rows:
        per_point = seconds / points
        lines.append(
            f"| {k} | {points:,} | {size / 1e6:.1f} | {seconds * 1e3:.1f} "
            f"| {per_point * 1e6:.2f} | {per_point / base:.2f}× |"
        )
    verdict = "met" if peak_mb < RSS_GOAL_MB else "**missed**"
    lines += [
        "",
        f"Server memory: {idle_mb:.0f} MB resident after warm-up, peak {peak_mb:.0f} MB "
        f"(VmHWM) after the largest answer; goal < {RSS_GOAL_MB:.0f} MB: {verdict}. "
        f"Resident at the end: {anon_mb:.0f} MB of heap (RssAnon) and {file_mb:.0f} MB of "
        "mapped files (RssFile: the code's libraries and the SQLite file's pages read "
        "through mmap, which the kernel can drop).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", default="", help="store URL (default: temporary embedded)")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    report = main(ns)
    print(report)
    if ns.output:
        kind = "HBase" if ns.store.startswith("hbase://") else "embedded"
        write_section(ns.output, f"One large answer ({kind})", report)
