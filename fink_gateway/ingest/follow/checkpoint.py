"""A follower's checkpoint: what its per-night tables have counted, kept in the store.

Per-alert rows are idempotent, but ``statistics_class`` counts alerts and ``anomaly`` keeps a
night's 10 lowest scores: they are built from state accumulated over the whole stream. The
follower saves that state (:meth:`AlertWriter.state`) after each batch with, per partition,
the offset up to which it counted, in row ``follow:<group id>`` of ``<prefix>.gateway_meta``
(the gateway's own table, not Fink's). After a crash it reloads it: a redelivered message
below that offset is rewritten but not counted twice. One follower process per group id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgpack

from fink_gateway.errors import NotFound
from fink_gateway.layout import tables
from fink_gateway.store.interface import Store

COLUMN = b"m:checkpoint"
TopicPartition = tuple[str, int]


@dataclass
class Checkpoint:
    """``counted``: per (topic, partition), the first offset not yet in the per-night state;
    ``writer_state``: :meth:`AlertWriter.state` at that point (None: nothing saved yet)."""

    counted: dict[TopicPartition, int] = field(default_factory=dict)
    writer_state: dict[str, Any] | None = None

    def is_counted(self, topic: str, partition: int, offset: int) -> bool:
        return offset < self.counted.get((topic, partition), 0)


def _row(group_id: str) -> bytes:
    return f"follow:{group_id}".encode()


async def load_checkpoint(store: Store, prefix: str, group_id: str) -> Checkpoint:
    """The group's saved checkpoint, or an empty one."""
    table = tables.GATEWAY_META.name(prefix)
    try:
        (cells,) = await store.get_rows(table, [_row(group_id)], [COLUMN])
    except NotFound:
        return Checkpoint()
    if not cells or COLUMN not in cells:
        return Checkpoint()
    saved = msgpack.unpackb(cells[COLUMN], raw=False, strict_map_key=False)
    counted = {(str(t), int(p)): int(o) for t, p, o in saved["counted"]}
    return Checkpoint(counted, saved["writer"])


async def save_checkpoint(store: Store, prefix: str, group_id: str, checkpoint: Checkpoint) -> None:
    """Write the checkpoint (one cell, replaced whole)."""
    assert checkpoint.writer_state is not None, "save a checkpoint with the writer's state"
    blob = msgpack.packb(
        {
            "counted": [[t, p, o] for (t, p), o in sorted(checkpoint.counted.items())],
            "writer": checkpoint.writer_state,
        },
        use_bin_type=True,
    )
    table = tables.GATEWAY_META.name(prefix)
    await store.create_table(table, tables.GATEWAY_META.families)
    await store.put_rows(table, [(_row(group_id), {COLUMN: blob})])
