"""``/api/v1/tracklet``: the alerts of tracklets by id or exposure date (FINK-REFERENCE
§5.3), as Fink's decoded records."""

from __future__ import annotations

from typing import Any

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
    "query Tracklet($date: String, $id: String) { "
    "tracklets(date: $date, id: $id) { alerts { %s } } }"
)


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    fmt = output_format(payload)
    tracklet_id, date = payload.text("id"), payload.text("date")
    if tracklet_id is None and date is None:
        raise ApiError("You need to specify a date at the format YYYY-MM-DD hh:mm:ss\n")
    asked = payload_columns(payload, INDEX_COLUMNS)
    selection = alert_selection(INDEX_COLUMNS, asked)
    variables: dict[str, Any] = {"id": tracklet_id, "date": None if tracklet_id else date}
    data = await call.run(QUERY % selection, variables)
    alerts = [a for t in data.get("tracklets") or [] for a in t.get("alerts") or []]
    table = await call.items_table("Alert", selection, alerts)
    return records_response(alert_records(table, asked is None), fmt, "tracklet")


ROUTE = ApiRoute(
    name="tracklet",
    summary="Get data for tracklets",
    params=(
        Param("id", "Tracklet ID (TRCK_YYYYMMDD_HHMMSS_NN)."),
        Param("date", "Exposure date (UTC) of the tracklets, YYYY-MM-DD, optionally with "
              "hh, hh:mm or hh:mm:ss.", example="2021-08-10"),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="One of id or date is needed (id wins).",
    records=lambda: [*index_columns(), *V_COLUMNS],
    media_types=TABLE_MEDIA_TYPES,
)
