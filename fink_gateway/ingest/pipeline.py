"""Ingest entry points: files and folders, or generated demo alerts, into one store.

A bad file (unreadable, not parquet/avro, a required column missing, wrong types) is
rejected whole, before any of its rows is written; the other files of the call go on.
Rubin LSST parquet files (told by their ``lsst_schema_version`` or ``diaSource`` column) go
to the tables of ``lsst_prefix`` (Fink's ``rubin`` by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from fink_gateway.errors import IngestError
from fink_gateway.ingest.alerts import Alerts, read_alerts
from fink_gateway.ingest.lsst.alerts import is_lsst_table, read_lsst_alerts
from fink_gateway.ingest.lsst.rows import LsstRows, lsst_rows
from fink_gateway.ingest.lsst.writer import check_lsst_prefix, write_lsst_rows
from fink_gateway.ingest.readers import input_files, read_table
from fink_gateway.ingest.sso_lightcurves import (
    SsoLightcurves,
    is_sso_lightcurve_table,
    read_sso_lightcurves,
    write_sso_lightcurves,
)
from fink_gateway.ingest.writer import AlertWriter, WriteCounts
from fink_gateway.layout.rubin import RUBIN_PREFIX
from fink_gateway.store.interface import Store

Progress = Callable[[int], None]
"""Called with the number of alerts just written."""


@dataclass
class IngestReport:
    """Outcome of one ingest call."""

    counts: WriteCounts
    files: list[str] = field(default_factory=list)
    failures: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    data_version: str = ""

    @property
    def alerts_per_second(self) -> float:
        return self.counts.alerts / self.seconds if self.seconds > 0 else 0.0


async def ingest_files(
    store: Store,
    prefix: str,
    paths: Iterable[str | Path],
    *,
    with_cutouts: bool = True,
    progress: Progress | None = None,
    lsst_prefix: str = RUBIN_PREFIX,
    lsst_tags: Sequence[str] = (),
) -> IngestReport:
    """Ingest parquet/avro files and folders; failures are reported, not raised.

    ``lsst_tags``: the Rubin alerts of these files are members of these Fink tags (the files
    are a filter's stream) and also go to the ``tag_<tag>`` tables.

    ``with_cutouts`` concerns ZTF stamps; a Rubin ``cutouts`` row only says where the stamps
    are (the file's path), as in Fink, and is always written.
    """
    writer = AlertWriter(store, prefix, with_cutouts=with_cutouts)
    report = IngestReport(writer.counts)
    start = time.perf_counter()
    await writer.prepare()
    for path in input_files(paths):
        try:
            table = read_table(path)
            written = await write_table(
                writer, table, str(path), lsst_prefix=lsst_prefix, lsst_tags=lsst_tags
            )
        except IngestError as exc:
            report.failures.append(exc)
            continue
        report.files.append(str(path))
        if progress:
            progress(written)
    report.data_version = await writer.finish()
    report.seconds = time.perf_counter() - start
    return report


async def write_table(
    writer: AlertWriter,
    table: pa.Table,
    source: str,
    *,
    lsst_prefix: str = RUBIN_PREFIX,
    lsst_tags: Sequence[str] = (),
    nightly: bool = True,
) -> int:
    """Validate one table of alerts (ZTF, Rubin, or Fink's SSO light curves) whole, then
    write it; returns the alerts written. IngestError, naming ``source`` and the column,
    before anything is written. Files (:func:`ingest_files`) and Kafka messages
    (``fink-gateway follow``) both come through here; ``nightly``: see
    :meth:`AlertWriter.write`."""
    batch: Alerts | SsoLightcurves | LsstRows
    if is_lsst_table(table):  # Rubin alerts: every row built before any is put
        check_lsst_prefix(writer.prefix, lsst_prefix, source)
        batch = lsst_rows(read_lsst_alerts(table, source), lsst_tags)
    elif is_sso_lightcurve_table(table):  # Fink's SSO light-curve file, not alerts
        batch = read_sso_lightcurves(table, source)
    else:
        batch = read_alerts(table, source)
    if isinstance(batch, LsstRows):
        return await write_lsst_rows(writer, lsst_prefix, batch)
    if isinstance(batch, SsoLightcurves):
        await write_sso_lightcurves(writer, batch)
        return 0
    return await writer.write(batch, nightly=nightly)


async def ingest_tables(
    store: Store,
    prefix: str,
    batches: Iterable[pa.Table],
    *,
    source: str,
    with_cutouts: bool = True,
    progress: Progress | None = None,
    lsst_prefix: str = RUBIN_PREFIX,
) -> IngestReport:
    """Ingest in-memory alert tables (the demo generators' output) through the same path:
    ZTF tables to the tables of ``prefix``, Rubin tables to those of ``lsst_prefix``. A bad
    table raises :class:`IngestError` naming ``source``."""
    writer = AlertWriter(store, prefix, with_cutouts=with_cutouts)
    report = IngestReport(writer.counts, files=[source])
    start = time.perf_counter()
    await writer.prepare()
    for table in batches:
        if is_lsst_table(table):
            check_lsst_prefix(prefix, lsst_prefix, source)
            rows = lsst_rows(read_lsst_alerts(table, source, from_file=False))
            written = await write_lsst_rows(writer, lsst_prefix, rows)
        else:
            written = await writer.write(read_alerts(table, source))
        if progress:
            progress(written)
    report.data_version = await writer.finish()
    report.seconds = time.perf_counter() - start
    return report
