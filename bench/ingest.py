"""Ingest throughput of both backends on demo alerts: ``python bench/ingest.py --alerts N``.

Question: how many alerts per second does ``ingest_tables`` (the real ingest path: Fink's
cuts, row building for every table, puts, per-night tables, data version) write into the
embedded store and into Apache HBase, with and without cutouts, and at what peak memory?

* The demo alerts are generated once per cutout setting, before anything is timed, and kept
  in an Arrow IPC file that each case loads whole into memory (the first *n* demo alerts of
  a longer run are the alerts of a run of *n*, so a smaller case reads a prefix).
* Every case runs in a fresh subprocess, so its peak RSS is its own. Its tables are created
  before the clock starts (a one-off cost, ~9 s on HBase, reported apart).
* CPU time over the timed window: this process, the local HBase JVMs, and every other
  process of the machine (benchmarks here may share it with other work).
* Baseline, measured in the same run: ``encode only``, the same path into a store that
  discards every put (rows built, nothing written). Each row's ratio is its alerts/s over
  the baseline's with the same cutout setting.
* HBase cases write under a fresh table prefix whose tables are dropped afterwards. With a
  local ``scripts/hbase`` server the CPU time of its JVMs is read from ``/proc`` too.
* ``--profile-alerts`` adds a cProfile run of HBase without cutouts (every thread), not timed.

``--output BENCHMARKS.md`` replaces that file's ``## Ingest`` section with the results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import platform
import pstats
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from fink_gateway.demo import generate_alerts
from fink_gateway.ingest.pipeline import IngestReport, ingest_tables
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.factory import open_store
from fink_gateway.store.hbase import HBaseStore
from fink_gateway.store.interface import Store, StoreStats
from fink_gateway.store.types import Cells, Column, Row, RowKey, ScanRange

ROOT = Path(__file__).resolve().parents[1]
HBASE_PIDS = ROOT / ".hbase" / "run"
"""Pid files of a local ``scripts/hbase`` server (master + region server, Thrift)."""
HBASE_LOG = ROOT / ".hbase" / "logs" / "master.log"
"""Its region server log: writes held back by a full memstore are logged there."""
MEMSTORE_BLOCKED = "Blocking updates"
BASELINE = "encode only"
GOALS = {"embedded": 20_000.0, "hbase": 5_000.0}
"""alerts/s without cutouts that the issue asks for."""
IDLE_WAITS = (
    "'poll' of 'select.epoll'",  # the event loop, waiting for the pool
    "'get' of '_queue.SimpleQueue'",  # idle pool threads, waiting for work
    "'acquire' of '_thread.lock'",
)
"""Profile entries that are idle waits, left out of the top."""
SERVER_WAITS = " of '_socket.socket' objects>"
"""Profile entries that wait on the server: ``recv``, ``sendall``, ``send``."""
SECTION = "## Ingest"
HEADER = """# Benchmarks

