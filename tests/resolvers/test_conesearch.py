"""Cone search: pure planning, and results equal to a brute-force search of the shared samples
(every alert, the latest per object, astropy separations), on both backends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from astropy import units as u
from astropy.coordinates import SkyCoord

from fink_gateway.layout import tables
from fink_gateway.loaders.reader import Reader, TypesCache
from fink_gateway.resolvers.conesearch import (
    cone_page,
    cone_search,
    jd_in_window,
    jd_key_range,
    plan_cone_scans,
)
from fink_gateway.store.interface import Store
from fink_gateway.store.types import ScanRange
from tests.conftest import BACKENDS, ingested_store
from tests.data_paths import SCIENCE_FILES

pytestmark = pytest.mark.anyio

ZTF25ABUOVXV = (92.4445778, 35.5722176)  # FINK-REFERENCE §3
M33_FIELD = (23.4646392, 30.6680637)  # ZTF19aawtdou: 9 sample objects within 1800″
ONLINE_FIELD = (298.0468436, -17.2309355)  # ZTF22aayqegg, of the one-exposure sample
CENTRES = (ZTF25ABUOVXV, M33_FIELD, ONLINE_FIELD)
RADII_ARCSEC = (5.0, 60.0, 1800.0, 18000.0)


# --- planning (pure) ---------------------------------------------------------------------


def test_plan_cone_scans_small_cone_is_one_pixel_prefix() -> None:
    assert plan_cone_scans(*ZTF25ABUOVXV, 10.0) == [ScanRange.prefix(b"40835_")]


def test_plan_cone_scans_1800_arcsec_is_nine_pixels() -> None:
    ranges = plan_cone_scans(*ZTF25ABUOVXV, 1800.0)
    pixels = [int(r.start.rstrip(b"_")) for r in ranges]
    assert len(ranges) == 9
    assert 40835 in pixels
    assert pixels == sorted(pixels)
    assert all(r == ScanRange.prefix(f"{p}_".encode()) for r, p in zip(ranges, pixels, strict=True))


def test_plan_cone_scans_window_is_a_range_of_jdstarthist_text() -> None:
    (scan,) = plan_cone_scans(*ZTF25ABUOVXV, 10.0, 2460943.0072222, 2460990.5)
    assert scan.contains(b"40835_2460943.0072222_ZTF25abuovxv")
    assert not scan.contains(b"40835_2460943.0072221_ZTF25abuovxv")
    assert not scan.contains(b"40836_2460943.0072222_ZTF25abuovxv")
    assert not scan.contains(b"40835_2460990.6_ZTF25abuovxv")


def test_plan_cone_scans_empty_window_plans_nothing() -> None:
    assert plan_cone_scans(*ZTF25ABUOVXV, 10.0, 2460990.0, 2460980.0) == []
    assert plan_cone_scans(*ZTF25ABUOVXV, 10.0, 1e8, None) == []
    assert plan_cone_scans(*ZTF25ABUOVXV, 10.0, None, 100.0) == []


# JD texts where one is a prefix of another: '_' sorts after the digits, so
# "…943.0_" > "…943.05_" although 2460943.0 < 2460943.05.
TRICKY_JDS = (
    2460942.9999999, 2460943.0, 2460943.0000001, 2460943.05, 2460943.0500001, 2460943.1,
    2460943.12, 2460943.1234567, 2460943.5, 2460944.0, 2460944.05, 2460999.9,
)  # fmt: skip


@pytest.mark.parametrize("since", [None, *TRICKY_JDS])
@pytest.mark.parametrize("until", [None, *TRICKY_JDS])
def test_jd_key_range_holds_exactly_the_window_after_filtering(
    since: float | None, until: float | None
) -> None:
    prefix = b"40835_"
    keys = {jd: prefix + f"{jd!r}_ZTF25abuovxv".encode() for jd in TRICKY_JDS}
    found = jd_key_range(prefix, since, until)
    wanted = {jd for jd in TRICKY_JDS if jd_in_window(jd, since, until)}
    if found is None:
        assert not wanted
        return
    scanned = {jd for jd, key in keys.items() if found.contains(key)}
    assert scanned >= wanted
    assert {jd for jd in scanned if jd_in_window(jd, since, until)} == wanted
    assert not found.contains(b"40836_2460943.0_ZTF25abuovxv")
    assert not found.contains(b"40834_2460943.0_ZTF25abuovxv")


def test_cone_page_walks_every_hit_once() -> None:
    hits = list(range(7))
    seen, after = [], None
    while True:
        result = cone_page(hits, 3, after)  # type: ignore[arg-type]
        seen += [h for _, h in result.items]
        if not result.has_next:
            break
        after = result.items[-1][0]
    assert seen == hits
    assert cone_page(hits, 3, None).total == 7  # type: ignore[arg-type]


# --- against the samples -----------------------------------------------------------------


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def ingested(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Store, str]]:
    """Every science sample ingested once per backend."""
    folder = tmp_path_factory.mktemp("cone")
    async with ingested_store(request.param, folder, SCIENCE_FILES) as found:
        yield found


def sample_alerts() -> pd.DataFrame:
    """objectId, ra, dec, jd, jdstarthist of every sample alert passing Fink's cuts."""
    frames = []
    for path in SCIENCE_FILES:
        table = pq.read_table(path, columns=["objectId", "candidate"])
        candidate = table.column("candidate").combine_chunks()
        frame = pd.DataFrame({"objectId": table.column("objectId").to_pylist()})
        for name in ("ra", "dec", "jd", "jdstarthist", "nbad", "rb", "fid"):
            frame[name] = candidate.field(name).to_numpy(zero_copy_only=False)
        frames.append(frame)
    alerts = pd.concat(frames, ignore_index=True)
    cuts = (alerts["nbad"] == 0) & (alerts["rb"] >= np.float32(0.55)) & (alerts["fid"] != 3)
    return alerts[cuts].reset_index(drop=True)


