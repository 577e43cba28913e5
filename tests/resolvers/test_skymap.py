"""Sky-map search: argument checks, window and scan planning (pure), the server-file rule,
loading uploads, and a search of alerts placed in and around the shared bayestar map's
credible region (pixel128 table), both backends."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest

from fink_gateway.errors import InvalidArgument, NotFound
from fink_gateway.layout import tables
from fink_gateway.resolvers.skymap import (
    load_sky_map,
    map_path,
    plan_skymap_scans,
    skymap_arguments,
    skymap_search,
    skymap_window,
)
from fink_gateway.science.skymap import read_sky_map
from tests.archive_data import (
    BAYESTAR,
    PLACED,
    event_jd,
    levels_128,
    placed_alerts,
    reader,
    write_tables,
)

pytestmark = pytest.mark.anyio

MAX_BYTES = 64 * 1024 * 1024
T = 2458898.905731449  # DATE-OBS of the shared map, JD


def test_skymap_arguments_accept_finks_ranges() -> None:
    assert skymap_arguments(0.9, 1.0, 6.0) == (0.9, 1.0, 6.0)
    assert skymap_arguments(1.0, 0.0, 14.0) == (1.0, 0.0, 14.0)


@pytest.mark.parametrize(
    ("level", "before", "after", "argument"),
    [
        (0.0, 1.0, 6.0, "credibleLevel"),
        (1.01, 1.0, 6.0, "credibleLevel"),
        (float("nan"), 1.0, 6.0, "credibleLevel"),
        (0.9, -0.5, 6.0, "daysBefore"),
        (0.9, 7.5, 6.0, "daysBefore"),
        (0.9, 1.0, 14.5, "daysAfter"),
        (0.9, 1.0, float("inf"), "daysAfter"),
    ],
)
def test_skymap_arguments_reject_out_of_range(
    level: float, before: float, after: float, argument: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        skymap_arguments(level, before, after)
    assert caught.value.details["argument"] == argument


def test_skymap_window_is_the_documented_one_not_finks_code() -> None:
    assert event_jd() == pytest.approx(T, abs=1e-9)
    start, end = skymap_window(T, 1.0, 6.0)
    assert (start, end) == (T - 1.0, T + 6.0)  # Fink's code: (T − 1, T + 5)


def test_plan_skymap_scans_is_one_jdstarthist_range_per_pixel() -> None:
    ranges = plan_skymap_scans([40835, 7], T - 1.0, T + 6.0)
    assert len(ranges) == 2
    inside = f"40835_{T + 0.5!r}_ZTF20abcdefg".encode()
    assert ranges[0].contains(inside)
    assert not ranges[1].contains(inside)
    assert not ranges[0].contains(f"40835_{T - 1.5!r}_ZTF20abcdefg".encode())
    assert ranges[1].contains(f"7_{T + 5.9!r}_ZTF20abcdefg".encode())
    assert plan_skymap_scans([], T, T + 1) == []


def test_map_path_is_disabled_without_a_folder() -> None:
    with pytest.raises(InvalidArgument, match="disabled"):
        map_path("", "bayestar.fits.gz")


def test_map_path_reads_only_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    folder.mkdir()
    (folder / "event.fits.gz").write_bytes(b"x")
    (tmp_path / "secret.txt").write_text("no")
    os.symlink(tmp_path / "secret.txt", folder / "link.fits")
    assert map_path(str(folder), "event.fits.gz") == (folder / "event.fits.gz").resolve()
    assert map_path(str(folder), str(folder / "event.fits.gz")).name == "event.fits.gz"
    for escape in ("../secret.txt", str(tmp_path / "secret.txt"), "link.fits", "/etc/passwd"):
        with pytest.raises(InvalidArgument, match="outside"):
            map_path(str(folder), escape)
    with pytest.raises(NotFound):
        map_path(str(folder), "missing.fits.gz")
    with pytest.raises(InvalidArgument, match="invalid path"):
        map_path(str(folder), "event\x00.fits.gz")


class _AsyncUpload:
    """Like starlette's UploadFile: an async ``read``."""

    def __init__(self, data: bytes) -> None:
        self.file = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self.file.read(size)


async def test_load_sky_map_takes_exactly_one_source() -> None:
    folder = str(BAYESTAR.parent)
    from_path = await load_sky_map("bayestar.fits.gz", None, folder, MAX_BYTES)
    uploaded = await load_sky_map(None, _AsyncUpload(BAYESTAR.read_bytes()), "", MAX_BYTES)
    from_file = await load_sky_map(None, io.BytesIO(BAYESTAR.read_bytes()), "", MAX_BYTES)
    np.testing.assert_array_equal(from_path.prob, uploaded.prob)
    np.testing.assert_array_equal(from_path.prob, from_file.prob)
    with pytest.raises(InvalidArgument, match="exactly one"):
        await load_sky_map(None, None, folder, MAX_BYTES)
    with pytest.raises(InvalidArgument, match="exactly one"):
        await load_sky_map("bayestar.fits.gz", b"...", folder, MAX_BYTES)


async def test_load_sky_map_rejects_large_and_unreadable_maps() -> None:
    with pytest.raises(InvalidArgument, match="larger than 1000 bytes") as caught:
        await load_sky_map(None, BAYESTAR.read_bytes(), "", 1000)
    assert caught.value.details["argument"] == "bayestar"
    with pytest.raises(InvalidArgument, match="larger than"):
        await load_sky_map("bayestar.fits.gz", None, str(BAYESTAR.parent), 1000)
    with pytest.raises(InvalidArgument, match="unreadable sky map"):
        await load_sky_map(None, b"SIMPLE = nonsense", "", MAX_BYTES)


async def test_skymap_search_finds_the_alerts_placed_in_region_and_window(store_factory) -> None:
    store, prefix = await store_factory()
    await write_tables(store, prefix, placed_alerts(), [tables.PIXEL128])
    sky = read_sky_map(BAYESTAR.read_bytes())

    r = reader(store, prefix)
    result = await skymap_search(r, sky, 0.9, 1.0, 6.0)
    assert len(result.region.pixels) == 5960
    assert result.window == (T - 1.0, T + 6.0)
    expected = sorted(p.object_id for p in PLACED if p.found)
    assert sorted(h.object_id for h in result.hits) == expected
    assert "ZTF20skylate" in expected  # first seen at T + 5.5: missed by Fink's code
    assert r.stats.round_trips <= 3  # data version, pixel128 types, ONE scan of 5960 ranges
    best = int(np.argmin(levels_128()))  # where the inside alerts were placed
    for hit in result.hits:
        assert hit.pixel == best
        assert hit.credible_level == pytest.approx(levels_128()[best]) and hit.credible_level < 0.9
        assert hit.record["objectId"] == hit.object_id
        assert isinstance(hit.record["classification"], str)

    narrow = await skymap_search(reader(store, prefix), sky, 0.5, 0.5, 3.0)
    assert sorted(h.object_id for h in narrow.hits) == ["ZTF20skyinaa"]
