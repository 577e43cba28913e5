"""The shape of a query's answer as one table, planned from the document before it runs.

The rows are the items of the one list of objects the query selects (a list, or a
connection's ``edges``/``nodes``); without any list the answer is one row. Scalar fields
nested in objects become dotted columns (named from the row item; fields outside the rows
from the root, less the top-level field when it is the only one). Series (``FloatSeries``,
``IntSeries``, ``StringSeries``: one value per light-curve point) explode each row item
into one row per point; lists of scalars (a stamp's pixel array) stay whole in one cell.

A second list of objects beside the first, a list of objects inside the rows, a series
outside them, or a list of lists of objects make a query :class:`~fink_gateway.errors.NotTabular`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    parse,
    value_from_ast_untyped,
)

from fink_gateway.errors import NotTabular
from fink_gateway.gateway.tabular.columns import (
    ARRAY,
    SERIES,
    SERIES_SCALARS,
    VALUE,
    ColumnSpec,
    column_spec,
)

Path = tuple[str, ...]


class Unplannable(Exception):
    """The document is not valid for the schema: execution will report why."""


@dataclass(frozen=True)
class Leaf:
    """A column and where its value sits (response keys from the row item, or the root)."""

    path: Path
    spec: ColumnSpec


@dataclass
class TablePlan:
    """Columns outside the rows (``outer``: from the root), the path of the row list, and
    the columns of each row item (``inner``: from the item)."""

    outer: list[Leaf] = field(default_factory=list)
    row_path: Path | None = None
    inner: list[Leaf] = field(default_factory=list)

    @property
    def columns(self) -> list[ColumnSpec]:
        return [leaf.spec for leaf in (*self.outer, *self.inner)]

    @property
    def series(self) -> list[Leaf]:
        """The series leaves: those of the rows, or the root's when there is no list."""
        leaves = self.inner if self.row_path is not None else self.outer
        return [leaf for leaf in leaves if leaf.spec.kind == SERIES]


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    defaults: Mapping[str, Any]
    outer: list[tuple[Path, _Found]] = field(default_factory=list)
    inner: list[tuple[Path, _Found]] = field(default_factory=list)
    row_path: Path | None = None
    row_edge: bool = False


@dataclass(frozen=True)
class _Found:
    graphql_type: str
    kind: str
    depth: int
    metadata: Mapping[str, Any]
    description: str


def plan_table(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    top_level: Collection[str] | None = None,
) -> TablePlan:
    """The table of the operation's answer (of its top-level fields ``top_level`` only,
    when given); raises :class:`NotTabular` when it cannot be one table and
    :class:`Unplannable` when the document does not fit the schema."""
    operation = _operation(document, operation_name)
    root = schema.query_type
    if operation.operation.value != "query" or root is None:
        raise NotTabular("only queries have tabular answers")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    defaults = {
        v.variable.name.value: value_from_ast_untyped(v.default_value)
        for v in operation.variable_definitions or ()
        if v.default_value is not None
    }
    walk = _Walk(schema, fragments, dict(variables or {}), defaults)
    _visit(walk, operation.selection_set, root, (), in_rows=False, keep=top_level)
    return _named(walk)


def plan_items(schema: GraphQLSchema, type_name: str, selection: str) -> TablePlan:
    """The table of a list of ``type_name`` objects answered with ``selection`` (GraphQL
    text, e.g. ``"jd magpsf"``), held at ``rows`` of the data: for lists a route gathers
    itself (the alerts of several tracklets)."""
    owner = schema.get_type(type_name)
    if owner is None:
        raise Unplannable(f"unknown type {type_name}")
    document = parse(f"fragment Rows on {type_name} {{ {selection} }}", no_location=True)
    fragment = document.definitions[0]
    assert isinstance(fragment, FragmentDefinitionNode)
    walk = _Walk(schema, {}, {}, {})
    walk.row_path = ("rows",)
    _visit(walk, fragment.selection_set, owner, (), in_rows=True)
    return _named(walk)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == name]
    if len(operations) != 1:
        raise Unplannable("no single operation to run")
    return operations[0]


