"""Documentation that can drift from the code: schema descriptions and error codes."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import GraphQLObjectType, parse, validate

from fink_gateway import errors
from fink_gateway.schema.build import build_schema

ROOT = Path(__file__).resolve().parents[1]


def _described_types():  # type: ignore[no-untyped-def]
    schema = build_schema()._schema
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        if name in ("PageInfo",) or name.endswith(("Edge", "Connection")):
            continue
        yield name, type_


def test_every_schema_field_is_described() -> None:
    missing = [
        f"{name}.{field_name}"
        for name, type_ in _described_types()
        for field_name, field in type_.fields.items()
        if not field.description and field_name not in ("edges", "node", "cursor", "nodes")
    ]
    assert not missing, f"fields without a description: {missing}"


def test_every_object_type_is_described() -> None:
    missing = [name for name, type_ in _described_types() if not type_.description]
    assert not missing, f"types without a description: {missing}"


def test_every_error_code_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    codes = {
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.GatewayError)
    }
    codes |= {"GRAPHQL_VALIDATION_FAILED"}
    missing = sorted(c for c in codes if f"`{c}`" not in readme)
    assert not missing, f"error codes not documented in README.md: {missing}"


def test_the_readme_s_queries_are_valid_for_the_schema() -> None:
    readme = (ROOT / "README.md").read_text()
    queries = re.findall(r"```graphql\n(.*?)```", readme, re.DOTALL)
    assert len(queries) >= 2  # ZTF, and LSST with both surveys
    schema = build_schema()._schema
    for query in queries:
        assert not validate(schema, parse(query)), query
