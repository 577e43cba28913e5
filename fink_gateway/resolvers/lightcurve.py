"""Light curves of many objects at once, columnar: valid alerts plus, on request, Fink's upper
limits and bad-quality points (FINK-REFERENCE §6), oldest first.

Tags are Fink's: ``valid`` (main table), ``upperlim`` (``upper`` table) and ``badquality``
(``uppervalid`` table; dropped where a valid alert of the object has exactly the same JD, as
Fink does). Every object of a batch is assembled in one vectorised pass over the concatenated
rows of the three tables: one decode per column, one sort by (object, JD), then each object's
light curve is a slice of the batch's arrays, handed to JSON as it is.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from strawberry.dataloader import DataLoader

from fink_gateway.layout import tables
from fink_gateway.layout.columns import UPPER_COLUMNS, UPPERVALID_COLUMNS
from fink_gateway.loaders.decoding import (
    Decoded,
    Types,
    absent,
    concatenate,
    decode_cells,
    qualifier,
)
from fink_gateway.loaders.reader import Reader
from fink_gateway.science.classification import CLASSIFICATION_INPUTS, classify
from fink_gateway.science.coords import constellations
from fink_gateway.science.photometry import (
    ColourBlock,
    band_of,
    colour_block,
    dc_magnitude,
    is_source_behind,
)
from fink_gateway.store.cell_block import CellBlock
from fink_gateway.store.types import Column

if TYPE_CHECKING:
    from fink_gateway.resolvers.objects import ObjectData

VALID, UPPERLIM, BADQUALITY = "valid", "upperlim", "badquality"
TAGS = np.array([VALID, UPPERLIM, BADQUALITY], dtype=object)
_OBJECT_ID = b"i:objectId"
_UPPER = tuple(c.column for c in UPPER_COLUMNS if c.column != _OBJECT_ID)
_UPPERVALID = tuple(c.column for c in UPPERVALID_COLUMNS if c.column != _OBJECT_ID)


@dataclass(frozen=True)
class LightCurveArgs:
    """What a ``lightcurve`` field asks for: limits or not, and which filter ids (None: all)."""

    with_upper_limits: bool = False
    fids: frozenset[int] | None = None


@dataclass
class LightCurveBatch:
    """The points of several objects sorted by (object, JD): object ``i`` owns the rows
    ``offsets[i]:offsets[i + 1]`` of every column (named by qualifier, plus ``tag``)."""

    columns: dict[str, Decoded]
    offsets: np.ndarray
    source_behind: np.ndarray
    n_points: int = field(init=False)

    def __post_init__(self) -> None:
        self.n_points = int(self.offsets[-1])

    def floats(self, name: str) -> np.ndarray:
        """A column as float64 (NaN where absent or never read)."""
        column = self.columns.get(name)
        if column is None:
            return np.full(self.n_points, np.nan)
        values = column.values.astype(np.float64)
        if column.valid is not None:
            values[~column.valid] = np.nan
        return values

    @cached_property
    def dc(self) -> tuple[np.ndarray, np.ndarray]:
        """DC magnitude and its sigma of every point (NaN where not computable), mag."""
        isdiffpos = self.columns.get("isdiffpos")
        flags = np.full(self.n_points, "", dtype=object) if isdiffpos is None else np.where(
            isdiffpos.values == None, "", isdiffpos.values  # noqa: E711 (elementwise)
        )
        return dc_magnitude(self.floats("magpsf"), self.floats("sigmapsf"),
                            self.floats("magnr"), self.floats("sigmagnr"), flags)

    @cached_property
    def bands(self) -> np.ndarray:
        """Filter name of every point (None where the filter id is unknown)."""
        return np.array(band_of(self.floats("fid")), dtype=object)

    @cached_property
    def labels(self) -> np.ndarray:
        """Fink's label (§7) of every valid point, None elsewhere (and everywhere when the
        inputs of the label were not read)."""
        out = np.full(self.n_points, None, dtype=object)
        if not all(q in self.columns for q in CLASSIFICATION_INPUTS):
            return out
        valid = np.flatnonzero(self.columns["tag"].values == VALID)
        if len(valid):
            frame = pd.DataFrame({
                q: self.columns[q].take(valid).series(0, len(valid)) for q in CLASSIFICATION_INPUTS
            })
            out[valid] = classify(frame)
        return out

    @cached_property
    def constellations(self) -> np.ndarray:
        """Constellation of every point with a position (i:ra, i:dec), None elsewhere."""
        return constellations(self.floats("ra"), self.floats("dec"))


@dataclass
class LightCurveData:
    """One object's light curve: a slice of a :class:`LightCurveBatch`."""

    batch: LightCurveBatch
    index: int

    @property
    def start(self) -> int:
        return int(self.batch.offsets[self.index])

    @property
    def stop(self) -> int:
        return int(self.batch.offsets[self.index + 1])

    @property
    def length(self) -> int:
        return self.stop - self.start

    @property
    def source_behind(self) -> bool:
        return bool(self.batch.source_behind[self.index])

    def column(self, name: str) -> np.ndarray | list[Any]:
        """The points' values of one column (an array view, or a list with None)."""
        column = self.batch.columns.get(name)
        if column is None:
            return [None] * self.length
        return column.series(self.start, self.stop)

    def floats(self, name: str) -> np.ndarray:
        return self.batch.floats(name)[self.start:self.stop]

    @property
    def bands(self) -> np.ndarray:
        return self.batch.bands[self.start:self.stop]

    @property
    def labels(self) -> np.ndarray:
        return self.batch.labels[self.start:self.stop]

    @property
    def constellations(self) -> np.ndarray:
        return self.batch.constellations[self.start:self.stop]

    @property
    def dc(self) -> tuple[np.ndarray, np.ndarray]:
        mag, sigma = self.batch.dc
        return mag[self.start:self.stop], sigma[self.start:self.stop]

    @cached_property
    def colour(self) -> tuple[np.ndarray, ColourBlock]:
        """(valid-point mask, colour block of the valid points) (FINK-REFERENCE §8)."""
        valid = self.batch.columns["tag"].values[self.start:self.stop] == VALID
        block = colour_block(self.floats("jd")[valid], self.floats("magpsf")[valid],
                             self.floats("sigmapsf")[valid], self.floats("fid")[valid])
        return valid, block


