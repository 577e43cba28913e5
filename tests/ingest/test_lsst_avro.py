"""Rubin alerts in Avro files (the alert stream's own format): the sample written as Avro
with the alert schema ingests to exactly the tables its parquet gives (the stamps' file path
aside), on both backends; the schema version comes from the Avro schema's namespace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import fastavro
import pytest

from fink_gateway.ingest.lsst.avro_schema import alert_schema
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.ingest.readers import lsst_schema_version, read_table
from fink_gateway.layout import rubin
from fink_gateway.layout.lsst_fields import SECTIONS
from fink_gateway.store.interface import Store
from fink_gateway.store.types import Cells, ScanRange
from tests.conftest import BACKENDS, module_store
from tests.ingest.lsst_samples import SAMPLE, sample

pytestmark = pytest.mark.anyio

_EXACT = {("diaObject", "diaObjectId"): "diaObjectId", ("ssSource", "ssObjectId"): "ssObjectId",
          ("ssSource", "diaSourceId"): "diaSourceId"}  # fmt: skip
"""Ids the sample holds as lossy float64 (docs/fink-lsst.md §9.1) → their exact int64 twin
in diaSource."""
_INTEGERS = {
    (s, f) for s, fields in SECTIONS.items() for f, kind in fields if kind in ("int", "long")
}


def _integers(section: str, record: dict[str, Any] | None) -> None:
    for name, value in (record or {}).items():
        if (section, name) in _INTEGERS and isinstance(value, float):
            record[name] = int(value)  # type: ignore[index]  # record is not None here


def avro_records() -> list[dict[str, Any]]:
    """The sample's alerts as the stream sends them: the schema's fields, integers exact."""
    records = []
    for alert in sample().to_pylist():
        alert.pop("brokerIngestMjd")
        alert.pop("lsst_schema_version")
        for section in ("diaSource", "diaObject", "ssSource", "mpc_orbits"):
            _integers(section, alert[section])
        for name in ("prvDiaSources", "prvDiaForcedSources"):
            item = "diaSource" if name == "prvDiaSources" else "diaForcedSource"
            for record in alert[name] or []:
                _integers(item, record)
        for (section, field), twin in _EXACT.items():
            if alert[section] is not None:
                alert[section][field] = alert["diaSource"][twin]
        records.append(alert)
    return records


def write_avro(path: Path) -> Path:
    with path.open("wb") as out:
        fastavro.writer(out, fastavro.parse_schema(alert_schema()), avro_records())
    return path


def test_the_version_is_the_schemas_namespace(tmp_path: Path) -> None:
    assert lsst_schema_version(alert_schema()) == "lsst.v10_0"
    assert lsst_schema_version({"name": "alert", "namespace": "ztf"}) is None
    table = read_table(write_avro(tmp_path / "alerts.avro"))
    assert set(table.column("lsst_schema_version").to_pylist()) == {"lsst.v10_0"}
    assert table.num_rows == 25


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def both_files(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Store, str, str]]:
    folder = tmp_path_factory.mktemp("lsst-avro")
    avro = write_avro(folder / "alerts.avro")
    async with module_store(request.param, folder) as (store, prefix):
        for name, path in (("parquet", SAMPLE), ("avro", avro)):
            report = await ingest_files(store, prefix, [path], lsst_prefix=f"{prefix}.{name}")
            assert not report.failures, report.failures
        yield store, f"{prefix}.parquet", f"{prefix}.avro"


async def _rows(store: Store, table: str) -> dict[bytes, Cells]:
    (rows,) = await store.scan(table, [ScanRange()])
    return {k: {c: v for c, v in cells.items() if c != b"r:hdfs_path"} for k, cells in rows}


async def test_avro_and_parquet_give_the_same_tables(both_files: tuple[Store, str, str]) -> None:
    store, from_parquet, from_avro = both_files
    for spec in rubin.RUBIN_TABLES:
        parquet_rows = await _rows(store, spec.name(from_parquet))
        assert await _rows(store, spec.name(from_avro)) == parquet_rows, spec.suffix
    (cells,) = await store.get_rows(
        rubin.CUTOUTS.name(from_avro), [rubin.cutout_key(169813006680588318)]
    )
    assert cells is not None and cells[b"r:hdfs_path"].endswith(b"alerts.avro")
