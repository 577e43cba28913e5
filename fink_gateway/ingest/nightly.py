"""Per-night tables: ``statistics_class`` and ``anomaly`` (FINK-REFERENCE §11).

Fink builds them from one night of data; ingest accumulates every batch of one call and
writes them at the end, so a night's files should be ingested in one call (ingesting them
again in one call rewrites the same rows: idempotent).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from fink_gateway.ingest.rows import EncodedAlerts
from fink_gateway.layout.columns import MAIN_COLUMNS
from fink_gateway.science.classification import is_eg_host, is_simbad_label
from fink_gateway.store.batch import CellBatch
from fink_gateway.store.types import Cells, Row

UNIX_EPOCH_JD = 2440587.5
ANOMALY_PER_NIGHT = 10
_ANOMALY_POOL = 100  # Fink keeps the 100 lowest scores, then at most 10 (§11)


def night_of(jd: np.ndarray) -> list[str]:
    """UTC calendar date ``YYYYMMDD`` of each Julian Date."""
    seconds = np.round((np.asarray(jd) - UNIX_EPOCH_JD) * 86400.0).astype("int64")
    days = seconds.astype("datetime64[s]").astype("datetime64[D]")
    return [str(d).replace("-", "") for d in days.tolist()]


@dataclass
class _Night:
    sci: int = 0
    n_g: int = 0
    n_r: int = 0
    exposures: set[float] = field(default_factory=set)
    fields: set[int] = field(default_factory=set)
    classes: Counter[str] = field(default_factory=Counter)
    simbad_tot: int = 0
    simbad_gal: int = 0
    anomalies: list[tuple[float, str, int, CellBatch]] = field(default_factory=list)


class NightlyTables:
    """Accumulates batches; :meth:`statistics_rows` and :meth:`anomaly_batch` at the end."""

    def __init__(self) -> None:
        self.nights: dict[str, _Night] = defaultdict(_Night)

    def add(self, enc: EncodedAlerts) -> None:
        a = enc.alerts
        nights = np.array(night_of(enc.jd))
        fid = a.numpy("fid")
        field_ids = a.numpy("field", -1)
        cds = np.array(a.strings("cdsxmatch", "Unknown"), dtype=object)
        simbad = is_simbad_label(cds)
        eg = is_eg_host(cds)
        has_score = "anomaly_score" in a.provided
        scores = a.numpy("anomaly_score")
        candidates: dict[str, list[int]] = {}
        for night in np.unique(nights).tolist():
            mask = nights == night
            stats = self.nights[night]
            stats.sci += int(mask.sum())
            stats.n_g += int((fid[mask] == 1).sum())
            stats.n_r += int((fid[mask] == 2).sum())
            stats.exposures.update(enc.jd[mask].tolist())
            stats.fields.update(int(f) for f in field_ids[mask].tolist() if f >= 0)
            stats.classes.update(enc.labels[mask].tolist())
            stats.simbad_tot += int(simbad[mask].sum())
            stats.simbad_gal += int(eg[mask].sum())
            if has_score:
                candidates[night] = _lowest_distinct(
                    np.flatnonzero(mask & ~np.isnan(scores)), scores, enc.object_ids
                )
        chosen = [i for rows in candidates.values() for i in rows]
        if not chosen:
            return
        keys = [f"{enc.jd_text[i]}_{enc.object_ids[i]}".encode() for i in chosen]
        batch = enc.batch(keys, MAIN_COLUMNS, chosen)
        position = {row: pos for pos, row in enumerate(chosen)}
        for night, rows in candidates.items():
            stats = self.nights[night]
            pool = stats.anomalies + [
                (float(scores[i]), enc.object_ids[i], position[i], batch) for i in rows
            ]
            pool.sort(key=lambda item: (item[0], item[1]))
            stats.anomalies = _dedup(pool)[:ANOMALY_PER_NIGHT]

    def state(self) -> dict[str, Any]:
        """Everything accumulated, as plain values (msgpack-able): a follower saves it with
        its offsets, so a restart goes on counting the same nights. An anomaly candidate is
        kept as (score, objectId, anomaly row key), its cells being the main table's row."""
        return {night: _night_state(s) for night, s in self.nights.items()}

    def load_state(self, state: Mapping[str, Any], main_rows: Mapping[bytes, Cells]) -> None:
        """Start from a :meth:`state`; ``main_rows`` maps each anomaly row key to the cells of
        its alert (the main table's row)."""
        keys = sorted({bytes(a[2]) for night in state.values() for a in night["anomalies"]})
        columns = sorted({c for k in keys for c in main_rows.get(k, {})})
        cells = CellBatch(
            keys,
            [(c, pa.array([main_rows.get(k, {}).get(c) for k in keys], pa.binary()))
             for c in columns],
        )  # fmt: skip
        position = {key: i for i, key in enumerate(keys)}
        self.nights.clear()
        for night, saved in state.items():
            s = self.nights[night]
            s.sci, s.n_g, s.n_r = saved["sci"], saved["n_g"], saved["n_r"]
            s.exposures = set(saved["exposures"])
            s.fields = set(saved["fields"])
            s.classes = Counter(saved["classes"])
            s.simbad_tot, s.simbad_gal = saved["simbad_tot"], saved["simbad_gal"]
            s.anomalies = [
                (float(score), str(oid), position[bytes(key)], cells)
                for score, oid, key in saved["anomalies"]
            ]

    def statistics_rows(self) -> list[Row]:
        """``statistics_class`` rows keyed ``ztf_<YYYYMMDD>``; counts as 8-byte longs."""
        rows = []
        for night, s in sorted(self.nights.items()):
            basic = {
                "raw": s.sci,  # alerts reaching ingest already passed Fink's cuts
                "sci": s.sci,
                "n_g": s.n_g,
                "n_r": s.n_r,
                "exposures": len(s.exposures),
                "fields": len(s.fields),
            }
            cells = {f"basic:{k}".encode(): _long(v) for k, v in basic.items()}
            for label, count in s.classes.items():
                cells[f"class:{label}".encode()] = _long(count)
            cells[b"class:simbad_tot"] = _long(s.simbad_tot)
            cells[b"class:simbad_gal"] = _long(s.simbad_gal)
            rows.append((f"ztf_{night}".encode(), cells))
        return rows

    def anomaly_batches(self) -> list[CellBatch]:
        """``anomaly`` rows keyed ``<jd>_<objectId>``: the 10 lowest distinct scores per night.

        Fink keeps the 100 lowest scores, drops repeated objects, and keeps the scores up to
        the 10th: that is the 10 lowest-scoring distinct objects, kept here as they arrive.
        """
        picked: dict[int, tuple[CellBatch, list[int]]] = {}
        for s in self.nights.values():
            for _, _, pos, batch in s.anomalies:
                picked.setdefault(id(batch), (batch, []))[1].append(pos)
        return [batch.take(np.array(rows)) for batch, rows in picked.values()]


