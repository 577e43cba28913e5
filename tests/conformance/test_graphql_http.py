"""graphql-http's server audit (the GraphQL-over-HTTP specification's 61 checks, MUST and
SHOULD) against the running gateway: no error, no warning."""

from __future__ import annotations

from tests.conformance.conftest import LiveGateway, node_tool, run_node

AUDITS = 61
"""How many checks graphql-http 1.23.1 runs (a new version with more shows up here)."""


def test_graphql_http_server_audit_is_clean(live_gateway: LiveGateway) -> None:
    report = run_node([*node_tool("audit.mjs"), live_gateway.graphql_url], timeout_s=60)
    problems = [
        f"{f['status']} {f['id']} {f['name']}: {f['reason']} (HTTP {f['status_code']})"
        for f in report["failures"]
        if f["status"] in ("warn", "error")
    ]
    assert not problems, "\n".join(problems)
    assert report["total"] == AUDITS
    assert report["counts"] == {"ok": AUDITS, "notice": 0, "warn": 0, "error": 0}
