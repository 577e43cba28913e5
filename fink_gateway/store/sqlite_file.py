"""One SQLite file used from async code: a single writer thread and a few reader threads.

Datasette's habit (``datasette/database.py``): every write goes through one thread fed by a
queue, each job inside ``BEGIN IMMEDIATE``; reads run on a small pool, each thread with its
own connection. The event loop only awaits futures. The file is in WAL mode, so readers
never wait for the writer and always see the last committed transaction.
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Job = Callable[[sqlite3.Connection], T]

PAGE_SIZE = 16384
"""Set when the file is created: rows of ~150 cells (2-4 kB) then fit in a b-tree page."""

_CONNECTION_PRAGMAS = (
    "PRAGMA synchronous=NORMAL",
    "PRAGMA temp_store=MEMORY",
    # each connection maps the file on its own, and mapped pages count in the process's
    # resident memory: 64 MiB per connection reads as fast here as 256 MiB did
    "PRAGMA mmap_size=67108864",
)
_WRITER_CACHE_KIB = 131072
_READER_CACHE_KIB = 32768


class SQLiteFile:
    """Async access to one SQLite file; ``initialise`` runs once, before the first job.

    ``read(fn)`` and ``write(fn)`` run ``fn(connection)`` in a thread and return its result;
    sqlite3 errors propagate unchanged. ``prepare_writer`` is called on the writer
    connection when it opens (to register SQL functions).
    """

    def __init__(
        self,
        path: Path,
        *,
        initialise: Callable[[sqlite3.Connection], None],
        prepare_writer: Callable[[sqlite3.Connection], None] | None = None,
        readers: int = 3,
    ) -> None:
        self.path = path
        self._initialise = initialise
        self._prepare_writer = prepare_writer
        self._ready = False
        self._lock = threading.Lock()
        self._ready_lock = threading.Lock()
        self._closed = False
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="sqlite-read")
        self._local = threading.local()
        self._reader_connections: list[sqlite3.Connection] = []
        # jobs of any result type, each with the future of its own result
        self._jobs: queue.SimpleQueue[tuple[Job[Any], Future[Any]] | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None

    async def read(self, fn: Job[T]) -> T:
        """Run ``fn`` on a reader connection (``query_only``), in autocommit mode."""
        self._check_open()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._run_read, fn)

    async def write(self, fn: Job[T]) -> T:
        """Run ``fn`` on the writer thread inside one ``BEGIN IMMEDIATE`` transaction."""
        self._check_open()
        future: Future[T] = Future()
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, name="sqlite-write", daemon=True
                )
                self._writer.start()
        self._jobs.put((fn, future))
        return await asyncio.wrap_future(future)

    async def close(self) -> None:
        """Finish queued writes, then close every connection. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(None)
        await asyncio.to_thread(self._shut_down)

    def _shut_down(self) -> None:
        if self._writer is not None:
            self._writer.join()
        self._readers.shutdown(wait=True)
        for connection in self._reader_connections:
            connection.close()
        self._reader_connections.clear()

    def _check_open(self) -> None:
        if self._closed:
            raise sqlite3.ProgrammingError(f"{self.path} is closed")

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, timeout=10.0, isolation_level=None, check_same_thread=False
        )
        try:
            for pragma in _CONNECTION_PRAGMAS:
                connection.execute(pragma)
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def _ensure_ready(self) -> None:
        """Create the file and its schema once; retried on the next job if it fails."""
        if self._ready:
            return
        with self._ready_lock:
            if self._ready:
                return
            connection = self._connect()
            try:
                connection.execute(f"PRAGMA page_size={PAGE_SIZE}")
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("BEGIN IMMEDIATE")
                self._initialise(connection)
                connection.execute("COMMIT")
            finally:
                connection.close()
            self._ready = True

    def _run_read(self, fn: Job[T]) -> T:
        self._ensure_ready()
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._connect()
            connection.execute(f"PRAGMA cache_size=-{_READER_CACHE_KIB}")
            connection.execute("PRAGMA query_only=1")
            self._local.connection = connection
            with self._lock:
                self._reader_connections.append(connection)
        try:
            return fn(connection)
        finally:
            if connection.in_transaction:
                connection.rollback()

    def _write_loop(self) -> None:
        connection: sqlite3.Connection | None = None
        while (job := self._jobs.get()) is not None:
            fn, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if connection is None:
                    self._ensure_ready()
                    connection = self._connect()
                    connection.execute(f"PRAGMA cache_size=-{_WRITER_CACHE_KIB}")
                    if self._prepare_writer is not None:
                        self._prepare_writer(connection)
                future.set_result(self._run_write(connection, fn))
            except Exception as error:
                future.set_exception(error)
        if connection is not None:
            connection.close()

    @staticmethod
    def _run_write(connection: sqlite3.Connection, fn: Job[T]) -> T:
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = fn(connection)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise
        return result
