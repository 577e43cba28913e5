"""schemathesis' GraphQL mode against the running gateway: generated queries over every root
field (valid documents, arbitrary argument values) never get a 5xx nor an unmasked error.

Bounded: ``MAX_EXAMPLES`` per root field, no shrinking budget beyond hypothesis' default.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.graphql import nodes

from tests.conformance.conftest import LiveGateway

MAX_EXAMPLES = 50

# Our input scalars: positions as degrees or sexagesimal text (well-formed or not); uploads
# cannot ride in a JSON body, so the optional `bayestar` upload is always null.
schemathesis.graphql.scalar(
    "Angle",
    st.one_of(
        st.floats(-400, 400, allow_nan=False).map(nodes.Float),
        st.sampled_from(["06h09m46.7s", "+35d34m20s", "35:34:20", "north", ""]).map(nodes.String),
    ),
)
schemathesis.graphql.scalar(
    "BigInt", st.integers(-(2**63), 2**63 - 1).map(lambda i: nodes.String(str(i)))
)
schemathesis.graphql.scalar("Upload", st.just(nodes.Null))

REFUSALS = frozenset({"QUERY_TOO_COSTLY", "QUERY_TOO_DEEP", "TOO_MANY_ALIASES", "TOO_MANY_TOKENS"})
"""Codes of a query refused whole before it runs (README: Limits)."""
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', ".py\", line ")


def check_response(case: Any) -> None:
    """One generated query: no 5xx, no traceback, every error coded and none ``INTERNAL``."""
    response = case.call(timeout=60)
    assert response.status_code < 500, response.text[:2000]
    for marker in TRACEBACK_MARKERS:
        assert marker not in response.text, response.text[:2000]
    body = response.json()
    codes = set()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code, f"error without extensions.code: {error}"
        assert code != "INTERNAL", f"unexpected failure for {case.body}: {error}"
        codes.add(code)
    if body.get("data") is None and codes and codes <= REFUSALS:
        # a generated query over the limits is refused whole, with its code: the answer we
        # want, which schemathesis' positive_data_acceptance would count as a failure
        return
    # schemathesis' other checks (JSON, a GraphQL response, non-null fields never null).
    # Its `not_a_server_error` is replaced by the checks above: for GraphQL it also counts
    # every error whose code it does not know (ours: INVALID_ARGUMENT...) as a server error.
    case.validate_response(response, excluded_checks=[not_a_server_error])


def test_generated_queries_get_no_server_error_and_only_coded_errors(
    live_gateway: LiveGateway,
) -> None:
    # Driven by hand rather than with schemathesis' pytest plugin, whose lazy loader
    # (`from_fixture`) reads a pytest internal that pytest 9 removed.
    schema = schemathesis.graphql.from_url(live_gateway.graphql_url, timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        run = settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,  # the same queries on every run: a failure reproduces
            database=None,  # no .hypothesis folder in the work tree
            suppress_health_check=list(HealthCheck),
        )(given(case=operation.as_strategy())(check_response))
        run()
