"""The ``info`` argument of the schema's resolvers, typed with the gateway's request context."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.types.nodes import SelectedField

from fink_gateway.resolvers.context import RequestContext

Info = strawberry.Info[RequestContext, None]


def selected_fields(info: Info) -> list[SelectedField]:
    """``info.selected_fields``: the resolver's own field node(s), with what they select.

    Strawberry converts ``info.field_nodes``, which graphql-core gives as field nodes only, but
    types the result as a list of any ``Selection`` (field, fragment spread, inline fragment).
    """
    return cast(list[SelectedField], info.selected_fields)
