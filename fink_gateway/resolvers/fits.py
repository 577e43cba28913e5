"""Expensive fits (periods, phase curves) run off the event loop, cached, and counted.

Fits run in a pool of worker processes owned by the application (``Services.shared.fits``), so a
request asking for 50 periods neither blocks the event loop nor holds the server's GIL.
Results are cached across requests by (object, data version, arguments). Each request may ask
for at most ``limits.max_fits_per_request`` fits; past it the query gets ``QUERY_TOO_COSTLY``.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class FitPool:
    """Worker processes for fits: started on the first fit, stopped by ``close``."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, os.cpu_count() or 1)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a worker process (fn must be a module-level function)."""
        call = functools.partial(fn, *args, **kwargs) if kwargs else None
        loop = asyncio.get_running_loop()
        if call is not None:
            return await loop.run_in_executor(self._started(), call)
        return await loop.run_in_executor(self._started(), fn, *args)

    def close(self) -> None:
        """Cancel queued fits and let the workers exit; a running fit is not waited for."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # forkserver: workers never inherit the server's threads or sockets
                context = multiprocessing.get_context("forkserver")
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
            return self._executor
