"""A request id for every HTTP request: the client's ``X-Request-Id`` when it is a plausible
id (1–128 letters, digits, ``._:-``), else a new one. It is stored in the scope's state
(``request.state.request_id``) for the GraphQL context and the logs, and sent back in the
response's ``X-Request-Id`` header."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
_PLAUSIBLE = re.compile(r"[A-Za-z0-9._:-]{1,128}\Z")


def new_request_id() -> str:
    """16 random hex digits."""
    return uuid.uuid4().hex[:16]


def scope_request_id(scope: Scope) -> str | None:
    """The id :class:`RequestIdMiddleware` gave this request, if any."""
    state = scope.get("state")
    return state.get("request_id") if isinstance(state, dict) else None


class RequestIdMiddleware:
    """Names each HTTP request and echoes the name in ``X-Request-Id``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(HEADER, "")
        request_id = incoming if _PLAUSIBLE.match(incoming) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
