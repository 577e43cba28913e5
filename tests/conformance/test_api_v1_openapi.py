"""schemathesis' OpenAPI mode against Fink's routes of the running gateway: the document at
``/api/v1/openapi.json`` loads as OpenAPI, and generated calls of every route (arguments of
any value, JSON bodies and query strings) never get a server error nor a traceback.

Bounded: ``MAX_EXAMPLES`` per operation, derandomized so that a failure reproduces.
"""

from __future__ import annotations

from typing import Any

import orjson
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conformance.conftest import LiveGateway

MAX_EXAMPLES = 15
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', ".py\", line ")
UPSTREAM = {"UPSTREAM_UNAVAILABLE", "TIMEOUT"}
"""Codes that may come with a 5xx: a remote service (Miriade) or the time limit."""


def check_response(case: Any) -> None:
    response = case.call(timeout=60)
    text = response.content.decode("utf-8", errors="replace")  # tables and images too
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, text[:2000]
    if response.status_code < 400:
        return
    body = orjson.loads(response.content)
    errors = body.get("errors") or [{}]
    code = body.get("code") or errors[0].get("extensions", {}).get("code")
    where = f"{case.operation.label} {case.query} {case.body}: {text[:2000]}"
    assert code and code != "INTERNAL", where
    assert response.status_code < 500 or code in UPSTREAM, where


def test_generated_calls_of_fink_routes_get_no_server_error(live_gateway: LiveGateway) -> None:
    base = live_gateway.graphql_url.removesuffix("/graphql")
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 24  # twelve routes, GET and POST
    for operation in operations:
        run = settings(
            max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy())(check_response))  # fmt: skip
        run()
