"""Fink's column names ↔ the schema's field names, and the ``columns`` argument."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.payload import Payload
from fink_gateway.layout.columns import MAIN_COLUMNS, FinkColumn
from fink_gateway.resolvers.columns import graphql_name

FIELD_OF_FINK: dict[str, str] = {f"{c.family}:{c.name}": graphql_name(c.name) for c in MAIN_COLUMNS}
"""``i:magpsf`` → ``magpsf``, ``d:rf_snia_vs_nonia`` → ``rfSniaVsNonia``."""

COLOUR_FIELDS = {
    "rate": "v:rate", "sigmaRate": "v:sigma(rate)", "gMinusR": "v:g-r",
    "sigmaGMinusR": "v:sigma(g-r)", "rateGMinusR": "v:rate(g-r)",
    "sigmaRateGMinusR": "v:sigma(rate(g-r))",
}  # fmt: skip
"""``Colour`` fields → Fink's rate and colour columns (§8)."""


def asked_columns(names: Sequence[str], allowed: Collection[FinkColumn]) -> list[str]:
    """The ``columns`` argument checked against the columns a route's table holds."""
    if not names:
        raise ApiError("`columns` is empty: give family:qualifier names, e.g. i:jd,i:magpsf.\n")
    known = {f"{c.family}:{c.name}" for c in allowed}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ApiError(
            f"Unknown column(s) {', '.join(unknown)}: the columns are family:qualifier names "
            "such as i:magpsf or d:cdsxmatch; see /api/v1/schema.\n"
        )
    return list(dict.fromkeys(names))


def fields_of(fink_names: Collection[str]) -> list[str]:
    """The schema field names of Fink column names, in catalogue order."""
    return [field for name, field in FIELD_OF_FINK.items() if name in fink_names]


def payload_columns(payload: Payload, allowed: Collection[FinkColumn]) -> list[str] | None:
    """The route's ``columns`` argument, checked (:func:`asked_columns`); None without one."""
    if "columns" not in payload:
        return None
    return asked_columns(payload.names("columns"), allowed)
