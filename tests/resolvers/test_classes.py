"""Class search: order, counts, pages, windows and trends equal a brute-force computation with
``science.classification.classify`` over the shared samples, on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.layout.columns import INDEX_COLUMNS
from fink_gateway.loaders.reader import Reader, TypesCache
from fink_gateway.resolvers import classes
from fink_gateway.resolvers.classes import (
    FADING,
    NO_LABELS,
    RISING,
    ClassQuery,
    KnownLabelsMemo,
    alerts_by_class,
    class_catalog,
    class_cursor,
    class_cursor_key,
    class_target,
    class_window,
    count_class_alerts,
    index_columns,
    known_labels,
    resolve_class,
)
from fink_gateway.resolvers.keyset import KeysetPage
from fink_gateway.science.classification import classify
from fink_gateway.science.times import MJD_OFFSET
from fink_gateway.store.interface import Store
from tests.conftest import BACKENDS, ingested_store
from tests.data_paths import SCIENCE_FILES, classification_frame

pytestmark = pytest.mark.anyio

ALL_COLUMNS = tuple(sorted(c.column for c in INDEX_COLUMNS))


# --- validation and the catalog (pure) ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "table", "label"),
    [
        ("SN candidate", tables.CLASS, "SN candidate"),
        ("Unknown", tables.CLASS, "Unknown"),
        ("(SIMBAD) RRLyr", tables.CLASS, "RRLyr"),
        ("(SIMBAD) EB*_Candidate", tables.CLASS, "EB*_Candidate"),
        ("RRLyr", tables.CLASS, "RRLyr"),  # a bare SIMBAD label, as Fink accepts
        ("(TNS) SN Ia", tables.TNS, "SN Ia"),
        ("(TNS) SN Iax[02cx-like]", tables.TNS, "SN Iax[02cx-like]"),
    ],
)
def test_class_target_maps_names_to_tables(name: str, table: tables.TableSpec, label: str) -> None:
    target = class_target(name, NO_LABELS)
    assert (target.table, target.label, target.prefix) == (table, label, f"{label}_".encode())


@pytest.mark.parametrize(
    "name",
    ["SN candidat", "(TNS) Supernova", "(SIMBAD) SN candidate", "(SIMBAD) Unknown", "(TNS) ", ""],
)
def test_class_target_rejects_unknown_classes_listing_valid_ones(name: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        class_target(name, NO_LABELS)
    message = str(caught.value)
    for part in ("SN candidate", "Solar System MPC", "(TNS) <type>", "SN Ia-91T-like",
                 "(SIMBAD) <label>", "`classes`"):  # fmt: skip
        assert part in message
    assert caught.value.details["argument"] == "class"


def test_class_catalog_lists_every_source() -> None:
    known = classes.KnownLabels(frozenset({"NIR"}), frozenset({"TDE-H-He"}))
    catalog = class_catalog(known)
    by_source: dict[str, list[str]] = {}
    for entry in catalog:
        by_source.setdefault(entry.source, []).append(entry.name)
        assert class_target(entry.name, known).label == entry.label
    assert len(by_source["FINK"]) == 12
    assert len(by_source["TNS"]) == 44
    assert len(by_source["SIMBAD"]) == 316
    assert "(SIMBAD) NIR" in by_source["SIMBAD"] and "(TNS) TDE-H-He" in by_source["TNS"]


def test_class_catalog_order_does_not_depend_on_the_process() -> None:
    """Labels equal but for case (SIMBAD's Blue and blue) come in one order in every process
    (set order changes with the string hash seed)."""
    script = (
        "from fink_gateway.resolvers.classes import KnownLabels, class_catalog;"
        "print([e.name for e in class_catalog(KnownLabels(frozenset(), frozenset()))])"
    )
    orders = {
        subprocess.run(
            [sys.executable, "-c", script], env=dict(os.environ, PYTHONHASHSEED=str(seed)),
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in range(4)
    }  # fmt: skip
    assert len(orders) == 1
    names = [e.name for e in class_catalog(classes.KnownLabels(frozenset(), frozenset()))]
    assert names.index("(SIMBAD) Blue") < names.index("(SIMBAD) blue")


def test_index_columns_keep_index_columns_only() -> None:
    assert index_columns({b"i:magpsf", b"i:pid"}, None) == (b"i:jd", b"i:magpsf")
    assert index_columns((), RISING) == (b"d:mag_rate", b"i:jd")


# --- against the samples -----------------------------------------------------------------


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def ingested(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Store, str]]:
    """Every science sample ingested once per backend."""
    folder = tmp_path_factory.mktemp("classes")
    async with ingested_store(request.param, folder, SCIENCE_FILES) as found:
        yield found


def sample_index() -> pd.DataFrame:
    """Every sample alert with its Fink label, TNS type, mag_rate and index-row keys."""
    frames = []
    for path in SCIENCE_FILES:
        table = pq.read_table(path)
        frame = classification_frame(table)
        frame["label"] = classify(frame)
        candidate = table.column("candidate").combine_chunks()
        for name in ("nbad", "rb", "fid"):
            frame[name] = candidate.field(name).to_numpy(zero_copy_only=False)
        names = table.column_names
        frame["tns"] = table.column("tns").to_pylist() if "tns" in names else None
        # a column the file lacks is written with Fink's default (0.0); a null is no cell
        rate = table.column("mag_rate").to_pandas() if "mag_rate" in names else 0.0
        frame["mag_rate"] = pd.to_numeric(rate, errors="coerce")
        frames.append(frame)
    alerts = pd.concat(frames, ignore_index=True)
    alerts = alerts[(alerts["nbad"] == 0) & (alerts["rb"] >= np.float32(0.55))]
    alerts = alerts[alerts["fid"] != 3].reset_index(drop=True)
    jd_text = [repr(float(jd)) for jd in alerts["jd"]]
    oids = alerts["objectId"].tolist()
    alerts["class_key"] = [
        f"{c}_{j}_{o}".encode() for c, j, o in zip(alerts["label"], jd_text, oids, strict=True)
    ]
    alerts["tns_key"] = [
        f"{t}_{j}_{o}".encode() if t else None
        for t, j, o in zip(alerts["tns"], jd_text, oids, strict=True)
    ]
    return alerts


INDEX = sample_index()


def expected_keys(
    name: str, since: float | None = None, until: float | None = None, trend: str | None = None
) -> list[bytes]:
    """Keys of the class's rows in the window (Fink's defaults), newest key first."""
    start, stop = class_window(since, until)
    rows = INDEX[(INDEX["jd"] >= start) & (INDEX["jd"] <= stop)]
    if trend == RISING:
        rows = rows[rows["mag_rate"] < 0]
    elif trend == FADING:
        rows = rows[rows["mag_rate"] > 0]
    if name.startswith("(TNS) "):
        rows = rows[rows["tns"] == name.removeprefix("(TNS) ")]
        return sorted(set(rows["tns_key"]), reverse=True)
    rows = rows[rows["label"] == name.removeprefix("(SIMBAD) ")]
    return sorted(set(rows["class_key"]), reverse=True)


async def search(
    ingested: tuple[Store, str], name: str, since: float | None = None,
    until: float | None = None, trend: str | None = None, first: int = 1000,
    after: bytes | None = None,
) -> KeysetPage:  # fmt: skip
    store, prefix = ingested
    reader = Reader(store, prefix, TypesCache())
    target = await resolve_class(reader, name)
    window = class_window(since, until)
    query = ClassQuery(target, window, trend)
    return await alerts_by_class(reader, query, first, after, ALL_COLUMNS)


async def walk(ingested: tuple[Store, str], name: str, first: int, **kw: object) -> list[bytes]:
    """Every key of every page, following cursors; checks each page's size and flags."""
    keys: list[bytes] = []
    after = None
    for _ in range(1000):
        page = await search(ingested, name, first=first, after=after, **kw)  # type: ignore[arg-type]
        assert len(page.items) <= first
        keys += [h.key for h in page.items]
        if not page.has_next:
            return keys
        assert page.resume is not None
        after = class_cursor_key(class_cursor(page.resume), class_target(name, NO_LABELS_OR_DATA))
    raise AssertionError("pages never end")


