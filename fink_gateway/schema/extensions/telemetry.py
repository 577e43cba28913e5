"""``extensions.telemetry``: the store work and resolver time one request cost.

``{"store": {"roundTrips", "rows", "cells", "columns"}, "resolvers": {"Type.field": seconds}}``,
also logged. Enabled by the ``telemetry`` setting (``FINK_GATEWAY_TELEMETRY=1``); resolvers
that return plain attributes are not timed.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

log = logging.getLogger("fink_gateway.telemetry")


class Telemetry(SchemaExtension):
    """Adds the request's store counters and resolver timings to the response."""

    def on_operation(self) -> Iterator[None]:
        self._timings: dict[str, float] = defaultdict(float)
        yield

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any,
        **kwargs: Any,
    ) -> Any:  # fmt: skip
        field = info.parent_type.fields.get(info.field_name)  # None: __type, __schema
        if field is None or field.resolve is None:
            return _next(root, info, *args, **kwargs)
        name = f"{info.parent_type.name}.{info.field_name}"
        start = time.perf_counter()
        result = _next(root, info, *args, **kwargs)
        if inspect.isawaitable(result):
            return self._timed(result, name, start)
        self._timings[name] += time.perf_counter() - start
        return result

    async def _timed(self, awaitable: Any, name: str, start: float) -> Any:
        try:
            return await awaitable
        finally:
            self._timings[name] += time.perf_counter() - start

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        stats = context.reader.stats
        telemetry = {
            "store": {
                "roundTrips": stats.round_trips,
                "rows": stats.rows,
                "cells": stats.cells,
                "columns": sorted(c.decode() for c in stats.columns),
            },
            "resolvers": {k: round(v, 6) for k, v in sorted(self._timings.items())},
        }
        log.info("telemetry request=%s %s", getattr(context, "request_id", None), telemetry)
        return {"telemetry": telemetry}
