"""Provisional designations as people write them."""

import pytest

from fink_gateway.science.designations import pack_designation, unpack_designation, usual_name


@pytest.mark.parametrize(
    ("ssnamenr", "name"),
    [("2005XM12", "2005 XM12"), ("2010XY03", "2010 XY3"), ("2019AA", "2019 AA"),
     ("8467", "8467"), ("Benoitcarry", "Benoitcarry"), ("2005xm12", "2005xm12")],
)
def test_usual_name(ssnamenr: str, name: str) -> None:
    assert usual_name(ssnamenr) == name


@pytest.mark.parametrize(
    ("name", "packed"),
    [("2001 SB97", "K01S97B"), ("1999 JX119", "J99JB9X"), ("2017 SA109", "K17SA9A"),
     ("2019 AA", "K19A00A"), ("1995 XA1", "J95X01A"), ("1890 BF619", "I90Bz9F")],
)  # fmt: skip
def test_packed_designations_round_trip(name: str, packed: str) -> None:
    assert pack_designation(name) == packed
    assert unpack_designation(packed) == name


@pytest.mark.parametrize(
    "name", ["8467", "Benoit", "2001 SB620", "2101 AA", "2001 IA1", "P/2010 A2"]
)
def test_what_is_not_a_provisional_designation_does_not_pack(name: str) -> None:
    assert pack_designation(name) is None
