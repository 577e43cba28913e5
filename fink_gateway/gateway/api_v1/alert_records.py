"""Alerts as Fink's decoded records (``format_hbase_output``, FINK-REFERENCE §2, §8): the
columns read, then — for a full-column call — ``v:classification``, ``v:lastdate``,
``v:firstdate``, ``v:lapse``, ``v:constellation`` and Fink's defaults for columns absent
from every row. Shared by ``latests``, ``sso``, ``anomaly`` and ``tracklet``."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.gateway.api_v1.record_columns import COLOUR_COLUMNS, V_COLUMNS
from fink_gateway.gateway.api_v1.records import (
    constant,
    drop_empty,
    iso_dates,
    ordered,
    renamed,
    sorted_by,
    with_column,
)
from fink_gateway.gateway.api_v1.selection import fields_of
from fink_gateway.layout.columns import MAIN_COLUMNS, FinkColumn

DEFAULT_TEXT = ("d:tracklet", "d:tns")
"""Columns Fink's API sets to "" when absent from every row of a full-column answer."""
BLAZAR_DEFAULTS = (
    "d:blazar_stats_instantness_low", "d:blazar_stats_robustness_low",
    "d:blazar_stats_instantness_high", "d:blazar_stats_robustness_high",
)  # fmt: skip
"""fink-science ≥ 8.42 columns the gateway does not store: Fink's API sets -1.0 when absent."""
ALERT_NAMES = {"classification.label": "v:classification", "constellation": "v:constellation"}
"""Tabular names of the derived Alert fields a full answer selects → Fink's names."""
FINK_ORDER = (
    *(f"{c.family}:{c.name}" for c in MAIN_COLUMNS), "d:tag",
    *(c.name for c in (*V_COLUMNS[:1], *COLOUR_COLUMNS, *V_COLUMNS[1:])),
)  # fmt: skip


def alert_selection(
    columns: Collection[FinkColumn], asked: Sequence[str] | None, extra: Sequence[str] = ()
) -> str:
    """The Alert fields of a call: every column of the table (``asked`` ones only when
    given, plus ``extra`` Fink names), and the derived ones of a full answer."""
    names = {f"{c.family}:{c.name}" for c in columns} if asked is None else {*asked, *extra}
    fields = fields_of(names)
    if asked is None:
        fields += ["classification { label }", "constellation"]
    return " ".join(fields)


def with_defaults(table: pa.Table) -> pa.Table:
    """Fink's values for the columns a full-column answer lacks."""
    for name in DEFAULT_TEXT:
        if name not in table.column_names or table.column(name).null_count == table.num_rows:
            table = with_column(table, name, constant(table, "", pa.string()))
    for name in BLAZAR_DEFAULTS:
        table = with_column(table, name, constant(table, -1.0, pa.float64()))
    return table


def with_dates(table: pa.Table) -> pa.Table:
    """``v:lastdate``, ``v:firstdate``, ``v:lapse`` from ``i:jd`` and ``i:jdstarthist``."""
    table = with_column(table, "v:lastdate", iso_dates(table.column("i:jd")))
    table = with_column(table, "v:firstdate", iso_dates(table.column("i:jdstarthist")))
    lapse = pc.subtract(table.column("i:jd"), table.column("i:jdstarthist"))
    return with_column(table, "v:lapse", lapse)


def alert_records(
    table: pa.Table, full: bool, names: dict[str, str] | None = None, sort: bool = True
) -> pa.Table:
    """A table of Alert fields as Fink's frame (jd descending when ``sort``)."""
    table = renamed(table, {**ALERT_NAMES, **(names or {})})
    if full and table.num_rows:
        table = with_defaults(with_dates(table))
    keep = set(DEFAULT_TEXT) | set(names.values() if names else ())
    table = drop_empty(table, lambda n: n.startswith("v:") or n in keep)
    table = ordered(table, FINK_ORDER)
    return sorted_by(table, "i:jd") if sort else table