NO_LABELS_OR_DATA = classes.KnownLabels(frozenset({"NIR"}), frozenset({"TDE-H-He"}))

SINCE_2019 = 2458484.5  # 2019-01-01


@pytest.mark.parametrize(
    ("name", "since", "count"),
    [
        ("SN candidate", None, 7),
        ("Unknown", None, None),
        ("Solar System MPC", None, None),
        ("Early SN Ia candidate", None, 2),
        ("(SIMBAD) Seyfert_2", None, 3),
        ("(SIMBAD) LPV*", None, 0),  # its only alert is of 2019-09-03, before Fink's default
        ("(SIMBAD) LPV*", SINCE_2019, 1),
        ("(SIMBAD) RRLyr", None, 2),
        ("EB*_Candidate", None, 2),
        ("(SIMBAD) Blue", None, 3),
        ("(SIMBAD) NIR", None, 2),  # an otype code in cdsxmatch: known from the data only
        ("(TNS) SN Ic", None, 1),
        ("(TNS) TDE-H-He", None, 1),  # not in Fink's tns_types.csv: known from the data
        ("(TNS) SN Ia", None, 0),
    ],
)
async def test_alerts_by_class_equals_brute_force(
    ingested: tuple[Store, str], name: str, since: float | None, count: int | None
) -> None:
    page = await search(ingested, name, since)
    expected = expected_keys(name, since)
    assert [h.key for h in page.items] == expected
    assert not page.has_next
    if count is not None:
        assert len(expected) == count
    labels = INDEX.set_index("objectId")
    for hit in page.items:
        oid = hit.key.rsplit(b"_", 1)[1].decode()
        assert hit.record["objectId"] == oid
        assert float(hit.record["jd"]) == float(hit.key.rsplit(b"_", 2)[1])  # type: ignore[arg-type]
        assert hit.record["classification"] in set(labels.loc[[oid], "label"])
    jds = [float(h.key.rsplit(b"_", 2)[1]) for h in page.items]
    assert jds == sorted(jds, reverse=True)


