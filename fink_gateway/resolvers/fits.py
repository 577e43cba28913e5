"""Expensive fits (periods, phase curves) run off the event loop, cached, and counted.

Fits run in a pool of worker processes, so a request asking for 50 periods neither blocks the
event loop nor holds the server's GIL. Results are cached across requests by
(object, data version, arguments). Each request may ask for at most
``limits.max_fits_per_request`` fits; past it the query gets ``QUERY_TOO_COSTLY``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from fink_gateway.errors import QueryTooCostly

T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        context = multiprocessing.get_context("forkserver")
        _pool = ProcessPoolExecutor(max_workers=max(1, os.cpu_count() or 1), mp_context=context)
    return _pool


def shutdown_fits() -> None:
    """Stop the worker processes (at application shutdown)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


def claim_fit(context: Any) -> None:
    """Count one more fit for this request; QUERY_TOO_COSTLY past the configured limit."""
    cap = context.settings.limits.max_fits_per_request
    context.fits += 1
    if context.fits > cap:
        raise QueryTooCostly(
            f"a query may ask for at most {cap} fits (periods, phase curves); "
            "split it or use fewer objects",
            limit=cap,
        )


async def run_fit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker process (fn must be a module-level function)."""
    loop = asyncio.get_running_loop()
    if kwargs:
        return await loop.run_in_executor(_executor(), _call, fn, args, kwargs)
    return await loop.run_in_executor(_executor(), fn, *args)


def _call(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    return fn(*args, **kwargs)
