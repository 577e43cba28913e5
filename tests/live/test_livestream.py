"""The test producer writes what Fink's Livestream writes: fink-client's own consumer reads
every sample alert back, with its values."""

from __future__ import annotations

import math
import uuid

import pyarrow.parquet as pq
import pytest
from fink_client.consumer import AlertConsumer

from tests.conftest import kafka_bootstrap
from tests.data_paths import SCIENCE_FILES
from tests.live.livestream import produce, sample_messages, spark_avro_schema

pytestmark = pytest.mark.kafka


def test_spark_avro_schema_names_records_as_fink_does() -> None:
    schema = spark_avro_schema(pq.read_schema(SCIENCE_FILES[0]))
    assert schema["name"] == "topLevelRecord"
    fields = {f["name"]: f["type"] for f in schema["fields"]}
    assert fields["objectId"] == ["string", "null"]
    candidate = fields["candidate"][0]
    assert (candidate["name"], candidate["namespace"]) == ("candidate", "topLevelRecord")
    (prv, _null) = fields["prv_candidates"]
    assert prv["type"] == "array" and prv["items"][0]["name"] == "prv_candidates"


def _same(ours: object, theirs: object) -> bool:
    if isinstance(ours, float) and isinstance(theirs, float):
        return math.isclose(ours, theirs, rel_tol=1e-6) or (math.isnan(ours) and math.isnan(theirs))
    return ours == theirs


def test_fink_client_consumer_reads_the_test_producer() -> None:
    servers = kafka_bootstrap()
    topic = f"gwtest_fink_client_{uuid.uuid4().hex[:8]}"
    sent = produce(servers, topic, sample_messages(SCIENCE_FILES))
    expected = [
        row
        for path in SCIENCE_FILES
        for row in pq.read_table(path, columns=["objectId", "candid", "candidate"]).to_pylist()
    ]
    config = {"bootstrap.servers": servers, "group.id": topic}
    received = []
    with AlertConsumer([topic], config, survey="ztf") as consumer:
        for _ in range(60):
            for got_topic, alert, _key in consumer.consume(num_alerts=200, timeout=1.0):
                assert got_topic == topic
                received.append(alert)
            if len(received) >= sent:
                break
    assert len(received) == sent == len(expected)
    for ours, theirs in zip(expected, received, strict=True):
        assert (theirs["objectId"], theirs["candid"]) == (ours["objectId"], ours["candid"])
        for name in ("jd", "ra", "dec", "fid", "magpsf", "sigmapsf", "rb", "drb"):
            assert _same(ours["candidate"].get(name), theirs["candidate"].get(name)), name