@pytest.mark.parametrize(("name", "first"), [("Unknown", 2), ("SN candidate", 3), ("Unknown", 1)])
async def test_alerts_by_class_pages_return_every_row_once(
    ingested: tuple[Store, str], name: str, first: int
) -> None:
    keys = await walk(ingested, name, first)
    assert keys == expected_keys(name)
    assert len(keys) > first


async def test_alerts_by_class_first_zero_only_says_whether_rows_exist(
    ingested: tuple[Store, str],
) -> None:
    page = await search(ingested, "SN candidate", first=0)
    assert (page.items, page.has_next) == ([], True)


def _jds(name: str) -> list[float]:
    return sorted({float(k.rsplit(b"_", 2)[1]) for k in expected_keys(name, SINCE_2019)})


@pytest.mark.parametrize(("since_at", "until_at"), [(0, -1), (1, -2), (2, 2), (None, 3), (3, None)])
@pytest.mark.parametrize("name", ["Unknown", "SN candidate"])
async def test_alerts_by_class_window_includes_its_ends(
    ingested: tuple[Store, str], name: str, since_at: int | None, until_at: int | None
) -> None:
    jds = _jds(name)
    since = None if since_at is None else jds[since_at]
    until = None if until_at is None else jds[until_at]
    page = await search(ingested, name, since, until)
    expected = expected_keys(name, since, until)
    assert [h.key for h in page.items] == expected
    assert expected


