"""GraphQL subscriptions over a real WebSocket (graphql-transport-ws): two gateways sharing an
embedded store and Redis push exactly the matching alerts a follower stores after the
clients subscribed; a slow subscriber is dropped with a code; the limits per connection and
per client address hold (the latter across gateway processes, counted in Redis)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from astropy import units as u
from astropy.coordinates import SkyCoord
from websockets.asyncio.client import ClientConnection, connect

from fink_gateway.gateway.app import build_app
from fink_gateway.ingest.follow.follower import Follower
from fink_gateway.ingest.follow.options import FollowOptions
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.layout import tables
from fink_gateway.live.bus import MemoryBus, RedisBus, alert_channel
from fink_gateway.live.events import AlertEvent
from fink_gateway.live.seats import RedisSeats
from fink_gateway.settings import Settings
from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.types import ScanRange
from tests.conftest import kafka_bootstrap
from tests.data_paths import SCIENCE_FILES
from tests.gateway.conftest import settings_with
from tests.live.livestream import produce, sample_messages
from tests.live_server import serve_in_thread

pytestmark = [pytest.mark.anyio, pytest.mark.kafka]
REDIS_ENV = "FINK_GATEWAY_TEST_REDIS"
PREFIX = "ztf"
FIELDS = "objectId candid"
CLASS = "Candidate_CV*"
IDS = ("ZTF25aatmfzy", "ZTF20aawkwsc")
CONE_OBJECT = "ZTF18aaqfhlj"
CONE_RADIUS_ARCSEC = 5.0


def redis_url() -> str:
    url = os.environ.get(REDIS_ENV, "").strip()
    if not url:
        pytest.skip(f"{REDIS_ENV}=redis://host:port/db is not set")
    return url


def sample_rows() -> list[dict[str, Any]]:
    columns = ["objectId", "candid", "cdsxmatch", "candidate"]
    return [r for p in SCIENCE_FILES for r in pq.read_table(p, columns=columns).to_pylist()]


def expected_sets() -> dict[str, set[str]]:
    rows = sample_rows()
    centre = next(r["candidate"] for r in rows if r["objectId"] == CONE_OBJECT)
    positions = SkyCoord(
        [r["candidate"]["ra"] for r in rows] * u.deg, [r["candidate"]["dec"] for r in rows] * u.deg
    )
    near = positions.separation(SkyCoord(centre["ra"] * u.deg, centre["dec"] * u.deg)).arcsec
    return {
        "class": {str(r["candid"]) for r in rows if r["cdsxmatch"] == CLASS},
        "ids": {str(r["candid"]) for r in rows if r["objectId"] in IDS},
        "cone": {
            str(r["candid"]) for r, d in zip(rows, near, strict=True) if d <= CONE_RADIUS_ARCSEC
        },
        "cone_centre": {f"{centre['ra']},{centre['dec']}"},
    }


@contextlib.asynccontextmanager
async def ws_client(base: str) -> AsyncIterator[ClientConnection]:
    url = base.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        yield ws


async def subscribe(ws: ClientConnection, sub_id: str, filter_text: str) -> None:
    query = f"subscription {{ alerts(filter: {filter_text}) {{ {FIELDS} }} }}"
    await ws.send(json.dumps({"id": sub_id, "type": "subscribe", "payload": {"query": query}}))


async def receive(ws: ClientConnection, want: dict[str, int], seconds: float) -> dict[str, Any]:
    """Messages by subscription id until each id has ``want[id]`` alerts (or time runs out),
    then whatever else arrives within a second."""
    got: dict[str, Any] = {k: [] for k in want}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    grace: float | None = None
    while True:
        if grace is None and all(len(got[k]) >= n for k, n in want.items()):
            grace = loop.time() + 1.0
        end = grace if grace is not None else deadline
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), max(0.01, end - loop.time())))
        except TimeoutError:
            return got
        got.setdefault(message.get("id", "?"), []).append(message)


def candids(messages: list[dict[str, Any]]) -> set[str]:
    return {m["payload"]["data"]["alerts"]["candid"] for m in messages if m["type"] == "next"}


@pytest.fixture
def gateway_settings() -> Settings:
    return settings_with(cache={"backend": "redis", "redis_url": redis_url()})


@contextlib.contextmanager
def two_gateways(path: Path, settings: Settings) -> Iterator[tuple[str, str]]:
    """Two gateways on one store file, as two processes would be; only Redis joins them."""
    with (
        serve_in_thread(build_app(settings, EmbeddedStore(path), PREFIX)) as one,
        serve_in_thread(build_app(settings, EmbeddedStore(path), PREFIX)) as two,
    ):
        yield one, two


async def test_subscribers_of_two_gateways_receive_exactly_the_matching_new_alerts(
    tmp_path: Path, gateway_settings: Settings
) -> None:
    expected = expected_sets()
    topic = f"gwtest_live_{uuid.uuid4().hex[:8]}"
    produce(kafka_bootstrap(), topic, sample_messages(SCIENCE_FILES))
    path = tmp_path / "store.db"
    (ra_dec,) = expected["cone_centre"]
    ra, dec = ra_dec.split(",")
    with two_gateways(path, gateway_settings) as (one, two):
        async with ws_client(one) as first, ws_client(two) as second:
            await subscribe(first, "class", f'{{classes: ["{CLASS}"]}}')
            await subscribe(first, "ids", f'{{objectIds: {json.dumps(list(IDS))}}}')
            cone = f"{{cone: {{ra: {ra}, dec: {dec}, radius: {CONE_RADIUS_ARCSEC}}}}}"
            await subscribe(second, "cone", cone)
            await asyncio.sleep(0.5)  # subscribed before anything is stored
            bus = RedisBus(redis_url(), alert_channel(PREFIX))
            store = EmbeddedStore(path)
            options = FollowOptions(
                kafka_bootstrap(), (topic,), f"g_{topic}", batch_size=50, batch_seconds=0.5,
                stop_when_idle_seconds=2.0,
            )  # fmt: skip
            try:
                await asyncio.wait_for(Follower(store, PREFIX, options, bus=bus).run(), 120)
            finally:
                await bus.close()
                await store.close()
            want = {"class": len(expected["class"]), "ids": len(expected["ids"])}
            got_first = await receive(first, want, 20)
            got_second = await receive(second, {"cone": len(expected["cone"])}, 20)
    assert candids(got_first["class"]) == expected["class"]
    assert candids(got_first["ids"]) == expected["ids"]
    assert candids(got_second["cone"]) == expected["cone"]
    assert len(got_first["class"]) == len(expected["class"])  # each alert once


async def test_subscription_of_a_slow_consumer_is_dropped_with_a_code(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store.db")
    await ingest_files(store, PREFIX, SCIENCE_FILES[:1])
    app = build_app(Settings(), store, PREFIX)
    bus = MemoryBus(queue_size=2)
    app.state.services.bus = bus
    with serve_in_thread(app) as base:
        async with ws_client(base) as ws:
            await subscribe(ws, "slow", "{}")
            for _ in range(100):  # wait until the server holds the subscription
                if bus.subscribers:
                    break
                await asyncio.sleep(0.05)
            events = [AlertEvent(f"ZTF_{i}".encode(), "ZTF", 0.0, 0.0, 18.0, ()) for i in range(10)]
            bus.deliver(events)  # at once: more than the subscriber's queue holds
            got = await receive(ws, {"slow": 1}, 10)
    errors = [e for m in got["slow"] if m["type"] in ("next", "error")
              for e in (m["payload"].get("errors", []) if isinstance(m["payload"], dict)
                        else m["payload"])]  # fmt: skip
    assert [e.get("extensions", {}).get("code") for e in errors] == ["SLOW_CONSUMER"], got


async def test_a_subscription_without_filter_receives_a_batch_of_stored_alerts(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path / "store.db")
    await ingest_files(store, PREFIX, SCIENCE_FILES[:1])
    (rows,) = await store.scan(tables.MAIN.name(PREFIX), [ScanRange(b"", None, limit=40)],
                               [b"i:candid"])  # fmt: skip
    rows = [(key, cells) for key, cells in rows if key.startswith(b"ZTF")]  # not the schema row
    app = build_app(Settings(), store, PREFIX)
    bus = MemoryBus()
    app.state.services.bus = bus
    with serve_in_thread(app) as base:
        async with ws_client(base) as ws:
            query = f"subscription {{ alerts {{ {FIELDS} }} }}"  # no filter at all
            await ws.send(json.dumps({"id": "all", "type": "subscribe",
                                      "payload": {"query": query}}))  # fmt: skip
            for _ in range(100):  # wait until the server holds the subscription
                if bus.subscribers:
                    break
                await asyncio.sleep(0.05)
            missing = AlertEvent(b"ZTF00aaaaaaa_2460000.5", "ZTF00aaaaaaa", 0.0, 0.0, 18.0, ())
            events = [AlertEvent(key, "", 0.0, 0.0, 18.0, ()) for key, _ in rows]
            bus.deliver([*events, missing])  # one writer's batch; a row not stored is skipped
            got = await receive(ws, {"all": len(rows)}, 20)
    received = [m["payload"]["data"]["alerts"] for m in got["all"] if m["type"] == "next"]
    assert sorted(f"{a['objectId']}" for a in received) == sorted(
        key.decode().split("_")[0] for key, _ in rows
    )
    assert len(candids(got["all"])) == len(rows)


def error_codes(messages: list[dict[str, Any]]) -> list[str]:
    """The codes of the errors among a subscription's messages."""
    codes = []
    for message in messages:
        payload = message.get("payload", {})  # a "complete" has none
        errors = payload.get("errors", []) if isinstance(payload, dict) else payload
        codes += [e.get("extensions", {}).get("code") for e in errors]
    return codes


