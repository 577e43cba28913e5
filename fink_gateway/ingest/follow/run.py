"""Running a follower as a process: stop on SIGINT/SIGTERM, metrics on a port of its own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from prometheus_client import start_http_server

from fink_gateway.ingest.follow.follower import Follower, FollowStats
from fink_gateway.ingest.follow.metrics import FollowMetrics
from fink_gateway.ingest.follow.options import FollowOptions
from fink_gateway.layout.rubin import RUBIN_PREFIX
from fink_gateway.live.bus import MemoryBus
from fink_gateway.store.interface import Store

log = logging.getLogger("fink_gateway.follow")


async def follow_until_stopped(
    store: Store,
    prefix: str,
    options: FollowOptions,
    *,
    with_cutouts: bool = True,
    lsst_prefix: str = RUBIN_PREFIX,
    metrics_port: int | None = None,
    bus: MemoryBus | None = None,
) -> FollowStats:
    """Follow until a signal (the batch in hand is stored and committed) or idleness."""
    metrics = FollowMetrics()
    if metrics_port is not None:
        start_http_server(metrics_port, addr="127.0.0.1", registry=metrics.registry)
        log.info("follower metrics on http://127.0.0.1:%d/metrics", metrics_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    log.info("following %s on %s as group %s", ", ".join(options.topics), options.servers,
             options.group_id)  # fmt: skip
    follower = Follower(
        store, prefix, options, with_cutouts=with_cutouts, lsst_prefix=lsst_prefix,
        metrics=metrics, bus=bus,
    )  # fmt: skip
    try:
        return await follower.run(stop)
    finally:
        if bus is not None:
            await bus.close()
