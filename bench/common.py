"""Shared helpers of the benchmarks: data sets, timing, and writing BENCHMARKS.md sections."""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import re
import shlex
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
QUERIES = Path(__file__).parent / "queries"


def query(name: str) -> str:
    """The text of ``bench/queries/<name>.graphql``."""
    return (QUERIES / f"{name}.graphql").read_text()


async def best_of(repeats: int, work: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """(median, best) wall time of ``work`` over ``repeats`` runs, seconds (after one warm-up)."""
    await work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        await work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def with_epochs(table: pa.Table, copies: int, step_days: float) -> pa.Table:
    """Repeat every alert ``copies`` times, shifting its JD by ``step_days`` each time.

    Makes long light curves (hundreds of points per object) out of demo alerts.
    """
    parts = []
    candidate = table.column("candidate").combine_chunks()
    names = [f.name for f in candidate.type]
    for k in range(copies):
        fields = [candidate.field(n) for n in names]
        jd_index = names.index("jd")
        fields[jd_index] = pc.add(fields[jd_index], k * step_days)
        shifted = pa.StructArray.from_arrays(fields, names=names)
        part = table.set_column(table.column_names.index("candidate"), "candidate", shifted)
        parts.append(part.drop_columns(["prv_candidates"]) if "prv_candidates" in part.column_names
                     else part)
    return pa.concat_tables(parts)


def machine() -> str:
    import os

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {memory:.0f} GiB RAM, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


def store_kind(url: str | None) -> str:
    """``HBase`` or ``embedded`` (the default store of a benchmark: a temporary file)."""
    return "HBase" if (url or "").startswith("hbase://") else "embedded"


def round_trips_table(trips: list[tuple[int, int]]) -> list[str]:
    """Markdown rows of (K objects, store round trips) pairs."""
    return [
        "| K objects | " + " | ".join(str(k) for k, _ in trips) + " |",
        "|---|" + "---|" * len(trips),
        "| round trips | " + " | ".join(str(t) for _, t in trips) + " |",
    ]


def report_run(text: str, output: Path | None, title: str, store: str | None) -> None:
    """Print a benchmark's report and, with ``--output``, write it as the section ``title
    (<store kind>)``."""
    print(text)
    if output:
        write_section(output, f"{title} ({store_kind(store)})", text)


def write_section(path: Path, title: str, body: str) -> None:
    """Replace (or append) the ``## <title>`` section of BENCHMARKS.md."""
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (f"## {title}\n\nCommand: `{command}`  \nRun: {stamp} on {machine()}\n\n"
               f"{body.strip()}\n")
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


async def drop_prefix_at(url: str, prefix: str) -> None:
    """:func:`drop_prefix` on the store at ``url`` (opened and closed here)."""
    from fink_gateway.store.factory import open_store

    store = open_store(url)
    try:
        await drop_prefix(store, prefix)
    finally:
        await store.close()


async def drop_prefix(store, prefix: str) -> None:  # type: ignore[no-untyped-def]
    """Drop every table of ``prefix`` (benchmarks on a shared HBase clean up after themselves)."""
    for name in await store.list_tables():
        if name == prefix or name.startswith(prefix + "."):
            await store.drop_table(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served_gateway(
    url: str, prefix: str, *, drop: bool = False, **settings: str
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """The gateway in its own process, as a user runs it (``settings``: ``FINK_GATEWAY_*``
    values), yielding (process, GraphQL URL); stopped on exit, and the ``prefix`` tables
    dropped when ``drop``."""
    port = free_port()
    env = dict(os.environ, FINK_GATEWAY_TABLE_PREFIX=prefix,
               FINK_GATEWAY_LIMITS_MAX_ALIASES="200", FINK_GATEWAY_LOG_LEVEL="warning",
               **{f"FINK_GATEWAY_{k.upper()}": v for k, v in settings.items()})
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "fink-gateway"), "serve", "--store", url,
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        yield process, _ready(process, port)
    finally:
        process.terminate()
        process.wait(30)
        if drop:
            asyncio.run(drop_prefix_at(url, prefix))


def _ready(process: subprocess.Popen[bytes], port: int) -> str:
    """The GraphQL URL once ``/readyz`` answers 200 (exits if the gateway does not)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return f"http://127.0.0.1:{port}/graphql"
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            assert process.stderr is not None
            raise SystemExit(f"the gateway exited: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.3)
    process.kill()
    raise SystemExit("the gateway did not become ready within 120 s")
