"""Ingest of the Rubin LSST sample into Fink's ``rubin.*`` layout, on both backends: the keys
and bytes of docs/fink-lsst.md §9.2, rows per table, schema rows, idempotence, bad files."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import healpy as hp
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fink_gateway.ingest.pipeline import IngestReport, ingest_files
from fink_gateway.layout import rubin
from fink_gateway.layout.tables import TableSpec
from fink_gateway.store.interface import Store
from fink_gateway.store.types import Cells, ScanRange
from tests.conftest import BACKENDS, module_store
from tests.ingest.lsst_samples import ALERT_A, SAMPLE, alerts_by_source_id, sample, with_field

pytestmark = pytest.mark.anyio

ROWS_PER_TABLE = {
    "diaObject": 22, "diaSource_static": 22, "diaSource_sso": 3, "mpc_orbits": 3,
    "cutouts": 25, "pixel1024": 22, "sso_resolver": 3, "fp": 0,
}  # fmt: skip
"""docs/fink-lsst.md §9.4: what Fink's own ingestion wrote for the sample."""

WORKED_EXAMPLES = {
    "diaObject": ["318_169813006680588318", "671_169645854020337671"],
    "diaSource_static": [
        "318_169813006680588318_61041.2257173097", "671_169645854020337671_61041.22124337929",
    ],
    "pixel1024": [
        "10983247_61041.2257173097_169813006680588318",
        "10972492_61003.32115570824_169645854020337671",
    ],
    "cutouts": [
        "318_169813006680588318", "851_169813006131658851", "974_169813007065939974",
    ],
    "mpc_orbits": ["01_K01S97B"],
    "diaSource_sso": ["01_K01S97B_61041.22841915843"],
    "sso_resolver": ["578_21163611661088578"],
}  # fmt: skip
"""§9.2 A, B and C (tag tables aside)."""

SCHEMA_KEY = b"schema_unknown_unknown"
"""The sample has no version columns: named as the ZTF ingest names them."""


@dataclass
class Ingested:
    store: Store
    prefix: str
    lsst_prefix: str
    report: IngestReport

    def table(self, spec: TableSpec) -> str:
        return spec.name(self.lsst_prefix)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def ingested(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Ingested]:
    """The sample ingested once per backend; Rubin tables under ``<prefix>.rubin``."""
    folder = tmp_path_factory.mktemp("lsst")
    async with module_store(request.param, folder) as (store, prefix):
        lsst_prefix = f"{prefix}.rubin"
        report = await ingest_files(store, prefix, [SAMPLE], lsst_prefix=lsst_prefix)
        yield Ingested(store, prefix, lsst_prefix, report)


async def _rows(ingested: Ingested, spec: TableSpec) -> dict[bytes, Cells]:
    (rows,) = await ingested.store.scan(ingested.table(spec), [ScanRange()])
    return dict(rows)


async def _row(ingested: Ingested, spec: TableSpec, key: str) -> Cells:
    (cells,) = await ingested.store.get_rows(ingested.table(spec), [key.encode()])
    assert cells is not None, key
    return cells


async def test_the_sample_ingests_without_failure(ingested: Ingested) -> None:
    assert not ingested.report.failures, ingested.report.failures
    assert ingested.report.files == [str(SAMPLE)]
    assert ingested.report.counts.alerts == 25


async def test_each_table_holds_finks_rows_and_one_schema_row(ingested: Ingested) -> None:
    counts, schema_keys = {}, {}
    for spec in rubin.RUBIN_TABLES:
        keys = list(await _rows(ingested, spec))
        counts[spec.suffix] = sum(not k.startswith(b"schema") for k in keys)
        schema_keys[spec.suffix] = [k for k in keys if k.startswith(b"schema")]
    assert counts == ROWS_PER_TABLE
    assert schema_keys == {suffix: [SCHEMA_KEY] for suffix in ROWS_PER_TABLE}


async def test_the_worked_examples_keys_are_present(ingested: Ingested) -> None:
    by_suffix = {spec.suffix: spec for spec in rubin.RUBIN_TABLES}
    for suffix, keys in WORKED_EXAMPLES.items():
        found = await _rows(ingested, by_suffix[suffix])
        missing = [k for k in keys if k.encode() not in found]
        assert not missing, (suffix, missing)


async def test_cells_of_alert_a_are_finks_bytes(ingested: Ingested) -> None:
    cells = await _row(ingested, rubin.DIA_SOURCE, "318_169813006680588318_61041.2257173097")
    assert cells[b"r:diaSourceId"].hex() == "025b4c07a570001e"
    assert cells[b"r:diaObjectId"].hex() == "025b4c07a570001e"
    assert cells[b"r:midpointMjdTai"].hex() == "40edce27391381ea"
    assert cells[b"r:psfFlux"].hex() == "44cac73f"
    assert cells[b"r:detector"].hex() == "000000ae"
    assert cells[b"r:band"] == b"i"
    assert cells[b"r:isDipole"] == b"false"
    assert cells[b"r:salt"] == b"318"
    assert cells[b"r:ssObjectId"] == bytes(8)  # 0 is a value: a cell
    assert cells[b"f:lsst_schema_version"] == b"lsst.v10_0"
    assert b"f:xm_simbad_otype" not in cells  # absent from the input: no cell
    assert b"f:fink_broker_version" not in cells


