"""``/api/v1/classes``: the class names ``latests`` accepts, grouped by origin as Fink
groups them (each list sorted case-insensitively)."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.spec import ApiRoute

GROUPS = {
    "FINK": "Fink classifiers",
    "TNS": "Cross-match with TNS",
    "SIMBAD": "Cross-match with SIMBAD (see http://simbad.u-strasbg.fr/simbad/sim-display?data=otypes)",
}
QUERY = "query Classes { classes { name source } }"


async def answer(call: ApiCall) -> Response:
    data = await call.run(QUERY)
    groups: dict[str, list[str]] = {title: [] for title in GROUPS.values()}
    for entry in data.get("classes") or []:
        if entry["source"] == "FINK" and entry["name"] == "Unknown":
            continue  # a value of the classification, not a class Fink lists
        groups[GROUPS[entry["source"]]].append(entry["name"])
    return JSONResponse({k: sorted(v, key=str.lower) for k, v in groups.items()})


ROUTE = ApiRoute(
    name="classes",
    summary="Get Fink derived class names, and their origin",
    params=(),
    answer=answer,
    notes="A GET needs no argument and answers the classes (as Fink). SIMBAD labels are the "
    "gateway's list plus the labels found in the data.",
)
