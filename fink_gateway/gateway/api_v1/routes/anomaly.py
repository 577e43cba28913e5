"""``/api/v1/anomaly``: Fink's most anomalous alerts of the nights asked, newest first, with
every column of the main table (FINK-REFERENCE §11)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from fink_gateway.gateway.api_v1.alert_records import alert_records, alert_selection
from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.record_columns import V_COLUMNS, main_columns
from fink_gateway.gateway.api_v1.selection import payload_columns
from fink_gateway.gateway.api_v1.spec import (
    COLUMNS,
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
)
from fink_gateway.layout.columns import MAIN_COLUMNS
from fink_gateway.resolvers.args import julian_date

QUERY = (
    "query Anomaly($since: String, $until: String, $first: Int) { "
    "rows: anomalies(since: $since, until: $until, first: $first) { nodes { %s } } }"
)


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    fmt = output_format(payload)
    n = payload.integer("n", 10)
    if n < 0:
        raise ApiError("`n` must be positive.\n")
    asked = payload_columns(payload, MAIN_COLUMNS)
    stop = payload.text("stop_date")
    until = None if stop is None else repr(julian_date(stop, "stop_date") + 1)  # whole day
    variables: dict[str, Any] = {
        "since": payload.text("start_date"), "until": until,
        "first": min(n, call.settings.limits.first_max),
    }  # fmt: skip
    query = QUERY % alert_selection(MAIN_COLUMNS, asked)
    table = alert_records(await call.table(query, variables, {"rows"}), asked is None)
    return records_response(table, fmt, "anomaly")


ROUTE = ApiRoute(
    name="anomaly",
    summary="Get alerts tagged as anomaly",
    params=(
        Param("n", "Last N alerts to transfer between stopping date and starting date. "
              "Default is 10.", kind="integer", default=10),
        Param("start_date", "Start date in UTC YYYY-MM-DD. Default is 2019-11-01."),
        Param("stop_date", "Stop date in UTC YYYY-MM-DD (the whole day). Default is today."),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="n is at most limits.first_max.",
    records=lambda: [*main_columns(), *V_COLUMNS],
    media_types=TABLE_MEDIA_TYPES,
)