@dataclass(frozen=True)
class _Source:
    """Decoded rows of one table for every object: object index and position of each row."""

    owner: np.ndarray
    columns: dict[str, Decoded]

    def __len__(self) -> int:
        return len(self.owner)


def _decode(blocks: Sequence[CellBlock], types: Types, columns: Sequence[Column]) -> _Source:
    """The rows of every object's block, concatenated and decoded column by column."""
    owner = np.repeat(np.arange(len(blocks)), [len(b) for b in blocks])
    block = CellBlock.concat(blocks)
    decoded = {
        qualifier(c): decode_cells(block.column(c), types.get(c))
        for c in columns if c != _OBJECT_ID
    }
    return _Source(owner, decoded)


def _main_jd(blocks: Sequence[CellBlock], decoded: Decoded | None) -> np.ndarray:
    """JD of every main-table row: its ``i:jd`` cell when read, else its key's."""
    keys = CellBlock.concat(blocks).keys  # slices of one scan: no copy per key
    return tables.jd_of_rows(keys, None if decoded is None else decoded.values)


def _seen(owner: np.ndarray, jd: np.ndarray, valid_owner: np.ndarray,
          valid_jd: np.ndarray) -> np.ndarray:
    """Whether each (owner, jd) pair is also a valid alert's (owner, jd)."""
    pairs = np.dtype([("o", np.int64), ("jd", np.float64)])

    def packed(o: np.ndarray, j: np.ndarray) -> np.ndarray:
        out = np.empty(len(o), dtype=pairs)
        out["o"], out["jd"] = o, j
        return out.view(np.void(16))

    return np.isin(packed(owner, jd), packed(valid_owner, valid_jd))


def assemble(
    main: Sequence[CellBlock],
    main_types: Types,
    main_columns: Sequence[Column],
    args: LightCurveArgs,
    history: tuple[Sequence[CellBlock], Types, Sequence[CellBlock], Types] | None,
) -> LightCurveBatch:
    """Light curves of several objects from their main-table blocks (``history``: their
    upper-limit blocks and types, bad-quality blocks and types, when limits are asked)."""
    n = len(main)
    valid = _decode(main, main_types, main_columns)
    cells = valid.columns.get("jd") if main_types.get(b"i:jd") == "double" else None
    valid.columns["jd"] = Decoded(_main_jd(main, cells))
    sources = [valid]
    if history is not None:
        upper_rows, upper_types, bad_rows, bad_types = history
        upper = _decode(upper_rows, upper_types, _UPPER)
        bad = _decode(bad_rows, bad_types, _UPPERVALID)
        if len(bad):
            keep = ~_seen(bad.owner, bad.columns["jd"].values, valid.owner,
                          valid.columns["jd"].values)
            bad = _Source(bad.owner[keep], {k: v.take(keep) for k, v in bad.columns.items()})
        sources += [upper, bad]
    columns = _merge(sources)
    owner = np.concatenate([s.owner for s in sources])
    wanted: np.ndarray | None = None  # the points in the bands asked for
    if args.fids is not None:
        fid = columns["fid"]
        wanted = np.isin(fid.values, list(args.fids))
        if fid.valid is not None:
            wanted &= fid.valid
    jd = columns["jd"].values.astype(np.float64)
    order = np.lexsort((np.arange(len(owner)), jd, owner))
    if wanted is not None:
        order = order[wanted[order]]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner[order], minlength=n), out=offsets[1:])
    return LightCurveBatch(
        {name: column.take(order) for name, column in columns.items()},
        offsets,
        _source_behind(valid, n),
    )


