"""Column projection: exact columns and whole families, as HBase applies them."""

from __future__ import annotations

from fink_gateway.store.projection import Projection, projection_of

CELLS = {b"i:ra": b"1", b"i:dec": b"2", b"d:cdsxmatch": b"3", b"id:x": b"4"}


def test_exact_columns() -> None:
    assert Projection([b"i:ra", b"i:nope"]).apply(CELLS) == {b"i:ra": b"1"}


def test_whole_family_matches_only_that_family() -> None:
    assert Projection([b"i"]).apply(CELLS) == {b"i:ra": b"1", b"i:dec": b"2"}
    assert Projection([b"id"]).apply(CELLS) == {b"id:x": b"4"}


def test_mixed_and_empty_results() -> None:
    assert Projection([b"d", b"i:dec"]).apply(CELLS) == {b"i:dec": b"2", b"d:cdsxmatch": b"3"}
    assert Projection([b"x"]).apply(CELLS) == {}


def test_no_projection_means_every_column() -> None:
    assert projection_of(None) is None
    assert projection_of([]) is None
