"""What an ``Object`` selection needs read: columns, how many rows, which light curves.

Planned once per object-returning field from its selection, so that the read matches the
question: a summary of the latest alert reads one row per object (a reversed scan with
limit 1) whatever the object's length, ``nAlerts`` counts keys without reading cells, and the
light curves selected below are assembled together with the objects, in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from strawberry.types.nodes import SelectedField

from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.lightcurve import LightCurveArgs
from fink_gateway.resolvers.selection import object_children, object_selection
from fink_gateway.science.photometry import BANDS
from fink_gateway.store.types import Column

LATEST_FIELDS = frozenset({
    "__typename", "objectId", "lastAlert", "firstSeen", "lastSeen", "lapse", "classification",
    "crossmatch", "nAlerts", "survey", "name",
})  # fmt: skip
"""Object fields answered from its latest alert (``nAlerts`` by counting keys)."""

FIDS = {band: fid for fid, band in BANDS.items()}


@dataclass(frozen=True)
class ObjectPlan:
    """Main-table columns to read; ``latest_only``: one row per object; ``count``: count the
    rows (``nAlerts``) apart; ``light_curves``: the light curves to assemble with the objects."""

    columns: frozenset[Column]
    latest_only: bool = False
    count: bool = False
    light_curves: tuple[LightCurveArgs, ...] = ()


def object_plan(info_fields: Iterable[SelectedField]) -> ObjectPlan:
    """The plan of the Object(s) returned by the field(s) ``info_fields``."""
    fields = list(info_fields)
    children = object_children(fields)
    names = {child.name for child in children}
    curves = []
    for child in children:
        if child.name == "lightcurve" and not child.directives:
            args = light_curve_args(child.arguments)
            if args is not None and args not in curves:
                curves.append(args)
    return ObjectPlan(
        frozenset(columns_for_fields(object_selection(fields))),
        latest_only=bool(names) and names <= LATEST_FIELDS,
        count="nAlerts" in names,
        light_curves=tuple(curves),
    )


def light_curve_args(arguments: Mapping[str, Any]) -> LightCurveArgs | None:
    """The arguments of a selected ``lightcurve`` field, or None when they cannot be told
    before it runs (the field then assembles its light curve itself)."""
    limits = arguments.get("withUpperLimits", False)
    bands = arguments.get("bands")
    if not isinstance(limits, bool):
        return None
    if bands is None:
        return LightCurveArgs(limits, None)
    try:
        names = [getattr(b, "value", b) for b in bands]
        return LightCurveArgs(limits, frozenset(FIDS[n] for n in names))
    except (KeyError, TypeError):
        return None
