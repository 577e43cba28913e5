"""``extensions.cost``: a query's cost, counted before it runs, and ``QUERY_TOO_COSTLY`` past
the cap.

The cost counts the nodes a query asks for, as GitHub's GraphQL API does. Each field that
loads something counts its size times the sizes of the lists around it:

- a page (a field with ``first`` or ``limit``: ``alerts``, ``conesearch``, ``alertsByClass``,
  ``anomalies``, ``cutouts``, ``resolve``) counts ``first`` (``limits.first_default`` when
  absent); ``objects`` and ``solarSystemObjects`` count their ids;
- ``tracklets``, ``statistics``, ``Skymap.matches`` and ``Tracklet.alerts`` have no size
  argument and count ``limits.first_default`` each;
- a light curve, an alert's cutout and a match's object count 1; a period or phase-curve fit
  counts :data:`FIT_COST`; every root field counts at least 1;
- other fields (scalars, parts of a loaded record such as ``classification``) are free.

``objects(objectIds: [100 ids]) { alerts(first: 50) { nodes { jd } } }`` costs
100 + 100 × 50 = 5100. Fragments, aliases (each alias counts), variables, ``@skip`` and
``@include`` are followed; sizes are clamped to the configured caps, so an out-of-range
``first`` gets its own ``INVALID_ARGUMENT``.

Every response carries ``extensions.cost = {"requested": n, "limit": limits.max_cost}``
(``requested`` is 0 when the document did not validate). The limits are read from the request
context's ``settings.limits``; without settings the extension does nothing.

Usage: ``strawberry.Schema(query=Query, extensions=[QueryCost, ErrorCodes])``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableValues,
    get_named_type,
    is_abstract_type,
)
from graphql.execution.values import get_argument_values, get_directive_values, get_variable_values
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from fink_gateway.errors import QueryTooCostly

FIT_COST = 1000
"""Cost of one period or phase-curve fit: about a second of a worker process each."""

PAGE_ARGUMENTS = ("first", "limit")
"""Arguments that size a list field (``None`` means ``limits.first_default``)."""

ID_ARGUMENTS = ("objectIds", "namesOrNumbers")
"""Arguments whose length sizes a list field."""

ESTIMATED_LISTS = frozenset(
    {"Query.tracklets", "Query.statistics", "Skymap.matches", "Tracklet.alerts"}
)
"""Lists without a size argument, counted as ``limits.first_default`` nodes."""

NODE_COSTS: Mapping[str, int] = {
    "Object.lightcurve": 1,
    "SolarSystemObject.lightcurve": 1,
    "Alert.cutout": 1,
    "ConeMatch.object": 1,
    "SkymapMatch.object": 1,
    "Object.period": FIT_COST,
    "SolarSystemObject.phaseCurve": FIT_COST,
}
"""Single-valued fields that load or compute something, with their cost."""


@dataclass(frozen=True)
class Sizes:
    """The caps that size lists: default and largest ``first``, most ids per query."""

    first_default: int
    first_max: int
    max_ids: int


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    sizes: Sizes,
) -> int:
    """The cost of the operation ``operation_name`` of a validated ``document``.

    0 when the operation cannot be chosen or its variables do not coerce (execution then
    reports that error).
    """
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if root is None or isinstance(coerced, list):
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Walk(schema, fragments, coerced, sizes).cost(root, (operation,), root=True)


class _Walk:
    """One pass over an operation; a selection's cost is linear in its multiplier, so each
    (type, field nodes) pair is costed once even when fragments repeat it."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
        sizes: Sizes,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.sizes = sizes
        self._memo: dict[tuple[str, tuple[int, ...]], int] = {}

    def cost(
        self,
        parent: GraphQLObjectType,
        owners: Sequence[FieldNode | OperationDefinitionNode],
        root: bool = False,
    ) -> int:
        key = (parent.name, tuple(map(id, owners)))
        if key not in self._memo:
            fields: dict[str, list[FieldNode]] = {}
            for owner in owners:
                if owner.selection_set is not None:
                    self._collect(parent, owner.selection_set, fields, set())
            self._memo[key] = sum(self._field(parent, nodes, root) for nodes in fields.values())
        return self._memo[key]

    def _field(self, parent: GraphQLObjectType, nodes: list[FieldNode], root: bool) -> int:
        name = nodes[0].name.value
        definition = parent.fields.get(name)
        if definition is None:  # __typename and introspection
            return 0
        count, weight = self._size(f"{parent.name}.{name}", definition, nodes[0], root)
        named = get_named_type(definition.type)
        if isinstance(named, GraphQLObjectType):
            inner = self.cost(named, nodes)
        elif is_abstract_type(named):
            types = self.schema.get_possible_types(named)
            inner = max((self.cost(t, nodes) for t in types), default=0)
        else:
            inner = 0
        return count * (weight + inner)

    def _size(
        self, path: str, definition: GraphQLField, node: FieldNode, root: bool
    ) -> tuple[int, int]:
        """(how many values the field returns, the cost of each one itself)."""
        sizes = self.sizes
        arguments = [a for a in (*PAGE_ARGUMENTS, *ID_ARGUMENTS) if a in definition.args]
        if arguments:
            try:
                values = get_argument_values(definition, node, self.variables)
            except GraphQLError:  # execution reports it
                values = {}
            value = values.get(arguments[0])
            if arguments[0] in ID_ARGUMENTS:
                return min(len(value or ()), sizes.max_ids), 1
            page = sizes.first_default if value is None else value
            return max(0, min(page, sizes.first_max)), 1
        if path in ESTIMATED_LISTS:
            return sizes.first_default, 1
        return 1, NODE_COSTS.get(path, 1 if root else 0)

    def _collect(
        self,
        parent: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        """The fields of ``selection_set`` by response key, through fragments."""
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, parent):
                    self._collect(parent, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition, parent):
                    self._collect(parent, fragment.selection_set, fields, visited)

    def _included(self, node: SelectionNode) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)

    def _applies(self, condition: NamedTypeNode | None, parent: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        kind = self.schema.get_type(condition.name.value)
        if kind is parent:
            return True
        return is_abstract_type(kind) and self.schema.is_sub_type(kind, parent)


def cost_report(requested: int, limit: int) -> dict[str, Any]:
    """The ``extensions.cost`` entry of a response."""
    return {"cost": {"requested": requested, "limit": limit}}


class QueryCost(SchemaExtension):
    """Computes the cost before execution, refuses it past ``limits.max_cost``, reports it."""

    def on_operation(self) -> Iterator[None]:
        self.requested = 0
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        limits = _limits(context.context)
        if limits is not None and context.graphql_document is not None:
            sizes = Sizes(limits.first_default, limits.first_max, limits.max_object_ids)
            self.requested = query_cost(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
                sizes,
            )
            if self.requested > limits.max_cost:
                error = QueryTooCostly(
                    f"query cost {self.requested:,} is over the limit of {limits.max_cost:,}: "
                    "ask for fewer objects, smaller pages (`first`) or fewer fits",
                    cost=self.requested,
                    limit=limits.max_cost,
                )
                report = cost_report(self.requested, limits.max_cost)
                graphql_error = GraphQLError(error.message, original_error=error, extensions=report)
                context.result = ExecutionResult(data=None, errors=[graphql_error])
        yield

    def get_results(self) -> dict[str, Any]:
        limits = _limits(self.execution_context.context)
        if limits is None:
            return {}
        return cost_report(getattr(self, "requested", 0), limits.max_cost)


def _limits(context: object) -> Any:
    """``context.settings.limits``, or None for a context without settings."""
    return getattr(getattr(context, "settings", None), "limits", None)
