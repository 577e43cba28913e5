"""``resolver_field``: ``@strawberry.field(...)`` on a resolver method, typed for mypy.

Called with options but no resolver, ``strawberry.field`` matches the overload meant for
``name: T = strawberry.field(...)`` class attributes, which returns ``Any`` so that it fits
every annotation. Used as a decorator, that ``Any`` makes every resolver it wraps untyped to
mypy (``untyped-decorator`` under ``--strict``). At run time the call returns a
``StrawberryField`` whose ``__call__`` takes the method as its resolver and returns the field
itself; this wrapper makes the same call and says so.
"""

from __future__ import annotations

import strawberry
from strawberry.types.field import StrawberryField


def resolver_field(*, name: str | None = None, description: str | None = None) -> StrawberryField:
    """``strawberry.field(name=..., description=...)``, to decorate a resolver method."""
    field: StrawberryField = strawberry.field(name=name, description=description)
    return field
