"""The columns of Fink's records, documented from the column catalogue (for route docs and
OpenAPI): the main table's ``i:``/``d:`` columns, and the ``v:`` values Fink adds."""

from __future__ import annotations

from fink_gateway.gateway.api_v1.spec import RecordColumn
from fink_gateway.layout.column_docs import column_doc
from fink_gateway.layout.columns import INDEX_COLUMNS, MAIN_COLUMNS, PIXEL_COLUMNS, FinkColumn

V_COLUMNS = (
    RecordColumn("v:classification", "string",
                 "Fink's label of the alert (FINK-REFERENCE §7), computed from its columns."),
    RecordColumn("v:lastdate", "string",
                 "Time of the alert (i:jd), 'YYYY-MM-DD hh:mm:ss.sss' UTC."),
    RecordColumn("v:firstdate", "string",
                 "Time of the first detection (i:jdstarthist), 'YYYY-MM-DD hh:mm:ss.sss' UTC."),
    RecordColumn("v:lapse", "double", "i:jd − i:jdstarthist.", "d"),
    RecordColumn("v:constellation", "string", "Constellation of (i:ra, i:dec)."),
)  # fmt: skip
COLOUR_COLUMNS = (
    RecordColumn("v:rate", "double", "Magnitude rate since the previous point of the filter.",
                 "mag/d"),
    RecordColumn("v:sigma(rate)", "double", "Uncertainty of v:rate.", "mag/d"),
    RecordColumn("v:g-r", "double", "g − r of the g point within 0.3 d (§8).", "mag"),
    RecordColumn("v:sigma(g-r)", "double", "Uncertainty of v:g-r.", "mag"),
    RecordColumn("v:rate(g-r)", "double", "Rate of g − r between matched g points.", "mag/d"),
    RecordColumn("v:sigma(rate(g-r))", "double", "Uncertainty of v:rate(g-r).", "mag/d"),
)  # fmt: skip
TAG = RecordColumn(
    "d:tag", "string",
    "valid, upperlim or badquality (only with withupperlim); i:candid is -1 on limits.",
)  # fmt: skip


def catalogue_column(column: FinkColumn) -> RecordColumn:
    """The record column of a catalogue column."""
    doc = column_doc(column.name)
    return RecordColumn(f"{column.family}:{column.name}", column.type, doc.description, doc.unit)


def main_columns() -> list[RecordColumn]:
    """Every column of the main table (``objects``, ``anomaly``)."""
    return [catalogue_column(c) for c in MAIN_COLUMNS]


def index_columns() -> list[RecordColumn]:
    """The 77 columns of the index tables (``latests``, ``sso``, ``tracklet``)."""
    return [catalogue_column(c) for c in INDEX_COLUMNS]


def pixel_columns() -> list[RecordColumn]:
    """The columns of ``pixel128`` (``conesearch``, ``skymap``)."""
    return [catalogue_column(c) for c in PIXEL_COLUMNS]
