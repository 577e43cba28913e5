"""The GraphiQL page: served assets when installed (scripts/fetch-graphiql), else unpkg; the
default query and example tabs name an object that exists in the served data. The page adds
the Plots panel (``static/plots``, plain JavaScript modules), which loads Plotly on first use."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from fink_gateway.resolvers.examples import ExampleTarget, example_queries
from fink_gateway.resolvers.lsst_examples import LsstExampleTarget

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"
STATIC_URL = "/static"
PLOTS_URL = f"{STATIC_URL}/plots"
_CDN = {
    "react.production.min.js": "https://unpkg.com/react@18.2.0/umd/react.production.min.js",
    "react-dom.production.min.js": "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js",
    "graphiql.min.js": "https://unpkg.com/graphiql@3.8.3/graphiql.min.js",
    "graphiql.min.css": "https://unpkg.com/graphiql@3.8.3/graphiql.min.css",
    "plotly-basic.min.js": "https://unpkg.com/plotly.js-basic-dist-min@4.1.1/plotly-basic.min.js",
}


def assets_are_local() -> bool:
    """True when the GraphiQL and Plotly files were fetched into the package."""
    return all((VENDOR / name).is_file() for name in _CDN)


def _script_json(value: object) -> str:
    """``value`` as JSON that is safe inside a <script> element."""
    return json.dumps(value).replace("</", "<\\/")


def graphiql_html(target: ExampleTarget, lsst: LsstExampleTarget | None = None) -> str:
    """The page, with the example queries as GraphiQL tabs (the first is the default; LSST
    tabs when ``lsst`` names LSST data) and, for the Plots panel's hint, the example of each
    kind of plot."""
    template = resources.files("fink_gateway.gateway").joinpath("templates/graphiql.html")
    html = template.read_text(encoding="utf-8")
    examples = example_queries(target, lsst)
    tabs = [{"query": example.query} for example in examples]
    plot_examples = {  # kind of plot -> the tab that gives it
        example.plot: {"title": example.title, "tab": index}
        for index, example in enumerate(examples)
        if example.plot is not None
    }
    if assets_are_local():
        html = html.replace("{{assets}}", f"{STATIC_URL}/vendor")
    else:
        for name, url in _CDN.items():
            html = html.replace("{{assets}}/" + name, url)
    html = html.replace("{{plots}}", PLOTS_URL)
    html = html.replace("{{plot_examples}}", _script_json(plot_examples))
    return html.replace("{{tabs}}", _script_json(tabs))
