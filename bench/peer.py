"""The gateway against PostGraphile 5 over PostgreSQL 15 holding the same rows (issue 8).

    .venv/bin/python bench/peer.py [--store hbase://127.0.0.1:9090] [--data samples,long]
                                   [--concurrency 1,4] [--output BENCHMARKS.md]

For each data set (``samples``: the real Fink samples, 132 objects with upper limits;
``long``: 100 demo objects stretched to ~500 points) the gateway serves a store holding it
(uvicorn, loopback), ``../shared/peers/postgraphile/setup.sh`` starts the peer,
``load.py --from-gateway`` copies the gateway's own light-curve rows into PostgreSQL, and
``bench.py`` sends the four shapes (lc1, lc100, lc100_alias, summary) to both servers in
turn (A = PostGraphile, B = the gateway). The ratios are the gateway's requests/s over the
peer's, measured in the same alternating run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, served_gateway, write_section
from bench.lightcurve import load_data
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.store.factory import open_store

PEER = ROOT.parent / "shared" / "peers" / "postgraphile"
SAMPLES = ROOT / "tests" / "data" / "fink-ztf"
PEER_PYTHON = Path("/tmp/pg-peer/venv/bin/python")
SHAPES = ("lc1", "lc100", "lc100_alias", "summary")
CACHE_TTL = {"on": "300", "off": "0"}  # cache.ttl_seconds; 0 disables the result cache
GOALS = {"lc100": 2.0, "lc1": 1.0, "summary": 1.0, "lc100_alias": None}


def science_files() -> list[Path]:
    """The real Fink samples (not the SSO light curves), from tests/data."""
    return sorted(p for p in SAMPLES.glob("*.parquet") if not p.name.startswith("sso"))


async def fill(url: str, prefix: str, data: str) -> list[str]:
    """Ingest one data set under ``prefix``; return the object ids the shapes pick from."""
    store = open_store(url)
    try:
        if data == "samples":
            files = science_files()
            report = await ingest_files(store, prefix, files, with_cutouts=False)
            assert not report.failures, report.failures
            ids = {o for p in files for o in pq.read_table(p, columns=["objectId"])
                   .column("objectId").to_pylist()}
            return sorted(ids)
        long_ids, _ = await load_data(store, 20000, prefix)
        return long_ids
    finally:
        await store.close()


def peer(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def run_bench(graphql: str, ids_file: Path, concurrency: int, requests: int) -> dict:
    out = Path(tempfile.mktemp(suffix=".json"))
    peer(str(PEER_PYTHON), str(PEER / "bench.py"), "--url-b", graphql,
         "--queries-b", str(PEER / "queries-gateway"), "--ids", str(ids_file),
         "--concurrency", str(concurrency), "--requests", str(requests),
         "--shapes", ",".join(SHAPES), "--json", str(out))
    results = json.loads(out.read_text())["results"]
    out.unlink()
    return results


def table(rows: list[tuple[str, str, int, dict]]) -> str:
    lines = [
        "| data | store | c | shape | PostGraphile p50 ms | gateway p50 ms | peer req/s | "
        "gateway req/s | **gateway/peer req/s** | goal | KB/resp peer → gateway |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for data, store, c, results in rows:
        for shape in SHAPES:
            a, b = results[shape]["A"], results[shape]["B"]
            ratio = b["rps"] / a["rps"]
            goal = GOALS[shape] if store.startswith("embedded") else (
                1.0 if shape == "lc100" else None
            )
            mark = "" if goal is None else (f"≥ {goal:.1f}× " + ("met" if ratio >= goal else
                                                                   "**missed**"))
            lines.append(
                f"| {data} | {store} | {c} | {shape} | {a['p50_ms']:.2f} | {b['p50_ms']:.2f} | "
                f"{a['rps']:.0f} | {b['rps']:.0f} | **{ratio:.2f}×** | {mark} | "
                f"{a['kb']:.1f} → {b['kb']:.1f} |"
            )
    return "\n".join(lines)


def main(args: argparse.Namespace) -> str:
    peer("bash", str(PEER / "setup.sh"))
    rows = []
    tmp = tempfile.TemporaryDirectory()
    store_kind = "HBase" if args.store.startswith("hbase://") else "embedded"
    try:
        for data in args.data.split(","):
            prefix = f"benchpeer{data}"
            url = args.store or str(Path(tmp.name) / f"{data}.db")
            ids = asyncio.run(fill(url, prefix, data))
            ids_file = Path(tmp.name) / f"{data}.ids"
            ids_file.write_text("\n".join(ids) + "\n")
            with served_gateway(url, prefix, drop=bool(args.store),
                                cache_ttl_seconds=CACHE_TTL[args.cache]) as (_, graphql):
                peer(str(PEER_PYTHON), str(PEER / "load.py"), "--from-gateway", graphql,
                     str(ids_file))
                for c in (int(x) for x in args.concurrency.split(",")):
                    results = run_bench(graphql, ids_file, c, args.requests)
                    rows.append((data, f"{store_kind.lower()}, cache {args.cache}", c, results))
                    print(table(rows[-1:]), flush=True)
    finally:
        tmp.cleanup()
    return table(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", default="", help="store URL (default: temporary embedded files)")
    parser.add_argument("--data", default="samples,long", help="samples, long, or both")
    parser.add_argument("--concurrency", default="1,4", help="client concurrency levels")
    parser.add_argument("--requests", type=int, default=400, help="requests per shape per server")
    parser.add_argument("--cache", choices=sorted(CACHE_TTL), default="off",
                        help="the gateway's result cache (default off: every request reads "
                        "the store, as every PostgreSQL query does)")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    report = main(ns)
    print(report)
    if ns.output:
        kind = "HBase" if ns.store.startswith("hbase://") else "embedded"
        write_section(ns.output, f"Versus PostGraphile ({kind}, cache {ns.cache})", report)
