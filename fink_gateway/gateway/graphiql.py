"""The GraphiQL page: served assets when installed (scripts/fetch-graphiql), else unpkg; the
default query and example tabs name an object that exists in the served data."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from fink_gateway.resolvers.examples import ExampleTarget, example_queries
from fink_gateway.resolvers.lsst_examples import LsstExampleTarget

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
STATIC_URL = "/static"
_CDN = {
    "react.production.min.js": "https://unpkg.com/react@18.2.0/umd/react.production.min.js",
    "react-dom.production.min.js": "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js",
    "graphiql.min.js": "https://unpkg.com/graphiql@3.8.3/graphiql.min.js",
    "graphiql.min.css": "https://unpkg.com/graphiql@3.8.3/graphiql.min.css",
}


def assets_are_local() -> bool:
    """True when the GraphiQL files were fetched into the package."""
    return all((VENDOR / name).is_file() for name in _CDN)


def graphiql_html(target: ExampleTarget, lsst: LsstExampleTarget | None = None) -> str:
    """The page, with the example queries as GraphiQL tabs (the first is the default; LSST
    tabs when ``lsst`` names LSST data)."""
    template = resources.files("fink_gateway.gateway").joinpath("templates/graphiql.html")
    html = template.read_text(encoding="utf-8")
    tabs = [{"query": query} for _, query in example_queries(target, lsst)]
    tabs_js = json.dumps(tabs).replace("</", "<\\/")
    if assets_are_local():
        html = html.replace("{{assets}}", f"{STATIC_URL}/vendor")
    else:
        for name, url in _CDN.items():
            html = html.replace("{{assets}}/" + name, url)
    return html.replace("{{tabs}}", tabs_js)
