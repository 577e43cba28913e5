"""``/api/v1/schema``: every field of Fink's records with its type and meaning, grouped by
family as Fink groups them, from the column catalogue (``columns`` query)."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.record_columns import COLOUR_COLUMNS, TAG, V_COLUMNS
from fink_gateway.gateway.api_v1.spec import ApiRoute
from fink_gateway.layout.columns import CUTOUT_KINDS

QUERY = "query Schema { columns { hbaseColumn type unit description } }"


def _doc(description: str, unit: str | None) -> str:
    return f"{description} Unit: {unit}." if unit else description


async def answer(call: ApiCall) -> Response:
    data = await call.run(QUERY)
    original: dict[str, dict[str, str]] = {}
    science: dict[str, dict[str, str]] = {}
    for column in data.get("columns") or []:
        family, _, name = column["hbaseColumn"].partition(":")
        entry = {"type": column["type"], "doc": _doc(column["description"], column["unit"])}
        (original if family == "i" else science)[name] = entry
    science[TAG.name[2:]] = {"type": TAG.type, "doc": TAG.description}
    cutouts = {
        f"cutout{k}_stampData": {"type": "array", "doc": f"2D array from the {k} cutout FITS"}
        for k in CUTOUT_KINDS
    }
    derived = {
        c.name[2:]: {"type": c.type, "doc": _doc(c.description, c.unit)}
        for c in (*V_COLUMNS, *COLOUR_COLUMNS)
    }
    return JSONResponse({
        "ZTF original fields (i:)": dict(sorted(original.items())),
        "ZTF original cutouts (b:)": cutouts,
        "Fink science module outputs (d:)": dict(sorted(science.items())),
        "Fink on-the-fly added values (v:)": dict(sorted(derived.items())),
    })


ROUTE = ApiRoute(
    name="schema",
    summary="Get the data schema",
    params=(),
    answer=answer,
    notes="A GET needs no argument and answers the schema (as Fink); the descriptions are "
    "the gateway's column catalogue (Fink fetches the ZTF avro schema from GitHub).",
)
