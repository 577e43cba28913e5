"""A GraphiQL example tab: title, query, and the plot the Plots panel draws of its result."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExampleQuery:
    """A GraphiQL tab: its title, its query, and the Plots panel's plot of its result."""

    title: str
    query: str
    plot: str | None = None
    """``lightcurve``, ``period``, ``phasecurve``, ``cutouts``, ``sky`` or None."""
