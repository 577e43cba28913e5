"""Rows of alert tables → Alert records, with Fink's label when its inputs were read.

Tables other than the main one (``tracklet``, ``anomaly``, ``pixel128``) hold the main
table's columns, or some of them; :func:`alert_records` decodes their rows with the table's
types and adds ``classification`` as :class:`~fink_gateway.resolvers.objects.ObjectData` does.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fink_gateway.loaders.decoding import Types, decode_record, qualifier
from fink_gateway.science.classification import CLASSIFICATION_INPUTS, classify, is_simbad_label
from fink_gateway.store.types import Column, Row

_INPUTS = frozenset(CLASSIFICATION_INPUTS)


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One decoded alert: its row key, values by qualifier, and whether its label is SIMBAD's."""

    key: bytes
    record: dict[str, object]
    simbad: bool


def alert_records(
    rows: Sequence[Row], types: Types, columns: Collection[Column]
) -> list[AlertRecord]:
    """Decode ``rows`` (read with ``columns``); label them when the inputs were read."""
    records = [decode_record(cells, types) for _, cells in rows]
    if not records:
        return []
    if {qualifier(c) for c in columns} >= _INPUTS:
        frame = pd.DataFrame({q: [r.get(q) for r in records] for q in CLASSIFICATION_INPUTS})
        for record, label in zip(records, classify(frame).tolist(), strict=True):
            record["classification"] = label
    cds = np.array([r.get("cdsxmatch", "Unknown") for r in records], dtype=object)
    simbad = is_simbad_label(cds).tolist()
    return [
        AlertRecord(key, record, bool(s))
        for (key, _), record, s in zip(rows, records, simbad, strict=True)
    ]
