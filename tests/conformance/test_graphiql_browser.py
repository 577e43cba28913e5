"""GraphiQL in a real browser (Debian's headless Chromium, driven by Playwright) against the
running gateway: the page loads its assets from /static (GraphiQL and Plotly from vendor/, the
Plots panel from plots/), the default query runs and shows data, the Plots panel draws its
light curve, the Docs panel opens on the described Query type. The screenshot it takes is kept
under var/artifacts/ (a CI artifact) and its path printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from fink_gateway.gateway.graphiql import STATIC, assets_are_local
from fink_gateway.schema.build import build_schema
from tests.conformance.conftest import CHROMIUM, LiveGateway, missing, node_tool, run_node

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts"
SCREENSHOT = ARTIFACTS / "graphiql.png"


def test_graphiql_runs_the_default_query_and_shows_the_docs(
    live_gateway: LiveGateway, capsys: pytest.CaptureFixture[str]
) -> None:
    command = node_tool("graphiql.mjs")
    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} is not installed: run scripts/test-deps (as root)")
    if not assets_are_local():
        missing("GraphiQL's files are not in fink_gateway/gateway/static/vendor: run "
                "scripts/fetch-graphiql")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)

    page = run_node(
        [*command, live_gateway.graphql_url, str(SCREENSHOT), str(CHROMIUM)], timeout_s=90
    )

    assert page["title"] == "Fink GraphQL gateway"
    assert page["pageErrors"] == [] and page["failedRequests"] == []
    static = f"{live_gateway.url}/static/"
    assert all(url.startswith(static) for url in page["assets"]), page["assets"]
    loaded = {url.removeprefix(static) for url in page["assets"]}
    assert {name for name in loaded if name.startswith("vendor/")} == {
        "vendor/react.production.min.js", "vendor/react-dom.production.min.js",
        "vendor/graphiql.min.js", "vendor/graphiql.min.css", "vendor/plotly-basic.min.js",
    }
    # every file of the Plots panel, and only those, once each
    assert len(page["assets"]) == len(loaded)
    assert {name for name in loaded if name.startswith("plots/")} == {
        f"plots/{path.name}" for path in (STATIC / "plots").iterdir()
    }
    assert page["plots"] == ["lightcurve"]
    assert '"objectId"' in page["result"] and '"data"' in page["result"]
    assert '"errors"' not in page["result"]
    assert any(oid in page["result"] for oid in live_gateway.object_ids)
    assert "query: Query" in page["docs"]
    query_type = build_schema()._schema.query_type
    assert query_type is not None
    assert query_type.fields["object"].description in page["queryDocs"]
    assert SCREENSHOT.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nGraphiQL screenshot: {SCREENSHOT}")
