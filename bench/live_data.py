"""Data of the live benchmark: demo alerts as a parquet file and as Fink Livestream messages,
and the Kafka topics they go to (created fresh, deleted afterwards).

Messages are what Fink sends (see tests/live/livestream.py): the Avro schema Spark's
``to_avro`` gives, as JSON text, in the key (≈ 10.6 kB), one schemaless Avro record in the
value.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import fastavro
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from confluent_kafka import KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from fink_gateway.demo import generate_alerts
from fink_gateway.ingest.encoding import jd_text
from tests.live.livestream import spark_avro_schema, table_messages

Message = tuple[bytes, bytes]
"""(key: the JSON Avro schema, value: one schemaless Avro record)."""


def service_addresses() -> dict[str, str]:
    """Kafka, Redis and HBase of ``scripts/services``, as ``scripts/test`` names them
    (``FINK_GATEWAY_TEST_*``, else the ports of ``FINK_GATEWAY_*_PORT``, else the defaults)."""
    env = os.environ.get
    return {
        "kafka": env("FINK_GATEWAY_TEST_KAFKA")
        or f"127.0.0.1:{env('FINK_GATEWAY_KAFKA_PORT', '19092')}",
        "redis": env("FINK_GATEWAY_TEST_REDIS")
        or f"redis://127.0.0.1:{env('FINK_GATEWAY_REDIS_PORT', '6390')}/0",
        "hbase": env("FINK_GATEWAY_TEST_HBASE")
        or f"127.0.0.1:{env('FINK_GATEWAY_HBASE_THRIFT_PORT', '9090')}",
    }


@dataclass
class Alerts:
    """Demo alerts: the table, their candids, their main-table row keys (what the alert bus
    names), and the seconds spent making them."""

    table: pa.Table
    candids: list[int]
    keys: list[str]
    generate_s: float


NIGHT_JD = 2460500.6
"""Where :func:`one_night` puts alerts: 2024-07-25 02:24 UTC, after every demo JD."""
NIGHT_SPAN_DAYS = 0.3
"""…spread evenly over 0.3 d (7.2 h) of that UTC date, in table order."""
_SHIFTED = ("jd", "jdstarthist", "jdendhist")
"""Candidate fields moved with the alert (its age, jd − jdstarthist, is kept)."""


def demo_alerts(count: int, seed: int, cutouts: bool, tonight: bool = True) -> Alerts:
    """``count`` demo alerts; ``tonight``: re-dated by :func:`one_night`."""
    started = time.perf_counter()
    table = pa.concat_tables(generate_alerts(count, seed=seed, with_cutouts=cutouts))
    if tonight:
        table = one_night(table)
    jd = table.column("candidate").combine_chunks().field("jd").to_numpy(zero_copy_only=False)
    keys = [f"{o}_{j}" for o, j in zip(table.column("objectId").to_pylist(), jd_text(jd),
                                       strict=True)]  # fmt: skip
    return Alerts(table, table.column("candid").to_pylist(), keys, time.perf_counter() - started)


def one_night(table: pa.Table) -> pa.Table:
    """The alerts as one night of a live stream: alert i at ``NIGHT_JD + i·span/n``.

    Demo alerts spread over 400 nights, and a follower rewrites the per-night tables of every
    night it has seen after each batch; Fink's stream brings one night. Each alert's other JDs
    (jdstarthist, jdendhist, its history's, jd_first_real_det) move with it, so its age and
    light curve keep their shape and Fink's classification sees the same alert."""
    n = table.num_rows
    candidate = table.column("candidate").combine_chunks()
    old = candidate.field("jd").to_numpy(zero_copy_only=False)
    delta = NIGHT_JD + np.arange(n) * (NIGHT_SPAN_DAYS / max(n, 1)) - old
    table = _set(table, "candidate", _shift_fields(candidate, _SHIFTED, delta))
    if "prv_candidates" in table.column_names:
        history = table.column("prv_candidates").combine_chunks()
        offsets = history.offsets.to_numpy()
        per_value = np.zeros(len(history.values))
        per_value[offsets[0]:offsets[-1]] = np.repeat(delta, np.diff(offsets))
        values = _shift_fields(history.values, ("jd",), per_value)
        rebuilt = pa.ListArray.from_arrays(history.offsets, values, type=history.type,
                                           mask=history.is_null())  # fmt: skip
        table = _set(table, "prv_candidates", rebuilt)
    if "jd_first_real_det" in table.column_names:
        first = table.column("jd_first_real_det").combine_chunks()
        table = _set(table, "jd_first_real_det", pc.add(first, pa.array(delta)))
    return table


def _shift_fields(struct: pa.StructArray, names: Sequence[str], delta: np.ndarray) -> pa.Array:
    """``struct`` with ``delta`` (days) added to its fields ``names``."""
    fields = [struct.field(f.name) for f in struct.type]
    for i, f in enumerate(struct.type):
        if f.name in names:
            fields[i] = pc.add(fields[i], pa.array(delta, fields[i].type))
    return pa.StructArray.from_arrays(fields, fields=list(struct.type),
                                      mask=struct.is_null())  # fmt: skip


def _set(table: pa.Table, name: str, column: pa.Array) -> pa.Table:
    return table.set_column(table.column_names.index(name), name, column)


def write_parquet(table: pa.Table, path: Path) -> Path:
    """The alerts as one parquet file, as Fink writes them (what ``fink-gateway ingest``
    reads)."""
    pq.write_table(table, path)
    return path


def _plain(dtype: pa.DataType) -> bool:
    """True when ``to_pylist`` already gives what fastavro writes (no timestamps, maps or
    dictionaries anywhere inside)."""
    if pa.types.is_struct(dtype):
        return all(_plain(f.type) for f in dtype)
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return _plain(dtype.value_type)
    return not (pa.types.is_timestamp(dtype) or pa.types.is_map(dtype)
                or pa.types.is_dictionary(dtype))  # fmt: skip


def encode_messages(table: pa.Table) -> list[Message]:
    """One Livestream message per alert (≈ 1.6 ms each on demo alerts without cutouts)."""
    if not all(_plain(f.type) for f in table.schema):
        return table_messages(table)  # the general (twice slower) converter
    schema = spark_avro_schema(table.schema)
    parsed = fastavro.parse_schema(schema)
    key = json.dumps(schema).encode()
    out = []
    for record in table.to_pylist():
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, parsed, record)
        out.append((key, buffer.getvalue()))
    return out


