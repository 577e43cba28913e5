"""Plain objects completed in one step.

graphql-core completes an object field by field: each field gets a resolve info, its
arguments, the middleware, strawberry's resolver wrapper and the completion of its value —
tens of microseconds, paid 600 times for 100 objects with four light-curve columns, more
than the light curves cost to read and assemble. :class:`FastExecutionContext` completes
an object of a *plain* type (``Object``, ``LightCurve``, ``Colour``, ``Alert``) in one
step when every field the query selects on it is plain: an attribute, or a synchronous
resolver without arguments, whose value is a scalar or another plain object (or a field
with its own completer, such as ``Object.lightcurve``, whose arguments are coerced once per
query field, not once per object). The fields are those graphql-core
collected (aliases, fragments, ``@include``/``@skip``); the value of each is serialised by
its scalar, exactly as field-by-field execution does (the recorded-answers test checks it).
A field that is not plain, a value that is not what was expected, or any exception sends
the object back to graphql-core's own path, which reports errors as usual; so does a
request with middleware (telemetry, tracing), whose per-field hooks must see every field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.execution.values import get_argument_values
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

PLAIN_TYPES = ("Object", "LightCurve", "LightCurveColumns", "Colour", "Alert", "Position")
"""Object types completed in one step when the selection allows it."""

FieldCompleter = Callable[["FastExecutionContext", Any, Any], Any]
"""(execution context, source object, field details list) → JSON-ready value."""

ARGUMENT_COMPLETERS: dict[tuple[str, str], Callable[[Any, dict[str, Any]], Any]] = {}
"""(type, field) → f(source, coerced GraphQL arguments) for fields with arguments that are
still plain; it returns the field's value, or raises ``NotPlain`` to leave the object to
graphql-core."""


class NotPlain(Exception):
    """This object (or value) cannot be completed in one step."""


def plain_with_arguments(type_name: str, field_name: str) -> Callable[[Callable[..., Any]],
                                                                      Callable[..., Any]]:
    """Registers the one-step resolution of a field that takes arguments."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        ARGUMENT_COMPLETERS[(type_name, field_name)] = fn
        return fn

    return register


def _unwrap(type_: Any) -> tuple[Any, bool]:
    nullable = not isinstance(type_, GraphQLNonNull)
    return (type_ if nullable else type_.of_type), nullable


def _value_completer(field_type: Any) -> Callable[[FastExecutionContext, Any, Any], Any] | None:
    """How to complete a field's value (None: not plain)."""
    inner, nullable = _unwrap(field_type)
    if isinstance(inner, GraphQLScalarType):
        serialize = inner.serialize

        def scalar(_ctx: FastExecutionContext, value: Any, _details: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise NotPlain
            return serialize(value)

        return scalar
    if isinstance(inner, GraphQLObjectType) and inner.name in PLAIN_TYPES:

        def nested(ctx: FastExecutionContext, value: Any, details: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise NotPlain
            return ctx.complete_plain(inner, value, details)

        return nested
    if isinstance(inner, GraphQLList):
        return None
    return None


def _field_completer(type_name: str, name: str, field: GraphQLField) -> FieldCompleter | None:
    definition = (field.extensions or {}).get("strawberry-definition")
    if definition is None or getattr(definition, "is_async", True):
        return None
    complete = _value_completer(field.type)
    if complete is None:
        return None
    special = ARGUMENT_COMPLETERS.get((type_name, name))
    if special is not None:

        def with_arguments(ctx: FastExecutionContext, source: Any, details: Any) -> Any:
            return complete(ctx, special(source, ctx.arguments_of(field, details)), details)

        return with_arguments
    if field.args:
        return None
    resolver = getattr(getattr(definition, "base_resolver", None), "wrapped_func", None)
    if resolver is not None:
        if getattr(resolver, "__fink_may_wait__", False):
            return None
        return lambda ctx, source, details: complete(ctx, resolver(source), details)
    attribute = definition.python_name
    return lambda ctx, source, details: complete(ctx, getattr(source, attribute), details)


def plain_plan(schema: GraphQLSchema) -> dict[str, dict[str, FieldCompleter]]:
    """Per plain type: field name → completer, for the fields that are plain."""
    plan: dict[str, dict[str, FieldCompleter]] = {}
    for type_name in PLAIN_TYPES:
        type_ = schema.type_map.get(type_name)
        if not isinstance(type_, GraphQLObjectType) or type_.is_type_of is not None:
            continue
        fields = {}
        for name, field in type_.fields.items():
            completer = _field_completer(type_name, name, field)
            if completer is not None:
                fields[name] = completer
        plan[type_name] = fields
    return plan


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain objects completed in one step."""

    plain: ClassVar[dict[str, dict[str, FieldCompleter]]] = {}

    def _has_middleware(self) -> bool:
        manager = self.middleware_manager
        return bool(manager is not None and getattr(manager, "middlewares", None))

    def arguments_of(self, field: GraphQLField, details: Any) -> dict[str, Any]:
        """The field's coerced arguments, once per field of the query: the same node in
        every object of a list has the same arguments (the variables are the request's)."""
        node = details[0].node
        memo: dict[int, tuple[Any, dict[str, Any]]] = self.__dict__.setdefault("_arguments", {})
        found = memo.get(id(node))
        if found is None or found[0] is not node:
            found = (node, get_argument_values(field, node, self.variable_values))
            memo[id(node)] = found
        return found[1]

    def complete_plain(self, type_: GraphQLObjectType, source: Any, details: Any) -> Any:
        """The JSON-ready value of one plain object (raises NotPlain when it is not)."""
        fields = self.plain.get(type_.name)
        if fields is None:
            raise NotPlain
        grouped, new_defer_usages, _ = self.collect_subfields(type_, details)
        if new_defer_usages:
            raise NotPlain
        out: dict[str, Any] = {}
        for key, field_details in grouped.items():
            name = field_details[0].node.name.value
            if name == "__typename":
                out[key] = type_.name
                continue
            completer = fields.get(name)
            if completer is None:
                raise NotPlain
            out[key] = completer(self, source, field_details)
        return out

    def execute_collected_subfields(
        self, parent_type: GraphQLObjectType, source_value: Any, path: Any,
        grouped_field_set: Any, new_defer_usages: Any, position_context: Any,
    ) -> Any:  # fmt: skip
        fields = self.plain.get(parent_type.name)
        if fields is not None and not new_defer_usages and not self._has_middleware():
            try:
                out: dict[str, Any] = {}
                for key, details in grouped_field_set.items():
                    name = details[0].node.name.value
                    if name == "__typename":
                        out[key] = parent_type.name
                    else:
                        out[key] = fields[name](self, source_value, details)
                return out
            except Exception:
                pass
        return super().execute_collected_subfields(
            parent_type, source_value, path, grouped_field_set, new_defer_usages,
            position_context,
        )


def fast_context_class(schema: GraphQLSchema) -> type[FastExecutionContext]:
    """An execution context class knowing this schema's plain types."""
    return type("SchemaFastExecutionContext", (FastExecutionContext,),
                {"plain": plain_plan(schema)})
