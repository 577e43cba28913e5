"""Objects: all alerts of a ZTF object, read in one batched prefix scan per request.

An object's rows come from the main table (prefix ``<objectId>_``, oldest first as the keys
sort) with exactly the columns the query selected; alerts, light curve, classification and
summary fields are all computed from that one read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import (
    Types,
    decode_cells,
    decode_column,
    decode_record,
    qualifier,
)
from fink_gateway.loaders.reader import ALL, KEYS, LATEST, Reader
from fink_gateway.resolvers.args import AlertWindow
from fink_gateway.resolvers.columns import CLASSIFICATION_COLUMNS
from fink_gateway.resolvers.lightcurve import LightCurveArgs, LightCurveData, light_curves
from fink_gateway.resolvers.object_plan import ObjectPlan
from fink_gateway.science.classification import CLASSIFICATION_INPUTS, classify, is_simbad_label
from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.types import Column, Row

_JD = b"i:jd"

JD = b"i:jd"


@dataclass(eq=False)
class ObjectData:
    """The alerts of one object (oldest first) as a block of raw cells, and their types.

    A plan that needs only the latest alert reads that row alone: ``block`` then holds one
    row and ``counted`` the number of alerts (when asked for). ``light_curves`` holds the
    light curves assembled with the object, by their arguments.
    """

    object_id: str
    block: CellBlock
    types: Types
    columns: tuple[Column, ...]
    counted: int | None = None
    light_curves: dict[LightCurveArgs, LightCurveData] = field(default_factory=dict)
    _labels: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def from_rows(cls, object_id: str, rows: Sequence[Row], types: Types,
                  columns: tuple[Column, ...]) -> ObjectData:
        return cls(object_id, CellBlock.from_rows(rows, columns), types, columns)

    @property
    def n_alerts(self) -> int:
        return len(self.block) if self.counted is None else self.counted

    @cached_property
    def jd(self) -> np.ndarray:
        """JD of every alert: its ``i:jd`` cell when read, else its row key's."""
        cells = None
        if _JD in self.columns and self.types.get(_JD) == "double":
            cells = decode_cells(self.block.column(_JD), "double").values
        return tables.jd_of_rows(self.block.keys, cells)

    @cached_property
    def table(self) -> dict[str, np.ndarray | list[Any]]:
        """Every read column as an array, oldest alert first."""
        return {
            qualifier(c): decode_column(self.block.column(c).as_list(), self.types.get(c))
            for c in self.columns
        }

    def cursor(self, i: int) -> str:
        """Alert ``i``'s cursor: the JD text of its row key."""
        return self.block.keys[i].rsplit(b"_", 1)[1].decode()

    def record(self, i: int) -> dict[str, object]:
        """Alert ``i`` (oldest first; -1 the latest) decoded, with ``classification`` when
        its inputs were read."""
        record = decode_record(self.block.cells(i % len(self.block)), self.types)
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
    reader: Reader, object_ids: Sequence[str], plan: ObjectPlan | set[Column]
) -> list[ObjectData | None]:
    """The objects, in order; None for ids without any alert. One store call per table in
    all (batched with every other load of the same tick), light curves of the plan included."""
    if not isinstance(plan, ObjectPlan):
        plan = ObjectPlan(frozenset(plan))
    wanted = tuple(sorted(plan.columns | {JD}))
    mode = LATEST if plan.latest_only else ALL
    types = await reader.types(tables.MAIN)

    def read(oids: Sequence[str], mode: str) -> Awaitable[list[CellBlock]]:
        prefixes = [f"{oid}_".encode() for oid in oids]
        return reader.blocks_with_prefixes(tables.MAIN, prefixes, wanted, mode)

    blocks = await read(object_ids, mode)
    found = [
        ObjectData(oid, b, types, wanted) if len(b) else None
        for oid, b in zip(object_ids, blocks, strict=True)
    ]
    present = [o for o in found if o is not None]
    if plan.latest_only and plan.count and present:
        keys = await read([o.object_id for o in present], KEYS)
        for obj, counted in zip(present, keys, strict=True):
            obj.counted = len(counted)
    if present and plan.light_curves:
        assembled = await asyncio.gather(
            *(light_curves(reader, present, args) for args in plan.light_curves)
        )
        for args, curves in zip(plan.light_curves, assembled, strict=True):
            for obj, curve in zip(present, curves, strict=True):
                obj.light_curves[args] = curve
    return found


@dataclass
class AlertPage:
    """A page of an object's alerts, newest first, with cursors (the alert's JD text)."""

    items: list[tuple[str, dict[str, object], bool]]  # (cursor, record, label from SIMBAD)
    has_next: bool
    total: int


def alert_page(obj: ObjectData, window: AlertWindow) -> AlertPage:
    """The object's alerts in ``window``, newest first."""
    jd = obj.jd
    keep = np.ones(len(jd), dtype=bool)
    if window.since_jd is not None:
        keep &= jd >= window.since_jd
    if window.until_jd is not None:
        keep &= jd <= window.until_jd
    total = int(keep.sum())
    if window.after_jd is not None:
        keep &= jd < window.after_jd
    order = np.flatnonzero(keep)[::-1]
    chosen = order[: window.size].tolist()
    simbad = obj.simbad() if chosen and "cdsxmatch" in obj.table else None
    items = [
        (
            obj.cursor(i),
            obj.record(i),
            bool(simbad[i]) if simbad is not None else False,
        )
        for i in chosen
    ]
    return AlertPage(items, len(order) > window.size, total)


def alert_of_candid(obj: ObjectData, candid: int) -> tuple[dict[str, object], bool] | None:
    """The object's alert with this ``i:candid`` (record, label from SIMBAD), or None."""
    values = obj.table.get("candid")
    if values is None:
        return None
    found = [i for i, c in enumerate(list(values)) if c is not None and int(c) == candid]
    if not found:
        return None
    i = found[-1]
    simbad = bool(obj.simbad()[i]) if "cdsxmatch" in obj.table else False
    return obj.record(i), simbad
