"""Latency from the Kafka produce to a subscriber's receipt, at steady produce rates.

Processes, as users run them: ``fink-gateway serve`` (``cache.backend: redis``, so its alert
bus is Redis pub/sub) on a fresh embedded store; ``fink-gateway follow`` (same store, same
Redis) on a fresh topic; in this process a paced producer thread and one graphql-transport-ws
subscriber of ``alerts(filter: {})`` (every alert) selecting ``candid objectId``. Produce and
receipt times are ``time.perf_counter()`` of this one process: no clocks compared across
processes. A Redis listener in this process also notes when each alert is announced on
the bus (the follower announces a batch once it is stored): produce → stored, apart from the
gateway's part.

Warm-up: single alerts are produced every 0.5 s until the subscriber receives one (the
follower has joined its group and the subscription is live); they are not counted. Then each
rate runs for its duration, and the subscriber waits for the stragglers (until every alert of
the phase arrived, or nothing arrived for ``drain_s``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

from bench.common import percentile, served_gateway
from bench.ingest import machine_busy_seconds
from bench.live_data import Message, Topics, produce_paced, producer
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.live.bus import RedisBus, alert_channel
from fink_gateway.store.factory import open_store

QUERY = "subscription { alerts(filter: {}) { candid objectId } }"
"""An empty filter matches every alert (the gateway refuses ``alerts`` without ``filter``)."""
WARMUP_TIMEOUT_S = 120.0


@dataclass
class Phase:
    """One produce rate (alerts/s) held for ``produce_s`` seconds; times in seconds."""

    rate: float
    produced: int = 0
    produce_s: float = 0.0
    latencies: list[float] = field(default_factory=list)  # to the subscriber, produce order, s
    stored: list[float] = field(default_factory=list)  # to the bus (stored), produce order, s
    last_receipt_s: float = 0.0  # from the first produce to the last receipt
    last_stored_s: float = 0.0  # from the first produce to the last announcement
    errors: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # CPU s over the phase, by process
    wall_s: float = 0.0  # the phase, produce and drain

    @property
    def delivered(self) -> int:
        return len(self.latencies)


@dataclass
class LatencyRun:
    phases: list[Phase]
    batch_size: int
    batch_seconds: float
    warmup_alerts: int
    ready_s: float  # gateway start until ready


def cpu_seconds(pid: int) -> float:
    """user + system CPU seconds of a process (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


class Subscriber:
    """The websocket client: receipt time by candid (str)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.received: dict[str, float] = {}
        self.errors: list[str] = []
        self.changed = asyncio.Event()

    async def listen(self) -> None:
        async for text in self.ws:
            now = time.perf_counter()
            message = json.loads(text)
            kind = message.get("type")
            if kind == "next" and message["payload"].get("data"):
                self.received[str(message["payload"]["data"]["alerts"]["candid"])] = now
            elif kind in ("next", "error", "complete"):
                self.errors.append(json.dumps(message["payload"] if kind != "complete"
                                              else message)[:300])  # fmt: skip
            self.changed.set()


@contextlib.asynccontextmanager
async def subscribed(graphql: str) -> AsyncIterator[Subscriber]:
    url = graphql.replace("http://", "ws://")
    async with connect(url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                       max_queue=None) as ws:  # fmt: skip
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": QUERY}}))
        subscriber = Subscriber(ws)
        task = asyncio.create_task(subscriber.listen())
        try:
            yield subscriber
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def follow_process(
    kafka: str, topic: str, group: str, store: str, prefix: str, redis: str, batch_size: int,
    batch_seconds: float, cutouts: bool, log: Path,
) -> subprocess.Popen[bytes]:  # fmt: skip
    env = dict(os.environ, FINK_GATEWAY_TABLE_PREFIX=prefix, FINK_GATEWAY_CACHE_BACKEND="redis",
               FINK_GATEWAY_CACHE_REDIS_URL=redis)  # fmt: skip
    command = [
        sys.executable, "-m", "fink_gateway", "follow", "--servers", kafka, "--topic", topic,
        "--group-id", group, "--batch-size", str(batch_size),
        "--batch-seconds", str(batch_seconds), "--store", store,
        "--cutouts" if cutouts else "--no-cutouts",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip


async def warm_up(kafka: str, topic: str, messages: Sequence[Message], sub: Subscriber) -> int:
    """Produce one alert every 0.5 s until one reaches the subscriber; returns how many were
    used."""
    out = producer(kafka)
    deadline = time.monotonic() + WARMUP_TIMEOUT_S
    used = 0
    while not sub.received:
        if time.monotonic() > deadline or used >= len(messages) or sub.errors:
            raise SystemExit(f"no alert reached the subscriber in {WARMUP_TIMEOUT_S:.0f} s: "
                             f"{sub.errors}")  # fmt: skip
        key, value = messages[used]
        out.produce(topic, key=key, value=value)
        out.flush(10)
        used += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(sub.changed.wait(), 0.5)
        sub.changed.clear()
    await asyncio.sleep(1.0)  # stragglers of the warm-up
    return used


@contextlib.asynccontextmanager
async def bus_watch(redis: str, prefix: str) -> AsyncIterator[dict[str, float]]:
    """Receipt time of each alert announced on the Redis alert bus, by its main row key."""
    bus = RedisBus(redis, alert_channel(prefix), queue_size=10_000_000)
    heard: dict[str, float] = {}

    async def listen() -> None:
        async with bus.subscribe() as events:
            ready.set()
            async for batch in events:
                now = time.perf_counter()
                heard.update((event.key.decode(), now) for event in batch)

    ready = asyncio.Event()
    task = asyncio.create_task(listen())
    try:
        await ready.wait()
        yield heard
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        await bus.close()


@dataclass
class Stream:
    """The alerts of a run, aligned: messages, candids (subscriber), row keys (bus)."""

    messages: Sequence[Message]
    candids: Sequence[str]
    keys: Sequence[str]

    def part(self, start: int, count: int) -> Stream:
        end = start + count
        return Stream(self.messages[start:end], self.candids[start:end], self.keys[start:end])


async def run_phase(
    phase: Phase, kafka: str, topic: str, stream: Stream, sub: Subscriber,
    heard: dict[str, float], pids: dict[str, int], drain_s: float,
) -> None:  # fmt: skip
    """Produce the stream at ``phase.rate`` and collect its latencies."""
    sent = [0.0] * len(stream.messages)

    def on_sent(i: int, at: float) -> None:
        sent[i] = at

    cpu0 = {name: cpu_seconds(pid) for name, pid in pids.items()}
    own0, busy0, wall0 = own_cpu_seconds(), machine_busy_seconds(), time.perf_counter()
    done: list[float] = []
    thread = threading.Thread(target=lambda: done.append(
        produce_paced(kafka, topic, stream.messages, phase.rate, on_sent)))  # fmt: skip
    thread.start()
    while thread.is_alive():
        await asyncio.sleep(0.1)
    thread.join()
    phase.produced, phase.produce_s = len(stream.messages), done[0] if done else 0.0

    def arrived() -> tuple[int, int]:
        return (sum(1 for k in stream.keys if k in heard),
                0 if sub.errors else sum(1 for c in stream.candids if c in sub.received))

    waited, last = 0.0, arrived()
    while waited < drain_s and last != (phase.produced, 0 if sub.errors else phase.produced):
        await asyncio.sleep(0.5)
        now = arrived()
        waited, last = (0.0 if now != last else waited + 0.5), now
    phase.cpu = {name: cpu_seconds(pid) - cpu0[name] for name, pid in pids.items()}
    phase.cpu["bench (producer, subscriber)"] = own_cpu_seconds() - own0
    phase.cpu["machine (all processes)"] = machine_busy_seconds() - busy0
    phase.wall_s = time.perf_counter() - wall0
    got = [(i, sub.received[c]) for i, c in enumerate(stream.candids) if c in sub.received]
    phase.latencies = [at - sent[i] for i, at in got]
    phase.last_receipt_s = max((at for _, at in got), default=sent[0]) - sent[0]
    phase.stored = [heard[k] - sent[i] for i, k in enumerate(stream.keys) if k in heard]
    phase.last_stored_s = max((heard[k] for k in stream.keys if k in heard),
                              default=sent[0]) - sent[0]  # fmt: skip
    phase.errors = list(sub.errors)


async def measure(
    kafka: str, redis: str, stream: Stream, rates: Sequence[float], seconds: float,
    batch_size: int, batch_seconds: float, cutouts: bool, drain_s: float = 15.0,
) -> LatencyRun:  # fmt: skip
    topics = Topics(kafka)
    prefix = f"benchlive_{uuid.uuid4().hex[:10]}"
    try:
        with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
            path = str(Path(folder) / "live.db")
            store = open_store(path)
            await AlertWriter(store, prefix, with_cutouts=cutouts).prepare()
            await store.close()
            topic = topics.create(f"benchlive_{uuid.uuid4().hex[:10]}")
            group = topics.group(f"g_{topic}")
            started = time.perf_counter()
            with served_gateway(path, prefix, cache_backend="redis", cache_redis_url=redis,
                                server_demo_alerts="0", server_demo_lsst_alerts="0",
                                ) as (gateway, graphql):  # fmt: skip
                ready_s = time.perf_counter() - started
                log = Path(folder) / "follow.log"
                follower = follow_process(kafka, topic, group, path, prefix, redis,
                                          batch_size, batch_seconds, cutouts, log)  # fmt: skip
                pids = {"follow": follower.pid, "serve": gateway.pid}
                try:
                    async with subscribed(graphql) as sub, bus_watch(redis, prefix) as heard:
                        warmup, phases = await _phases(kafka, topic, stream, sub, heard, rates,
                                                       seconds, drain_s, pids)  # fmt: skip
                finally:
                    follower.terminate()
                    follower.wait(60)
                if follower.returncode not in (0, -15):
                    print(log.read_text()[-3000:], file=sys.stderr)
        return LatencyRun(phases, batch_size, batch_seconds, warmup, ready_s)
    finally:
        topics.delete()


async def _phases(
    kafka: str, topic: str, stream: Stream, sub: Subscriber, heard: dict[str, float],
    rates: Sequence[float], seconds: float, drain_s: float, pids: dict[str, int],
) -> tuple[int, list[Phase]]:  # fmt: skip
    """Warm up, then each rate in turn; (warm-up alerts, phases)."""
    warmup = used = await warm_up(kafka, topic, stream.messages, sub)
    phases = []
    for rate in rates:
        count = round(rate * seconds)
        if used + count > len(stream.messages):
            raise SystemExit(f"{len(stream.messages)} alerts are too few for {rates} × {seconds} s")
        phase = Phase(rate)
        print(f"  latency at {rate:,.0f} alerts/s for {seconds:.0f} s…", file=sys.stderr,
              flush=True)  # fmt: skip
        await run_phase(phase, kafka, topic, stream.part(used, count), sub, heard, pids, drain_s)
        used += count
        phases.append(phase)
        if phase.errors:
            break  # the subscription ended (e.g. SLOW_CONSUMER): later rates are moot
    return warmup, phases


def summary(phase: Phase) -> dict[str, float]:
    """p50/p99/max latency (ms) and rates of a phase; ``stored_*``: to the bus."""
    lat = [1000 * x for x in phase.latencies] or [float("nan")]
    stored = [1000 * x for x in phase.stored] or [float("nan")]
    tenth = max(1, len(lat) // 10)
    return {
        "stored_p50": percentile(stored, 50), "stored_p99": percentile(stored, 99),
        "p50": percentile(lat, 50), "p99": percentile(lat, 99), "max": max(lat),
        "first10": percentile(lat[:tenth], 50), "last10": percentile(lat[-tenth:], 50),
        "produce_rate": phase.produced / phase.produce_s if phase.produce_s else 0.0,
        "delivered_rate": phase.delivered / phase.last_receipt_s if phase.last_receipt_s else 0.0,
    }  # fmt: skip
