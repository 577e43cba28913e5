"""An object's light curve, columnar: valid alerts plus, on request, Fink's upper limits and
bad-quality points (FINK-REFERENCE §6), oldest first.

Tags are Fink's: ``valid`` (main table), ``upperlim`` (``upper`` table) and ``badquality``
(``uppervalid`` table; dropped where a valid alert has exactly the same JD, as Fink does).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from fink_gateway.layout import tables
from fink_gateway.layout.columns import UPPER_COLUMNS, UPPERVALID_COLUMNS
from fink_gateway.loaders.decoding import Types, decode_columns, qualifier
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.objects import ObjectData
from fink_gateway.science.photometry import colour_block, dc_magnitude, is_source_behind
from fink_gateway.store.types import Column

VALID, UPPERLIM, BADQUALITY = "valid", "upperlim", "badquality"
_INTEGER_TYPES = frozenset({"integer", "long", "short"})


def _frame(values: dict[str, np.ndarray | list], types: Types, columns: Sequence[Column]
           ) -> pd.DataFrame:
    """Decoded columns as a frame; integer columns as pandas' nullable ``Int64``, so that
    they stay exact next to points that lack them (numpy would widen them to float64, and a
    19-digit candid would lose its last digits)."""
    frame = pd.DataFrame(values)
    for column in columns:
        name = qualifier(column)
        if types.get(column) in _INTEGER_TYPES and name in frame:
            frame[name] = pd.array(values[name], dtype="Int64")
    return frame


@dataclass
class LightCurveData:
    """Points of one object sorted by JD, as a DataFrame named by column qualifiers."""

    frame: pd.DataFrame
    source_behind: bool

    def column(self, name: str) -> np.ndarray | list:
        if name not in self.frame:
            return [None] * len(self.frame)
        values = self.frame[name]
        if isinstance(values.dtype, pd.Int64Dtype):
            return [None if v is pd.NA else v for v in values.tolist()]
        if values.dtype == object:
            return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v
                    for v in values.tolist()]
        return values.to_numpy()

    @cached_property
    def dc(self) -> tuple[np.ndarray, np.ndarray]:
        """DC magnitude and its sigma (NaN where not computable), mag."""
        f = self.frame

        def floats(name: str) -> np.ndarray:
            if name not in f:
                return np.full(len(f), np.nan)
            return f[name].to_numpy(dtype=np.float64, na_value=np.nan)

        isdiffpos = np.array(
            [v if isinstance(v, str) else "" for v in f.get("isdiffpos", [None] * len(f))],
            dtype=object,
        )
        return dc_magnitude(
            floats("magpsf"), floats("sigmapsf"), floats("magnr"), floats("sigmagnr"), isdiffpos
        )

    @cached_property
    def colour(self):  # type: ignore[no-untyped-def]
        f = self.frame
        valid = (f["tag"] == VALID).to_numpy()

        def floats(name: str) -> np.ndarray:
            return f[name].to_numpy(dtype=np.float64, na_value=np.nan)[valid]

        return valid, colour_block(floats("jd"), floats("magpsf"), floats("sigmapsf"),
                                   floats("fid"))


async def load_history(
    reader: Reader, objects: Sequence[ObjectData]
) -> list[tuple[list, list]]:
    """(upper rows, uppervalid rows) of each object, in two store calls in all."""
    upper_cols = [c.column for c in UPPER_COLUMNS]
    bad_cols = [c.column for c in UPPERVALID_COLUMNS]

    async def one(obj: ObjectData) -> tuple[list, list]:
        prefix = f"{obj.object_id}_".encode()
        upper, bad = await asyncio.gather(
            reader.rows_with_prefix(tables.UPPER, prefix, upper_cols),
            reader.rows_with_prefix(tables.UPPERVALID, prefix, bad_cols),
        )
        return upper, bad

    return list(await asyncio.gather(*(one(o) for o in objects)))


async def build_lightcurve(
    reader: Reader, obj: ObjectData, with_upper_limits: bool, fids: set[int] | None
) -> LightCurveData:
    """The object's points (valid, then limits), filtered by filter id, sorted by JD."""
    valid = _frame(obj.table, obj.types, obj.columns)
    valid["jd"] = obj.jd
    valid["tag"] = VALID
    frames = [valid]
    if with_upper_limits:
        ((upper_rows, bad_rows),) = await load_history(reader, [obj])
        upper_types = await reader.types(tables.UPPER)
        bad_types = await reader.types(tables.UPPERVALID)
        upper_cols = [c.column for c in UPPER_COLUMNS]
        upper = _frame(decode_columns(upper_rows, upper_types, upper_cols), upper_types, upper_cols)
        upper["tag"] = UPPERLIM
        bad_cols = [c.column for c in UPPERVALID_COLUMNS]
        bad = _frame(decode_columns(bad_rows, bad_types, bad_cols), bad_types, bad_cols)
        bad["tag"] = BADQUALITY
        if len(bad):
            bad = bad[~bad["jd"].isin(set(obj.jd.tolist()))]
        frames += [f.drop(columns=["objectId"], errors="ignore") for f in (upper, bad) if len(f)]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else valid
    if fids is not None and "fid" in frame:
        frame = frame[frame["fid"].isin(fids)]
    frame = frame.sort_values("jd", kind="stable").reset_index(drop=True)
    distnr = obj.table.get("distnr")
    behind = False
    if distnr is not None and len(distnr):
        latest = np.asarray(distnr, dtype=np.float64)[-1:]
        behind = bool(is_source_behind(latest)[0])
    return LightCurveData(frame, behind)
