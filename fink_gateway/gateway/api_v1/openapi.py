"""``/api/v1/openapi.json``: an OpenAPI 3.1 description of the routes, with the columns of
their records documented from the column catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fink_gateway import __version__
from fink_gateway.gateway.api_v1.names import PREFIX
from fink_gateway.gateway.api_v1.spec import ApiRoute, Param, RecordColumn

_JSON_TYPES = {"string": "string", "double": "number", "float": "number", "integer": "integer",
               "long": "integer", "boolean": "boolean", "array": "array"}  # fmt: skip


def _schema(param: Param) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": param.kind}
    if param.default is not None:
        schema["default"] = param.default
    if param.choices:
        schema["enum"] = list(param.choices)
    return schema


def _record_schema(columns: Sequence[RecordColumn]) -> dict[str, Any]:
    properties = {}
    for column in columns:
        unit = f" Unit: {column.unit}." if column.unit else ""
        properties[column.name] = {
            "type": [_JSON_TYPES.get(column.type, "string"), "null"],
            "description": f"{column.description}{unit} Stored type: {column.type}.",
        }
    return {"type": "object", "properties": properties}


def _operation(route: ApiRoute, method: str) -> dict[str, Any]:
    notes = f"\n\nDifferences from Fink: {route.notes}" if route.notes else ""
    description = route.summary + notes
    responses: dict[str, Any] = {
        "400": {"description": 'A missing or bad argument: {"status": "error", "text": …}'},
    }
    content: dict[str, Any] = {media: {} for media in route.media_types}
    if route.records is not None and "application/json" in content:
        content["application/json"] = {
            "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{route.name}"}}
        }
    responses["200"] = {"description": route.summary, "content": content}
    operation: dict[str, Any] = {
        "operationId": f"{method}_{route.name}", "summary": route.summary,
        "description": description, "tags": ["ZTF"], "responses": responses,
    }  # fmt: skip
    if method == "get":
        operation["parameters"] = [
            {"name": p.name, "in": "query", "required": p.required, "description": p.description,
             "schema": _schema(p), **({"example": p.example} if p.example is not None else {})}
            for p in route.params
        ]  # fmt: skip
    else:
        properties = {p.name: {**_schema(p), "description": p.description} for p in route.params}
        required = [p.name for p in route.params if p.required]
        body = {"type": "object", "properties": properties, "required": required}
        operation["requestBody"] = {
            "content": {"application/json": {"schema": body},
                        "application/x-www-form-urlencoded": {"schema": body}},
        }  # fmt: skip
    return operation


def openapi_document(routes: Sequence[ApiRoute]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``routes``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Fink/ZTF object API (Fink GraphQL gateway)",
            "version": __version__,
            "description": "Fink's REST routes (fink-object-api), answered through the "
            "gateway's GraphQL schema: same argument names, defaults and record shapes. "
            "A GET without arguments returns the route's description.",
        },
        "paths": {
            f"{PREFIX}/{r.name}": {"get": _operation(r, "get"), "post": _operation(r, "post")}
            for r in routes
        },
        "components": {
            "schemas": {r.name: _record_schema(r.records()) for r in routes if r.records}
        },
    }
