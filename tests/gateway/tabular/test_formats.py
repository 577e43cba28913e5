"""Choosing the tabular format: ``?format=`` first, else the Accept header's preference."""

from __future__ import annotations

import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.gateway.tabular.formats import TabularFormat, format_accepted, requested_format


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/csv", TabularFormat.CSV),
        ("application/vnd.apache.parquet", TabularFormat.PARQUET),
        ("application/x-votable+xml", TabularFormat.VOTABLE),
        ("text/csv;q=0.5, application/x-votable+xml", TabularFormat.VOTABLE),
        ("application/json, text/csv", None),
        ("application/graphql-response+json;q=0.9, text/csv;q=0.2", None),
        ("text/html,application/xhtml+xml,*/*;q=0.8", None),
        ("", None),
    ],
)
def test_format_accepted_follows_q_values(accept: str, expected: TabularFormat | None) -> None:
    assert format_accepted(accept) is expected


def test_requested_format_prefers_the_query_parameter() -> None:
    assert requested_format("parquet", "text/csv") is TabularFormat.PARQUET
    assert requested_format("JSON", "text/csv") is None
    assert requested_format(None, "text/csv") is TabularFormat.CSV


def test_requested_format_refuses_an_unknown_name() -> None:
    with pytest.raises(InvalidArgument, match="json, csv, parquet, votable"):
        requested_format("xlsx", "")