def _visit(
    walk: _Walk, selection_set: SelectionSetNode, parent: GraphQLNamedType, path: Path,
    *, in_rows: bool, keep: Collection[str] | None = None,
) -> None:  # fmt: skip
    for key, node, field_def in _fields(walk, selection_set, parent):
        if keep is not None and key not in keep:
            continue
        here = (*path, key)
        if node.name.value == "__typename":
            _leaf(walk, here, _Found("String", VALUE, 0, {}, "GraphQL type name"), in_rows)
            continue
        wrapped, depth = _unwrap(field_def.type)
        named = get_named_type(wrapped)
        strawberry = (field_def.extensions or {}).get("strawberry-definition")
        metadata = dict(getattr(strawberry, "metadata", None) or {})
        description = field_def.description or ""
        if isinstance(named, GraphQLScalarType | GraphQLEnumType):
            kind = SERIES if named.name in SERIES_SCALARS and depth == 0 else VALUE
            kind = ARRAY if depth else kind
            _leaf(walk, here, _Found(named.name, kind, depth, metadata, description), in_rows)
        elif node.selection_set is None:
            raise Unplannable(f"{key} needs a selection")
        elif depth == 0:
            _visit(walk, node.selection_set, named, here, in_rows=in_rows)
        else:
            _rows(walk, node, named, here, depth, in_rows=in_rows)


def _rows(
    walk: _Walk, node: FieldNode, named: GraphQLNamedType, here: Path, depth: int,
    *, in_rows: bool,
) -> None:  # fmt: skip
    where = ".".join((*walk.row_path, *here) if in_rows and walk.row_path else here)
    if in_rows or depth > 1:
        raise NotTabular(
            f"`{where}` is a list inside the list of rows: a table has one list of rows. "
            "Ask for that list alone, or for series (light-curve columns) instead.",
            path=where,
        )
    if walk.row_path is not None:
        first = ".".join(walk.row_path)
        raise NotTabular(
            f"`{first}` and `{where}` are two lists: a table has one list of rows. "
            "Ask for them in separate queries.",
            paths=[first, where],
        )
    walk.row_path = here
    walk.row_edge = _is_edge(named)
    assert node.selection_set is not None
    _visit(walk, node.selection_set, named, (), in_rows=True)


def _leaf(walk: _Walk, path: Path, found: _Found, in_rows: bool) -> None:
    (walk.inner if in_rows else walk.outer).append((path, found))


def _is_edge(type_: GraphQLNamedType) -> bool:
    return (
        isinstance(type_, GraphQLObjectType)
        and type_.name.endswith("Edge")
        and "node" in type_.fields
    )


def _unwrap(type_: Any) -> tuple[Any, int]:
    depth = 0
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            depth += 1
        type_ = type_.of_type
    return type_, depth


def _fields(
    walk: _Walk, selection_set: SelectionSetNode, parent: GraphQLNamedType
) -> Iterator[tuple[str, FieldNode, GraphQLField]]:
    """The fields selected on ``parent`` by response key (fragments inlined, @skip/@include
    applied, the sub-selections of a repeated key merged); fields of type conditions of an
    abstract type included."""
    grouped: dict[str, list[tuple[FieldNode, GraphQLNamedType]]] = {}
    for node, owner in _flatten(walk, selection_set, parent):
        grouped.setdefault(node.alias.value if node.alias else node.name.value, []).append(
            (node, owner)
        )
    for key, found in grouped.items():
        node, owner = found[0]
        if len(found) > 1 and node.selection_set is not None:
            selections = tuple(s for n, _ in found for s in (n.selection_set or _EMPTY).selections)
            node = FieldNode(
                name=node.name, alias=node.alias, arguments=node.arguments,
                directives=(), selection_set=SelectionSetNode(selections=selections),
            )  # fmt: skip
        if node.name.value == "__typename":
            yield key, node, GraphQLField(GraphQLString)
            continue
        fields = getattr(owner, "fields", None) or {}
        field_def = fields.get(node.name.value)
        if field_def is None:
            raise Unplannable(f"unknown field {node.name.value}")
        yield key, node, field_def


