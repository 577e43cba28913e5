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