Every number here comes with the command that produced it and the machine it ran on
(`nproc`, RAM, Python). Each section is written whole by the script named in its command;
run that command again to refresh it rather than editing numbers by hand.
"""


@dataclass
class Case:
    """One measurement: a backend, a cutout setting and how many alerts."""

    backend: str  # BASELINE, "embedded" or "hbase"
    cutouts: bool
    alerts: int
    profile_top: int = 0  # > 0: a cProfile run reporting this many entries (not timed)


@dataclass
class Result:
    """What a case measured; ``seconds`` is ``ingest_tables`` alone."""

    case: Case
    alerts: int
    seconds: float
    peak_rss_mb: float
    input_mb: float
    client_cpu_s: float
    server_cpu_s: float | None
    other_cpu_s: float
    memstore_blocks: int | None
    create_s: float
    profile: list[tuple[str, float, int]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.alerts / self.seconds if self.seconds > 0 else 0.0


class DiscardStore:
    """A :class:`~fink_gateway.store.interface.Store` that drops every put: the baseline."""

    def __init__(self) -> None:
        self.stats = StoreStats()

    async def create_table(self, table: str, families: Sequence[str]) -> None:
        return None

    async def list_tables(self) -> list[str]:
        return []

    async def get_rows(
        self, table: str, keys: Sequence[RowKey], columns: Sequence[Column] | None = None
    ) -> list[Cells | None]:
        return [None] * len(keys)

    async def scan(
        self, table: str, ranges: Sequence[ScanRange], columns: Sequence[Column] | None = None
    ) -> list[list[Row]]:
        return [[] for _ in ranges]

    async def put_rows(self, table: str, rows: Iterable[Row]) -> int:
        return sum(1 for _, cells in rows if cells)

    async def put_batch(self, table: str, batch: CellBatch) -> int:
        return len(batch)

    async def delete_rows(self, table: str, keys: Sequence[RowKey]) -> None:
        return None

    async def count_rows(self, table: str) -> int:
        return 0

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


# --- one case, in its own process -----------------------------------------------------------


def load_alerts(path: Path, groups: list[int], alerts: int) -> list[pa.Table]:
    """The first ``alerts`` alerts of an IPC file, as the tables ``generate_alerts`` yielded.

    ``groups[i]`` is how many record batches the i-th yielded table was written as.
    """
    with pa.OSFile(str(path)) as source:
        reader = pa.ipc.open_file(source)
        tables: list[pa.Table] = []
        index, remaining = 0, alerts
        for count in groups:
            if remaining <= 0:
                break
            batches = [reader.get_batch(index + i) for i in range(count)]
            index += count
            table = pa.Table.from_batches(batches, schema=reader.schema)
            tables.append(table.slice(0, remaining))
            remaining -= tables[-1].num_rows
    return tables


def jvm_cpu_seconds(host: str) -> float | None:
    """CPU time (user + system) of the local ``scripts/hbase`` JVMs, or None if not local."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        return None
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid_file in (HBASE_PIDS / "master.pid", HBASE_PIDS / "thrift.pid"):
        try:
            stat = Path(f"/proc/{pid_file.read_text().strip()}/stat").read_text()
        except (OSError, ValueError):
            return None
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is fields[0]
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def machine_busy_seconds() -> float:
    """CPU time every process of this machine has used since boot (``/proc/stat``)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def log_size() -> int | None:
    try:
        return HBASE_LOG.stat().st_size
    except OSError:
        return None


def memstore_blocks_since(offset: int | None) -> int | None:
    """How many writes the local region server held back on a full memstore since ``offset``."""
    if offset is None:
        return None
    with HBASE_LOG.open("rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace").count(MEMSTORE_BLOCKED)


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb(field_name: str) -> float:
    """``VmRSS`` or ``VmHWM`` (peak) of this process, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def drop_prefix(store: HBaseStore, prefix: str) -> None:
    for name in await store.list_tables():
        if name == prefix or name.startswith(prefix + "."):
            await store.drop_table(name)


class CPUMeter:
    """CPU seconds over a window: this process, the local HBase JVMs, the whole machine."""

    def __init__(self, hbase_host: str | None) -> None:
        self.hbase_host = hbase_host
        self.client = self.busy = self.create_s = 0.0
        self.server: float | None = None
        self.memstore_blocks: int | None = None

    def start(self) -> None:
        self._jvm = jvm_cpu_seconds(self.hbase_host) if self.hbase_host else None
        self._log = log_size() if self._jvm is not None else None
        self._busy = machine_busy_seconds()
        self._client = client_cpu_seconds()

    def stop(self) -> None:
        self.client = client_cpu_seconds() - self._client
        self.busy = machine_busy_seconds() - self._busy
        jvm = (
            jvm_cpu_seconds(self.hbase_host) if self._jvm is not None and self.hbase_host else None
        )
        self.server = None if jvm is None or self._jvm is None else jvm - self._jvm
        self.memstore_blocks = memstore_blocks_since(self._log)

    @property
    def other(self) -> float:
        """CPU seconds of every other process of the machine."""
        return max(0.0, self.busy - self.client - (self.server or 0.0))


async def ingest_case(
    case: Case,
    tables: list[pa.Table],
    hbase: str | None,
    meter: CPUMeter,
    profiles: ThreadProfiles | None,
) -> IngestReport:
    """Run ``ingest_tables`` into the case's store, metered; HBase tables are dropped after.

    The tables are created first through another store object (a one-off cost, kept out of
    the rate), so the store that ingests starts its threads inside the measured window.
    """
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        prefix = f"bench_{uuid.uuid4().hex[:12]}" if case.backend == "hbase" else "ztf"

        def open_case_store() -> Store:
            if case.backend == BASELINE:
                return DiscardStore()
            if case.backend == "embedded":
                return open_store(str(Path(folder) / "ingest.db"))
            return open_store(f"hbase://{hbase}?timeout=300")

        started = time.perf_counter()
        setup = open_case_store()
        try:
            await AlertWriter(setup, prefix, with_cutouts=case.cutouts).prepare()
        finally:
            await setup.close()
        meter.create_s = time.perf_counter() - started
        store = open_case_store()
        try:
            with profiles or contextlib.nullcontext():
                meter.start()
                report = await ingest_tables(
                    store, prefix, tables, source="bench", with_cutouts=case.cutouts
                )
                meter.stop()
            return report
        finally:
            if isinstance(store, HBaseStore):
                await drop_prefix(store, prefix)
            await store.close()


