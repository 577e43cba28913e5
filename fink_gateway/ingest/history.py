"""``prv_candidates`` → Fink's ``upper`` and ``uppervalid`` tables (FINK-REFERENCE §6).

Only alerts whose **last** previous entry has a table's status feed it; then every previous
entry of those alerts with that status becomes a row keyed ``<objectId>_<prv jd>``.
Upper limit: magpsf null. Bad quality: magpsf set and NOT (rb ≥ 0.55 AND nbad == 0), where
a null rb or nbad drops the entry (Spark's null logic).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.ingest.alerts import Alerts
from fink_gateway.ingest.encoding import encode_column, jd_text
from fink_gateway.layout.columns import (
    ARROW_TYPES,
    UPPER_COLUMNS,
    UPPERVALID_COLUMNS,
    FinkColumn,
)
from fink_gateway.store.batch import CellBatch


def _field(entries: pa.StructArray, column: FinkColumn) -> pa.Array:
    target = ARROW_TYPES[column.type]
    if entries.type.get_field_index(column.name) < 0:
        return pa.nulls(len(entries), target)
    values = pc.struct_field(entries, column.name)
    if pa.types.is_null(values.type):
        return pa.nulls(len(entries), target)
    return values.cast(target)


def _statuses(entries: pa.StructArray) -> tuple[np.ndarray, np.ndarray]:
    """(is upper limit, is bad-quality detection) for each previous entry."""
    n = len(entries)
    has_jd = _field(entries, UPPER_COLUMNS[1]).is_valid().to_numpy(zero_copy_only=False)

    def numbers(name: str) -> np.ndarray:
        if entries.type.get_field_index(name) < 0:
            return np.full(n, np.nan)
        values = pc.struct_field(entries, name)
        if pa.types.is_null(values.type):
            return np.full(n, np.nan)
        floats = values.cast(pa.float64()).fill_null(np.nan)
        return cast(np.ndarray, floats.to_numpy(zero_copy_only=False))  # pyarrow is untyped

    magpsf, rb, nbad = numbers("magpsf"), numbers("rb"), numbers("nbad")
    upper = np.isnan(magpsf) & has_jd
    known = ~np.isnan(rb) & ~np.isnan(nbad)
    good = (rb >= 0.55) & (nbad == 0)
    badquality = ~np.isnan(magpsf) & known & ~good & has_jd
    return upper, badquality


def history_rows(alerts: Alerts) -> dict[str, CellBatch]:
    """``{"upper": …, "uppervalid": …}`` batches from the alerts' previous entries."""
    empty = {"upper": CellBatch([], []), "uppervalid": CellBatch([], [])}
    prv = alerts.prv_candidates
    if prv is None or not (pa.types.is_list(prv.type) or pa.types.is_large_list(prv.type)):
        return empty
    if not pa.types.is_struct(prv.type.value_type) or len(prv) == 0:
        return empty
    lengths = pc.list_value_length(prv).fill_null(0).to_numpy(zero_copy_only=False)
    entries = prv.flatten()
    if len(entries) == 0:
        return empty
    parent = pc.list_parent_indices(prv).to_numpy(zero_copy_only=False)
    upper, badquality = _statuses(entries)

    has_any = lengths > 0
    last = np.cumsum(lengths) - 1
    alert_upper = np.zeros(len(prv), dtype=bool)
    alert_bad = np.zeros(len(prv), dtype=bool)
    alert_upper[has_any] = upper[last[has_any]]
    alert_bad[has_any] = badquality[last[has_any]]

    object_ids = alerts.strings("objectId")
    jd = _field(entries, UPPER_COLUMNS[1]).fill_null(np.nan).to_numpy(zero_copy_only=False)
    text = jd_text(jd)
    out = {}
    for name, entry_mask, alert_mask, columns in (
        ("upper", upper, alert_upper, UPPER_COLUMNS),
        ("uppervalid", badquality, alert_bad, UPPERVALID_COLUMNS),
    ):
        keep = np.flatnonzero(entry_mask & alert_mask[parent])
        if len(keep) == 0:
            out[name] = empty[name]
            continue
        owners = parent[keep]
        keys = [f"{object_ids[o]}_{text[k]}".encode() for o, k in zip(owners, keep, strict=True)]
        index = pa.array(keep)
        cells = []
        for column in columns:
            if column.name == "objectId":
                values = alerts.columns["objectId"].take(pa.array(owners))
            else:
                values = _field(entries, column).take(index)
            cells.append((column.column, encode_column(values, column.type)))
        out[name] = CellBatch(keys, cells)
    return out
