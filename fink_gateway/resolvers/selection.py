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


OBJECT_OWN_FIELDS = frozenset({"objectId"})
"""Object fields answered without reading any column (the id is in the row keys)."""


def object_selection(info_fields: Iterable[SelectedField]) -> set[str]:
    """Names selected below an ``Object`` field, minus the Object's own key fields.

    ``Object.objectId`` needs no column, while ``Alert.objectId`` (deeper) reads
    ``i:objectId``: only the first level is filtered.
    """
    names: set[str] = set()
    for field in info_fields:
        for child in _children(field.selections):
            if child.name not in OBJECT_OWN_FIELDS or child.selections:
                names.add(child.name)
            names |= selected_names(child.selections)
    return names


def object_children(info_fields: Iterable[SelectedField]) -> list[SelectedField]:
    """The fields selected directly below these fields (through fragments)."""
    return [child for field in info_fields for child in _children(field.selections)]


def _children(selections: Iterable[Selection]) -> list[SelectedField]:
    out: list[SelectedField] = []
    stack = list(selections)
    while stack:
        node = stack.pop()
        if isinstance(node, SelectedField):
            out.append(node)
        elif isinstance(node, FragmentSpread | InlineFragment):
            stack.extend(node.selections)
    return out


def direct_fields(info_fields: Iterable[SelectedField]) -> list[SelectedField]:
    """The fields selected directly below the resolver's own field, through fragments."""
    out: list[SelectedField] = []
    stack: list[Selection] = [n for field in info_fields for n in field.selections]
    while stack:
        node = stack.pop()
        if isinstance(node, SelectedField):
            out.append(node)
        elif isinstance(node, FragmentSpread | InlineFragment):
            stack.extend(node.selections)
    return out