class ThreadProfiles:
    """cProfile in every thread started while active (the HBase store's pool), plus this one."""

    def __init__(self) -> None:
        self.main = cProfile.Profile()
        self.threads: list[cProfile.Profile] = []

    def _start(self, *_: Any) -> None:  # first profile event of a new thread
        profile = cProfile.Profile()
        self.threads.append(profile)
        profile.enable()

    def __enter__(self) -> ThreadProfiles:
        threading.setprofile(self._start)
        self.main.enable()
        return self

    def __exit__(self, *_: object) -> None:
        self.main.disable()
        threading.setprofile(None)  # type: ignore[arg-type]

    def top(self, n: int) -> list[tuple[str, float, int]]:
        """The ``n`` functions with the most own time, summed over threads (idle waits left out)."""
        stats = pstats.Stats(self.main)
        for profile in self.threads:
            stats.add(profile)
        rows = []
        for (file, line, name), (_, calls, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
            label = name if file == "~" else f"{Path(file).name}:{line}({name})"
            if not any(wait in label for wait in IDLE_WAITS):
                rows.append((label, round(own, 3), calls))
        return sorted(rows, key=lambda row: -row[1])[:n]


def run_case(case: Case, ipc: Path, groups: list[int], hbase: str | None) -> Result:
    tables = load_alerts(ipc, groups, case.alerts)
    input_mb = pa.total_allocated_bytes() / 2**20
    meter = CPUMeter((hbase or "").rsplit(":", 1)[0] if case.backend == "hbase" else None)
    profiles = ThreadProfiles() if case.profile_top else None
    report = asyncio.run(ingest_case(case, tables, hbase, meter, profiles))
    return Result(
        case,
        alerts=report.counts.alerts,
        seconds=report.seconds,
        peak_rss_mb=rss_mb("VmHWM"),
        input_mb=input_mb,
        client_cpu_s=meter.client,
        server_cpu_s=meter.server,
        other_cpu_s=meter.other,
        memstore_blocks=meter.memstore_blocks,
        create_s=meter.create_s,
        profile=profiles.top(case.profile_top) if profiles else [],
    )


# --- the whole run --------------------------------------------------------------------------


def generate_ipc(path: Path, alerts: int, seed: int, cutouts: bool) -> tuple[list[int], float]:
    """Write ``alerts`` demo alerts to an IPC file; (batches per yielded table, seconds)."""
    started = time.perf_counter()
    tables = list(generate_alerts(alerts, seed=seed, with_cutouts=cutouts))
    seconds = time.perf_counter() - started
    groups = []
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, tables[0].schema) as writer:
        for table in tables:
            batches = table.to_batches()
            groups.append(len(batches))
            for batch in batches:
                writer.write_batch(batch)
    return groups, seconds


def spawn(case: Case, ipc: Path, groups: list[int], hbase: str | None) -> Result:
    """Run one case in a fresh interpreter; its last stdout line is the JSON result."""
    spec = {"case": asdict(case), "ipc": str(ipc), "groups": groups, "hbase": hbase}
    command = [sys.executable, __file__, "--run-case", json.dumps(spec)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"case {case} failed (exit {done.returncode})")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["case"] = Case(**data["case"])
    data["profile"] = [tuple(row) for row in data["profile"]]
    return Result(**data)


def cases_for(args: argparse.Namespace) -> list[Case]:
    out = []
    for cutouts in (False, True):
        hbase_alerts = args.hbase_cutouts_alerts if cutouts else args.alerts
        sizes = sorted({args.alerts, hbase_alerts} if args.hbase else {args.alerts})
        out += [Case(BASELINE, cutouts, n) for n in sizes]
        out.append(Case("embedded", cutouts, args.alerts))
        if args.hbase:
            out.append(Case("hbase", cutouts, hbase_alerts))
    return out