def _night_state(s: _Night) -> dict[str, Any]:
    return {
        "sci": s.sci,
        "n_g": s.n_g,
        "n_r": s.n_r,
        "exposures": sorted(s.exposures),
        "fields": sorted(s.fields),
        "classes": dict(s.classes),
        "simbad_tot": s.simbad_tot,
        "simbad_gal": s.simbad_gal,
        "anomalies": [[score, oid, batch.keys[pos]] for score, oid, pos, batch in s.anomalies],
    }


def _lowest_distinct(rows: np.ndarray, scores: np.ndarray, object_ids: list[str]) -> list[int]:
    """Positions of the lowest scores, one per object, at most ANOMALY_PER_NIGHT.

    Equal scores are ordered by objectId (then arrival), as :meth:`NightlyTables.add` orders
    the pool across batches: the night's choice must not depend on how alerts were batched
    (files, or ``follow``'s Kafka batches)."""
    names = np.array([object_ids[i] for i in rows.tolist()], dtype=object)
    order = rows[np.lexsort((names, scores[rows]))[:_ANOMALY_POOL]]
    seen: set[str] = set()
    out = []
    for i in order.tolist():
        if object_ids[i] not in seen:
            seen.add(object_ids[i])
            out.append(i)
        if len(out) == ANOMALY_PER_NIGHT:
            break
    return out


_Candidate = tuple[float, str, int, CellBatch]  # (score, objectId, row in batch, batch)


def _dedup(pool: list[_Candidate]) -> list[_Candidate]:
    seen: set[str] = set()
    out = []
    for item in pool:
        if item[1] not in seen:
            seen.add(item[1])
            out.append(item)
    return out


def _long(value: int) -> bytes:
    return int(value).to_bytes(8, "big", signed=True)
