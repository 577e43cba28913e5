"""Solar System objects: exact name resolution, points, stored ephemerides (both backends),
and the Miriade client against a local stand-in serving a recorded (synthetic) reply."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import numpy as np
import pyarrow.parquet as pq
import pytest

from fink_gateway.errors import InvalidArgument, UpstreamUnavailable
from fink_gateway.ingest.sso_names import sso_resolver_rows
from fink_gateway.layout import tables
from fink_gateway.loaders.miriade import (
    MiriadeClient,
    miriade_request,
    parse_reply,
    shifted_epochs,
    target_name,
)
from fink_gateway.loaders.reader import Reader, TypesCache
from fink_gateway.resolvers.ephemerides import (
    EphemerisSource,
    FirstAvailable,
    MiriadeEphemerides,
    StoredEphemerides,
    ephemeris_provider,
)
from fink_gateway.resolvers.sso import (
    SsoMatch,
    SsoObjectData,
    name_or_number,
    packed_ssnamenrs,
    resolve_many,
    resolve_sso,
    spellings,
    sso_columns,
)
from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, ingested_store
from tests.data_paths import FINK_ZTF, SCIENCE_FILES
from tests.resolvers.miriade_server import closed_port_url, fake_miriade

pytestmark = pytest.mark.anyio

SSO_FILE = FINK_ZTF / "sso_lightcurves_with_ephemerides_202504.parquet"
EXTRA_NAMES = ["78", "780", "7800", "2010XY03", "2010XY3"]
"""Resolver rows the test adds: numbers that share prefixes, two spellings of one name."""
ALERT_JDS_8467 = [2460689.6308681, 2460691.6934375, 2460706.6164931]
"""The 8467 alerts of the benoit_julien_2025 samples (roid = 3)."""


def shortest(values: object) -> np.ndarray:
    """float32 values as the float64 of their shortest text, as the gateway stores them."""
    return np.asarray(np.asarray(values, dtype=np.float32).astype(str), dtype=np.float64)


def sso_file() -> dict[str, dict[str, list]]:
    """The SSO light-curve file, one dict of lists per ssnamenr."""
    return {r["ssnamenr"]: r for r in pq.read_table(SSO_FILE).to_pylist()}


# --- pure: names and the Miriade request ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8467", ["8467"]),
        ("0078", ["0078", "78"]),
        ("2005XM12", ["2005xm12", "2005 xm12"]),
        ("2005 xm12", ["2005 xm12"]),
        ("2002 MA06", ["2002 ma06", "2002 ma6"]),
        ("Julienpeloton", ["julienpeloton"]),
    ],
)
def test_spellings_try_the_text_then_its_usual_form(text: str, expected: list[str]) -> None:
    assert spellings(text) == expected


def test_packed_ssnamenrs_cover_ztf_spellings() -> None:
    assert packed_ssnamenrs("2002 ma6") == ["2002ma6", "2002MA6", "2002MA06"]
    assert packed_ssnamenrs("0078") == ["0078", "78"]


@pytest.mark.parametrize("text", ["", "   ", "x" * 101, "a\tb\x00"])
def test_name_or_number_rejects_blank_long_or_unprintable_text(text: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        name_or_number(text)
    assert caught.value.details["argument"] == "nameOrNumber"


def test_name_or_number_collapses_spaces() -> None:
    assert name_or_number("  2005   XM12 ") == "2005 XM12"


def test_miriade_request_is_the_one_fink_sends() -> None:
    request = miriade_request("8467", ALERT_JDS_8467)
    assert request.params == {
        "-name": "a:8467",
        "-mime": "json",
        "-rplane": "1",
        "-tcoor": "5",
        "-output": "--jd,--colors(SDSS:r,SDSS:g),--iofile(ephemcc-photom.xml)",
        "-observer": "I41",
        "-tscale": "UTC",
        "-from": "fink-gateway",
    }
    assert request.epochs.split("\n") == [f"{jd + 15 / 86400:.6f}" for jd in ALERT_JDS_8467]


@pytest.mark.parametrize(
    ("ssnamenr", "target"), [("8467", "a:8467"), ("2005XM12", "a:2005XM12"), ("10P", "c:10P"),
                             ("C/2019 U5", "c:C/2019 U5")],
)  # fmt: skip
def test_miriade_target_tells_comets_from_asteroids(ssnamenr: str, target: str) -> None:
    assert target_name(ssnamenr) == target


def test_parse_reply_aligns_rows_by_date_and_reads_sexagesimal() -> None:
    epochs = shifted_epochs([2460000.5, 2460001.5, 2460002.5])
    rows = [
        {"Date": float(epochs[2]), "RA": "01 00 00.0", "DEC": "-10 30 00.0", "Dobs": 2.0,
         "Dhelio": 3.0, "Phase": 12.5, "Elong.": 80.0},
        {"Date": float(epochs[0]), "RA": 15.0, "DEC": 5.0, "Dobs": 1.0, "Dhelio": 2.0,
         "Phase": 10.0, "Elong": 90.0},
    ]  # fmt: skip
    reply = parse_reply({"data": rows}, [2460000.5, 2460001.5, 2460002.5])
    assert reply is not None
    np.testing.assert_allclose(reply.ra_deg, [15.0, np.nan, 15.0])
    np.testing.assert_allclose(reply.dec_deg, [5.0, np.nan, -10.5])
    np.testing.assert_allclose(reply.phase_deg, [10.0, np.nan, 12.5])
    np.testing.assert_allclose(reply.elong_deg, [90.0, np.nan, 80.0])
    np.testing.assert_allclose(reply.dobs_au * reply.dhelio_au, [2.0, np.nan, 6.0])


@pytest.mark.parametrize("payload", [{}, {"data": []}, [], "error", {"data": "none"}])
def test_parse_reply_without_data_is_none(payload: object) -> None:
    assert parse_reply(payload, [2460000.5]) is None


# --- Miriade through a local stand-in ---------------------------------------------------------


async def test_miriade_client_reads_the_recorded_reply_and_caches_it() -> None:
    expected = sso_file()["8467"]
    where = [expected["cjd"].index(jd) for jd in ALERT_JDS_8467]
    with fake_miriade() as fake:
        client = MiriadeClient(fake.url, timeout_s=5.0)
        reply = await client.ephemerides("8467", np.array(ALERT_JDS_8467))
        again = await client.ephemerides("8467", np.array(ALERT_JDS_8467))
    assert reply is not None and again is reply
    assert len(fake.received) == 1 and client.calls == 1
    assert fake.received[0].params["-name"] == "a:8467"
    np.testing.assert_array_equal(reply.phase_deg, shortest([expected["Phase"][i] for i in where]))
    np.testing.assert_array_equal(reply.dobs_au, shortest([expected["Dobs"][i] for i in where]))
    np.testing.assert_allclose(reply.ra_deg, [expected["RA"][i] for i in where], atol=1e-6)
    np.testing.assert_allclose(reply.dec_deg, [expected["DEC"][i] for i in where], atol=1e-6)


async def test_miriade_client_object_it_does_not_know_is_none() -> None:
    with fake_miriade() as fake:
        assert await MiriadeClient(fake.url).ephemerides("33803", np.array([2460000.5])) is None


async def test_unreachable_miriade_raises_upstream_unavailable() -> None:
    client = MiriadeClient(closed_port_url(), timeout_s=5.0)
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.ephemerides("8467", np.array(ALERT_JDS_8467))
    assert caught.value.code == "UPSTREAM_UNAVAILABLE"
    assert "Miriade" in str(caught.value)


async def test_slow_miriade_times_out_as_upstream_unavailable() -> None:
    with fake_miriade(delay_s=2.0) as fake:
        client = MiriadeClient(fake.url, timeout_s=0.3)
        start = time.perf_counter()
        with pytest.raises(UpstreamUnavailable, match=r"did not answer within 0\.3 s"):
            await client.ephemerides("8467", np.array(ALERT_JDS_8467))
        assert time.perf_counter() - start < 1.5


async def test_miriade_error_status_is_upstream_unavailable_and_not_cached() -> None:
    with fake_miriade(status=503) as fake:
        client = MiriadeClient(fake.url)
        for _ in range(2):
            with pytest.raises(UpstreamUnavailable, match="HTTP 503"):
                await client.ephemerides("8467", np.array(ALERT_JDS_8467))
    assert len(fake.received) == 2


async def test_first_available_asks_miriade_only_when_nothing_is_stored() -> None:
    class Nothing:
        async def ephemerides(self, ssnamenr: str, jd: np.ndarray) -> None:
            return None

    with fake_miriade() as fake:
        chain = FirstAvailable([Nothing(), MiriadeEphemerides(MiriadeClient(fake.url))])
        found = await chain.ephemerides("8467", np.array(ALERT_JDS_8467))
    assert found is not None and found.source is EphemerisSource.MIRIADE
    assert len(found.phase_deg) == 3


# --- against a store: both backends ---------------------------------------------------------


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def ingested(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Store, str]]:
    """The science samples and the SSO file, plus resolver rows for ``EXTRA_NAMES`` and one
    ``ssnamenr`` row (2002MA06) that the resolver does not list."""
    folder = tmp_path_factory.mktemp("sso")
    async with ingested_store(request.param, folder, [*SCIENCE_FILES, SSO_FILE]) as found:
        store, prefix = found
        await store.put_rows(tables.SSO_RESOLVER.name(prefix), sso_resolver_rows(EXTRA_NAMES))
        await store.put_rows(
            tables.SSNAMENR.name(prefix), [(b"2002MA06_2459000.5", {b"i:ssnamenr": b"2002MA06"})]
        )
        yield found


def reader_of(ingested: tuple[Store, str]) -> Reader:
    store, prefix = ingested
    return Reader(store, prefix, TypesCache())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("78", ["78"]),
        ("780", ["780"]),
        ("7800", ["7800"]),
        ("0078", ["78"]),
        ("7", []),
        ("8467", ["8467"]),
        ("846", []),
        ("2005 XM12", ["2005XM12"]),
        ("2005XM12", ["2005XM12"]),
        ("2005 xm12", ["2005XM12"]),
        ("2005xm12", ["2005XM12"]),
        (" 2005  XM12 ", ["2005XM12"]),
        ("2005 XM1", []),
        ("2010 XY3", ["2010XY03", "2010XY3"]),
        ("2010XY03", ["2010XY03"]),
        ("2010xy3", ["2010XY3"]),
        ("2002 MA6", ["2002MA06"]),
        ("2002MA06", ["2002MA06"]),
        ("Ceres", []),
    ],
)
async def test_resolve_sso_matches_exactly(
    ingested: tuple[Store, str], text: str, expected: list[str]
) -> None:
    matches = await resolve_sso(reader_of(ingested), text)
    assert [m.ssnamenr for m in matches] == expected


async def test_resolve_sso_returns_names_and_numbers(ingested: tuple[Store, str]) -> None:
    reader = reader_of(ingested)
    assert await resolve_sso(reader, "8467") == [SsoMatch("8467", "8467", 8467)]
    assert await resolve_sso(reader, "2005xm12") == [SsoMatch("2005XM12", "2005 XM12", None)]
    assert await resolve_sso(reader, "2010 XY3") == [
        SsoMatch("2010XY03", "2010 XY3", None),
        SsoMatch("2010XY3", "2010 XY3", None),
    ]
    # absent from the resolver, found in ssnamenr: named by its usual spelling
    assert await resolve_sso(reader, "2002 ma6") == [SsoMatch("2002MA06", "2002 MA6", None)]


async def test_resolve_many_keeps_order_in_few_round_trips(ingested: tuple[Store, str]) -> None:
    reader = reader_of(ingested)
    found = await resolve_many(reader, ["780", "8467", "33803", "78", "4371"], cap=10)
    assert [[m.ssnamenr for m in f] for f in found] == [["780"], ["8467"], ["33803"], ["78"],
                                                         ["4371"]]  # fmt: skip
    assert reader.stats.round_trips <= 3  # data version, then one batched resolver scan
    with pytest.raises(InvalidArgument, match="at most 2"):
        await resolve_many(reader, ["1", "2", "3"], cap=2)


def sso_data(reader: Reader, ssnamenr: str) -> SsoObjectData:
    match = SsoMatch(ssnamenr, ssnamenr, None)
    return SsoObjectData(reader, match, (match,), sso_columns(set()), StoredEphemerides(reader))


async def test_points_hold_the_sso_file_and_the_alerts(ingested: tuple[Store, str]) -> None:
    expected = sso_file()["8467"]
    order = np.argsort(expected["cjd"])
    points = await sso_data(reader_of(ingested), "8467").points()
    assert len(points) == 216
    np.testing.assert_array_equal(points.jd, np.asarray(expected["cjd"])[order])
    np.testing.assert_array_equal(points.ra_deg, np.asarray(expected["cra"])[order])
    np.testing.assert_array_equal(points.magpsf, shortest(expected["cmagpsf"])[order])
    np.testing.assert_array_equal(points.fid, np.asarray(expected["cfid"])[order])
    alerts = {j: o for j, o in zip(points.jd.tolist(), points.object_id, strict=True) if o}
    assert alerts == {2460689.6308681: "ZTF25aabvany", 2460691.6934375: "ZTF25aabzjns",
                      2460706.6164931: "ZTF25aadhncf"}  # fmt: skip


async def test_alerts_are_the_rows_with_an_object_id(ingested: tuple[Store, str]) -> None:
    reader = reader_of(ingested)
    alerts = await sso_data(reader, "8467").alerts()
    assert alerts is not None
    assert alerts.jd.tolist() == ALERT_JDS_8467
    assert await sso_data(reader, "33803").alerts() is None  # file points only


async def test_stored_ephemerides_follow_the_points(ingested: tuple[Store, str]) -> None:
    expected = sso_file()["8467"]
    order = np.argsort(expected["cjd"])
    data = sso_data(reader_of(ingested), "8467")
    eph = await data.ephemerides()
    assert eph is not None and eph.source is EphemerisSource.STORED
    for name, column in (("phase_deg", "Phase"), ("dobs_au", "Dobs"), ("dhelio_au", "Dhelio"),
                         ("elong_deg", "Elong"), ("ra_deg", "RA"), ("dec_deg", "DEC")):  # fmt: skip
        np.testing.assert_array_equal(getattr(eph, name), shortest(expected[column])[order])
    assert await data.ephemerides() is eph  # one read per object and request


@pytest.mark.parametrize("ssnamenr", ["2005XM12", "4371"])
async def test_objects_without_stored_ephemerides_get_none(
    ingested: tuple[Store, str], ssnamenr: str
) -> None:
    reader = reader_of(ingested)
    assert await sso_data(reader, ssnamenr).ephemerides() is None
    assert isinstance(ephemeris_provider(reader), StoredEphemerides)  # Miriade not configured
