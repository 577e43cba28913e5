"""Anomalies: window and cursor checks (pure), and newest-first pages of the anomaly table
written by the ingest's nightly builder, exact at the window's ends. Both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.ingest.nightly import NightlyTables
from fink_gateway.ingest.rows import EncodedAlerts, schema_row, version_pairs
from fink_gateway.ingest.writer import SCHEMA_TYPES
from fink_gateway.layout import tables
from fink_gateway.resolvers.anomalies import (
    DEFAULT_SINCE_JD,
    anomaly_cursor,
    anomaly_cursor_key,
    anomaly_page,
    anomaly_window,
    count_anomalies,
)
from fink_gateway.resolvers.args import encode_cursor, now_jd
from fink_gateway.resolvers.columns import CLASSIFICATION_COLUMNS
from fink_gateway.store.interface import Store
from fink_gateway.store.types import ScanRange
from tests.archive_data import demo_alerts, reader
from tests.conftest import BACKENDS, module_store

pytestmark = pytest.mark.anyio

MAGPSF, SCORE = b"i:magpsf", b"d:anomaly_score"


def test_anomaly_window_defaults_to_finks_start_and_now() -> None:
    start, stop = anomaly_window(None, None)
    assert start == DEFAULT_SINCE_JD
    assert stop == pytest.approx(now_jd(), abs=1e-3)
    assert anomaly_window("2460000.5", "60100") == (2460000.5, 2460100.5)


def test_anomaly_window_rejects_reversed_and_bad_dates() -> None:
    with pytest.raises(InvalidArgument):
        anomaly_window("2460100.5", "2460000.5")
    with pytest.raises(InvalidArgument):
        anomaly_window(str(now_jd() + 10.0), None)  # after now
    with pytest.raises(InvalidArgument):
        anomaly_window("yesterday", None)


def test_anomaly_cursor_round_trips_and_rejects_others() -> None:
    key = b"2460000.1234567_ZTF23abcdefg"
    assert anomaly_cursor_key(anomaly_cursor(key)) == key
    assert anomaly_cursor_key(None) is None
    for bad in ("nonsense", encode_cursor("class", key.decode()), encode_cursor("anomaly", "x")):
        with pytest.raises(InvalidArgument):
            anomaly_cursor_key(bad)


AnomalyStore = tuple[Store, str, list[bytes]]


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def anomaly_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AnomalyStore]:
    """The anomaly table of 800 demo alerts (≤ 10 per night), with its schema row; and its
    data keys, newest first."""
    async with module_store(request.param, tmp_path_factory.mktemp("anomaly")) as (store, prefix):
        yield store, prefix, await _fill(store, prefix)


async def _fill(store: Store, prefix: str) -> list[bytes]:
    alerts = demo_alerts(800, with_cutouts=False)
    nightly = NightlyTables()
    nightly.add(EncodedAlerts(alerts))
    name = tables.ANOMALY.name(prefix)
    await store.create_table(name, tables.ANOMALY.families)
    for batch in nightly.anomaly_batches():
        await store.put_batch(name, batch)
    pairs = sorted(version_pairs(alerts))
    await store.put_rows(name, [schema_row(p, SCHEMA_TYPES[tables.ANOMALY]) for p in pairs])
    (rows,) = await store.scan(name, [ScanRange.prefix(b"24")])
    keys = sorted((k for k, _ in rows), reverse=True)
    assert len(keys) > 30
    return keys


async def test_anomaly_pages_walk_the_window_newest_first(anomaly_store: AnomalyStore) -> None:
    store, prefix, keys = anomaly_store
    jds = [float(k.split(b"_")[0]) for k in keys]
    window = (jds[40], jds[4])  # both ends are JDs of rows: included
    expected = [k for k, jd in zip(keys, jds, strict=True) if window[0] <= jd <= window[1]]

    seen: list[bytes] = []
    after = None
    while True:
        r = reader(store, prefix)
        page = await anomaly_page(r, window, 7, after, {MAGPSF, SCORE})
        seen += [h.key for h in page.items]
        assert all(isinstance(h.record["magpsf"], float) for h in page.items)
        assert all(isinstance(h.record["anomaly_score"], float) for h in page.items)
        if not page.has_next:
            break
        after = page.resume
    assert seen == expected
    assert await count_anomalies(reader(store, prefix), window) == len(expected)


async def test_anomaly_page_labels_full_layout_rows(anomaly_store: AnomalyStore) -> None:
    store, prefix, keys = anomaly_store
    page = await anomaly_page(
        reader(store, prefix), (DEFAULT_SINCE_JD, now_jd()), 5, None, CLASSIFICATION_COLUMNS
    )
    assert [h.key for h in page.items] == keys[:5]
    assert page.has_next and page.resume == keys[4]
    assert all(isinstance(h.record["classification"], str) for h in page.items)
    empty = await anomaly_page(reader(store, prefix), (2400000.5, 2400001.5), 5, None, set())
    assert empty.items == [] and not empty.has_next
