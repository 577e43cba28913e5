"""Live path (issue 13): Kafka → store → subscriber. ``python bench/live.py [--output FILE]``

    .venv/bin/python bench/live.py [--alerts 20000] [--hbase HOST:PORT | --no-hbase]
        [--rates 100,1000] [--seconds 20] [--batch-seconds 0.2] [--output BENCHMARKS.md]

1. Throughput (bench/live_throughput.py): the same demo alerts file-ingested and followed
   from Kafka, into the embedded store and into HBase; ratio follow / file (goal ≥ 0.8×).
2. Latency (bench/live_latency.py): produce → subscriber receipt, p50/p99/max, at steady
   produce rates, through ``follow`` and ``serve`` processes sharing Redis.

Kafka, Redis and HBase are those of ``scripts/services`` (addresses from the environment as
``scripts/test`` sets them). Topics, consumer groups and HBase tables made here are deleted.
``--output`` replaces the file's ``## Live (Kafka → store → subscriber)`` section.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import write_section
from bench.live_data import (
    Message,
    Topics,
    demo_alerts,
    encode_messages,
    produce_all,
    service_addresses,
    write_parquet,
)
from bench.live_latency import Stream, measure
from bench.live_report import section
from bench.live_throughput import Measure, decode_case, file_case, follow_case, profile_follow
from fink_gateway.ingest.follow.options import FollowOptions

TITLE = "Live (Kafka → store → subscriber)"
WARMUP_RESERVE = 300
"""Alerts kept for the latency warm-up (one per 0.5 s, for at most 120 s)."""


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def throughput(args: argparse.Namespace, parquet: Path, messages: list[Message], topics: Topics,
               ) -> tuple[list[Measure], Measure | None, float]:  # fmt: skip
    """Every throughput case (and a profile when follow misses its goal); produce seconds."""
    topic = topics.create(f"benchlive_{uuid.uuid4().hex[:10]}")
    produce_s = produce_all(args.kafka, topic, messages)
    log(f"produced {len(messages):,} messages in {produce_s:.1f} s")

    def options() -> FollowOptions:
        group = topics.group(f"g_{uuid.uuid4().hex[:10]}")
        return FollowOptions(args.kafka, (topic,), group, batch_size=args.batch_size)

    results = [decode_case(messages, args.batch_size)]
    log(f"  decode only: {results[-1].rate:,.0f} alerts/s")
    for backend in ["embedded"] + (["hbase"] if args.hbase else []):
        hbase = args.hbase if backend == "hbase" else None
        results.append(asyncio.run(file_case(backend, hbase, parquet, args.cutouts)))
        log(f"  {backend} file: {results[-1].rate:,.0f} alerts/s")
        results.append(asyncio.run(
            follow_case(backend, hbase, options(), len(messages), args.cutouts)))  # fmt: skip
        log(f"  {backend} follow: {results[-1].rate:,.0f} alerts/s")
    profiled = None
    if args.profile_alerts and any(ratio < 0.8 for ratio in follow_ratios(results).values()):
        count = min(args.profile_alerts, len(messages))
        log(f"  profiling follow into embedded: {count:,} alerts…")
        profiled = profile_follow(options(), count, args.cutouts, top=12)
    return results, profiled, produce_s


def follow_ratios(results: list[Measure]) -> dict[str, float]:
    """follow / file alerts/s, by backend."""
    rate = {(m.backend, m.path): m.rate for m in results}
    return {b: rate[(b, "follow")] / rate[(b, "file")]
            for b, p in rate if p == "file" and (b, "follow") in rate}  # fmt: skip


def main() -> None:
    services = service_addresses()
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--alerts", type=int, default=20_000, help="Throughput alerts.")
    parser.add_argument("--seed", type=int, default=0, help="Demo alert seed.")
    parser.add_argument("--cutouts", action="store_true", help="Alerts with their stamps.")
    parser.add_argument("--demo-nights", action="store_true",
                        help="Keep the demo dates (400 nights) instead of one night.")
    parser.add_argument("--kafka", default=services["kafka"], help="Kafka bootstrap host:port.")
    parser.add_argument("--redis", default=services["redis"], help="Redis URL (the bus).")
    parser.add_argument("--hbase", default=services["hbase"], help="HBase Thrift1 host:port.")
    parser.add_argument("--no-hbase", dest="hbase", action="store_const", const="",
                        help="Leave HBase out.")  # fmt: skip
    parser.add_argument("--batch-size", type=int, default=1000, help="Follower batch size.")
    parser.add_argument("--rates", default="100,1000", help="Latency produce rates, alerts/s.")
    parser.add_argument("--seconds", type=float, default=20.0, help="Seconds per rate.")
    parser.add_argument("--batch-seconds", type=float, default=0.2,
                        help="The latency follower's batch_seconds.")  # fmt: skip
    parser.add_argument("--profile-alerts", type=int, default=5000,
                        help="cProfile a follow of this many alerts if below goal (0: never).")
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update.")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",") if r]
    latency_alerts = WARMUP_RESERVE + round(sum(rates) * args.seconds)
    started = time.perf_counter()

    alerts = demo_alerts(max(args.alerts, latency_alerts), args.seed, args.cutouts,
                         tonight=not args.demo_nights)
    log(f"generated {alerts.table.num_rows:,} demo alerts in {alerts.generate_s:.1f} s")
    t0 = time.perf_counter()
    messages = encode_messages(alerts.table)
    encode_s = time.perf_counter() - t0
    log(f"encoded them as Livestream messages in {encode_s:.1f} s")
    topics = Topics(args.kafka)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
            parquet = write_parquet(alerts.table.slice(0, args.alerts), Path(folder) / "a.parquet")
            results, profiled, produce_s = throughput(
                args, parquet, messages[:args.alerts], topics)  # fmt: skip
        log("latency…")
        stream = Stream(messages, [str(c) for c in alerts.candids], alerts.keys)
        latency = asyncio.run(measure(
            args.kafka, args.redis, stream, rates, args.seconds, args.batch_size,
            args.batch_seconds, args.cutouts,
        ))  # fmt: skip
    finally:
        topics.delete()
    text = section(args, results, profiled, latency, follow_ratios(results), {
        "generate": alerts.generate_s, "encode": encode_s, "produce": produce_s,
        "total": time.perf_counter() - started, "message_kb": sum(
            len(k) + len(v) for k, v in messages[:1000]) / 1000 / 1e3,
    })  # fmt: skip
    print(text)
    if args.output:
        write_section(args.output, TITLE, text)
        log(f"wrote the section {TITLE!r} of {args.output}")


if __name__ == "__main__":
    main()
