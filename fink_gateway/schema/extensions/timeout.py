"""A per-request time limit that keeps what finished.

One deadline per request, ``limits.timeout_seconds`` after the operation started (read from
the request context's settings; 0 or no settings: no limit). Only the resolvers that wait —
asynchronous ones, and synchronous ones marked :func:`may_wait` — are bounded by it; every
other field runs unwrapped, so a thousand light-curve columns cost no timer each. A resolver
still waiting at the deadline is cancelled and fails with ``TIMEOUT``: its field is null (or
its nearest nullable parent, as GraphQL prescribes), every field that had finished is
returned, and the response holds one ``TIMEOUT`` error per unfinished field.

Usage: ``Timeout`` among the schema's extensions, then :func:`bound_waiting_resolvers` on
the built schema (``build_schema`` does both).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from graphql import GraphQLObjectType, GraphQLSchema
from strawberry.extensions import SchemaExtension

from fink_gateway.errors import RequestTimeout

F = TypeVar("F", bound=Callable[..., Any])

_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("deadline", default=None)
"""(loop time of the deadline, the limit in seconds) of the running request."""


def may_wait(resolver: F) -> F:
    """Marks a synchronous resolver that sometimes returns an awaitable (bounded too)."""
    resolver.__fink_may_wait__ = True  # type: ignore[attr-defined]  # F: any callable
    return resolver


class Timeout(SchemaExtension):
    """Sets the request's deadline."""

    def on_operation(self) -> Iterator[None]:
        limits = getattr(getattr(self.execution_context.context, "settings", None), "limits", None)
        seconds = float(getattr(limits, "timeout_seconds", 0.0) or 0.0)
        deadline = None
        if seconds > 0:
            with contextlib.suppress(RuntimeError):  # executed synchronously: no loop to time
                deadline = (asyncio.get_running_loop().time() + seconds, seconds)
        token = _DEADLINE.set(deadline)
        try:
            yield
        finally:
            with contextlib.suppress(ValueError):  # ended in another context: nothing to undo
                _DEADLINE.reset(token)


def bound_waiting_resolvers(schema: GraphQLSchema) -> None:
    """Wraps the resolvers that may wait so that they stop at the request's deadline."""
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for field in type_.fields.values():
            definition = (field.extensions or {}).get("strawberry-definition")
            resolver = getattr(getattr(definition, "base_resolver", None), "wrapped_func", None)
            waits = getattr(definition, "is_async", False) or getattr(
                resolver, "__fink_may_wait__", False
            )
            if waits and field.resolve is not None:
                field.resolve = _bounded_resolver(field.resolve)


def _bounded_resolver(resolve: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        result = resolve(root, info, *args, **kwargs)
        deadline = _DEADLINE.get()
        if deadline is None or not inspect.isawaitable(result):
            return result
        return _until(result, *deadline)

    return bounded


async def _until(awaitable: Awaitable[Any], deadline: float, seconds: float) -> Any:
    limit = asyncio.timeout_at(deadline)
    try:
        async with limit:
            return await awaitable
    except TimeoutError:
        if not limit.expired():  # the resolver's own timeout, not the request's
            raise
        raise RequestTimeout(
            f"the request ran past its limit of {seconds:g} s; this field did not "
            "finish (the fields that did are returned)",
            seconds=seconds,
        ) from None