async def test_alerts_by_class_window_accepts_an_empty_window(
    ingested: tuple[Store, str],
) -> None:
    page = await search(ingested, "SN candidate", 2460000.5 + 1e6, None)
    assert (page.items, page.has_next) == ([], False)
    page = await search(ingested, "SN candidate", None, 58000.0 + MJD_OFFSET)
    assert (page.items, page.has_next) == ([], False)


@pytest.mark.parametrize("trend", [RISING, FADING])
@pytest.mark.parametrize("name", ["SN candidate", "Unknown", "Solar System MPC"])
async def test_alerts_by_class_trend_filters_on_mag_rate(
    ingested: tuple[Store, str], name: str, trend: str
) -> None:
    page = await search(ingested, name, trend=trend)
    expected = expected_keys(name, trend=trend)
    assert [h.key for h in page.items] == expected
    for hit in page.items:
        rate = float(hit.record["mag_rate"])  # type: ignore[arg-type]
        assert rate < 0 if trend == RISING else rate > 0
    assert await walk(ingested, name, 1, trend=trend) == expected


async def test_alerts_by_class_trend_pages_resume_when_the_scan_budget_is_spent(
    ingested: tuple[Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(classes, "MAX_SCANNED_ROWS", 2)
    expected = expected_keys("Unknown", trend=FADING)
    assert expected
    assert await walk(ingested, "Unknown", 1, trend=FADING) == expected
    assert await walk(ingested, "Unknown", 5, trend=RISING) == expected_keys(
        "Unknown", trend=RISING
    )


@pytest.mark.parametrize(
    ("name", "trend"), [("Unknown", None), ("SN candidate", RISING), ("(TNS) SN Ic", None)]
)
async def test_count_class_alerts_counts_the_whole_window(
    ingested: tuple[Store, str], name: str, trend: str | None
) -> None:
    store, prefix = ingested
    reader = Reader(store, prefix, TypesCache())
    target = await resolve_class(reader, name)
    query = ClassQuery(target, class_window(None, None), trend)
    count = await count_class_alerts(reader, query)
    assert count == len(expected_keys(name, trend=trend))


async def test_known_labels_come_from_the_data(ingested: tuple[Store, str]) -> None:
    store, prefix = ingested
    known = await known_labels(Reader(store, prefix, TypesCache()))
    assert {"NIR", "RRLyr", "Seyfert_2", "LPV*", "Blue"} <= known.simbad
    assert not known.simbad & {"SN candidate", "Unknown", "simbad_tot"}
    assert known.tns == {"TDE-H-He", "SN Ic", "SN IIP", "SN II"}


async def test_known_labels_are_read_once_per_data_version(ingested: tuple[Store, str]) -> None:
    store, prefix = ingested
    memo, types = KnownLabelsMemo(), TypesCache()
    first = Reader(store, prefix, types)
    known = await memo.get(first)
    second = Reader(store, prefix, types)
    assert await memo.get(second) is known
    assert second.store.stats.round_trips == 1  # the data version, not the labels


async def test_resolve_class_error_lists_classes_found_in_the_data(
    ingested: tuple[Store, str],
) -> None:
    store, prefix = ingested
    with pytest.raises(InvalidArgument, match="TDE-H-He"):
        await resolve_class(Reader(store, prefix, TypesCache()), "(TNS) TDE-H")


def test_class_cursor_of_another_class_is_rejected() -> None:
    cursor = class_cursor(b"SN candidate_2460983.8906481_ZTF25abuovxv")
    target = class_target("Unknown", NO_LABELS)
    with pytest.raises(InvalidArgument, match="does not belong"):
        class_cursor_key(cursor, target)
    with pytest.raises(InvalidArgument, match="invalid cursor"):
        class_cursor_key("bm90IGEgY3Vyc29y", target)
