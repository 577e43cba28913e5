"""``/api/v1/latests``: the newest alerts of a class (FINK-REFERENCE §4), newest first, as
Fink's decoded records; ``trend`` filters the ``n`` alerts read, as Fink does."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from starlette.responses import Response

from fink_gateway.gateway.api_v1.alert_records import alert_records, alert_selection
from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.record_columns import V_COLUMNS, index_columns
from fink_gateway.gateway.api_v1.selection import payload_columns
from fink_gateway.gateway.api_v1.spec import (
    COLUMNS,
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
)
from fink_gateway.layout.columns import INDEX_COLUMNS

QUERY = (
    "query Latests($class: String!, $since: String, $until: String, $first: Int) { "
    "rows: alertsByClass(class: $class, since: $since, until: $until, first: $first) "
    "{ nodes { %s } } }"
)
TRENDS = ("rising", "fading", "low_state", "new_low_state")
BLAZAR_LOW = "(CTA) Blazar low state"


def trend_of(call: ApiCall, class_name: str) -> str | None:
    """The ``trend`` argument, checked as Fink checks it."""
    trend = call.payload.text("trend")
    if trend is None:
        return None
    if trend not in TRENDS:
        raise ApiError(f"{trend} is not a valid trend. Trend must be among: {', '.join(TRENDS)}")
    if trend in ("low_state", "new_low_state") and class_name != BLAZAR_LOW:
        raise ApiError(f"{trend} trend is only implemented for the `{BLAZAR_LOW}` class. "
                       f"{class_name} class can accept trend among: rising, fading.")  # fmt: skip
    return trend


def trend_filtered(table: pa.Table, trend: str | None) -> pa.Table:
    """Fink's trend filter, applied to the alerts read (so fewer than ``n`` may remain)."""
    if trend in (None, "low_state") or not table.num_rows:
        return table
    column = "d:blazar_stats_m0" if trend == "new_low_state" else "d:mag_rate"
    if column not in table.column_names:
        return table.slice(0, 0) if trend != "new_low_state" else table
    values = np.asarray(table.column(column).to_pylist(), dtype=np.float64)
    keep = {"rising": values < 0, "fading": values > 0, "new_low_state": values >= 1}[trend]
    return table.filter(pa.array(keep))


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("class")
    fmt = output_format(payload)
    class_name = payload.text("class") or ""
    trend = trend_of(call, class_name)
    n = payload.integer("n", 10)
    if n < 0:
        raise ApiError("`n` must be positive.\n")
    asked = payload_columns(payload, INDEX_COLUMNS)
    extra = {"rising": ["d:mag_rate"], "fading": ["d:mag_rate"],
             "new_low_state": ["d:blazar_stats_m0"]}.get(trend or "", [])  # fmt: skip
    variables: dict[str, Any] = {
        "class": class_name, "since": payload.text("startdate"),
        "until": payload.text("stopdate"), "first": min(n, call.settings.limits.first_max),
    }  # fmt: skip
    query = QUERY % alert_selection(INDEX_COLUMNS, asked, extra)
    table = alert_records(await call.table(query, variables, {"rows"}), asked is None)
    table = trend_filtered(table, trend)
    if asked is not None:
        table = table.select([n for n in table.column_names if n in asked])
    return records_response(table, fmt, "latests")


ROUTE = ApiRoute(
    name="latests",
    summary="Get object data based their class",
    params=(
        Param("class", "Fink derived label. See /api/v1/classes for available tags.",
              required=True, example="Early SN Ia candidate"),
        Param("trend", "Desired trend among: rising, fading. For `class=(CTA) Blazar low "
              "state`, two specific trends are available: low_state, new_low_state.",
              choices=TRENDS),
        Param("n", "Last N alerts to transfer between stopping date and starting date. "
              "Default is 10.", kind="integer", default=10),
        Param("startdate", "Starting date in UTC (iso, jd, or MJD). Default is "
              "2019-11-01 00:00:00"),
        Param("stopdate", "Stopping date in UTC (iso, jd, or MJD). Default is now."),
        Param("color", "Accepted and ignored: the colour columns of latests are not "
              "computed by this gateway.", kind="boolean"),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="n is at most limits.first_max; `color` is ignored; classes read the class "
    "index (the blazar and SLSN selection tables are not kept apart).",
    records=lambda: [*index_columns(), *V_COLUMNS],
    media_types=TABLE_MEDIA_TYPES,
)