def _merge(sources: Sequence[_Source]) -> dict[str, Decoded]:
    """Every column of every source over all their rows (absent cells where a source lacks
    it), plus each point's ``tag``."""
    names = list(dict.fromkeys(name for s in sources for name in s.columns))
    merged = {}
    for name in names:
        kind = next(s.columns[name].values.dtype.kind for s in sources if name in s.columns)
        merged[name] = concatenate([
            s.columns[name] if name in s.columns else absent(kind, len(s)) for s in sources
        ])
    tags = np.concatenate([np.full(len(s), i, dtype=np.int8) for i, s in enumerate(sources)])
    merged["tag"] = Decoded(TAGS[tags])
    return merged


def _source_behind(valid: _Source, n: int) -> np.ndarray:
    """Per object: a source sits behind it (distnr of its latest alert, when read)."""
    behind = np.zeros(n, dtype=bool)
    distnr = valid.columns.get("distnr")
    if distnr is None or not len(valid):
        return behind
    last = np.flatnonzero(np.r_[valid.owner[1:] != valid.owner[:-1], True])
    behind[valid.owner[last]] = is_source_behind(distnr.values[last].astype(np.float64))
    return behind


async def load_history(
    reader: Reader, object_ids: Sequence[str]
) -> tuple[list[CellBlock], Types, list[CellBlock], Types]:
    """Upper-limit and bad-quality rows of each object (one store call per table in all)."""
    prefixes = [f"{oid}_".encode() for oid in object_ids]
    upper, bad, upper_types, bad_types = await asyncio.gather(
        reader.blocks_with_prefixes(tables.UPPER, prefixes, _UPPER),
        reader.blocks_with_prefixes(tables.UPPERVALID, prefixes, _UPPERVALID),
        reader.types(tables.UPPER),
        reader.types(tables.UPPERVALID),
    )
    return list(upper), upper_types, list(bad), bad_types


@dataclass(eq=False)
class _Asked:
    """One object's light curve asked for (a DataLoader key, by identity)."""

    obj: ObjectData
    args: LightCurveArgs


async def light_curves(
    reader: Reader, objects: Sequence[ObjectData], args: LightCurveArgs
) -> list[LightCurveData]:
    """The light curves of these objects, assembled together with every other light curve
    asked for in the same tick of the request (aliases, nested objects)."""
    loader: DataLoader[_Asked, LightCurveData] = reader.loader(
        "light_curves", lambda: DataLoader(load_fn=partial(_assemble_asked, reader), cache=False)
    )
    return list(await loader.load_many([_Asked(o, args) for o in objects]))


async def _assemble_asked(reader: Reader, asked: list[_Asked]) -> list[LightCurveData]:
    groups: dict[tuple[LightCurveArgs, tuple[Column, ...]], list[int]] = defaultdict(list)
    for i, a in enumerate(asked):
        groups[(a.args, a.obj.columns)].append(i)
    out: list[LightCurveData | None] = [None] * len(asked)

    async def one(args: LightCurveArgs, columns: tuple[Column, ...], where: list[int]) -> None:
        objects = [asked[i].obj for i in where]
        history = None
        if args.with_upper_limits:
            history = await load_history(reader, [o.object_id for o in objects])
        batch = assemble([o.block for o in objects], objects[0].types, columns, args, history)
        for k, i in enumerate(where):
            out[i] = LightCurveData(batch, k)

    await asyncio.gather(*(one(a, c, w) for (a, c), w in groups.items()))
    # every slot is filled: the groups share out the indices of asked
    return out  # type: ignore[return-value]
