"""The per-request floor over HTTP: what a request costs before and after the GraphQL work.

    .venv/bin/python bench/http_floor.py [--output BENCHMARKS.md]

The gateway serves the real Fink samples in its own process (result cache off); one client
sends, one after the other, requests to ``/healthz`` (a bare Starlette route), ``{ __typename }``
(strawberry with no field to resolve) and the peer benchmark's ``lc1`` and ``summary`` shapes.
The baseline is ``/healthz`` in the same run: the ratios say how many bare round trips each
request costs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import served_gateway, write_section
from bench.peer import fill

PREFIX = "benchfloor"
REQUESTS = 400
SHAPES = {
    "`{ __typename }`": ("{ __typename }", False),
    "lc1": ("query ($id: String!) { object(objectId: $id) { "
            "lightcurve(withUpperLimits: true) { jd magpsf sigmapsf fid } } }", True),
    "summary": ("query ($id: String!) { object(objectId: $id) { "
                "lastAlert { objectId jd fid magpsf sigmapsf ra dec } } }", True),
}


def median_ms(send: object) -> float:
    """Median of ``REQUESTS`` calls of ``send`` after 50 of warm-up, ms."""
    times = []
    for i in range(REQUESTS + 50):
        start = time.perf_counter()
        send()  # type: ignore[operator]
        if i >= 50:
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> str:
    tmp = tempfile.TemporaryDirectory()
    url = str(Path(tmp.name) / "samples.db")
    try:
        ids = asyncio.run(fill(url, PREFIX, "samples"))
        rows = []
        with served_gateway(url, PREFIX, cache_ttl_seconds="0") as (_, graphql), \
                httpx.Client() as client:
            health = graphql.replace("/graphql", "/healthz")
            base = median_ms(lambda: client.get(health).raise_for_status())
            rows.append(("`/healthz` (bare Starlette route)", base))
            for name, (text, with_id) in SHAPES.items():
                body = {"query": text, "variables": {"id": ids[3]} if with_id else {}}

                def send(body: dict = body) -> None:
                    response = client.post(graphql, json=body)
                    assert response.status_code == 200 and b'"errors"' not in response.content
                rows.append((name, median_ms(send)))
    finally:
        tmp.cleanup()
    lines = [
        "Store: embedded, the real Fink samples, result cache off; one httpx client, one "
        f"request at a time, median of {REQUESTS}.",
        "",
        "| request | p50 ms | vs `/healthz` |",
        "|---|---|---|",
        *(f"| {name} | {ms:.2f} | {ms / base:.2f}× |" for name, ms in rows),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, help="BENCHMARKS.md to update")
    ns = parser.parse_args()
    report = main()
    print(report)
    if ns.output:
        write_section(ns.output, "HTTP floor (embedded)", report)
