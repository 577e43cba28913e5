"""Writes alerts into every Fink table through the store interface.

One :class:`AlertWriter` serves one ingest call: :meth:`AlertWriter.write` takes validated
alerts batch by batch; :meth:`AlertWriter.finish` writes what needs the whole call (per-night
statistics and anomalies, the SSO resolver, schema rows) and bumps the data version.
Every put is idempotent, so an interrupted ingest run again ends in the same tables.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fink_gateway.ingest.alerts import Alerts, passes_fink_cuts, select_alerts, slice_alerts
from fink_gateway.ingest.history import history_rows
from fink_gateway.ingest.nightly import NightlyTables
from fink_gateway.ingest.rows import (
    TABLE_BUILDERS,
    EncodedAlerts,
    column_types,
    schema_row,
    version_pairs,
)
from fink_gateway.ingest.sso_names import sso_resolver_rows
from fink_gateway.layout import tables
from fink_gateway.layout.columns import (
    BY_NAME,
    INDEX_COLUMNS,
    MAIN_COLUMNS,
    PIXEL_COLUMNS,
    UPPER_COLUMNS,
    UPPERVALID_COLUMNS,
)
from fink_gateway.layout.data_version import bump_data_version
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.interface import Store

CHUNK_ALERTS = 20_000
"""Alerts encoded and put at once: bounds memory, keeps puts large."""

_CUTOUT_TYPES = {
    **column_types([BY_NAME["objectId"], BY_NAME["jd"], BY_NAME["candid"]]),
    **{f"b:cutout{k}_stampData".encode(): "binary" for k in ("Science", "Template", "Difference")},
    **{f"b:cutout{k}_fileName".encode(): "string" for k in ("Science", "Template", "Difference")},
}
SCHEMA_TYPES: dict[tables.TableSpec, dict[bytes, str]] = {
    tables.MAIN: column_types(MAIN_COLUMNS),
    tables.ANOMALY: column_types(MAIN_COLUMNS),
    tables.PIXEL128: column_types(PIXEL_COLUMNS),
    tables.CLASS: column_types(INDEX_COLUMNS),
    tables.SSNAMENR: column_types(INDEX_COLUMNS),
    tables.TRACKLET: column_types(INDEX_COLUMNS),
    tables.TNS: column_types(INDEX_COLUMNS),
    tables.UPPER: column_types(UPPER_COLUMNS),
    tables.UPPERVALID: column_types(UPPERVALID_COLUMNS),
    tables.CUTOUTS: _CUTOUT_TYPES,
}


@dataclass
class WriteCounts:
    """What one ingest call wrote: alerts kept, alerts cut, rows per table."""

    alerts: int = 0
    cut: int = 0
    rows: Counter[str] = field(default_factory=Counter)


class AlertWriter:
    """Puts alerts into the tables of one prefix."""

    def __init__(self, store: Store, prefix: str, *, with_cutouts: bool = True) -> None:
        self.store = store
        self.prefix = prefix
        self.with_cutouts = with_cutouts
        self.counts = WriteCounts()
        self._nightly = NightlyTables()
        self._ssnamenrs: set[str] = set()
        self._versions: set[tuple[str, str]] = set()
        self._anomaly_keys: set[bytes] = set()
        self.on_alerts: Callable[[EncodedAlerts], None] | None = None
        """Called with every chunk of alerts once stored (``follow`` announces them)."""

    async def prepare(self) -> None:
        """Create every table that does not exist yet."""
        for spec in tables.ALL_TABLES:
            await self.store.create_table(spec.name(self.prefix), spec.families)

    async def write(self, alerts: Alerts, *, nightly: bool = True) -> int:
        """Write a validated batch (Fink's entry cuts applied first); returns alerts kept.

        ``nightly=False``: the alerts were already counted in the per-night tables (a
        follower rewriting a redelivered batch), whose state is left as it is."""
        keep = passes_fink_cuts(alerts)
        if not keep.all():
            self.counts.cut += int((~keep).sum())
            alerts = select_alerts(alerts, keep)
        total = len(alerts)
        for start in range(0, total, CHUNK_ALERTS):
            chunk = alerts if total <= CHUNK_ALERTS else slice_alerts(alerts, start, CHUNK_ALERTS)
            await self._write_chunk(chunk, nightly)
        self.counts.alerts += total
        return total

    async def _write_chunk(self, alerts: Alerts, nightly: bool) -> None:
        enc = EncodedAlerts(alerts)
        batches: dict[tables.TableSpec, CellBatch] = {
            spec: build(enc)
            for spec, build in TABLE_BUILDERS.items()
            if self.with_cutouts or spec is not tables.CUTOUTS
        }
        history = history_rows(alerts)
        batches[tables.UPPER] = history["upper"]
        batches[tables.UPPERVALID] = history["uppervalid"]
        await asyncio.gather(
            *(self._put(spec, batch) for spec, batch in batches.items() if len(batch))
        )
        if nightly:
            self._nightly.add(enc)
        if self.on_alerts is not None:
            self.on_alerts(enc)
        roid = alerts.numpy("roid")
        names = alerts.strings("ssnamenr", "null")
        self._ssnamenrs.update(names[i] for i in np.flatnonzero(roid == 3).tolist())
        self._versions |= version_pairs(alerts)

    def state(self) -> dict[str, Any]:
        """What :meth:`finish` writes from, as plain values (msgpack-able)."""
        return {
            "nightly": self._nightly.state(),
            "ssnamenrs": sorted(self._ssnamenrs),
            "versions": sorted(list(pair) for pair in self._versions),
            "anomaly_keys": sorted(self._anomaly_keys),
        }

    async def load_state(self, state: Mapping[str, Any]) -> None:
        """Go on from a :meth:`state` (the anomaly candidates' cells are read back from the
        main table, where their alerts are)."""
        anomaly_keys = {
            bytes(a[2]) for night in state["nightly"].values() for a in night["anomalies"]
        }
        main_keys = {key: _main_key(key) for key in anomaly_keys}
        ordered = sorted(anomaly_keys)
        found = await self.store.get_rows(
            tables.MAIN.name(self.prefix), [main_keys[k] for k in ordered]
        )
        rows = {key: cells for key, cells in zip(ordered, found, strict=True) if cells}
        self._nightly.load_state(state["nightly"], rows)
        self._ssnamenrs = set(state["ssnamenrs"])
        self._versions = {(str(a), str(b)) for a, b in state["versions"]}
        self._anomaly_keys = {bytes(k) for k in state["anomaly_keys"]}

    def add_ssnamenrs(self, names: Iterable[str]) -> None:
        """List these objects in the SSO resolver too (written at :meth:`finish`)."""
        self._ssnamenrs.update(names)

    async def _put(self, spec: tables.TableSpec, batch: CellBatch) -> None:
        name = spec.name(self.prefix)
        self.counts.rows[name] += await self.store.put_batch(name, batch)

    async def finish(self) -> str:
        """Write per-call tables and schema rows; bump the data version and return it.

        May be called again after more writes (``follow`` does after every batch): the
        per-call tables then cover every alert so far, and anomaly rows pushed out of a
        night's 10 by later alerts are deleted."""
        anomalies = self._nightly.anomaly_batches()
        for batch in anomalies:
            await self._put(tables.ANOMALY, batch)
        keys = {key for batch in anomalies for key in batch.keys}
        stale = self._anomaly_keys - keys
        if stale:
            await self.store.delete_rows(tables.ANOMALY.name(self.prefix), sorted(stale))
        self._anomaly_keys = keys
        stats = self._nightly.statistics_rows()
        if stats:
            name = tables.STATISTICS.name(self.prefix)
            self.counts.rows[name] += await self.store.put_rows(name, stats)
        resolver = sso_resolver_rows(self._ssnamenrs)
        if resolver:
            name = tables.SSO_RESOLVER.name(self.prefix)
            self.counts.rows[name] += await self.store.put_rows(name, resolver)
        for spec, types in SCHEMA_TYPES.items():
            rows = [schema_row(pair, types) for pair in sorted(self._versions)]
            if rows:
                await self.store.put_rows(spec.name(self.prefix), rows)
        return await bump_data_version(self.store, self.prefix)



def _main_key(anomaly_key: bytes) -> bytes:
    """``<jd>_<objectId>`` (anomaly) → ``<objectId>_<jd>`` (main); a JD has no ``_``."""
    jd, _, object_id = anomaly_key.partition(b"_")
    return object_id + b"_" + jd
