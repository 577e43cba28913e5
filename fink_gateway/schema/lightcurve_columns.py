"""``LightCurveColumns``: every main-table column of a light curve's points, as series.

One field per ``i:``/``d:`` column, named as on ``Alert`` (``i:rf_snia_vs_nonia`` →
``rfSniaVsNonia``), aligned with the light curve's points: an alert's value at a valid point;
at an upper limit or a bad-quality point the value Fink's upper tables hold (``jd``,
``fid``, ``diffmaglim``; ``uppervalid`` adds ``magpsf``, ``sigmapsf``, ``magnr``,
``sigmagnr``, ``isdiffpos``, ``distnr``), null elsewhere — the rows of Fink's
``/api/v1/objects?withupperlim=True``. Only the columns selected are read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry

from fink_gateway.layout.columns import FinkColumn
from fink_gateway.resolvers.columns import FIELD_OF_COLUMN
from fink_gateway.resolvers.lightcurve import LightCurveData
from fink_gateway.schema.alert import column_description
from fink_gateway.schema.scalars import (
    BooleanSeries,
    FloatSeries,
    IntSeries,
    StringSeries,
    decimal_texts,
)


def _floats(qualifier: str) -> Callable[[Any], FloatSeries]:
    def resolve(self: Any) -> FloatSeries:
        return FloatSeries(self._data.column(qualifier))

    return resolve


def _integers(qualifier: str) -> Callable[[Any], IntSeries]:
    def resolve(self: Any) -> IntSeries:
        return IntSeries(self._data.column(qualifier))

    return resolve


def _longs(qualifier: str) -> Callable[[Any], StringSeries]:
    def resolve(self: Any) -> StringSeries:
        return StringSeries(decimal_texts(self._data.column(qualifier)))

    return resolve


def _texts(qualifier: str) -> Callable[[Any], StringSeries]:
    def resolve(self: Any) -> StringSeries:
        return StringSeries(self._data.column(qualifier))

    return resolve


def _booleans(qualifier: str) -> Callable[[Any], BooleanSeries]:
    def resolve(self: Any) -> BooleanSeries:
        return BooleanSeries(self._data.column(qualifier))

    return resolve


_RESOLVERS: dict[str, Callable[[str], Callable[[Any], Any]]] = {
    "double": _floats, "float": _floats, "integer": _integers, "long": _longs,
    "string": _texts, "boolean": _booleans,
}  # fmt: skip
_AS_TEXT = " as decimal text (64-bit: exact in every client)"


def _description(column: FinkColumn) -> str:
    note = _AS_TEXT if column.type == "long" else ""
    return f"{column_description(column)[:-1]}{note}; one value per point."


def _labels(self: Any) -> StringSeries:
    return StringSeries(self._data.labels)


def _constellations(self: Any) -> StringSeries:
    return StringSeries(self._data.constellations)


def _columns_type() -> type:
    """The strawberry type: one series per catalogue column, then the derived series."""
    namespace: dict[str, Any] = {"__annotations__": {"_data": strawberry.Private[LightCurveData]}}
    for name, column in FIELD_OF_COLUMN.items():
        namespace[name] = strawberry.field(
            resolver=_RESOLVERS[column.type](column.name),
            name=name,
            description=_description(column),
            metadata={"fink_column": f"{column.family}:{column.name}"},
        )
    namespace["classification"] = strawberry.field(
        resolver=_labels, name="classification",
        description="Fink's label of each valid point (FINK-REFERENCE §7: Fink's classifiers, "
        "then SIMBAD's type), Fink's v:classification; null at limits and bad points.",
        metadata={"fink_column": "d:classification"},
    )  # fmt: skip
    namespace["constellation"] = strawberry.field(
        resolver=_constellations, name="constellation",
        description="Constellation (full name) of each point's position (i:ra, i:dec), "
        "Fink's v:constellation; null where the point has no position.",
    )  # fmt: skip
    cls = type("LightCurveColumns", (), namespace)
    return strawberry.type(
        cls,
        description="Every column of Fink's main table for each point of a light curve, as "
        "series aligned with it (field names as on Alert): an alert's values at valid points; "
        "at upper limits and bad-quality points what Fink's upper tables hold (jd, fid, "
        "diffmaglim; bad points add magpsf, sigmapsf, magnr, sigmagnr, isdiffpos, distnr), "
        "null elsewhere. Only the columns selected are read.",
    )


LightCurveColumns: Any = _columns_type()
