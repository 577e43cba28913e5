"""``resolver_field``: ``@strawberry.field(...)`` on a resolver method, typed for mypy.

Called with options but no resolver, ``strawberry.field`` matches the overload meant for
``name: T = strawberry.field(...)`` class attributes, which returns ``Any`` so that it fits
every annotation. Used as a decorator, that ``Any`` makes every resolver it wraps untyped to
mypy (``untyped-decorator`` under ``--strict``). At run time the call returns a
``StrawberryField`` whose ``__call__`` takes the method as its resolver and returns the field
itself; this wrapper makes the same call and says so.

``metadata`` tells tabular answers (CSV, Parquet, VOTable) what a field holds:
``{"fink_column": "i:magpsf"}`` for a stored column (its stored type, unit, meaning and UCD
come from the column catalogue, :mod:`fink_gateway.layout.catalogue`; a Rubin column is
named by its Rubin family, ``r:psfFlux``, ``f:is_sso``), ``{"unit": "mag"}`` for a derived
value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField


def resolver_field(
    *, name: str | None = None, description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> StrawberryField:  # fmt: skip
    """``strawberry.field(name=..., description=..., metadata=...)``, to decorate a resolver
    method."""
    field: StrawberryField = strawberry.field(name=name, description=description, metadata=metadata)
    return field


def column(fink_column: str) -> dict[str, str]:
    """Metadata of a field carrying a stored column, e.g. ``column("i:magpsf")`` (ZTF) or
    ``column("r:psfFlux")`` (Rubin LSST)."""
    return {"fink_column": fink_column}


def unit(symbol: str) -> dict[str, str]:
    """Metadata of a derived field in ``symbol`` units (``"mag"``, ``"deg"``, ``"d"``)."""
    return {"unit": symbol}