async def test_object_rows_carry_finks_object_columns(ingested: Ingested) -> None:
    a = await _row(ingested, rubin.DIA_OBJECT, "318_169813006680588318")
    assert (a[b"f:is_sso"], a[b"f:is_first"], a[b"f:is_cataloged"]) == (b"false", b"true", b"false")
    assert a[b"f:firstDiaSourceMjdTaiFink"] == struct.pack(">d", 61041.2257173097)
    assert a[b"r:diaObjectId"] == struct.pack(">q", ALERT_A)  # exact, not the sample's float64
    assert a[b"r:nDiaSources"] == struct.pack(">i", 1)
    assert b"f:main_label_crossmatch" not in a and b"f:main_label_classifier" not in a
    b = await _row(ingested, rubin.DIA_OBJECT, "671_169645854020337671")
    assert b[b"f:is_first"] == b"false"
    assert b[b"f:firstDiaSourceMjdTaiFink"] == struct.pack(">d", 61003.32115570824)


async def test_schema_rows_name_every_column_even_without_cells(ingested: Ingested) -> None:
    for spec, columns in rubin.COLUMNS.items():
        schema = await _row(ingested, spec, SCHEMA_KEY.decode())
        assert schema == {c.column: c.type.encode() for c in columns}, spec.suffix
    schema = await _row(ingested, rubin.PIXEL1024, SCHEMA_KEY.decode())
    assert schema[b"f:xm_simbad_otype"] == b"string"
    assert schema[b"r:isDipole"] == b"boolean"
    assert schema[b"f:pixel1024"] == b"integer"


async def test_pixel_keys_are_healpy_ring_pixels_of_the_source(ingested: Ingested) -> None:
    """Recomputed here from the parquet with healpy (RING, nside 1024, diaSource ra/dec)."""
    source = alerts_by_source_id()[ALERT_A]["diaSource"]
    theta = np.pi / 2 - np.pi / 180 * source["dec"]
    pixel = int(hp.ang2pix(1024, theta, np.pi / 180 * source["ra"]))
    key = f"{pixel}_{source['midpointMjdTai']!r}_{source['diaObjectId']}"
    cells = await _row(ingested, rubin.PIXEL1024, key)
    assert cells[b"f:pixel1024"] == struct.pack(">i", pixel)
    assert cells[b"r:ra"] == struct.pack(">d", source["ra"])  # diaSource's position
    assert b"r:salt" not in cells  # pixel1024 rows are not salted


async def test_cutouts_and_resolver_rows(ingested: Ingested) -> None:
    c = await _row(ingested, rubin.CUTOUTS, "974_169813007065939974")
    assert c == {
        b"r:midpointMjdTai": struct.pack(">d", 61041.22841915843),
        b"r:diaSourceId": struct.pack(">q", 169813007065939974),
        b"r:hdfs_path": SAMPLE.resolve().as_uri().encode(),
    }  # an SSO alert: no diaObjectId cell
    resolver = await _row(ingested, rubin.SSO_RESOLVER, "578_21163611661088578")
    assert resolver[b"r:packed_primary_provisional_designation"] == b"K01S97B"
    assert resolver[b"r:ssObjectId"] == struct.pack(">q", 21163611661088578)
    assert resolver[b"r:diaSourceId"] == struct.pack(">q", 169813007065939974)
    orbit = await _row(ingested, rubin.MPC_ORBITS, "01_K01S97B")
    assert orbit[b"r:salt"] == b"01"


async def _checksums(ingested: Ingested) -> dict[str, str]:
    out = {}
    for spec in rubin.RUBIN_TABLES:
        digest = hashlib.sha256()
        for key, cells in sorted((await _rows(ingested, spec)).items()):
            digest.update(key)
            for column in sorted(cells):
                digest.update(column + b"=" + cells[column])
        out[spec.suffix] = digest.hexdigest()
    return out


async def test_ingesting_again_leaves_the_tables_identical(ingested: Ingested) -> None:
    before = await _checksums(ingested)
    report = await ingest_files(
        ingested.store, ingested.prefix, [SAMPLE], lsst_prefix=ingested.lsst_prefix
    )
    assert not report.failures
    assert await _checksums(ingested) == before


async def test_bad_files_are_rejected_whole_before_any_table(
    ingested: Ingested, tmp_path: Path
) -> None:
    table = sample()
    n = table.num_rows
    bad = {
        "lsst_schema_version": table.set_column(
            table.column_names.index("lsst_schema_version"), "lsst_schema_version",
            pa.array(["lsst.v9_0"] * n),
        ),
        "diaSource": table.drop_columns(["diaSource"]),
        "diaSource.psfFlux": with_field(table, "diaSource", "psfFlux", pa.array(["x"] * n)),
    }  # fmt: skip
    paths = {}
    for column, broken in bad.items():
        paths[column] = tmp_path / f"{column}.parquet"
        pq.write_table(broken, paths[column])
    lsst_prefix = f"{ingested.prefix}.bad"
    report = await ingest_files(
        ingested.store, ingested.prefix, list(paths.values()), lsst_prefix=lsst_prefix
    )
    assert report.files == []
    assert {f.path: (f.code, f.column) for f in report.failures} == {
        str(path): ("INGEST_FAILED", column) for column, path in paths.items()
    }
    tables = await ingested.store.list_tables()
    assert not [t for t in tables if t.startswith(lsst_prefix + ".")]
