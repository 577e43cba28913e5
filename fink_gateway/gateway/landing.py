"""``GET /``: a browser goes to GraphiQL; any other client gets the gateway's links as JSON.

``GET /schema.graphql`` serves the schema as SDL text (only where introspection is on: the
SDL tells what introspection would)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from fink_gateway import __version__

Endpoint = Callable[[Request], Awaitable[Response]]


def landing_endpoint(introspection: bool) -> Endpoint:
    """The ``/`` endpoint; GraphiQL (and the SDL link) only when introspection is on."""
    links = {"graphql": "/graphql", "health": "/healthz", "ready": "/readyz", "metrics": "/metrics"}
    if introspection:
        links |= {"graphiql": "/graphql", "sdl": "/schema.graphql"}

    async def landing(request: Request) -> Response:
        if introspection and "text/html" in request.headers.get("accept", ""):
            return RedirectResponse("/graphql", status_code=307)
        return JSONResponse({"name": "fink-gateway", "version": __version__, "links": links})

    return landing


def sdl_endpoint(sdl: str) -> Endpoint:
    """Serves ``sdl`` as ``text/plain`` (GraphQL SDL has no registered media type)."""

    async def schema_text(request: Request) -> Response:
        return PlainTextResponse(sdl)

    return schema_text
