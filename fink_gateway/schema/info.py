"""The ``info`` argument of the schema's resolvers, typed with the gateway's request context."""

from __future__ import annotations

import strawberry

from fink_gateway.resolvers.context import RequestContext

Info = strawberry.Info[RequestContext, None]
