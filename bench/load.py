"""Bounded load run against the real server on loopback (issue #5 §4).

    .venv/bin/python bench/load.py [--alerts 1000000] [--store URL] [--clients 50] [--seconds 60]
                                   [--workers N] [--output BENCHMARKS.md]

Fills a store with demo alerts (`fink-gateway demo --no-cutouts`), starts `fink-gateway serve`
on 127.0.0.1 as a subprocess, and drives it with C concurrent httpx clients for D seconds (or
--max-requests, whichever comes first), mixing object summaries, light curves (4 columns),
cone searches (random centres, radius 60–600″) and class searches (first 10). Object ids are
sampled from the data first (cone and class searches). Records per query kind: requests,
errors (HTTP ≠ 200 or GraphQL errors), p50/p99 latency, requests/s; the server's RSS.

Baseline, same run: the same mix at concurrency 1 for --baseline-seconds. It is the latency
floor (no queueing) and the single-client throughput, so the load run's ratios show what
concurrency costs in latency and buys in throughput on this machine.
HBase: ingest runs ~1000 alerts/s through Thrift, so use a smaller --alerts (e.g. 100000).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import drop_prefix_at, free_port, percentile, query, write_section
from fink_gateway.store.factory import parse_store_url

PREFIX = "benchload"
KINDS = ("summary", "lightcurve", "cone", "class")
CLASSES = ("SN candidate", "Early SN Ia candidate")
CLASS_QUERY = """query Class($class: String!, $first: Int) {
  alertsByClass(class: $class, first: $first) { edges { node { objectId time magpsf } } }
}"""
IDS_QUERY = """query Ids($ra: Angle!, $dec: Angle!) {
  conesearch(ra: $ra, dec: $dec, radius: 18000, first: 1000) {
    edges { node { object { objectId } } }
  }
}"""


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)  # first few error messages


@dataclass
class Run:
    seconds: float
    stats: dict[str, Stats]

    def rows(self) -> list[tuple[str, int, int, float, float, float]]:
        """(kind, requests, errors, p50 ms, p99 ms, req/s), per kind then overall."""
        out = []
        every: list[float] = []
        errors = 0
        for kind in KINDS:
            s = self.stats[kind]
            every += s.latencies
            errors += s.errors
            out.append(self._row(kind, s.latencies, s.errors))
        out.append(self._row("all", every, errors))
        return out

    def _row(self, kind: str, lat: list[float], errors: int
             ) -> tuple[str, int, int, float, float, float]:
        if not lat:
            return (kind, 0, errors, float("nan"), float("nan"), 0.0)
        return (kind, len(lat), errors, percentile(lat, 50) * 1e3, percentile(lat, 99) * 1e3,
                len(lat) / self.seconds)


def serving_pids(pid: int) -> list[int]:
    """The processes that answer requests: ``pid`` itself, or its uvicorn workers."""
    workers = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
        if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]
    return workers or [pid]


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    """A memory line of /proc/<pid>/status (VmRSS, VmHWM), MB, summed over the processes
    that serve (the uvicorn workers when there are several)."""
    pids = serving_pids(pid)
    if len(pids) > 1:
        return sum(rss_mb(p, key) for p in pids)
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cli() -> list[str]:
    script = Path(sys.executable).parent / "fink-gateway"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from fink_gateway.gateway.cli import main; main()"]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["FINK_GATEWAY_LOG_LEVEL"] = "warning"  # no access log line per request
    return env


class Requests:
    """Builds one request of each kind from sampled ids and random centres."""

    def __init__(self, ids: list[str], lc_ids: int, seed: int) -> None:
        self.ids = ids
        self.lc_ids = lc_ids
        self.rng = np.random.default_rng(seed)
        self.texts = {"summary": query("summary"), "lightcurve": query("lightcurves"),
                      "cone": query("cone"), "class": CLASS_QUERY}

    def make(self, kind: str) -> dict[str, Any]:
        rng = self.rng
        if kind == "summary":
            variables: dict[str, Any] = {"id": self.ids[rng.integers(len(self.ids))]}
        elif kind == "lightcurve":
            picks = rng.choice(len(self.ids), size=min(self.lc_ids, len(self.ids)), replace=False)
            variables = {"ids": [self.ids[i] for i in picks]}
        elif kind == "cone":
            variables = {"ra": float(rng.uniform(0, 360)),
                         "dec": float(np.degrees(np.arcsin(rng.uniform(-0.5, 1)))),
                         "radius": float(rng.uniform(60, 600))}
        else:
            variables = {"class": CLASSES[rng.integers(len(CLASSES))], "first": 10}
        return {"query": self.texts[kind], "variables": variables}


async def drive(base: str, requests: Requests, clients: int, seconds: float, max_requests: int
                ) -> Run:
    stats = {k: Stats() for k in KINDS}
    issued = 0
    deadline = time.perf_counter() + seconds
    # idle connections expire before uvicorn closes them (5 s), so no request races a close
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0
    )

    async def worker(client: httpx.AsyncClient, wid: int) -> None:
        nonlocal issued
        rng = np.random.default_rng(1000 + wid)
        while time.perf_counter() < deadline and issued < max_requests:
            issued += 1
            kind = KINDS[rng.integers(len(KINDS))]
            body = requests.make(kind)
            s = stats[kind]
            t = time.perf_counter()
            try:
                r = await client.post("/graphql", json=body)
                payload = r.json() if r.status_code == 200 else None
                ok = payload is not None and not payload.get("errors")
                message = (r.text[:200] if payload is None
                           else str(payload.get("errors"))[:200])
            except (httpx.HTTPError, ValueError) as exc:
                ok, message = False, f"{type(exc).__name__}: {exc}"[:200]
            elapsed = time.perf_counter() - t
            s.latencies.append(elapsed)
            if not ok:
                s.errors += 1
                if len(s.samples) < 3:
                    s.samples.append(f"after {elapsed * 1e3:.0f} ms: {message}")

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client, i) for i in range(clients)))
        elapsed = time.perf_counter() - start
    return Run(elapsed, stats)


async def sample_ids(base: str, want: int) -> list[str]:
    """Object ids from the data: class searches, then 5° cone searches at random centres."""
    found: set[str] = set()
    rng = np.random.default_rng(7)
    async with httpx.AsyncClient(base_url=base, timeout=120.0) as client:
        for label in CLASSES:
            r = await client.post("/graphql", json={"query": CLASS_QUERY,
                                                    "variables": {"class": label, "first": 1000}})
            r.raise_for_status()
            edges = r.json()["data"]["alertsByClass"]["edges"]
            found.update(e["node"]["objectId"] for e in edges)
        for _ in range(50):
            if len(found) >= want:
                break
            ra, dec = float(rng.uniform(0, 360)), float(np.degrees(np.arcsin(rng.uniform(-0.5, 1))))
            r = await client.post("/graphql", json={"query": IDS_QUERY,
                                                    "variables": {"ra": ra, "dec": dec}})
            r.raise_for_status()
            found.update(e["node"]["object"]["objectId"]
                         for e in r.json()["data"]["conesearch"]["edges"])
    return sorted(found)


async def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as client:
        while time.perf_counter() - start < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/healthz")).status_code == 200:
                    return time.perf_counter() - start
            await asyncio.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def table(run: Run) -> list[str]:
    lines = ["| kind | requests | errors | p50 ms | p99 ms | req/s |",
             "|---|--:|--:|--:|--:|--:|"]
    for kind, n, err, p50, p99, rps in run.rows():
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| {name} | {n:,} | {err} | {p50:.1f} | {p99:.1f} | {rps:.1f} |")
    return lines


def errors_text(run: Run, label: str) -> list[str]:
    out = []
    for kind in KINDS:
        for msg in run.stats[kind].samples:
            out.append(f"- {label}, {kind}: `{msg}`")
    return out


async def measure(args: argparse.Namespace, base: str, pid: int) -> dict[str, Any]:
    ids = await sample_ids(base, args.ids)
    requests = Requests(ids, args.lc_ids, seed=3)
    rss0 = rss_mb(pid)
    await drive(base, requests, 1, 2.0, 10**9)  # warm-up, not recorded
    baseline = await drive(base, requests, 1, args.baseline_seconds, 10**9)
    rss1 = rss_mb(pid)
    samples: list[float] = []

    async def sampler() -> None:
        while True:
            samples.append(rss_mb(pid))
            await asyncio.sleep(1.0)

    task = asyncio.create_task(sampler())
    try:
        load = await drive(base, requests, args.clients, args.seconds, args.max_requests)
    finally:
        task.cancel()
    rss2 = rss_mb(pid)
    return {"ids": len(ids), "baseline": baseline, "load": load, "rss": (rss0, rss1, rss2),
            "rss_max": max([*samples, rss2]), "hwm": rss_mb(pid, "VmHWM")}


def main(args: argparse.Namespace) -> tuple[str, str]:
    tmp = tempfile.TemporaryDirectory()
    if args.store:
        sep = "&" if "?" in args.store else "?"
        url = args.store if "prefix=" in args.store else f"{args.store}{sep}prefix={PREFIX}"
    else:
        url = str(Path(tmp.name) / "load.db")
    kind = "HBase" if url.startswith("hbase://") else "embedded"
    env = server_env()
    log = Path(tmp.name) / "server.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        t = time.perf_counter()
        subprocess.run([*cli(), "demo", "--alerts", str(args.alerts), "--no-cutouts",
                        "--store", url], check=True, env=env, stdout=subprocess.DEVNULL)
        ingest_s = time.perf_counter() - t
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*cli(), "serve", "--store", url, "--host", "127.0.0.1", "--port", str(port),
                 "--workers", str(args.workers)],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        startup = asyncio.run(wait_ready(base, proc, 120.0))
        result = asyncio.run(measure(args, base, proc.pid))
    except BaseException:
        if log.exists():
            sys.stderr.write(log.read_text()[-4000:])
        raise
    finally:
        if proc is not None:
            stop(proc)
        if args.server_log and log.exists():
            args.server_log.write_bytes(log.read_bytes())
        if args.store:
            asyncio.run(drop_prefix_at(url, parse_store_url(url).prefix or PREFIX))
        tmp.cleanup()

    baseline: Run = result["baseline"]
    load: Run = result["load"]
    b_all, l_all = baseline.rows()[-1], load.rows()[-1]
    rss0, rss1, rss2 = result["rss"]
    total_errors = l_all[2] + b_all[2]
    hbase_note = ": Thrift ingest is slow, hence fewer alerts" if kind == "HBase" else ""
    processes = (
        "one uvicorn process" if args.workers == 1
        else f"{args.workers} uvicorn worker processes, memory summed over them"
    )
    lines = [
        f"Store: {kind}. {args.alerts:,} demo alerts without cutouts (`fink-gateway demo`, "
        f"{ingest_s:.0f} s, {args.alerts / ingest_s:,.0f} alerts/s{hbase_note}); "
        f"server: `fink-gateway serve --workers {args.workers}` ({processes}, rate limiting "
        f"off) on 127.0.0.1, "
        f"ready in {startup:.1f} s; client: httpx.AsyncClient in this process, same machine.",
        f"Mix, each request one of 4 kinds with equal odds: `summary` (bench/queries/summary), "
        f"`lightcurve` ({args.lc_ids} ids, 4 columns: bench/queries/lightcurves), `cone` "
        f"(bench/queries/cone, random centre with dec > −30°, radius 60–600″, first 1000), "
        f"`class` (alertsByClass 'SN candidate' or 'Early SN Ia candidate', first 10); "
        f"{result['ids']:,} object ids sampled from the data beforehand (class and 5° cone "
        f"searches).",
        "",
        f"Load: {args.clients} concurrent clients for {load.seconds:.1f} s "
        f"(bounds: {args.seconds:.0f} s, {args.max_requests:,} requests):",
        "",
        *table(load),
        "",
        f"Baseline, same run, same mix at concurrency 1 for {baseline.seconds:.1f} s "
        f"(latency floor: no queueing):",
        "",
        *table(baseline),
        "",
        f"- Under load / baseline: throughput {l_all[5] / b_all[5]:.2f}×, "
        f"p50 latency {l_all[3] / b_all[3]:.1f}×, p99 {l_all[4] / b_all[4]:.1f}×.",
        f"- Server RSS: {rss0:.0f} MB after id sampling, {rss1:.0f} MB after the baseline, "
        f"{rss2:.0f} MB at the end of the load run (max {result['rss_max']:.0f} MB sampled "
        f"each second; VmHWM {result['hwm']:.0f} MB). It includes the in-process result cache "
        f"(`cache.backend: memory`, LRU of at most `cache.max_entries` = 20,000 answers, each "
        f"living `cache.ttl_seconds` = 300 s), so RSS grows with the distinct objects a run "
        f"touches until that bound is reached; a 60 s run does not reach it.",
        f"- Errors: {total_errors}.",
        *errors_text(load, "load"),
        *errors_text(baseline, "baseline"),
    ]
    return kind, "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=1_000_000)
    parser.add_argument("--store", help="store URL (default: a temporary embedded file); "
                        f"HBase tables get prefix={PREFIX} and are dropped afterwards")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--lc-ids", type=int, default=10, help="object ids per light-curve query")
    parser.add_argument("--ids", type=int, default=2000, help="object ids to sample")
    parser.add_argument("--port", type=int, help="server port (default: a free one)")
    parser.add_argument(
        "--workers", type=int, help="gateway processes (serve --workers; default 1)"
    )
    parser.add_argument("--server-log", type=Path, help="keep the server's output there")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    ns.given_workers, ns.workers = ns.workers, ns.workers or 1
    store_kind, text = main(ns)
    print(text)
    if ns.output:
        workers = "" if ns.given_workers is None else f", {ns.workers} worker(s)"
        write_section(ns.output, f"Load ({store_kind}{workers})", text)
