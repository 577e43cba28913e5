"""Provisional designations as people write them."""

import pytest

from fink_gateway.science.designations import usual_name


@pytest.mark.parametrize(
    ("ssnamenr", "name"),
    [("2005XM12", "2005 XM12"), ("2010XY03", "2010 XY3"), ("2019AA", "2019 AA"),
     ("8467", "8467"), ("Benoitcarry", "Benoitcarry"), ("2005xm12", "2005xm12")],
)
def test_usual_name(ssnamenr: str, name: str) -> None:
    assert usual_name(ssnamenr) == name
