"""Assembling alerts into ``ALERT_SCHEMA`` tables: :func:`generate_alerts`.

Units are generated in chunks; each chunk is planned, observed and turned into candidate
fields, ``prv_candidates``, cutouts and Fink columns, then sliced into batches.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from fink_gateway.demo.arrays import I64, Columns, const
from fink_gateway.demo.arrow_schema import (
    ALERT_SCHEMA,
    BATCH_ALERTS,
    BATCH_ALERTS_WITH_CUTOUTS,
    CANDIDATE_ORDER,
    CANDIDATE_TYPE,
    PRV_LIST_TYPE,
    PRV_ORDER,
    PRV_TYPE,
    UPPER_LIMIT_FIELDS,
    VERSIONS,
)
from fink_gateway.demo.candidate import (
    calibration_columns,
    field_array,
    geometry_columns,
    identity_columns,
    measurement_columns,
    reference_columns,
)
from fink_gateway.demo.cutouts import cutout_columns, make_stamps
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.epochs import plan
from fink_gateway.demo.observing import History, history, observe
from fink_gateway.demo.science_columns import fink_columns
from fink_gateway.demo.truth import ID_SPACE, object_ids
from fink_gateway.demo.units import MAX_SUB

_UNITS_PER_CHUNK = 2_048


def _prv_candidates(cols: Columns, status: npt.NDArray[np.int8], hist: History) -> pa.Array:
    """Each alert's earlier epochs, oldest first (null when none); upper limits per §13."""
    lengths = hist.alerts - hist.prv_start
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    index = np.arange(offsets[-1]) - np.repeat(offsets[:-1] - hist.prv_start, lengths)
    upper = status[index] == 0
    children = [
        field_array(
            cols["pdiffimfilename#prv" if name == "pdiffimfilename" else name],
            name,
            index,
            None if name in UPPER_LIMIT_FIELDS else upper,
        )
        for name in PRV_ORDER
    ]
    struct = pa.StructArray.from_arrays(children, fields=list(PRV_TYPE))
    return pa.ListArray.from_arrays(
        pa.array(offsets), struct, type=PRV_LIST_TYPE, mask=pa.array(lengths == 0)
    )


def _table(
    d: Draws, seed: int, units: I64, limit: int, stamps: dict[str, list[bytes]] | None
) -> pa.Table:
    """At most ``limit`` alerts of ``units`` in ``ALERT_SCHEMA``."""
    ep = plan(d, units)
    ph = observe(d, ep)
    hist = history(ep, ph.status, limit)
    geometry = geometry_columns(ep)
    pid = np.asarray(geometry["pid"])
    cols: Columns = {
        **geometry,
        **measurement_columns(d, ep, ph),
        **calibration_columns(d, ep),
        **reference_columns(d, ep),
        **identity_columns(d, ep, hist, pid),
    }
    a = hist.alerts
    candidate = pa.StructArray.from_arrays(
        [field_array(cols[name], name, a, None) for name in CANDIDATE_ORDER],
        fields=list(CANDIDATE_TYPE),
    )
    candid = np.asarray(cols["candid"])[a]
    n = len(a)
    arrays = {
        "candid": pa.array(candid, pa.int64()),
        "publisher": const("Fink", n),
        "objectId": object_ids(seed, ep.obj[a], hist.jdstarthist[a]),
        "candidate": candidate,
        "prv_candidates": _prv_candidates(cols, ph.status, hist),
        **{
            f"cutout{kind}": array
            for kind, array in cutout_columns(d, stamps, candid, pid[a], ep.key[a]).items()
        },
        **{name: const(value, n) for name, value in VERSIONS.items()},
        **fink_columns(d, ep, ph, hist),
    }
    return pa.Table.from_arrays([arrays[f.name] for f in ALERT_SCHEMA], schema=ALERT_SCHEMA)


def generate_alerts(n_alerts: int, seed: int = 0, with_cutouts: bool = True) -> Iterator[pa.Table]:
    """Yield ``n_alerts`` deterministic demo alerts in Fink's nested parquet layout.

    Parameters
    ----------
    n_alerts : int
        Total number of alerts (rows) over all tables.
    seed : int
        Any integer; the same ``(n_alerts, seed)`` always gives the same tables.
    with_cutouts : bool
        Attach gzip-compressed FITS stamps (a few variants, reused), else null cutouts.

    Yields
    ------
    pyarrow.Table
        ``ALERT_SCHEMA`` rows, at most ``BATCH_ALERTS`` (``BATCH_ALERTS_WITH_CUTOUTS`` with
        cutouts) per table, grouped by objectId and in time order within one.
    """
    assert n_alerts >= 0, "n_alerts must be >= 0"
    d = Draws(seed)
    stamps = make_stamps(seed) if with_cutouts else None
    batch = BATCH_ALERTS_WITH_CUTOUTS if with_cutouts else BATCH_ALERTS
    next_unit, remaining = 0, n_alerts
    while remaining > 0:
        count = int(np.clip(remaining // 6 + 8, 8, _UNITS_PER_CHUNK))
        assert next_unit + count <= ID_SPACE // MAX_SUB, "too many alerts for 7-letter ids"
        units = np.arange(next_unit, next_unit + count, dtype=np.int64)
        table = _table(d, seed, units, remaining, stamps)
        next_unit += count
        remaining -= table.num_rows
        for start in range(0, table.num_rows, batch):
            yield table.slice(start, batch)
