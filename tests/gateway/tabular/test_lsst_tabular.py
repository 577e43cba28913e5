"""LSST light curves from ``/graphql`` as CSV, Parquet and VOTable, on the real Rubin sample
(tests/data/fink-lsst): Fink stores the float fluxes as float32, so the tables carry float32
(CSV: float32's shortest digits, as numpy prints them), 64-bit ids as int64, with units."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from astropy.io import votable
from starlette.testclient import TestClient

from fink_gateway.gateway.app import build_app
from fink_gateway.gateway.config import Settings
from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.store.embedded import EmbeddedStore
from tests.ingest.lsst_samples import SAMPLE, alerts_by_source_id, expected_sources

PREFIX = "ztf"
QUERY = """query L($ids: [BigInt!]!) { lsstObjects(diaObjectIds: $ids) { diaObjectId
  lightcurve { midpointMjdTai band psfFlux psfFluxErr scienceFlux sourceId } } }"""
FLUXES = ("psfFlux", "psfFluxErr", "scienceFlux")
TAG = "sample_stream"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The gateway over the LSST sample, on the embedded store (the tables do not depend on
    the backend; tests/schema/test_lsst_schema.py reads both)."""
    path = tmp_path_factory.mktemp("lsst-tabular") / "store.db"

    async def ingest() -> None:
        store = EmbeddedStore(path)
        try:
            report = await ingest_files(
                store, PREFIX, [SAMPLE], lsst_prefix=f"{PREFIX}.rubin", lsst_tags=[TAG]
            )
            assert not report.failures, report.failures
        finally:
            await store.close()

    asyncio.run(ingest())
    app = build_app(Settings(lsst_table_prefix=f"{PREFIX}.rubin"), EmbeddedStore(path), PREFIX)
    with TestClient(app) as test_client:
        yield test_client


def expected_rows() -> list[tuple[int, dict[str, Any]]]:
    """(diaObjectId, source) of every light-curve point, objects by id, points oldest first."""
    sources = expected_sources()
    return [(oid, s) for oid in sorted(sources) for s in sources[oid]]


def ask(client: TestClient, fmt: str) -> bytes:
    ids = [str(oid) for oid in sorted(expected_sources())]
    body = {"query": QUERY, "variables": {"ids": ids}}
    response = client.post(f"/graphql?format={fmt}", json=body)
    assert response.status_code == 200, response.text
    return response.content


def f32_text(value: float | None) -> str:
    """A stored float as CSV should print it: the float32 Fink stores, in numpy's shortest
    digits (Arrow writes an integral value without numpy's ``.0``: ``179309``)."""
    return "" if value is None else str(np.float32(value)).removesuffix(".0")


def test_csv_prints_float32_fluxes_with_float32_digits(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(ask(client, "csv").decode())))
    expected = expected_rows()
    assert len(rows) == len(expected) == 22  # the sample's objects have one source each
    for row, (oid, source) in zip(rows, expected, strict=True):
        assert row["diaObjectId"] == str(oid)
        assert row["lightcurve.sourceId"] == str(source["diaSourceId"])  # digits, not text
        assert float(row["lightcurve.midpointMjdTai"]) == source["midpointMjdTai"]
        for name in FLUXES:
            assert row[f"lightcurve.{name}"] == f32_text(source[name]), (name, source[name])
    widened = [repr(float(np.float32(s["psfFlux"]))) for _, s in expected]  # 1549.57861328125
    assert [r["lightcurve.psfFlux"] for r in rows] != widened


def test_parquet_has_float32_fluxes_and_int64_ids(client: TestClient) -> None:
    table = pq.read_table(io.BytesIO(ask(client, "parquet")))
    types = {f.name: f.type for f in table.schema}
    assert types == {
        "diaObjectId": pa.int64(), "lightcurve.midpointMjdTai": pa.float64(),
        "lightcurve.band": pa.string(), "lightcurve.psfFlux": pa.float32(),
        "lightcurve.psfFluxErr": pa.float32(), "lightcurve.scienceFlux": pa.float32(),
        "lightcurve.sourceId": pa.int64(),
    }  # fmt: skip
    expected = expected_rows()
    for name in FLUXES:
        stored = np.array([np.nan if s[name] is None else s[name] for _, s in expected])
        got = table.column(f"lightcurve.{name}").to_numpy(zero_copy_only=False)
        np.testing.assert_array_equal(got, stored.astype(np.float32))
    ids = table.column("lightcurve.sourceId").to_pylist()
    assert ids == [s["diaSourceId"] for _, s in expected]
    flux = table.schema.field("lightcurve.psfFlux").metadata
    assert (flux[b"unit"], flux[b"fink_column"]) == (b"nJy", b"r:psfFlux")
    assert flux[b"ucd"] == b"phot.flux"
    assert table.schema.field("lightcurve.midpointMjdTai").metadata[b"unit"] == b"MJD"


def test_votable_has_float_fluxes_with_units(client: TestClient) -> None:
    parsed = votable.parse(io.BytesIO(ask(client, "votable"))).get_first_table()
    fields = {f.name: f for f in parsed.fields}
    for name in FLUXES:
        assert fields[f"lightcurve.{name}"].datatype == "float"
        assert str(fields[f"lightcurve.{name}"].unit) == "nJy"
    assert fields["lightcurve.sourceId"].datatype == "long"
    assert fields["diaObjectId"].datatype == "long"
    mjd = fields["lightcurve.midpointMjdTai"]
    assert (mjd.datatype, str(mjd.unit), mjd.ucd) == ("double", "d", "time.epoch;obs")
    table = parsed.to_table()
    psf = [s["psfFlux"] for _, s in expected_rows()]
    assert list(table["lightcurve.psfFlux"]) == list(np.array(psf, dtype=np.float32))


def test_csv_agrees_with_the_json_answer(client: TestClient) -> None:
    ids = [str(oid) for oid in sorted(expected_sources())]
    body = {"query": QUERY, "variables": {"ids": ids}}
    objects = client.post("/graphql", json=body).json()["data"]["lsstObjects"]
    as_json = [v for o in objects for v in o["lightcurve"]["psfFlux"]]
    rows = list(csv.DictReader(io.StringIO(ask(client, "csv").decode())))
    assert [float(r["lightcurve.psfFlux"]) for r in rows] == as_json


def test_alert_fields_are_float32_values_too(client: TestClient) -> None:
    query = f'{{ lsstAlertsByTag(tag: "{TAG}", first: 100) {{ nodes {{ diaSourceId psfFlux }} }} }}'
    response = client.post("/graphql?format=csv", json={"query": query})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    alerts = alerts_by_source_id()
    assert len(rows) > 20
    for row in rows:
        source = alerts[int(row["diaSourceId"])]["diaSource"]
        assert row["psfFlux"] == f32_text(source["psfFlux"])
