"""Ingest of the real Fink samples through the store interface, on both backends."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.layout import tables
from fink_gateway.store.interface import Store
from fink_gateway.store.types import ScanRange
from tests.data_paths import FINK_ZTF, SCIENCE_FILES, TEST_DATA

pytestmark = pytest.mark.anyio

ALERTS_IN_SAMPLES = 74 + 67 + 11 + 3 + 2


async def checksums(store: Store, prefix: str) -> dict[str, str]:
    """A digest of every row and cell of every table (except the data version)."""
    out = {}
    for name in await store.list_tables():
        if not (name == prefix or name.startswith(prefix + ".")):
            continue
        if name.endswith(".gateway_meta"):
            continue
        (rows,) = await store.scan(name, [ScanRange()])
        digest = hashlib.sha256()
        for key, cells in rows:
            digest.update(key)
            for column in sorted(cells):
                digest.update(column + b"=" + cells[column])
        out[name] = digest.hexdigest()
    return out


async def test_ingest_writes_every_table(store_factory) -> None:
    store, prefix = await store_factory()
    report = await ingest_files(store, prefix, SCIENCE_FILES)
    assert not report.failures
    assert report.counts.alerts == ALERTS_IN_SAMPLES
    ours = [n for n in await store.list_tables() if n == prefix or n.startswith(prefix + ".")]
    counts = {name: await store.count_rows(name) for name in ours}
    main = tables.MAIN.name(prefix)
    # one row per alert, plus one schema row per (broker, science) version pair
    (schema_rows,) = await store.scan(main, [ScanRange.prefix(b"schema_")])
    assert counts[main] == ALERTS_IN_SAMPLES + len(schema_rows)
    assert counts[tables.SSNAMENR.name(prefix)] > 5 + 3 + 1
    assert counts[tables.UPPER.name(prefix)] > 0
    assert counts[tables.UPPERVALID.name(prefix)] > 0
    assert counts[tables.SSO_RESOLVER.name(prefix)] > 0
    assert counts[tables.STATISTICS.name(prefix)] > 0


async def test_ingest_twice_leaves_tables_identical(store_factory) -> None:
    store, prefix = await store_factory()
    await ingest_files(store, prefix, SCIENCE_FILES)
    first = await checksums(store, prefix)
    await ingest_files(store, prefix, SCIENCE_FILES)
    assert await checksums(store, prefix) == first


def _write_without(path: Path, source: Path, column: str) -> None:
    table = pq.read_table(source)
    pq.write_table(table.drop_columns([column]), path)


async def test_bad_files_are_rejected_whole_and_named(store_factory, tmp_path: Path) -> None:
    store, prefix = await store_factory()
    good = FINK_ZTF / "science_20190903.parquet"
    not_parquet = tmp_path / "notes.parquet"
    not_parquet.write_text("objectId,jd\nZTF,1\n")
    missing = tmp_path / "missing_objectId.parquet"
    _write_without(missing, FINK_ZTF / "alert_samples_20220804.parquet", "objectId")
    wrong = tmp_path / "wrong_types.parquet"
    table = pq.read_table(FINK_ZTF / "alert_samples_20220804.parquet")
    index = table.column_names.index("cdsxmatch")
    wrong_table = table.set_column(
        index, "cdsxmatch", pa.array([1.5] * table.num_rows, pa.float64())
    )
    pq.write_table(wrong_table, wrong)

    report = await ingest_files(store, prefix, [not_parquet, missing, wrong, good])
    by_path = {f.path: f for f in report.failures}
    assert set(by_path) == {str(not_parquet), str(missing), str(wrong)}
    assert "not a parquet or avro file" in str(by_path[str(not_parquet)])
    assert by_path[str(missing)].column == "objectId"
    assert by_path[str(wrong)].column == "cdsxmatch"
    assert report.files == [str(good)]
    (rows,) = await store.scan(tables.MAIN.name(prefix), [ScanRange.prefix(b"ZTF")])
    assert {k.split(b"_")[0] for k, _ in rows} == {b"ZTF18abfisdf", b"ZTF18acbzznf"}


async def test_ingest_reads_partitioned_folders_and_avro(store_factory, tmp_path: Path) -> None:
    store, prefix = await store_factory()
    day = tmp_path / "year=2025" / "month=01" / "day=14"
    day.mkdir(parents=True)
    shutil.copy(FINK_ZTF / "science_20250114.parquet", day / "part-0.parquet")
    (tmp_path / "_SUCCESS").write_text("")
    avro = TEST_DATA / "avro" / "1628364324215010017.avro"
    report = await ingest_files(store, prefix, [tmp_path, avro])
    assert not report.failures, report.failures
    assert len(report.files) == 2
    (rows,) = await store.scan(tables.MAIN.name(prefix), [ScanRange.prefix(b"ZTF")])
    assert len(rows) == 2