_EMPTY = SelectionSetNode(selections=())


def _flatten(
    walk: _Walk, selection_set: SelectionSetNode, parent: GraphQLNamedType
) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
    for selection in selection_set.selections:
        if not _included(walk, selection):
            continue
        if isinstance(selection, FieldNode):
            yield selection, parent
            continue
        if isinstance(selection, FragmentSpreadNode):
            fragment = walk.fragments.get(selection.name.value)
            if fragment is None:
                raise Unplannable(f"unknown fragment {selection.name.value}")
            condition: NamedTypeNode | None = fragment.type_condition
            inner = fragment.selection_set
        elif isinstance(selection, InlineFragmentNode):
            condition, inner = selection.type_condition, selection.selection_set
        else:
            continue
        owner = parent
        if condition is not None:
            found = walk.schema.get_type(condition.name.value)
            if found is None:
                raise Unplannable(f"unknown type {condition.name.value}")
            if not _applies(walk.schema, found, parent):
                continue
            owner = found if not is_abstract_type(found) else parent
        yield from _flatten(walk, inner, owner)


def _applies(schema: GraphQLSchema, condition: GraphQLNamedType, parent: GraphQLNamedType) -> bool:
    if condition is parent:
        return True
    if isinstance(parent, GraphQLAbstractType) and isinstance(condition, GraphQLObjectType):
        return schema.is_sub_type(parent, condition)
    if isinstance(condition, GraphQLAbstractType) and isinstance(parent, GraphQLObjectType):
        return schema.is_sub_type(condition, parent)
    return isinstance(condition, GraphQLAbstractType) and isinstance(parent, GraphQLAbstractType)


def _included(walk: _Walk, node: Any) -> bool:
    """@skip(if:) and @include(if:), with literal or variable conditions."""
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        condition = next((a.value for a in directive.arguments if a.name.value == "if"), None)
        if isinstance(condition, BooleanValueNode):
            value = condition.value
        elif isinstance(condition, VariableNode):
            var = condition.name.value
            value = walk.variables.get(var, walk.defaults.get(var))
            if not isinstance(value, bool):
                raise Unplannable(f"variable ${var} is not a Boolean")
        else:
            raise Unplannable(f"@{name} needs if: Boolean")
        if (name == "skip") == value:
            return False
    return True


def _named(walk: _Walk) -> TablePlan:
    """Names for every leaf: dotted from the row item (less an edge's ``node``), or from the
    root (less the top-level field when there is only one); clashes keep full paths."""
    top = {path[0] for path, _ in walk.outer}
    if walk.row_path is not None:
        top.add(walk.row_path[0])
    single = len(top) == 1

    def inner_name(path: Path) -> str:
        if walk.row_edge and path[0] == "node" and len(path) > 1:
            path = path[1:]
        return ".".join(path)

    def outer_name(path: Path, full: bool) -> str:
        return ".".join(path[1:] if single and not full and len(path) > 1 else path)

    inner = [inner_name(p) for p, _ in walk.inner]
    outer = [outer_name(p, False) for p, _ in walk.outer]
    if len(set(inner + outer)) != len(inner) + len(outer):
        outer = [outer_name(p, True) for p, _ in walk.outer]
    names = _unique(outer + inner)
    specs = [
        column_spec(name, f.graphql_type, f.kind, f.metadata, f.description, f.depth)
        for name, (_, f) in zip(names, walk.outer + walk.inner, strict=True)
    ]
    plan = TablePlan(
        outer=[Leaf(p, s) for (p, _), s in zip(walk.outer, specs[: len(walk.outer)], strict=True)],
        row_path=walk.row_path,
        inner=[Leaf(p, s) for (p, _), s in zip(walk.inner, specs[len(walk.outer):], strict=True)],
    )
    if plan.row_path is not None and any(leaf.spec.kind == SERIES for leaf in plan.outer):
        raise NotTabular(
            "series (light-curve columns) outside the list of rows make a second list: "
            f"select them inside `{'.'.join(plan.row_path)}`, or drop the list"
        )
    return plan


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name}#{n}", n + 1
        out.append(candidate)
    return out
