"""Rows by exact key, batched per request: one ``get_rows`` per table and column set.

:class:`~fink_gateway.loaders.reader.Reader` batches prefix scans; some tables are read by
exact key instead (``cutouts``: ``objectId_jd``), where a prefix would also match longer
keys (``…_2460000.5`` is a prefix of ``…_2460000.55``). :func:`keyed_rows` gives the
request's loader: every key asked during one tick of the event loop is read in ONE store
call per (table, columns), through the reader's counting store. Nothing is kept across
requests (cutout cells are large; the cross-request cache is for index rows).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from fink_gateway.layout import tables
from fink_gateway.loaders.reader import Reader
from fink_gateway.store.types import Cells, Column, RowKey


@dataclass(frozen=True, slots=True)
class KeyedRow:
    """One row of one table, read with one column projection."""

    table: tables.TableSpec
    key: RowKey
    columns: tuple[Column, ...]


class KeyedRows:
    """The per-request loader of rows by key (see the module docstring)."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._loader: DataLoader[KeyedRow, Cells | None] = DataLoader(load_fn=self._load)

    async def get(
        self, spec: tables.TableSpec, key: RowKey, columns: Sequence[Column]
    ) -> Cells | None:
        """The row's cells, or None when it holds none of ``columns`` (or does not exist)."""
        return await self._loader.load(KeyedRow(spec, key, tuple(sorted(columns))))

    async def get_many(
        self, spec: tables.TableSpec, keys: Sequence[RowKey], columns: Sequence[Column]
    ) -> list[Cells | None]:
        """Several rows, in order (batched with every other call of the same tick)."""
        wanted = tuple(sorted(columns))
        return await self._loader.load_many([KeyedRow(spec, k, wanted) for k in keys])

    async def _load(self, asked: list[KeyedRow]) -> list[Cells | None]:
        groups: dict[tuple[tables.TableSpec, tuple[Column, ...]], list[int]] = defaultdict(list)
        for i, item in enumerate(asked):
            groups[(item.table, item.columns)].append(i)
        results: list[Cells | None] = [None] * len(asked)

        async def read(
            spec: tables.TableSpec, columns: tuple[Column, ...], where: list[int]
        ) -> None:
            keys = [asked[i].key for i in where]
            found = await self._reader.store.get_rows(
                self._reader.table(spec), keys, list(columns) or None
            )
            for i, cells in zip(where, found, strict=True):
                results[i] = cells

        await asyncio.gather(*(read(s, c, w) for (s, c), w in groups.items()))
        return results


def keyed_rows(reader: Reader) -> KeyedRows:
    """The loader of ``reader``'s request (created on first use, dropped with the reader)."""
    return reader.loader("keyed_rows", lambda: KeyedRows(reader))
