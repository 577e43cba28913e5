"""The field names a query selects below a field, fragments included (for column push-down)."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def selected_names(selections: Iterable[Selection]) -> set[str]:
    """Every field name selected anywhere below these selections."""
    names: set[str] = set()
    stack = list(selections)
    while stack:
        node = stack.pop()
        if isinstance(node, SelectedField):
            names.add(node.name)
            stack.extend(node.selections)
        elif isinstance(node, FragmentSpread | InlineFragment):
            stack.extend(node.selections)
    return names


def field_selection(info_fields: Iterable[SelectedField]) -> set[str]:
    """Names selected below the resolver's own field (``info.selected_fields``)."""
    names: set[str] = set()
    for field in info_fields:
        names |= selected_names(field.selections)
    return names
