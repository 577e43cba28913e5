"""The root Query type."""

from __future__ import annotations

import strawberry

from fink_gateway import __version__


@strawberry.type(description="Entry points of the Fink alert gateway.")
class Query:
    @strawberry.field(description="Version of the gateway software.")
    def version(self) -> str:
        return __version__
