"""Tracklets: lookup prefixes (pure) and grouped reads of the tracklet table, both backends."""

from __future__ import annotations

from collections import defaultdict

import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.ingest.alerts import read_alerts
from fink_gateway.layout import tables
from fink_gateway.resolvers.columns import CLASSIFICATION_COLUMNS
from fink_gateway.resolvers.tracklets import load_tracklets, tracklet_prefix
from fink_gateway.store.types import ScanRange
from tests.archive_data import demo_alerts, reader, write_tables
from tests.data_paths import read_sample

pytestmark = pytest.mark.anyio

MAGPSF, CANDID, OBJECT_ID = b"i:magpsf", b"i:candid", b"i:objectId"


@pytest.mark.parametrize(
    ("date", "id", "prefix"),
    [
        (None, "TRCK_20210604_093609_00", b"TRCK_20210604_093609_00_"),
        ("2024-11-03", None, b"TRCK_20241103"),
        ("2024-11-03 01:02", None, b"TRCK_20241103_0102"),
        ("2024-11-03 01", None, b"TRCK_20241103_01"),
        ("2024-11-03 01:02:03", None, b"TRCK_20241103_010203"),
        (" 2024-11-03 ", None, b"TRCK_20241103"),
    ],
)
def test_tracklet_prefix_follows_fink(date: str | None, id: str | None, prefix: bytes) -> None:
    assert tracklet_prefix(date, id) == prefix


@pytest.mark.parametrize(
    ("date", "id", "argument"),
    [
        (None, None, "id"),
        ("2024-11-03", "TRCK_20210604_093609_00", "date"),
        (None, "None", "id"),
        (None, "TRCK_20210604_093609", "id"),
        (None, "TRCK_20211304_093609_00", "id"),  # month 13
        (None, "trck_20210604_093609_00", "id"),
        ("20241103", None, "date"),
        ("2024-02-30", None, "date"),
        ("2024-11-03T01:02", None, "date"),
        ("2024-11-03 25:00", None, "date"),
        ("", None, "date"),
    ],
)
def test_tracklet_prefix_rejects_bad_arguments(
    date: str | None, id: str | None, argument: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        tracklet_prefix(date, id)
    assert caught.value.code == "INVALID_ARGUMENT"
    assert caught.value.details["argument"] == argument


async def test_load_tracklets_groups_alerts_by_id_and_skips_none_rows(store_factory) -> None:
    store, prefix = await store_factory()
    demo = demo_alerts(600, with_cutouts=False)
    await write_tables(store, prefix, demo, [tables.TRACKLET])
    # the superluminous sample holds 17 literal "None" tracklets: Fink writes None_<oid> rows
    await write_tables(store, prefix, read_alerts(read_sample("superluminous"), "sl"),
                       [tables.TRACKLET])  # fmt: skip
    (raw,) = await store.scan(tables.TRACKLET.name(prefix), [ScanRange.prefix(b"None_")])
    assert len(raw) > 0

    expected: dict[str, set[str]] = defaultdict(set)
    for oid, tracklet in zip(demo.strings("objectId"), demo.strings("tracklet"), strict=True):
        if tracklet:
            expected[tracklet].add(oid)
    some_id = sorted(expected)[0]
    day = some_id[5:9] + "-" + some_id[9:11] + "-" + some_id[11:13]

    r = reader(store, prefix)
    found = await load_tracklets(r, tracklet_prefix(day, None), {MAGPSF, CANDID})
    same_day = sorted(i for i in expected if i.startswith(some_id[:13]))
    assert [t.tracklet_id for t in found] == same_day
    for t in found:
        oids = [a.record["objectId"] for a in t.alerts]
        assert oids == sorted(expected[t.tracklet_id])
        assert all(isinstance(a.record["magpsf"], float) for a in t.alerts)  # tracklet types
        assert all(isinstance(a.record["candid"], int) for a in t.alerts)
        assert all(not a.key.startswith(b"None") for a in t.alerts)

    (one,) = await load_tracklets(r, tracklet_prefix(None, some_id), {OBJECT_ID})
    assert one.tracklet_id == some_id
    assert {a.record["objectId"] for a in one.alerts} == expected[some_id]
    assert await load_tracklets(r, tracklet_prefix("2019-01-01", None), {OBJECT_ID}) == []


async def test_load_tracklets_labels_alerts_when_inputs_are_read(store_factory) -> None:
    store, prefix = await store_factory()
    await write_tables(store, prefix, demo_alerts(600, with_cutouts=False), [tables.TRACKLET])
    r = reader(store, prefix)
    found = await load_tracklets(r, b"TRCK_", CLASSIFICATION_COLUMNS)
    assert found
    labels = {a.record["classification"] for t in found for a in t.alerts}
    assert labels == {"Tracklet"}
    assert r.stats.round_trips <= 3  # data version, types, one prefix scan
