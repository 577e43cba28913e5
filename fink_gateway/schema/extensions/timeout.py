"""A per-request time limit that keeps what finished.

Every asynchronous resolver runs under one deadline, ``limits.timeout_seconds`` after the
operation started (read from the request context's settings; 0 or no settings: no limit). A
resolver still waiting at the deadline is cancelled and fails with ``TIMEOUT``: its field is
null (or its nearest nullable parent, as GraphQL prescribes), every field that had finished
is returned, and the response holds one ``TIMEOUT`` error per unfinished field.

Usage: ``strawberry.Schema(query=Query, extensions=[Timeout, ErrorCodes])``.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from fink_gateway.errors import RequestTimeout


class Timeout(SchemaExtension):
    """Cancels the resolvers still running at the request's deadline."""

    def on_operation(self) -> Iterator[None]:
        limits = getattr(getattr(self.execution_context.context, "settings", None), "limits", None)
        seconds = float(getattr(limits, "timeout_seconds", 0.0) or 0.0)
        self._seconds = seconds
        self._deadline: float | None = None
        if seconds > 0:
            with contextlib.suppress(RuntimeError):  # executed synchronously: no loop to time
                self._deadline = asyncio.get_running_loop().time() + seconds
        yield

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: Any,
        **kwargs: Any,
    ) -> Any:  # fmt: skip
        result = _next(root, info, *args, **kwargs)
        if self._deadline is None or not inspect.isawaitable(result):
            return result
        return self._bounded(result)

    async def _bounded(self, awaitable: Awaitable[Any]) -> Any:
        assert self._deadline is not None
        limit = asyncio.timeout_at(self._deadline)
        try:
            async with limit:
                return await awaitable
        except TimeoutError:
            if not limit.expired():  # the resolver's own timeout, not the request's
                raise
            raise RequestTimeout(
                f"the request ran past its limit of {self._seconds:g} s; this field did not "
                "finish (the fields that did are returned)",
                seconds=self._seconds,
            ) from None
