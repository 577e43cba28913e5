"""Puts one file's Rubin rows through the ingest call's :class:`AlertWriter`.

The writer's store, counts and data version serve both surveys: LSST rows are put with the
same columnar batches, counted in the same report, and the call's :meth:`AlertWriter.finish`
bumps the data version once. Every put is idempotent, so a file ingested twice leaves the
tables as they were.
"""

from __future__ import annotations

import asyncio

from fink_gateway.errors import IngestError
from fink_gateway.ingest.lsst.rows import LsstRows
from fink_gateway.ingest.writer import AlertWriter
from fink_gateway.layout import rubin, tables
from fink_gateway.layout.tables import TableSpec
from fink_gateway.store.batch import CellBatch


def check_lsst_prefix(prefix: str, lsst_prefix: str, source: str) -> None:
    """The Rubin tables need their own prefix: ``cutouts`` and ``sso_resolver`` are table
    names of both surveys, with other families."""
    clash = {s.name(lsst_prefix) for s in rubin.RUBIN_TABLES} & {
        s.name(prefix) for s in tables.ALL_TABLES
    }
    if clash:
        raise IngestError(
            source,
            f"the LSST table prefix {lsst_prefix!r} gives table names of the ZTF prefix "
            f"{prefix!r} ({', '.join(sorted(clash))}): set lsst_table_prefix apart",
        )


async def write_lsst_rows(writer: AlertWriter, lsst_prefix: str, rows: LsstRows) -> int:
    """Create the Rubin tables if needed, put the rows and schema rows; returns the alerts."""
    store = writer.store
    for spec in dict.fromkeys([*rubin.RUBIN_TABLES, *rows.batches]):
        await store.create_table(spec.name(lsst_prefix), spec.families)

    async def put(spec: TableSpec, batch: CellBatch) -> None:
        name = spec.name(lsst_prefix)
        writer.counts.rows[name] += await store.put_batch(name, batch)

    await asyncio.gather(*(put(s, b) for s, b in rows.batches.items() if len(b)))
    for spec, schema in rows.schema.items():
        await store.put_rows(spec.name(lsst_prefix), schema)
    writer.counts.alerts += rows.alerts
    return rows.alerts
