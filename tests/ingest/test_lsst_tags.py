"""Tag tables of a Fink filter's stream (``ingest --lsst-tag``): keys, columns, validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fink_gateway.gateway.cli import main
from fink_gateway.ingest.lsst.alerts import read_lsst_alerts
from fink_gateway.ingest.lsst.rows import lsst_rows
from fink_gateway.layout import rubin
from tests.ingest.lsst_samples import SAMPLE, sample


def test_tag_rows_hold_every_alert_keyed_by_mjd_and_object() -> None:
    table = sample()
    rows = lsst_rows(read_lsst_alerts(table, str(SAMPLE)), ["in_tns"])
    spec = rubin.tag_table("in_tns")
    assert spec.name("rubin") == "rubin.tag_in_tns"
    batch = rows.batches[spec]
    sources = table.column("diaSource").to_pylist()
    assert sorted(batch.keys) == sorted(
        f"{s['midpointMjdTai']!r}_{s['diaObjectId']}".encode() for s in sources
    )
    allowed = {c.column for c in rubin.TAG_COLUMNS}
    written = {name for name, _ in batch.columns}
    assert written <= allowed
    assert b"r:salt" not in written  # Fink's tag frames have no salt column (§4.8)
    assert b"r:psfFlux" in written and b"r:nDiaSources" not in written  # no diaObject
    (schema,) = rows.schema[spec]
    assert set(schema[1]) == allowed  # the schema row lists every column, salt included


@pytest.mark.parametrize("bad", ["In_TNS", "", "tag-1", "x" * 65, "../x"])
def test_tag_names_are_checked(bad: str) -> None:
    with pytest.raises(ValueError):
        rubin.tag_table(bad)


def test_the_cli_refuses_a_bad_tag_before_reading_anything(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    result = CliRunner().invoke(
        main, ["ingest", str(SAMPLE), "--store", str(store), "--lsst-tag", "Bad Tag"]
    )
    assert result.exit_code == 2 and "not a tag name" in result.output
    assert not store.exists()
