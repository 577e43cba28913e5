"""``/api/v1/statistics``: Fink's per-night counts (``statistics_class``, FINK-REFERENCE §11)
of every night whose date starts with ``date``, as ``basic:``/``class:`` records."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from starlette.responses import Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.spec import (
    COLUMNS,
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
)

QUERY = (
    "query Statistics($date: String!) { statistics(date: $date) { night raw sci nG nR "
    "exposures fields simbadTotal simbadExtragalactic classes { class count } } }"
)
BASIC = {"raw": "basic:raw", "sci": "basic:sci", "nG": "basic:n_g", "nR": "basic:n_r",
         "exposures": "basic:exposures", "fields": "basic:fields",
         "simbadTotal": "class:simbad_tot", "simbadExtragalactic": "class:simbad_gal"}  # fmt: skip


def night_record(night: dict[str, Any]) -> dict[str, Any]:
    """One night as Fink's row: ``key:key``, then ``basic:`` and ``class:`` counts."""
    record: dict[str, Any] = {"key:key": f"ztf_{night['night']}"}
    record |= {name: night.get(field) for field, name in BASIC.items()}
    record |= {f"class:{c['class']}": c["count"] for c in night.get("classes") or []}
    return record


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("date")
    fmt = output_format(payload)
    data = await call.run(QUERY, {"date": payload.text("date") or ""})
    records = [night_record(n) for n in data.get("statistics") or []]
    names = list(dict.fromkeys(k for r in records for k in r))
    if payload.flag("schema"):
        table = pa.table({"schema": [n for n in names if n != "key:key"]})
        return records_response(table, fmt, "statistics")
    if "columns" in payload:
        asked = set(payload.names("columns")) | {"key:key"}
        names = [n for n in names if n in asked]
    columns = {
        n: pa.array([r.get(n) for r in records], pa.string() if n == "key:key" else pa.int64())
        for n in names
    }
    return records_response(pa.table(columns), fmt, "statistics")


ROUTE = ApiRoute(
    name="statistics",
    summary="Statistics concerning Fink",
    params=(
        Param("date", "Observing date. This can be either a given night (YYYYMMDD), month "
              "(YYYYMM), year (YYYY), or eveything (empty string).", required=True,
              example="2021"),
        Param("schema", "If True, return the column names instead of the counts.",
              kind="boolean", default=False),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="Counts are integers (Fink answers text) and key:time is left out.",
    media_types=TABLE_MEDIA_TYPES,
)
