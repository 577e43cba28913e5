"""ZTF ``ssnamenr`` → rows of Fink's ``sso_resolver`` table (FINK-REFERENCE §5.2), offline.

Fink asks SsODNet (quaero) for each object's name and number; without network access an
unresolved object keeps its designation: a number is its own name and number, and a
packed-style provisional designation (``2005XM12``, ``2010XY03``) gets its usual spelling
(``2005 XM12``, ``2010 XY3``) as name. Keys are ``<name, lowercased>@<dup>``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from fink_gateway.science.designations import usual_name
from fink_gateway.store.types import Row


def sso_resolver_rows(ssnamenrs: Iterable[str]) -> list[Row]:
    """Entries by name, by number (numbered objects) and by ssnamenr, with ``@`` markers."""
    entries: list[tuple[str, str, str, str]] = []  # (key text, ssnamenr, name, number)
    names = sorted({s for s in ssnamenrs if s and s != "null"})
    for ssnamenr in names:
        name = usual_name(ssnamenr)
        number = ssnamenr if ssnamenr.isdigit() else ""
        entries.append((name, ssnamenr, name, number))
        if number:
            entries.append((number, ssnamenr, name, number))
        entries.append((ssnamenr, ssnamenr, name, number))
    numeric = sorted((e for e in entries if e[0].isdigit()), key=lambda e: int(e[0]))
    entries = numeric + [e for e in entries if not e[0].isdigit()]
    seen: Counter[str] = Counter()
    rows: list[Row] = []
    for text, ssnamenr, name, number in entries:
        key = text.lower()
        rows.append(
            (
                f"{key}@{seen[key]}".encode(),
                {b"i:ssnamenr": ssnamenr.encode(), b"i:name": name.encode(),
                 b"i:number": number.encode()},
            )
        )
        seen[key] += 1
    return rows
