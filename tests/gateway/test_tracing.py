"""The ``tracing`` setting: strawberry's OpenTelemetryExtension spans for each operation,
its parsing, validation and resolvers (needs the ``tracing`` extra, in the test extra)."""

from __future__ import annotations

from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fink_gateway.gateway.config import Settings, load_settings
from fink_gateway.schema.build import build_schema
from tests.gateway.demo_apps import demo_client, fill_demo_store


@pytest.mark.anyio
async def test_tracing_records_a_span_per_step_and_resolver() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    schema = build_schema(tracing=True, tracer_provider=provider)
    result = await schema.execute("query Version { version }")
    assert result.errors is None and result.data == {"version": result.data["version"]}
    names = {span.name for span in exporter.get_finished_spans()}
    assert {"GraphQL Query: Version", "GraphQL Parsing", "GraphQL Validation"} <= names
    assert "GraphQL Resolving: version" in names


def test_tracing_off_by_default_and_on_by_setting(tmp_path: Path) -> None:
    assert Settings().tracing is False
    assert load_settings(None, env={"FINK_GATEWAY_TRACING": "1"}).tracing is True
    path = tmp_path / "store.db"
    fill_demo_store(path, alerts=3)
    # with the process's default (no-op) tracer provider the app still answers
    with demo_client(path, Settings(store=str(path), tracing=True)) as client:
        assert client.post("/graphql", json={"query": "{ version }"}).json()["data"]["version"]