ALERTS = sample_alerts()


def brute_force(
    ra: float, dec: float, radius_arcsec: float, since: float | None = None,
    until: float | None = None,
) -> dict[str, float]:  # fmt: skip
    """objectId → separation (arcsec) of the latest alert of each object in the window."""
    alerts = ALERTS
    if since is not None:
        alerts = alerts[alerts["jdstarthist"] >= since]
    if until is not None:
        alerts = alerts[alerts["jdstarthist"] <= until]
    latest = alerts.loc[alerts.groupby("objectId")["jd"].idxmax()]
    centre = SkyCoord(ra * u.deg, dec * u.deg)
    others = SkyCoord(latest["ra"].to_numpy() * u.deg, latest["dec"].to_numpy() * u.deg)
    separation = centre.separation(others).arcsec
    keep = separation <= radius_arcsec
    return dict(zip(latest["objectId"][keep], separation[keep], strict=True))


@pytest.mark.parametrize("radius", RADII_ARCSEC)
@pytest.mark.parametrize("centre", CENTRES)
async def test_cone_search_equals_brute_force(
    ingested: tuple[Store, str], centre: tuple[float, float], radius: float
) -> None:
    store, prefix = ingested
    hits = await cone_search(Reader(store, prefix, TypesCache()), *centre, radius)
    expected = brute_force(*centre, radius)
    assert {h.object_id for h in hits} == set(expected)
    assert [h.separation_arcsec for h in hits] == sorted(h.separation_arcsec for h in hits)
    for hit in hits:
        assert hit.separation_arcsec == pytest.approx(expected[hit.object_id], abs=1.0)
        assert hit.record["objectId"] == hit.object_id
        assert isinstance(hit.record["classification"], str)


async def test_cone_search_finds_more_objects_in_larger_cones(
    ingested: tuple[Store, str],
) -> None:
    store, prefix = ingested
    counts = [
        len(await cone_search(Reader(store, prefix, TypesCache()), *M33_FIELD, r))
        for r in (5.0, 1800.0, 18000.0)
    ]
    assert counts == [1, 9, 11]


def _first_detections() -> list[float]:
    """jdstarthist of the M33 field's objects (a window bound exactly on a row's key)."""
    near = brute_force(*M33_FIELD, 18000.0)
    rows = ALERTS[ALERTS["objectId"].isin(near)]
    return sorted(set(rows["jdstarthist"].tolist()))


@pytest.mark.parametrize(
    ("since_at", "until_at"), [(0, -1), (1, -2), (2, 2), (None, 3), (3, None), (-1, None)]
)
async def test_cone_search_window_on_first_detection_includes_its_ends(
    ingested: tuple[Store, str], since_at: int | None, until_at: int | None
) -> None:
    store, prefix = ingested
    starts = _first_detections()
    since = None if since_at is None else starts[since_at]
    until = None if until_at is None else starts[until_at]
    reader = Reader(store, prefix, TypesCache())
    hits = await cone_search(reader, *M33_FIELD, 18000.0, since, until)
    expected = brute_force(*M33_FIELD, 18000.0, since, until)
    assert {h.object_id for h in hits} == set(expected)
    assert expected, "the window should hold at least the object at its bound"


async def test_cone_search_reads_every_pixel_in_one_round_trip(
    ingested: tuple[Store, str],
) -> None:
    store, prefix = ingested
    trips = []
    for radius in (5.0, 18000.0):
        reader = Reader(store, prefix, TypesCache())
        await reader.types(tables.PIXEL128)
        before = reader.stats.round_trips
        await cone_search(reader, *M33_FIELD, radius)
        trips.append(reader.stats.round_trips - before)
    assert len(plan_cone_scans(*M33_FIELD, 18000.0)) > 100
    assert trips == [1, 1]
