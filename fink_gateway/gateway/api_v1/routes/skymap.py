"""``/api/v1/skymap``: objects first detected in a gravitational-wave sky map's credible
region (FINK-REFERENCE §11), each as its ``pixel128`` row with ``v:jdstartgw``. The map is
Fink's ``bayestar`` argument (the Python text of the ``.fits.gz`` bytes, as Fink's scripts
send it) or a multipart file."""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
import pyarrow as pa
from starlette.datastructures import UploadFile
from starlette.responses import Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.record_columns import pixel_columns
from fink_gateway.gateway.api_v1.records import drop_empty, renamed, sorted_by
from fink_gateway.gateway.api_v1.selection import fields_of
from fink_gateway.gateway.api_v1.spec import (
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
    RecordColumn,
)
from fink_gateway.layout.columns import PIXEL_COLUMNS

QUERY = (
    "query Skymap($level: Float!, $map: Upload, $before: Float!, $after: Float!) { "
    "rows: skymap(credibleLevel: $level, bayestar: $map, daysBefore: $before, "
    "daysAfter: $after) { eventJd matches { alert { %s classification { label } } } } }"
)
JDSTARTGW = RecordColumn("v:jdstartgw", "double", "JD of the event (the map's DATE-OBS).", "d")


def sky_map(value: Any) -> Any:
    """The map's bytes from Fink's ``str(bytes)`` text, or the uploaded file as is."""
    if isinstance(value, UploadFile | bytes):
        return value
    text = str(value)
    try:
        data = ast.literal_eval(text) if text[:2] in ("b'", 'b"') else None
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        data = None
    if not isinstance(data, bytes):
        raise ApiError("`bayestar` must be the text of the map's bytes, str(open(path, "
                       "'rb').read()), or a multipart file.\n")  # fmt: skip
    return data


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    fmt = output_format(payload)
    if "event_name" in payload and "bayestar" not in payload:
        raise ApiError("`event_name` needs GraceDB, which this gateway does not reach: send "
                       "the map as `bayestar`.\n")  # fmt: skip
    payload.require("bayestar", "credible_level")
    before = payload.number("n_day_before", 1.0)
    after = payload.number("n_day_after", 6.0)
    assert before is not None and after is not None
    variables = {"level": payload.number("credible_level"), "before": before, "after": after,
                 "map": sky_map(payload.values["bayestar"])}  # fmt: skip
    stored = [c for c in PIXEL_COLUMNS if c.name != "classification"]
    query = QUERY % " ".join(fields_of({f"{c.family}:{c.name}" for c in stored}))
    table = await call.table(query, variables, {"rows"})
    table = renamed(table, {"eventJd": "v:jdstartgw", "alert.classification.label":
                            "d:classification"})  # fmt: skip
    if table.num_rows:  # Fink's window on first detection: [T - before, T - before + after]
        end = table.column("v:jdstartgw")[0].as_py() - before + after
        first = np.asarray(table.column("i:jdstarthist").to_pylist(), dtype=np.float64)
        table = table.filter(pa.array(first <= end))
    table = drop_empty(table, lambda name: name.startswith("v:"))
    return records_response(sorted_by(table, "i:jd"), fmt, "skymap")


ROUTE = ApiRoute(
    name="skymap",
    summary="Explore a Gravitational-Wave localisation map",
    params=(
        Param("bayestar", "LIGO/Virgo probability sky map (bayestar.fits.gz), as the text of "
              "its bytes (str(open(path, 'rb').read())) or a multipart file.", required=True),
        Param("event_name", "Not available on this gateway (GraceDB is not reached): send "
              "`bayestar`."),
        Param("credible_level", "GW credible region threshold to look for (0 most probable "
              "pixel, 1 least).", kind="number", required=True, example=0.2),
        Param("n_day_before", "Number of day(s) to search before the event. Default is 1, max "
              "is 7.", kind="number", default=1),
        Param("n_day_after", "Number of day(s) to search after the event. Default is 6, max is "
              "14.", kind="number", default=6),
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="The map is evaluated as a Python bytes literal only (Fink eval()s it); "
    "event_name is refused; first detections are kept in Fink's window "
    "[T − before, T − before + after].",
    records=lambda: [*pixel_columns(), JDSTARTGW],
    media_types=TABLE_MEDIA_TYPES,
)