def machine() -> str:
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{len(os.sched_getaffinity(0))} CPUs (`nproc`), {mem_kb / 2**20:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}"
    )


def command_line() -> str:
    python = Path(sys.executable)
    shown = os.path.relpath(python) if python.is_relative_to(Path.cwd()) else str(python)
    return shlex.join([shown, *sys.argv])


def baseline_rate(results: list[Result], result: Result) -> float:
    for other in results:
        c = other.case
        if c.backend == BASELINE and (c.cutouts, c.alerts) == (result.case.cutouts, result.alerts):
            return other.rate
    return 0.0


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| backend | cutouts | alerts | seconds | alerts/s | peak RSS MB | × encode only "
        "| input MB | client CPU s | HBase JVM CPU s | other CPU s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        base = baseline_rate(results, r)
        ratio = f"{r.rate / base:.2f}" if base else "–"
        server = "–" if r.server_cpu_s is None else f"{r.server_cpu_s:.1f}"
        lines.append(
            f"| {r.case.backend} | {'yes' if r.case.cutouts else 'no'} | {r.alerts:,} "
            f"| {r.seconds:.2f} | {r.rate:,.0f} | {r.peak_rss_mb:,.0f} | {ratio} "
            f"| {r.input_mb:,.0f} | {r.client_cpu_s:.1f} | {server} | {r.other_cpu_s:.1f} |"
        )
    return "\n".join(lines)


def hbase_reason(r: Result) -> str:
    """Why HBase ingest is as fast as it is, from the CPU times and the server log."""
    cores = len(os.sched_getaffinity(0))
    server_ms = 1000 * (r.server_cpu_s or 0.0) / r.alerts
    client_ms = 1000 * r.client_cpu_s / r.alerts
    busy = (r.client_cpu_s + (r.server_cpu_s or 0.0) + r.other_cpu_s) / (cores * r.seconds)
    text = (
        f"per alert, HBase's JVMs (region server and Thrift server) used {server_ms:.2f} ms of "
        f"CPU and this client {client_ms:.2f} ms; on {cores} cores shared by both that caps "
        f"ingest at ≈ {1000 * cores / (server_ms + client_ms):,.0f} alerts/s, and at "
        f"≈ {1000 * cores / server_ms:,.0f} alerts/s even with a free client; the cores were "
        f"busy {busy:.0%} of the time (other processes: {r.other_cpu_s:.0f} CPU s)"
    )
    if r.memstore_blocks:
        text += (
            f"; the region server held writes back {r.memstore_blocks:,} times on a full "
            f'memstore ("{MEMSTORE_BLOCKED}" in its log: the standalone JVM\'s heap bounds it)'
        )
    return text


def verdict(results: list[Result]) -> str:
    parts = []
    for backend, goal in GOALS.items():
        found = [r for r in results if r.case.backend == backend and not r.case.cutouts]
        if not found:
            parts.append(f"{backend} not measured")
            continue
        r = found[0]
        if r.rate >= goal:
            parts.append(f"{backend} meets its goal ({r.rate:,.0f} ≥ {goal:,.0f} alerts/s)")
            continue
        text = f"{backend} misses its goal ({r.rate:,.0f} < {goal:,.0f} alerts/s)"
        if backend == "hbase" and r.server_cpu_s:
            text += ": " + hbase_reason(r)
        parts.append(text)
    return "**Verdict** (goals without cutouts): " + "; ".join(parts) + "."


def profile_section(result: Result) -> str:
    rows = "\n".join(
        f"| `{label}` | {own:.2f} | {calls:,} |" for label, own, calls in result.profile
    )
    waits = sum(own for label, own, _ in result.profile if SERVER_WAITS in label)
    listed = sum(own for _, own, _ in result.profile) or 1.0
    return (
        f"Where HBase ingest time goes (cProfile of a separate, untimed run of "
        f"{result.alerts:,} alerts without cutouts; own wall time summed over the main "
        "thread and the store's pool threads, idle waits left out). "
        f"{waits / listed:.0%} of the listed time is spent waiting for the Thrift server "
        "(`recv`, and `sendall` blocking while it reads); the rest is this client turning "
        "columns into Thrift mutations and writing them:\n\n"
        "| function | own s | calls |\n|---|--:|--:|\n" + rows
    )


