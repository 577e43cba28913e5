"""Tests for fink_gateway.gateway.cli: the ``fink-gateway`` command, on an embedded store."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from fink_gateway import __version__
from fink_gateway.demo.lsst import generate_lsst_alerts
from fink_gateway.gateway.cli import main
from fink_gateway.gateway.config import ENV_PREFIX
from fink_gateway.layout import rubin, tables
from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.types import ScanRange
from tests.data_paths import FINK_ZTF, SCIENCE_FILES
from tests.gateway.conftest import ClientFactory

ALERTS_IN_SAMPLES = 74 + 67 + 11 + 3 + 2
GOOD_FILE = FINK_ZTF / "science_20190903.parquet"
GOOD_FILE_OBJECTS = {b"ZTF18abfisdf", b"ZTF18acbzznf"}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``FINK_GATEWAY_*`` from the caller's shell, no ./config.yml: built-in defaults."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def squashed(text: str) -> str:
    """``text`` without whitespace: Rich wraps long lines (paths) at the terminal width."""
    return "".join(text.split())


def table_rows(output: str) -> dict[str, int]:
    """``{table: count}`` from a Rich table of ``table | count`` rows."""
    found = re.findall(r"^\W*([\w.]+)\W+([\d,]+)\W*$", output, re.MULTILINE)
    return {name: int(count.replace(",", "")) for name, count in found}


def main_table_objects(store_path: Path) -> set[bytes]:
    async def scan() -> set[bytes]:
        store = EmbeddedStore(store_path)
        try:
            (rows,) = await store.scan(tables.MAIN.name("ztf"), [ScanRange.prefix(b"ZTF")])
        finally:
            await store.close()
        return {key.split(b"_")[0] for key, _ in rows}

    return asyncio.run(scan())


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"fink-gateway, version {__version__}"


def test_schema_prints_the_sdl() -> None:
    result = invoke("schema")
    assert result.exit_code == 0, result.output
    assert "type Query" in result.output


def test_ingest_prints_a_summary_per_table(tmp_path: Path) -> None:
    store = tmp_path / "fink.db"
    result = invoke("ingest", *map(str, SCIENCE_FILES), "--store", str(store))
    assert result.exit_code == 0, result.output
    rows = table_rows(result.output)
    assert rows[tables.MAIN.name("ztf")] == ALERTS_IN_SAMPLES
    for spec in (tables.PIXEL128, tables.CLASS, tables.CUTOUTS, tables.UPPER, tables.STATISTICS):
        assert rows[spec.name("ztf")] > 0, spec
    assert f"{ALERTS_IN_SAMPLES} alerts in" in result.output
    assert "failed" not in result.output


def test_ingest_names_bad_files_and_goes_on(tmp_path: Path) -> None:
    not_parquet = tmp_path / "alerts.csv"
    not_parquet.write_text("objectId,jd\nZTF,1\n")
    no_object_id = tmp_path / "no_objectId.parquet"
    source = pq.read_table(FINK_ZTF / "alert_samples_20220804.parquet")
    pq.write_table(source.drop_columns(["objectId"]), no_object_id)
    store = tmp_path / "fink.db"

    result = invoke(
        "ingest", str(not_parquet), str(no_object_id), str(GOOD_FILE), "--store", str(store)
    )

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a ClickException, not a crash
    assert "Traceback" not in result.output
    text = squashed(result.stderr)
    assert squashed(f"failed {not_parquet}: not a parquet or avro file") in text
    assert squashed(f"failed {no_object_id}: column 'objectId': required column") in text
    assert squashed("Error: 2 of 3 files failed") in text
    assert main_table_objects(store) == GOOD_FILE_OBJECTS


def test_demo_then_tables_lists_every_fink_table(tmp_path: Path) -> None:
    store = str(tmp_path / "demo.db")
    demo = invoke("demo", "--alerts", "500", "--lsst-alerts", "300", "--no-cutouts",
                  "--store", store)  # fmt: skip
    assert demo.exit_code == 0, demo.output
    assert "800 alerts in" in demo.output

    listed = invoke("tables", "--store", store)
    assert listed.exit_code == 0, listed.output
    rows = table_rows(listed.output)
    assert set(rows) == {spec.name("ztf") for spec in tables.ALL_TABLES} | {
        spec.name("rubin") for spec in rubin.RUBIN_TABLES
    }
    # one row per alert plus the schema row of the demo's one (broker, science) version pair
    assert rows[tables.MAIN.name("ztf")] == rows[tables.CLASS.name("ztf")] == 500 + 1
    assert rows[rubin.CUTOUTS.name("rubin")] == 300 + 1


def test_demo_lsst_alerts_default_to_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINK_GATEWAY_SERVER_DEMO_LSST_ALERTS", "40")
    demo = invoke("demo", "--alerts", "20", "--no-cutouts", "--store", "d.db")
    assert demo.exit_code == 0, demo.output
    assert "60 alerts in" in demo.output
    assert table_rows(invoke("tables", "--store", "d.db").output)["rubin.cutouts"] == 40 + 1


def test_demo_of_both_surveys_answers_lsst_and_mixed_queries(
    client_factory: ClientFactory,
) -> None:
    demo = invoke("demo", "--alerts", "200", "--lsst-alerts", "200", "--no-cutouts",
                  "--store", "store.db")  # fmt: skip
    assert demo.exit_code == 0, demo.output
    alerts = pa.concat_tables(generate_lsst_alerts(200)).to_pylist()  # the same, seed 0
    objects = {a["diaObject"]["diaObjectId"]: a for a in alerts if a["diaObject"]}
    oid, last = max(objects.items(), key=lambda item: item[1]["diaObject"]["nDiaSources"])
    source = last["diaSource"]
    query = f"""{{
      lsstObjects(diaObjectIds: ["{oid}", "1"]) {{ diaObjectId nDiaSources }}
      skySearch(ra: {source["ra"]}, dec: {source["dec"]}, radius: 5) {{
        survey object {{ name ... on DiaObject {{ lightcurve {{ length }} }} }}
      }}
    }}"""
    answer = client_factory().post("/graphql", json={"query": query}).json()
    assert "errors" not in answer, answer
    found = answer["data"]["lsstObjects"]
    assert found == [{"diaObjectId": str(oid), "nDiaSources": last["diaObject"]["nDiaSources"]},
                     None]  # fmt: skip
    match = answer["data"]["skySearch"][0]
    assert match["survey"] == "LSST" and match["object"]["name"] == str(oid)
    assert match["object"]["lightcurve"]["length"] == last["diaObject"]["nDiaSources"]


def test_store_option_prefix_names_the_tables(tmp_path: Path) -> None:
    store = f"{tmp_path / 'demo.db'}?prefix=demo"
    demo = invoke("demo", "--alerts", "50", "--lsst-alerts", "20", "--no-cutouts",
                  "--store", store)  # fmt: skip
    assert demo.exit_code == 0
    rows = table_rows(invoke("tables", "--store", store).output)
    assert rows["demo.class"] == 50 + 1  # and one schema row
    assert rows["rubin.cutouts"] == 20 + 1  # LSST tables: lsst_table_prefix
    assert "ztf" not in rows


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("hbase://", "missing host in store URL 'hbase://'"),
        ("hbase://h:port", "invalid port in store URL 'hbase://h:port'"),
        ("hbase://h:9090?pool=two", "pool='two' in store URL"),
        ("hbase://h:9090?colour=red", "unknown option(s) ['colour']"),
        ("ftp://h/fink.db", "unknown store URL scheme 'ftp'"),
    ],
)
@pytest.mark.parametrize("command", [["tables"], ["demo", "--alerts", "5"]])
def test_malformed_store_url_is_a_clear_error(url: str, message: str, command: list[str]) -> None:
    result = invoke(*command, "--store", url)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"Error: {message}" in result.output


def test_store_url_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "env.db"
    monkeypatch.setenv("FINK_GATEWAY_STORE", str(store))
    result = invoke("tables")
    assert result.exit_code == 0, result.output
    assert store.exists()