async def test_a_connection_holds_a_bounded_number_of_subscriptions(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store.db")
    with serve_in_thread(build_app(Settings(), store, PREFIX)) as base:
        async with ws_client(base) as ws:
            for i in range(11):
                await subscribe(ws, f"s{i}", "{}")
            got = await receive(ws, {"s10": 1}, 10)
    assert error_codes(got["s10"]) == ["TOO_MANY_SUBSCRIPTIONS"]


async def held_until_refused(ws: ClientConnection, names: list[str]) -> list[str]:
    """Subscribe ``names`` in turn on ``ws``; the names refused with TOO_MANY_SUBSCRIPTIONS
    within a second of asking."""
    refused = []
    for name in names:
        await subscribe(ws, name, "{}")
        got = await receive(ws, {name: 1}, 1.0)
        if "TOO_MANY_SUBSCRIPTIONS" in error_codes(got[name]):
            refused.append(name)
    return refused


async def test_one_address_holds_a_bounded_number_of_subscriptions_over_two_gateways(
    tmp_path: Path,
) -> None:
    settings = settings_with(
        cache={"backend": "redis", "redis_url": redis_url()},
        limits={"subscriptions_per_ip": 3},
    )
    with two_gateways(tmp_path / "store.db", settings) as (one, two):
        async with ws_client(one) as first:
            async with ws_client(two) as second:
                assert await held_until_refused(first, ["a", "b"]) == []
                assert await held_until_refused(second, ["c", "d"]) == ["d"]
            # the second connection closed: its seat is free again, for the first one
            await asyncio.sleep(0.5)
            assert await held_until_refused(first, ["e", "f"]) == ["f"]


async def test_seats_of_a_gateway_that_died_lapse_with_their_lease() -> None:
    prefix = f"seats_{uuid.uuid4().hex[:8]}"
    dead = RedisSeats(redis_url(), prefix, lease_seconds=1.0)
    alive = RedisSeats(redis_url(), prefix, lease_seconds=1.0)
    try:
        assert await dead.take("10.0.0.7", 2) is not None
        held = await alive.take("10.0.0.7", 2)
        assert held is not None
        assert await alive.take("10.0.0.7", 2) is None  # two held: one each
        dead._held.clear()  # as if the process died: nothing renews or releases its seat
        await asyncio.sleep(1.5)  # its lease lapses; the living one's is renewed
        assert await alive.take("10.0.0.7", 2) is not None
        assert await alive.take("10.0.0.7", 2) is None
        await alive.release("10.0.0.7", held)
        assert await alive.take("10.0.0.7", 2) is not None
    finally:
        await dead.close()
        await alive.close()
