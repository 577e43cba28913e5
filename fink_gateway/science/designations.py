"""Minor-planet designations as people write them (the Minor Planet Center's convention)."""

from __future__ import annotations

import re

_PROVISIONAL = re.compile(r"^(\d{4})([A-Z]{2})(\d*)$")


def usual_name(ssnamenr: str) -> str:
    """A ZTF ``ssnamenr`` as people write it: ``2005XM12`` → ``2005 XM12``, ``2010XY03`` →
    ``2010 XY3`` (the cycle count without leading zeros); anything else unchanged."""
    match = _PROVISIONAL.match(ssnamenr)
    if not match:
        return ssnamenr
    year, letters, count = match.groups()
    return f"{year} {letters}{count.lstrip('0')}"


_CENTURY = {"18": "I", "19": "J", "20": "K"}
_YEAR = {letter: digits for digits, letter in _CENTURY.items()}
_CYCLE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_USUAL = re.compile(r"^(\d{4}) ?([A-HJ-Y])([A-HJ-Z])(\d*)$")
_PACKED = re.compile(r"^([IJK])(\d{2})([A-HJ-Y])([0-9A-Za-z])(\d)([A-HJ-Z])$")


def pack_designation(name: str) -> str | None:
    """A provisional designation in the MPC's packed form: ``2001 SB97`` → ``K01S97B``,
    ``2017 SA109`` → ``K17SA9A`` (cycle counts 100–619 take a letter for their tens); None
    for anything else (a number, a name, a survey designation)."""
    match = _USUAL.match(name.strip())
    if not match:
        return None
    year, half_month, order, count_text = match.groups()
    count = int(count_text or 0)
    if year[:2] not in _CENTURY or count >= 620:
        return None
    cycle = f"{_CYCLE_DIGITS[count // 10]}{count % 10}"
    return f"{_CENTURY[year[:2]]}{year[2:]}{half_month}{cycle}{order}"


def unpack_designation(packed: str) -> str | None:
    """The usual spelling of a packed provisional designation (``K01S97B`` → ``2001 SB97``),
    None when ``packed`` is not one."""
    match = _PACKED.match(packed)
    if not match:
        return None
    century, year, half_month, tens, units, order = match.groups()
    count = _CYCLE_DIGITS.index(tens) * 10 + int(units)
    return f"{_YEAR[century]}{year} {half_month}{order}{count or ''}"
