"""``/api/v1/conesearch``: the objects whose latest alert lies in a cone, nearest first,
each as its ``pixel128`` row with ``v:separation_degree`` (FINK-REFERENCE §3)."""

from __future__ import annotations

from typing import Any

import pyarrow.compute as pc
from starlette.responses import Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.record_columns import pixel_columns
from fink_gateway.gateway.api_v1.records import drop_empty, renamed, sorted_by, with_column
from fink_gateway.gateway.api_v1.selection import fields_of, payload_columns
from fink_gateway.gateway.api_v1.spec import (
    COLUMNS,
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
    RecordColumn,
)
from fink_gateway.layout.columns import PIXEL_COLUMNS
from fink_gateway.resolvers.args import julian_date

_STORED = [c for c in PIXEL_COLUMNS if c.name != "classification"]
QUERY = (
    "query Cone($ra: Angle!, $dec: Angle!, $radius: Float!, $since: String, $until: String, "
    "$first: Int) { rows: conesearch(ra: $ra, dec: $dec, radius: $radius, since: $since, "
    "until: $until, first: $first) { edges { node { separation alert { %s } } } } }"
)
SEPARATION = RecordColumn(
    "v:separation_degree", "double", "Angular distance from the centre to the object's "
    "latest alert (i:ra, i:dec).", "deg",
)  # fmt: skip


def window(call: ApiCall) -> tuple[str | None, str | None]:
    """(since, until) on first detection: none without ``startdate`` (Fink ignores a lone
    ``stopdate``); else until ``stopdate``, or ``startdate`` + ``window`` days, or now."""
    start = call.payload.text("startdate")
    if start is None:
        return None, None
    stop = call.payload.text("stopdate")
    days = call.payload.number("window")
    if stop is None and days is not None:
        stop = repr(julian_date(start, "startdate") + days)
    return start, stop


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("ra", "dec", "radius")
    fmt = output_format(payload)
    radius = payload.number("radius")
    assert radius is not None
    if radius > call.settings.limits.cone_radius_max_arcsec:
        raise ApiError("`radius` cannot be bigger than 18,000 arcseconds (5 degrees).\n")
    n = payload.integer("n", 1000)
    if n < 0:
        raise ApiError("`n` must be positive.\n")
    asked = payload_columns(payload, PIXEL_COLUMNS)
    stored = {f"{c.family}:{c.name}" for c in _STORED}
    wanted = stored if asked is None else {*asked, "i:ra", "i:dec"}
    fields = fields_of(wanted)
    if asked is None or "d:classification" in asked:
        fields.append("classification { label }")
    since, until = window(call)
    variables: dict[str, Any] = {
        "ra": payload.values["ra"], "dec": payload.values["dec"], "radius": radius,
        "since": since, "until": until, "first": min(n, call.settings.limits.first_max),
    }  # fmt: skip
    query = QUERY % " ".join(fields)
    table = await call.table(query, variables, {"rows"})
    table = renamed(table, {"alert.classification.label": "d:classification",
                            "separation": "v:separation_degree"})  # fmt: skip
    degrees = pc.divide(table.column("v:separation_degree"), 3600.0)
    table = with_column(table, "v:separation_degree", degrees, {"unit": "deg"})
    table = drop_empty(table, lambda name: name.startswith("v:"))
    return records_response(sorted_by(table, "v:separation_degree", False), fmt, "conesearch")


ROUTE = ApiRoute(
    name="conesearch",
    summary="Conesearch around a position in the sky",
    params=(
        Param("ra", "Right Ascension (deg, or hh:mm:ss / 6h09m46.7s)", required=True,
              example="193.822"),
        Param("dec", "Declination (deg, or dd:mm:ss)", required=True, example="2.89732"),
        Param("radius", "Conesearch radius in arcsec. Maximum is 18,000 arcseconds (5 degrees).",
              kind="number", required=True, example=10.0),
        Param("n", "Maximum number of objects returned (nearest first); at most "
              "limits.first_max. Default is 1000.", kind="integer", default=1000),
        Param("startdate", "[Optional] Starting date in UTC (iso, jd, or MJD) of the first "
              "detection; without it no date filter applies."),
        Param("stopdate", "[Optional] Stopping date in UTC (iso, jd, or MJD). Default: "
              "startdate + window, or now."),
        Param("window", "[Optional] Time window in days after startdate.", kind="number"),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="n caps the number of objects (nearest first) instead of the rows read per sky "
    "pixel, and is at most limits.first_max.",
    records=lambda: [*pixel_columns(), SEPARATION],
    media_types=TABLE_MEDIA_TYPES,
)
