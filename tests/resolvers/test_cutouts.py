"""Cutouts: option checks (pure) and stamps read from the cutouts table in one batched call,
rendered as PNG, FITS or arrays; absent and broken stamps give nothing. Both backends."""

from __future__ import annotations

import asyncio
import base64
import gzip
import io
from collections import Counter
from collections.abc import AsyncIterator

import numpy as np
import pytest
from PIL import Image

from fink_gateway.errors import InvalidArgument
from fink_gateway.ingest.alerts import Alerts, read_alerts
from fink_gateway.layout import tables
from fink_gateway.resolvers.cutouts import (
    PNG_DATA_URL,
    alert_cutout,
    cutout_key,
    object_cutouts,
    render_options,
    stamp_column,
)
from fink_gateway.science.cutouts import read_stamp, stamp_array
from fink_gateway.store.interface import Store
from tests.archive_data import demo_alerts, reader, write_tables
from tests.conftest import BACKENDS, module_store
from tests.data_paths import read_sample

pytestmark = pytest.mark.anyio


def test_cutout_key_is_the_main_table_key() -> None:
    assert cutout_key("ZTF25abuovxv", 2460983.8906481) == b"ZTF25abuovxv_2460983.8906481"
    assert cutout_key("ZTF19aaaaaaa", 2458788.0) == b"ZTF19aaaaaaa_2458788.0"


def test_render_options_defaults_are_finks() -> None:
    options = render_options("PNG")
    assert (options.stretch, options.pmin, options.pmax) == ("sigmoid", 0.5, 99.5)
    assert options.colormap is None and options.convolution_kernel is None


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"format": "JPEG"}, "format"),
        ({"stretch": "cubic"}, "stretch"),
        ({"convolution_kernel": "median"}, "convolutionKernel"),
        ({"pmin": -1.0}, "pmin"),
        ({"pmax": 100.5}, "pmax"),
        ({"pmin": 60.0, "pmax": 40.0}, "pmin"),
        ({"pmin": float("nan")}, "pmin"),
        ({"colormap": "not-a-colormap"}, "colormap"),
    ],
)
def test_render_options_reject_bad_values(kwargs: dict[str, object], argument: str) -> None:
    values: dict[str, object] = {"format": "PNG", **kwargs}
    with pytest.raises(InvalidArgument) as caught:
        render_options(**values)  # type: ignore[arg-type]
    assert caught.value.details["argument"] == argument


CutoutStore = tuple[Store, str, Alerts, Alerts]


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def cutout_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[CutoutStore]:
    """Cutouts of a real 2025 sample and of demo alerts, plus one row with a broken stamp."""
    async with module_store(request.param, tmp_path_factory.mktemp("cutouts")) as (store, prefix):
        real = read_alerts(read_sample("benoit_julien_2025"), "benoit")
        demo = demo_alerts(60)
        await write_tables(store, prefix, real, [tables.CUTOUTS])
        await write_tables(store, prefix, demo, [tables.CUTOUTS])
        broken = {stamp_column("Science"): b"\x1f\x8b\x08 not really gzip"}
        await store.put_rows(tables.CUTOUTS.name(prefix), [(b"ZTF20brokenz_2459000.5", broken)])
        yield store, prefix, real, demo


async def test_alert_cutout_renders_png_fits_and_array(cutout_store: CutoutStore) -> None:
    store, prefix, real, _ = cutout_store
    oid, jd = real.strings("objectId")[0], float(real.numpy("jd")[0])
    stamp = real.cutouts["Science"][0].as_py()["stampData"]

    png = await alert_cutout(reader(store, prefix), oid, jd, "Science", render_options("PNG"))
    assert png is not None and png.data is not None and png.data.startswith(PNG_DATA_URL)
    picture = Image.open(io.BytesIO(base64.b64decode(png.data[len(PNG_DATA_URL) :])))
    assert picture.size == (63, 63) and (png.width, png.height) == (63, 63)
    assert png.file_name and png.file_name.endswith("_targ_sci.fits.gz")

    fits_ = await alert_cutout(reader(store, prefix), oid, jd, "Science", render_options("FITS"))
    assert fits_ is not None and fits_.array is None
    assert base64.b64decode(fits_.data or "") == gzip.decompress(stamp)

    array = await alert_cutout(reader(store, prefix), oid, jd, "Science", render_options("ARRAY"))
    assert array is not None and array.data is None
    assert array.array == stamp_array(read_stamp(stamp))

    template = await alert_cutout(reader(store, prefix), oid, jd, "Template",
                                  render_options("ARRAY"))  # fmt: skip
    assert template is not None and template.array != array.array


async def test_cutouts_of_many_alerts_cost_one_store_call(cutout_store: CutoutStore) -> None:
    store, prefix, _, demo = cutout_store
    r = reader(store, prefix)
    options = render_options("PNG", "linear", "viridis", convolution_kernel="gauss")
    pairs = list(zip(demo.strings("objectId"), demo.numpy("jd").tolist(), strict=True))[:25]
    found = await asyncio.gather(*(alert_cutout(r, o, j, "Difference", options) for o, j in pairs))
    assert all(c is not None for c in found)
    assert r.stats.round_trips == 1
    rgba = Image.open(io.BytesIO(base64.b64decode(found[0].data[len(PNG_DATA_URL) :])))  # type: ignore[union-attr, index]
    assert rgba.mode == "RGBA"


async def test_absent_and_broken_stamps_give_no_cutout(cutout_store: CutoutStore) -> None:
    store, prefix, _, _ = cutout_store
    options = render_options("PNG")
    r = reader(store, prefix)
    assert await alert_cutout(r, "ZTF20brokenz", 2459000.5, "Science", options) is None
    assert await alert_cutout(r, "ZTF20brokenz", 2459000.5, "Template", options) is None
    assert await alert_cutout(r, "ZTF20absentz", 2459000.5, "Science", options) is None


async def test_object_cutouts_lists_stamps_newest_first(cutout_store: CutoutStore) -> None:
    store, prefix, _, demo = cutout_store
    counts = Counter(demo.strings("objectId"))
    oid = max(counts, key=lambda o: (counts[o], o))
    assert counts[oid] >= 2
    jds = sorted(
        (j for o, j in zip(demo.strings("objectId"), demo.numpy("jd").tolist(), strict=True)
         if o == oid),
        reverse=True,
    )  # fmt: skip
    asked = [*jds, 2400000.5]  # one alert without stamps: left out
    r = reader(store, prefix)
    found = await object_cutouts(r, oid, asked, "Science", render_options("ARRAY"))
    assert [c.jd for c in found] == jds
    assert r.stats.round_trips == 1
    assert all(np.asarray(c.array, dtype=float).shape == (63, 63) for c in found)