class Topics:
    """Fresh topics (one partition each) and consumer groups, deleted by :meth:`delete`."""

    def __init__(self, servers: str) -> None:
        self.servers = servers
        self.admin = AdminClient({"bootstrap.servers": servers})
        self.topics: list[str] = []
        self.groups: list[str] = []

    def create(self, name: str) -> str:
        futures = self.admin.create_topics([NewTopic(name, num_partitions=1)])
        futures[name].result(30)
        self.topics.append(name)
        return name

    def group(self, name: str) -> str:
        """A consumer group name, remembered for deletion."""
        self.groups.append(name)
        return name

    def delete(self) -> None:
        """Delete the groups then the topics (errors ignored: a group never joined)."""
        if self.groups:
            for future in self.admin.delete_consumer_groups(self.groups).values():
                with contextlib.suppress(KafkaException):
                    future.result(30)
        if self.topics:
            for future in self.admin.delete_topics(self.topics).values():
                future.result(30)
        self.topics, self.groups = [], []


def producer(servers: str) -> Producer:
    return Producer({"bootstrap.servers": servers, "linger.ms": 5})


def produce_all(servers: str, topic: str, messages: Sequence[Message]) -> float:
    """Write every message and wait until Kafka has them all; returns seconds."""
    started = time.perf_counter()
    out = producer(servers)
    for key, value in messages:
        while True:
            try:
                out.produce(topic, key=key, value=value)
                break
            except BufferError:  # the local queue is full: let it drain
                out.poll(0.05)
        out.poll(0)
    assert out.flush(120) == 0, "messages left unsent"
    return time.perf_counter() - started


def produce_paced(
    servers: str, topic: str, messages: Sequence[Message], rate: float,
    sent: Callable[[int, float], None],
) -> float:  # fmt: skip
    """Produce ``messages`` at ``rate`` per second (each at its slot, not in bursts), calling
    ``sent(index, time.perf_counter())`` right after handing each to the client; returns the
    seconds from the first to the last."""
    out = producer(servers)
    start = time.perf_counter()
    for i, (key, value) in enumerate(messages):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        out.produce(topic, key=key, value=value)
        sent(i, time.perf_counter())
        out.poll(0)
    elapsed = time.perf_counter() - start
    assert out.flush(60) == 0, "messages left unsent"
    return elapsed
