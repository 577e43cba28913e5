"""Tests for fink_gateway.gateway.logs: JSON log lines with the request id."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

from fink_gateway.gateway.config import ConfigError, load_settings
from fink_gateway.gateway.logs import REQUEST_ID, JsonFormatter, log_handler
from tests.gateway.demo_apps import demo_client, fill_demo_store


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("fink_gateway.test", logging.WARNING, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_json_formatter_writes_one_object_per_line() -> None:
    line = JsonFormatter().format(record("read %d rows", 3, round_trips=2))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "warning"
    assert entry["logger"] == "fink_gateway.test"
    assert entry["message"] == "read 3 rows"
    assert entry["round_trips"] == 2
    assert entry["time"].endswith("+00:00")
    assert "requestId" not in entry


def test_json_formatter_drops_uvicorn_colours() -> None:
    entry = json.loads(JsonFormatter().format(record("started", color_message="\x1b[36m")))
    assert "color_message" not in entry


def test_json_formatter_takes_the_request_id_from_the_record_or_the_context() -> None:
    assert json.loads(JsonFormatter().format(record("x", request_id="r1")))["requestId"] == "r1"
    token = REQUEST_ID.set("r2")
    try:
        assert json.loads(JsonFormatter().format(record("x")))["requestId"] == "r2"
    finally:
        REQUEST_ID.reset(token)


def test_json_formatter_keeps_the_traceback_in_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        made = record("failed")
        made.exc_info = sys.exc_info()
    line = JsonFormatter().format(made)
    assert "\n" not in line
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_log_handler_formats() -> None:
    assert isinstance(log_handler("json").formatter, JsonFormatter)
    text = log_handler("text").formatter
    assert text is not None and not isinstance(text, JsonFormatter)


def test_log_format_setting_is_text_or_json() -> None:
    assert load_settings(None, env={}).log_format == "text"
    assert load_settings(None, env={"FINK_GATEWAY_LOG_FORMAT": "json"}).log_format == "json"
    with pytest.raises(ConfigError, match="setting log_format: 'xml' is not one of text, json"):
        load_settings(None, env={"FINK_GATEWAY_LOG_FORMAT": "xml"})


def test_each_graphql_request_logs_a_line_with_its_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "store.db"
    fill_demo_store(path, alerts=3)
    with demo_client(path) as client, caplog.at_level(logging.INFO, "fink_gateway.requests"):
        response = client.post(
            "/graphql", json={"query": "{ nope }"}, headers={"x-request-id": "req-42"}
        )
    assert response.json()["errors"][0]["extensions"]["requestId"] == "req-42"
    (line,) = [JsonFormatter().format(r) for r in caplog.records if r.name.endswith("requests")]
    entry = json.loads(line)
    assert entry["requestId"] == "req-42"
    assert entry["error_codes"] == ["GRAPHQL_VALIDATION_FAILED"]
    assert entry["round_trips"] == 0
    assert entry["duration_ms"] >= 0


def test_client_errors_are_not_logged_as_errors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "store.db"
    fill_demo_store(path, alerts=3)
    query = {"query": '{ object(objectId: "bad") { objectId } }'}
    with demo_client(path) as client, caplog.at_level(logging.INFO):
        body = client.post("/graphql", json=query).json()
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
