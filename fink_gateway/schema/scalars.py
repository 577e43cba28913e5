"""Custom scalars: whole columns of numbers or text, and 64-bit integers as text.

Light curves are columnar: one list per column. GraphQL executors complete a ``[Float]``
item by item, which costs ~20× more than the rest of a light-curve query; a *series* scalar
hands the whole column to the JSON encoder at once (measured in BENCHMARKS.md). Values are
JSON arrays; missing values are ``null``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NewType

import numpy as np
import strawberry
from graphql import GraphQLError
from strawberry.types.scalar import ScalarDefinition

FloatSeries = NewType("FloatSeries", object)
IntSeries = NewType("IntSeries", object)
StringSeries = NewType("StringSeries", object)
BooleanSeries = NewType("BooleanSeries", object)
BigInt = NewType("BigInt", int)
Angle = NewType("Angle", object)


def _as_is(value: Any) -> Any:
    return value


def _int_series(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return [None if np.isnan(v) else int(v) for v in value.tolist()]
    return value


def _output_only(value: Any) -> Any:
    raise GraphQLError("series scalars are output values only")


def _big_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise GraphQLError(f"BigInt cannot represent {value!r}: give the decimal text")
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or not -(2**63) <= int(text) < 2**63:
        raise GraphQLError(f"BigInt cannot represent {value!r}: not a 64-bit integer")
    return int(text)


def decimal_texts(values: np.ndarray | list[Any]) -> list[str | None]:
    """A column of 64-bit integers (None where absent) as decimal texts, for a series."""
    items = values.tolist() if isinstance(values, np.ndarray) else values
    return [None if v is None else str(v) for v in items]


def _angle(value: Any) -> float | str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise GraphQLError(f"Angle cannot represent {value!r}: give degrees or sexagesimal text")
    return value


def _series(
    name: str, what: str, serialize: Callable[[Any], Any] = _as_is
) -> ScalarDefinition:
    """An output-only scalar of a whole column as one JSON array."""
    return strawberry.scalar(
        name=name,
        description=f"A column of {what} as a JSON array (null where missing).",
        serialize=serialize,
        parse_value=_output_only,
    )


SCALAR_MAP: dict[object, ScalarDefinition] = {
    FloatSeries: _series("FloatSeries", "floating-point values"),
    IntSeries: _series("IntSeries", "integers", _int_series),
    StringSeries: _series("StringSeries", "strings"),
    BooleanSeries: _series("BooleanSeries", "booleans"),
    BigInt: strawberry.scalar(
        name="BigInt",
        description="A 64-bit integer (an LSST diaObjectId, diaSourceId…) as its decimal "
        "text, '169813006680588318': exact in every client, where JavaScript and pandas round "
        "JSON numbers above 2^53. Input: the text, or a JSON integer.",
        serialize=str,
        parse_value=_big_int,
    ),
    Angle: strawberry.scalar(
        name="Angle",
        description="An angle, as a number of degrees (92.4445778) or as text: degrees "
        "('92.4445778', '+35d34m20s') or, for right ascension, sexagesimal hours "
        "('6h09m46.7s', '06:09:46.7', '06 09 46.7'). Checked by the field that takes it.",
        serialize=_as_is,
        parse_value=_angle,
    ),
}
