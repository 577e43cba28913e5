"""A follower inside the gateway process (``fink-gateway follow --serve``).

One process then both writes what Kafka brings and serves it: the follower announces each
stored batch on the application's own alert bus, so subscriptions need no Redis (with
``cache.backend: redis`` the bus is Redis and other gateway processes hear too), and its
counters (lag, alerts, retries, ``kafka_up``) join the gateway's ``/metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from prometheus_client import CollectorRegistry

from fink_gateway.gateway.context import Services
from fink_gateway.ingest.follow.follower import Follower, FollowStats
from fink_gateway.ingest.follow.metrics import FollowMetrics
from fink_gateway.ingest.follow.options import FollowOptions

log = logging.getLogger("fink_gateway.follow")


@contextlib.asynccontextmanager
async def follower_running(
    services: Services, options: FollowOptions, registry: CollectorRegistry
) -> AsyncIterator[Follower]:
    """Follow ``options.topics`` into the application's store while the block runs; on exit
    the batch in hand is stored and committed before the follower stops."""
    settings = services.settings
    follower = Follower(
        services.store, services.prefix, options,
        with_cutouts=settings.ingest.with_cutouts, lsst_prefix=settings.lsst_table_prefix,
        metrics=FollowMetrics(registry), bus=services.bus,
    )  # fmt: skip
    stop = asyncio.Event()
    task = asyncio.create_task(follower.run(stop), name="follower")
    task.add_done_callback(_report_end)
    log.info("following %s on %s as group %s, in the gateway process",
             ", ".join(options.topics), options.servers, options.group_id)  # fmt: skip
    try:
        yield follower
    finally:
        stop.set()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await task


def _report_end(task: asyncio.Task[FollowStats]) -> None:
    """Log a follower that ended on its own (a fatal Kafka error): the gateway serves on."""
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("the follower stopped: %s: %s; the gateway goes on serving what is stored",
                  type(error).__name__, error, exc_info=error)  # fmt: skip
