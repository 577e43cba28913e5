"""Objects: all alerts of a ZTF object, read in one batched prefix scan per request.

An object's rows come from the main table (prefix ``<objectId>_``, oldest first as the keys
sort) with exactly the columns the query selected; alerts, light curve, classification and
summary fields are all computed from that one read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import Types, decode_columns, decode_record, qualifier
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.columns import CLASSIFICATION_COLUMNS
from fink_gateway.science.classification import CLASSIFICATION_INPUTS, classify, is_simbad_label
from fink_gateway.store.types import Column, Row

JD = b"i:jd"


@dataclass
class ObjectData:
    """The rows of one object (oldest first) and their column types."""

    object_id: str
    rows: list[Row]
    types: Types
    columns: tuple[Column, ...]
    _labels: np.ndarray | None = field(default=None, repr=False)

    @cached_property
    def jd(self) -> np.ndarray:
        """JD of every alert, from the row keys (``objectId_jd``)."""
        return np.array([float(key.rsplit(b"_", 1)[1]) for key, _ in self.rows])

    @cached_property
    def table(self) -> dict[str, np.ndarray | list]:
        """Every read column as an array, oldest alert first."""
        return decode_columns(self.rows, self.types, self.columns)

    def record(self, i: int) -> dict[str, object]:
        """Alert ``i`` (oldest first; -1 the latest) decoded, with ``classification`` when
        its inputs were read."""
        record = decode_record(self.rows[i][1], self.types)
        labels = self.labels()
        if labels is not None:
            record["classification"] = labels[i]
        return record

    def labels(self) -> np.ndarray | None:
        """Fink's label of each alert, or None when its inputs were not read."""
        if self._labels is None and set(self.columns) >= CLASSIFICATION_COLUMNS:
            frame = pd.DataFrame({q: self.table[q] for q in CLASSIFICATION_INPUTS})
            self._labels = classify(frame)
        return self._labels

    def simbad(self) -> np.ndarray:
        """Whether each alert's label comes from SIMBAD (the override of §7)."""
        return is_simbad_label(np.array(self.table["cdsxmatch"], dtype=object))


async def load_objects(
    reader: Reader, object_ids: Sequence[str], columns: set[Column]
) -> list[ObjectData | None]:
    """The objects, in order; None for ids without any alert. One store call in all."""
    wanted = tuple(sorted(columns | {JD}))
    types = await reader.types(tables.MAIN)
    rows = await asyncio.gather(
        *(reader.rows_with_prefix(tables.MAIN, f"{oid}_".encode(), wanted) for oid in object_ids)
    )
    return [
        ObjectData(oid, r, types, wanted) if r else None
        for oid, r in zip(object_ids, rows, strict=True)
    ]


def column_names(columns: Sequence[Column]) -> list[str]:
    return [qualifier(c) for c in columns]


@dataclass
class AlertPage:
    """A page of an object's alerts, newest first, with cursors (the alert's JD text)."""

    items: list[tuple[str, dict[str, object], bool]]  # (cursor, record, label from SIMBAD)
    has_next: bool
    total: int


def alert_page(
    obj: ObjectData,
    first: int,
    after_jd: float | None,
    since_jd: float | None,
    until_jd: float | None,
) -> AlertPage:
    """Newest-first alerts within [since, until] (JD, inclusive), after the cursor's JD."""
    jd = obj.jd
    keep = np.ones(len(jd), dtype=bool)
    if since_jd is not None:
        keep &= jd >= since_jd
    if until_jd is not None:
        keep &= jd <= until_jd
    total = int(keep.sum())
    if after_jd is not None:
        keep &= jd < after_jd
    order = np.flatnonzero(keep)[::-1]
    chosen = order[:first].tolist()
    simbad = obj.simbad() if chosen and "cdsxmatch" in obj.table else None
    items = [
        (
            obj.rows[i][0].rsplit(b"_", 1)[1].decode(),
            obj.record(i),
            bool(simbad[i]) if simbad is not None else False,
        )
        for i in chosen
    ]
    return AlertPage(items, len(order) > first, total)
