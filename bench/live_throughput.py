"""Follow throughput against file ingest of the same alerts, per backend, in one run.

* ``file``: ``ingest_files`` of one parquet file holding the alerts (read, Fink's cuts, every
  table, per-night tables, data version), what ``fink-gateway ingest`` does.
* ``follow``: a :class:`~fink_gateway.ingest.follow.follower.Follower` (in this process, its
  default batching unless told otherwise) on a topic holding the same alerts, produced before
  the clock starts; timed from ``run()`` (consumer created, group joined) until its bus has
  heard of every alert (announced after each batch's rows, per-night tables and checkpoint are
  stored). The bus is in-process with no subscriber: the announcing costs what it costs with
  Redis, less the publish.
* ``decode only``: :class:`MessageDecoder` over the same messages in batches of the
  follower's size, nothing written: the ceiling of ``follow``.

Each case writes into tables created just before, untimed, under a fresh prefix (a fresh file
for embedded; dropped afterwards on HBase).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.ingest import ThreadProfiles
from bench.live_data import Message
from fink_gateway.ingest.follow.follower import Follower
from fink_gateway.ingest.follow.messages import MessageDecoder, Position, RawMessage
from fink_gateway.ingest.follow.options import FollowOptions
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.live.bus import MemoryBus
from fink_gateway.live.events import AlertEvent
from fink_gateway.store.factory import open_store
from fink_gateway.store.interface import Store

DECODE_ONLY = "decode only"


@dataclass
class Measure:
    """One case: ``seconds`` of wall time for ``alerts`` alerts."""

    backend: str
    path: str  # "file", "follow" or DECODE_ONLY
    alerts: int
    seconds: float
    batches: int = 0
    profile: list[tuple[str, float, int]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.alerts / self.seconds if self.seconds > 0 else 0.0


class CountingBus(MemoryBus):
    """Notes when ``want`` alerts have been announced (perf_counter seconds)."""

    def __init__(self, want: int) -> None:
        super().__init__()
        self.want = want
        self.heard = 0
        self.done = asyncio.Event()
        self.done_at = 0.0

    async def publish(self, events: list[AlertEvent]) -> None:
        self.heard += len(events)
        if self.heard >= self.want and not self.done.is_set():
            self.done_at = time.perf_counter()
            self.done.set()


@contextlib.asynccontextmanager
async def fresh_tables(
    backend: str, hbase: str | None, folder: Path, cutouts: bool
) -> AsyncIterator[tuple[Store, str]]:
    """(store, prefix) with every table created; an HBase prefix is dropped on exit."""
    prefix = f"benchlive_{uuid.uuid4().hex[:10]}"
    if backend == "hbase":
        store: Store = open_store(f"hbase://{hbase}?timeout=300")
    else:
        store = open_store(str(folder / f"{prefix}.db"))
    try:
        await AlertWriter(store, prefix, with_cutouts=cutouts).prepare()
        yield store, prefix
    finally:
        if backend == "hbase":
            from bench.common import drop_prefix

            await drop_prefix(store, prefix)
        await store.close()


async def file_case(backend: str, hbase: str | None, parquet: Path, cutouts: bool) -> Measure:
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        async with fresh_tables(backend, hbase, Path(folder), cutouts) as (store, prefix):
            started = time.perf_counter()
            report = await ingest_files(store, prefix, [parquet], with_cutouts=cutouts)
            seconds = time.perf_counter() - started
    assert not report.failures, report.failures
    return Measure(backend, "file", report.counts.alerts, seconds)


async def follow_case(
    backend: str, hbase: str | None, options: FollowOptions, alerts: int, cutouts: bool,
    timeout_s: float = 1800.0,
) -> Measure:  # fmt: skip
    """Follow ``options.topics`` (holding ``alerts`` alerts) until every one is stored."""
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        async with fresh_tables(backend, hbase, Path(folder), cutouts) as (store, prefix):
            bus = CountingBus(alerts)
            follower = Follower(store, prefix, options, with_cutouts=cutouts, bus=bus)
            stop = asyncio.Event()
            started = time.perf_counter()
            task = asyncio.create_task(follower.run(stop))
            try:
                await asyncio.wait_for(bus.done.wait(), timeout_s)
            finally:
                stop.set()
                stats = await task
    return Measure(backend, "follow", bus.heard, bus.done_at - started, stats.batches)


def decode_case(messages: Sequence[Message], batch_size: int) -> Measure:
    """Decoding alone, in the follower's batches."""
    raws = [RawMessage(Position("t", 0, i), k, v) for i, (k, v) in enumerate(messages)]
    decoder = MessageDecoder()
    started = time.perf_counter()
    rows = 0
    for start in range(0, len(raws), batch_size):
        decoded = decoder.decode(raws[start:start + batch_size])
        rows += sum(table.num_rows for table, _ in decoded.tables)
    return Measure("–", DECODE_ONLY, rows, time.perf_counter() - started,
                   -(-len(raws) // batch_size))  # fmt: skip


def profile_follow(options: FollowOptions, alerts: int, cutouts: bool, top: int) -> Measure:
    """An untimed cProfile of following ``alerts`` alerts into the embedded store (a new event
    loop, so its worker threads are profiled too)."""
    with ThreadProfiles() as profiles:
        measure = asyncio.run(follow_case("embedded", None, options, alerts, cutouts))
    measure.profile = profiles.top(top)
    return measure
