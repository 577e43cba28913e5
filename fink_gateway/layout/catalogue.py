"""What the layout knows of a stored column named as Fink names it, for either survey.

``i:magpsf``, ``d:classification``: a ZTF main-table column (:mod:`.columns`,
:mod:`.column_docs`, :mod:`.column_ucds`). ``r:psfFlux``, ``f:is_sso``: a Rubin column
(:mod:`.rubin`, typed by the ``lsst.v10_0`` schemas of :mod:`.lsst_fields`, units in
:mod:`.lsst_units`). The family says which: Fink's Rubin tables use ``r`` and ``f``, its ZTF
tables ``i``, ``d`` and ``a``, so ``r:ra`` and ``i:ra`` are different columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from fink_gateway.layout import rubin
from fink_gateway.layout.column_docs import column_doc
from fink_gateway.layout.column_ucds import column_ucd
from fink_gateway.layout.columns import BY_NAME, PIXEL_COLUMNS
from fink_gateway.layout.lsst_units import LSST_UCDS, LSST_UNITS
from fink_gateway.layout.tables import MAIN

_RUBIN_FAMILIES = frozenset(c.family for c in rubin.BY_QUALIFIER.values())
assert not _RUBIN_FAMILIES & set(MAIN.families)

_ZTF_EXTRA = {c.name: c for c in PIXEL_COLUMNS}  # d:classification of pixel128


@dataclass(frozen=True, slots=True)
class StoredColumn:
    """A stored column: its catalog type (``float``, ``long``…; None when unknown), unit
    (None when unitless or unknown), one-sentence meaning (empty when unknown) and UCD."""

    type: str | None
    unit: str | None
    description: str
    ucd: str | None


_UNKNOWN = StoredColumn(None, None, "", None)


def stored_column(fink_column: str) -> StoredColumn:
    """What is known of ``fink_column`` (``family:qualifier``; a bare qualifier is ZTF's)."""
    family, _, qualifier = fink_column.rpartition(":")
    if family in _RUBIN_FAMILIES:
        lsst = rubin.BY_QUALIFIER.get(qualifier)
        if lsst is None or lsst.family != family:
            return _UNKNOWN
        return StoredColumn(lsst.type, LSST_UNITS.get(qualifier), "", LSST_UCDS.get(qualifier))
    ztf = BY_NAME.get(qualifier) or _ZTF_EXTRA.get(qualifier)
    doc = column_doc(qualifier)
    return StoredColumn(
        None if ztf is None else ztf.type, doc.unit, doc.description, column_ucd(qualifier)
    )