def notes(results: list[Result], generation: dict[bool, float]) -> str:
    made = ", ".join(
        f"{seconds:.1f} s {'with' if cutouts else 'without'} cutouts"
        for cutouts, seconds in generation.items()
    )
    create = ", ".join(
        f"{backend} {max(r.create_s for r in results if r.case.backend == backend):.1f} s"
        for backend in ("embedded", "hbase")
        if any(r.case.backend == backend for r in results)
    )
    lines = [
        "`seconds`: `ingest_tables` alone (Fink's cuts, row building for every table, puts, "
        "per-night tables, data version), into tables created just before, untimed (creating "
        f"the 14 tables took at most: {create}).",
        f"Demo alerts: generated once per cutout setting, untimed ({made}); `input MB` is "
        "the Arrow memory of the loaded alerts, part of the peak RSS.",
        "`× encode only`: alerts/s over the baseline's with the same cutout setting and count: "
        "the same path into a store that discards every put.",
        "CPU columns cover the `seconds` window: this process; the local `scripts/hbase` JVMs "
        "(master with region server, Thrift server: their work for any client, memstore "
        "flushes and compactions included); every other process of the machine (it is shared).",
    ]
    full = max(r.alerts for r in results)
    lines += [
        f"HBase with cutouts ran on {r.alerts:,} alerts (`--hbase-cutouts-alerts`)."
        for r in results
        if r.case.backend == "hbase" and r.case.cutouts and r.alerts < full
    ]
    return "\n".join(f"- {line}" for line in lines)


def section(results: list[Result], profiled: Result | None, generation: dict[bool, float]) -> str:
    blocks = [
        SECTION,
        f"Command: `{command_line()}`",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}.",
        markdown_table(results),
        notes(results, generation),
        verdict(results),
    ]
    if profiled is not None:
        blocks.append(profile_section(profiled))
    return "\n\n".join(blocks) + "\n"


def replace_section(path: Path, text: str) -> None:
    """Replace the ``## Ingest`` section of ``path`` (added at the end when absent)."""
    old = path.read_text() if path.exists() else HEADER
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(old):
        new = pattern.sub(lambda _: text + "\n", old, count=1).rstrip("\n") + "\n"
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--alerts", type=int, default=100_000, help="Demo alerts per case.")
    parser.add_argument("--seed", type=int, default=0, help="Demo alert seed.")
    parser.add_argument("--hbase", metavar="HOST:PORT", help="Also measure this HBase Thrift1.")
    parser.add_argument(
        "--hbase-cutouts-alerts",
        type=int,
        help="Alerts for HBase with cutouts (default: --alerts).",
    )
    parser.add_argument(
        "--profile-alerts",
        type=int,
        default=20_000,
        help="Alerts of the untimed cProfile run on HBase without cutouts (0: none).",
    )
    parser.add_argument("--output", type=Path, help="Write the results into this Markdown file.")
    parser.add_argument("--run-case", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run_case:
        spec = json.loads(args.run_case)
        result = run_case(Case(**spec["case"]), Path(spec["ipc"]), spec["groups"], spec["hbase"])
        print(json.dumps(asdict(result)))
        return
    if args.hbase_cutouts_alerts is None:
        args.hbase_cutouts_alerts = args.alerts
    cases = cases_for(args)
    results: list[Result] = []
    profiled = None
    generation: dict[bool, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        for cutouts in (False, True):
            size = max(c.alerts for c in cases if c.cutouts is cutouts)
            ipc = Path(folder) / f"alerts-{cutouts}.arrow"
            print(f"generating {size:,} demo alerts, cutouts={cutouts}", file=sys.stderr)
            groups, generation[cutouts] = generate_ipc(ipc, size, args.seed, cutouts)
            for case in (c for c in cases if c.cutouts is cutouts):
                print(f"  {case.backend}: {case.alerts:,} alerts…", file=sys.stderr, flush=True)
                results.append(spawn(case, ipc, groups, args.hbase))
                print(f"    {results[-1].rate:,.0f} alerts/s", file=sys.stderr, flush=True)
            if args.hbase and args.profile_alerts and not cutouts:
                case = Case("hbase", False, min(args.profile_alerts, size), profile_top=12)
                print(f"  profiling hbase: {case.alerts:,} alerts…", file=sys.stderr)
                profiled = spawn(case, ipc, groups, args.hbase)
            ipc.unlink()
    text = section(results, profiled, generation)
    print(text)
    if args.output:
        replace_section(args.output, text)
        print(f"wrote {SECTION!r} of {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
