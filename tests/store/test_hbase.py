"""HBase-only behaviour: scan bounds for Thrift, failures, recovery after a server restart."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from collections.abc import AsyncIterator

import pyarrow as pa
import pytest
from thriftpy2.protocol.binary import TBinaryProtocol
from thriftpy2.protocol.cybin import TCyBinaryProtocol
from thriftpy2.transport.memory import TCyMemoryBuffer, TMemoryBuffer

from fink_gateway.errors import BackendUnavailable, NotFound
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.hbase import (
    BatchMutation,
    HBaseStore,
    LazyMutations,
    Mutation,
    batch_mutations,
    reversed_bounds,
    thrift_columns,
)
from fink_gateway.store.types import ScanRange
from tests.conftest import hbase_address
from tests.faults.conftest import free_port

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("r", "bounds"),
    [
        (ScanRange(b"a", b"b", reverse=True), (b"b", b"`\xff\xff\xff\xff")),
        (ScanRange(b"a\x00", b"b", reverse=True), (b"b", b"a")),
        (ScanRange(b"\x00", None, reverse=True), (None, None)),
        (ScanRange(b"", b"k", reverse=True), (b"k", None)),
        (ScanRange(b"78_", b"78`", reverse=True), (b"78`", b"78^\xff\xff\xff\xff")),
        (ScanRange(b"\x01", None, reverse=True), (None, b"\x00\xff\xff\xff\xff")),
    ],
)
def test_reversed_bounds(r: ScanRange, bounds: tuple[bytes | None, bytes | None]) -> None:
    assert reversed_bounds(r) == bounds
    row_start, row_stop = bounds
    assert row_stop is None or row_stop < r.start  # every key of the range is above it
    assert row_start == r.stop


def test_thrift_columns() -> None:
    assert thrift_columns(None) is None
    assert thrift_columns([]) is None
    assert thrift_columns([b"i:a", b"d"]) == [b"i:a", b"d"]
    assert thrift_columns([b"i", b"i:a", b"d:x", b"i:b", b"d:x"]) == [b"i", b"d:x"]


def mutate_rows_bytes(rows: list[object], cython: bool) -> bytes:
    """The Thrift binary encoding of ``mutateRows("t", rows, {})``'s arguments."""
    args = sys.modules["Hbase_thrift"].Hbase.mutateRows_args(
        tableName=b"t", rowBatches=rows, attributes={}
    )
    buffer = TCyMemoryBuffer() if cython else TMemoryBuffer()
    (TCyBinaryProtocol if cython else TBinaryProtocol)(buffer).write_struct(args)
    return buffer.getvalue()


@pytest.mark.parametrize("cython", [True, False])
def test_lazy_mutations_encode_like_a_list(cython: bool) -> None:
    columns = [b"i:a", b"i:b", b"d:c"]
    values = [b"1", None, b"\x00\xff"]
    lazy = [BatchMutation(b"k", LazyMutations(columns, values, 2))]
    eager = [
        BatchMutation(
            b"k",
            [
                Mutation(isDelete=False, column=b"i:a", value=b"1", writeToWAL=True),
                Mutation(isDelete=False, column=b"d:c", value=b"\x00\xff", writeToWAL=True),
            ],
        )
    ]
    assert mutate_rows_bytes(lazy, cython) == mutate_rows_bytes(eager, cython)


def test_batch_mutations_skip_null_cells_and_empty_rows() -> None:
    batch = CellBatch(
        [b"k0", b"k1", b"k2", b"k3"],
        [
            (b"i:f", pa.array([b"\x00\x01", None, None, b"\x00\x03"], pa.binary(2))),
            (b"i:s", pa.array([b"zero", None, b"two", b"three"], pa.binary())),
        ],
    )
    rows = batch_mutations(batch, 1, 3)
    assert [(r.row, [(m.column, m.value) for m in r.mutations]) for r in rows] == [
        (b"k2", [(b"i:s", b"two")]),
        (b"k3", [(b"i:f", b"\x00\x03"), (b"i:s", b"three")]),
    ]
    assert [len(r.mutations) for r in rows] == [1, 2]
    assert batch_mutations(CellBatch([b"k"], []), 0, 1) == []


async def test_unreachable_server_is_backend_unavailable() -> None:
    store = HBaseStore("127.0.0.1", free_port(), timeout_s=2.0)
    try:
        started = time.monotonic()
        with pytest.raises(BackendUnavailable, match="HBase Thrift server"):
            await store.ping()
        with pytest.raises(BackendUnavailable):
            await store.scan("ztf", [ScanRange()])
        assert time.monotonic() - started < 2.0
    finally:
        await store.close()


async def test_silent_server_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        store = HBaseStore("127.0.0.1", silent.getsockname()[1], timeout_s=0.5)
        try:
            started = time.monotonic()
            with pytest.raises(BackendUnavailable):
                await store.get_rows("ztf", [b"a"])
            assert time.monotonic() - started < 3.0
        finally:
            await store.close()


async def test_closed_store_refuses_calls() -> None:
    store = HBaseStore("127.0.0.1", free_port(), timeout_s=1.0)
    await store.close()
    await store.close()
    with pytest.raises(BackendUnavailable, match="closed"):
        await store.list_tables()


class Proxy:
    """A TCP proxy to the HBase Thrift server that can be stopped and restarted."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self._writers += [writer, up_writer]
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def proxy() -> AsyncIterator[Proxy]:
    address = hbase_address()
    if address is None:
        pytest.skip("FINK_GATEWAY_TEST_HBASE=host:port is not set")
    proxy = Proxy(address)
    await proxy.start()
    yield proxy
    await proxy.stop()


@pytest.mark.hbase
async def test_store_recovers_after_a_server_restart(proxy: Proxy) -> None:
    store = HBaseStore("127.0.0.1", proxy.port, pool_size=3, timeout_s=10.0)
    try:
        await asyncio.gather(*(store.list_tables() for _ in range(6)))  # open every connection
        await proxy.stop()
        with pytest.raises(BackendUnavailable):
            await store.list_tables()
        await proxy.start()
        for _ in range(6):  # every pooled connection is stale; none of the calls fails
            await store.list_tables()
    finally:
        await store.close()


@pytest.mark.hbase
async def test_a_missing_namespace_is_not_found() -> None:
    address = hbase_address()
    if address is None:
        pytest.skip("FINK_GATEWAY_TEST_HBASE=host:port is not set")
    store = HBaseStore(*address, table_prefix_ns="gwtest_no_such_namespace")
    try:
        assert await store.list_tables() == []  # only tables of that namespace are listed
        with pytest.raises(NotFound, match="namespace"):
            await store.create_table("ztf", ["i"])
    finally:
        await store.close()
