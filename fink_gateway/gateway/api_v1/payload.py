"""The arguments of an ``/api/v1`` call, as Fink reads them: the query string, else the body
(JSON, or a form); values are text or JSON values, read with Fink's conventions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request

from fink_gateway.gateway.api_v1.errors import ApiError, missing_argument

_TRUE = frozenset({"true", "1", "yes"})


@dataclass(frozen=True)
class Payload:
    """Arguments by name (Fink's names: ``objectId``, ``output-format``…)."""

    values: Mapping[str, Any]

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def require(self, *names: str) -> None:
        """Fink's 400 for the first required argument missing."""
        for name in names:
            if name not in self.values:
                raise missing_argument(name)

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else str(value).strip()

    def flag(self, name: str) -> bool:
        """Fink's booleans: ``True`` (JSON true, ``"True"``; also ``"true"``, ``"1"``)."""
        value = self.values.get(name)
        return value is True or str(value).strip().lower() in _TRUE

    def integer(self, name: str, default: int) -> int:
        value = self.values.get(name)
        if value is None:
            return default
        try:
            return int(str(value).strip())
        except ValueError:
            raise ApiError(f"`{name}` must be an integer, not {value!r}.\n") from None

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.values.get(name)
        if value is None:
            return default
        try:
            return float(str(value).strip())
        except ValueError:
            raise ApiError(f"`{name}` must be a number, not {value!r}.\n") from None

    def names(self, name: str) -> list[str]:
        """A comma-separated list (``objectId``, ``columns``, ``n_or_d``), spaces removed."""
        text = self.text(name) or ""
        return [part for part in text.replace(" ", "").split(",") if part]


async def read_payload(request: Request) -> Payload:
    """The call's arguments: the query string when it has any, else the body."""
    if request.query_params:
        return Payload(dict(request.query_params))
    if request.method != "POST":
        return Payload({})
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        return Payload({k: v for k, v in form.items()})
    body = await request.body()
    if not body.strip():
        return Payload({})
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ApiError("The body is not JSON: send a JSON object of arguments.\n") from None
    if not isinstance(decoded, dict):
        raise ApiError("The body must be a JSON object of arguments.\n")
    return Payload(decoded)
