"""Terminal progress for long ingests: a bar with alerts/s, silent when not on a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from fink_gateway.ingest.pipeline import Progress as ProgressCallback


class _Rate(TextColumn):
    def __init__(self) -> None:
        super().__init__("")

    # TextColumn.render is typed to return a Text; the progress table takes any renderable
    def render(self, task: Task) -> str:  # type: ignore[override]
        speed = task.finished_speed or task.speed or 0.0
        return f"{speed:,.0f} alerts/s"


@contextmanager
def alert_progress(
    console: Console, description: str, total: int | None
) -> Iterator[ProgressCallback]:
    """Yields a callback taking the number of alerts just written."""
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if total else TextColumn("{task.completed:,} alerts"),
        TaskProgressColumn() if total else TextColumn(""),
        _Rate(),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)
