"""A cap on request bodies: larger ones get HTTP 413 ``PAYLOAD_TOO_LARGE`` before the
GraphQL view parses them.

A declared ``Content-Length`` over the cap is refused without reading the body; a chunked
body is counted as it arrives and refused when it passes the cap. Multipart requests (file
uploads) may be ``multipart_extra_bytes`` larger, and bodies sent to the paths of
``path_extra_bytes`` that many bytes larger (Fink's ``/api/v1/skymap`` takes a whole sky
map as the text of its bytes in a JSON body).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fink_gateway.errors import PayloadTooLarge
from fink_gateway.gateway.error_response import error_response
from fink_gateway.gateway.middleware.request_id import scope_request_id


class BodyLimitMiddleware:
    """Refuses HTTP request bodies over ``max_bytes``."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, multipart_extra_bytes: int = 0,
        path_extra_bytes: Mapping[str, int] | None = None,
    ) -> None:  # fmt: skip
        self.app = app
        self.max_bytes = max_bytes
        self.multipart_extra_bytes = multipart_extra_bytes
        self.path_extra_bytes = dict(path_extra_bytes or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = self.max_bytes
        if headers.get("content-type", "").lower().startswith("multipart/"):
            cap += self.multipart_extra_bytes
        cap += self.path_extra_bytes.get(scope.get("path", ""), 0)
        too_large = PayloadTooLarge(
            f"the request body is larger than {cap:,} bytes", max_bytes=cap
        )
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            await error_response(too_large, scope_request_id(scope))(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise too_large
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except PayloadTooLarge as error:
            if error is not too_large or started:
                raise
            await error_response(too_large, scope_request_id(scope))(scope, receive, send)
