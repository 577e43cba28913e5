"""Per-night statistics: date checks and decoding (pure), and prefix reads of statistics_class
written by the ingest's nightly builder, compared with counts made from the alerts. Both
backends."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.ingest.nightly import NightlyTables, night_of
from fink_gateway.ingest.rows import EncodedAlerts
from fink_gateway.layout import tables
from fink_gateway.resolvers.statistics import (
    decode_count,
    load_statistics,
    night_counts,
    statistics_date,
)
from tests.archive_data import demo_alerts, reader

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("date", "prefix"),
    [("2025", "2025"), ("202501", "202501"), ("20250114", "20250114"), (" 2024 ", "2024"),
     ("2025-01", "202501"), ("2025-01-14", "20250114"), (" 2024-02-29 ", "20240229")],
)  # fmt: skip
def test_statistics_date_accepts_year_month_day(date: str, prefix: str) -> None:
    assert statistics_date(date) == prefix


@pytest.mark.parametrize(
    "date",
    ["", "25", "20251", "2025011", "202513", "20250230", "2025-0114", "202501-14", "2025-13",
     "2025-02-30", "2025-1-14", "x2025", "202501141", "2025--01"],
)  # fmt: skip
def test_statistics_date_rejects_other_text(date: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        statistics_date(date)
    assert caught.value.details["argument"] == "date"


def test_decode_count_reads_longs_even_with_a_leading_zero_byte() -> None:
    assert decode_count((5).to_bytes(8, "big")) == 5  # Fink's reader turns this into 0
    assert decode_count((-2).to_bytes(8, "big", signed=True)) == -2
    assert decode_count(b"42") == 42
    assert decode_count(b"\xff\x00") is None


def test_night_counts_separates_basic_classes_and_simbad_totals() -> None:
    cells = {
        b"basic:sci": (10).to_bytes(8, "big"),
        b"class:SN candidate": (2).to_bytes(8, "big"),
        b"class:RRLyr": (5).to_bytes(8, "big"),
        b"class:Unknown": (2).to_bytes(8, "big"),
        b"class:simbad_tot": (5).to_bytes(8, "big"),
        b"class:simbad_gal": (7).to_bytes(8, "big"),
    }
    counts = night_counts(b"ztf_20250114", cells)
    assert counts.night == "20250114"
    assert counts.basic == {"sci": 10}
    assert list(counts.classes.items()) == [("RRLyr", 5), ("SN candidate", 2), ("Unknown", 2)]
    assert (counts.simbad_total, counts.simbad_extragalactic) == (5, 7)


async def test_load_statistics_matches_the_alerts(store_factory) -> None:
    store, prefix = await store_factory()
    alerts = demo_alerts(800, with_cutouts=False)
    enc = EncodedAlerts(alerts)
    nightly = NightlyTables()
    nightly.add(enc)
    name = tables.STATISTICS.name(prefix)
    await store.create_table(name, tables.STATISTICS.families)
    await store.put_rows(name, nightly.statistics_rows())

    nights = np.array(night_of(enc.jd))
    month = str(nights[0])[:6]
    found = await load_statistics(reader(store, prefix), month)
    in_month = sorted({n for n in nights.tolist() if n.startswith(month)})
    assert [n.night for n in found] == in_month
    fid = alerts.numpy("fid")
    for night in found:
        mask = nights == night.night
        assert night.basic["sci"] == night.basic["raw"] == int(mask.sum())
        assert night.basic["n_g"] == int((fid[mask] == 1).sum())
        assert night.basic["n_r"] == int((fid[mask] == 2).sum())
        assert night.basic["exposures"] == len(set(enc.jd[mask].tolist()))
        assert night.classes == dict(
            sorted(Counter(enc.labels[mask].tolist()).items(), key=lambda kv: (-kv[1], kv[0]))
        )
        assert night.simbad_total is not None
    (one,) = await load_statistics(reader(store, prefix), in_month[0])
    assert one.night == in_month[0]
    year = await load_statistics(reader(store, prefix), month[:4])
    assert len(year) == len({n for n in nights.tolist() if n.startswith(month[:4])})
    assert await load_statistics(reader(store, prefix), "2019") == []
