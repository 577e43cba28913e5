"""Argument types shared by many fields: date windows and Relay pagination."""

from __future__ import annotations

from typing import Annotated

import strawberry

Since = Annotated[
    str | None,
    strawberry.argument(description="Keep alerts at or after this date (ISO, JD or MJD)."),
]
Until = Annotated[
    str | None,
    strawberry.argument(description="Keep alerts at or before this date (ISO, JD or MJD)."),
]
SinceOrFinkStart = Annotated[
    str | None,
    strawberry.argument(
        description="Alerts at or after this date (ISO, JD or MJD); default 2019-11-01."
    ),
]
UntilOrNow = Annotated[
    str | None,
    strawberry.argument(description="Alerts at or before this date; default now."),
]
First = Annotated[
    int | None, strawberry.argument(description="Page size (default and cap configured).")
]
After = Annotated[str | None, strawberry.argument(description="Cursor to continue after.")]
