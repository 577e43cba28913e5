"""schemathesis' generated GraphQL queries asked as tables (``?format=``): every one is a
table, a coded refusal (``NOT_TABULAR`` and the like) or a coded error — never a server
error nor a traceback. The scalars are registered by ``test_schemathesis``.
"""

from __future__ import annotations

from typing import Any

import orjson
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conformance import test_schemathesis  # noqa: F401 (registers our scalars)
from tests.conformance.conftest import LiveGateway

MAX_EXAMPLES = 10
FORMATS = ("csv", "parquet", "votable")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', ".py\", line ")


def check_table(case: Any, fmt: str) -> None:
    response = case.call(timeout=60, params={"format": fmt})
    text = response.content.decode("utf-8", errors="replace")
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, text[:2000]
    media = response.headers.get("content-type") or [""]  # schemathesis: lists of values
    if response.status_code == 200 and not str(media[0]).startswith("application/json"):
        return
    assert response.status_code < 500 or response.status_code == 504, text[:2000]
    for error in orjson.loads(response.content).get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code and code != "INTERNAL", f"{case.body}: {error}"


def test_generated_queries_as_tables_get_no_server_error(live_gateway: LiveGateway) -> None:
    schema = schemathesis.graphql.from_url(live_gateway.graphql_url, timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    for i, operation in enumerate(operations):
        run = settings(
            max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy())(_checker(FORMATS[i % len(FORMATS)])))
        run()


def _checker(fmt: str) -> Any:
    def check(case: Any) -> None:
        check_table(case, fmt)

    return check
