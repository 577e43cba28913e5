"""``/api/v1/resolver``: names through Fink's resolver tables (FINK-REFERENCE §5.2, §12):
``tns`` (TNS names ↔ ZTF ids), ``ssodnet`` (Solar System names → ZTF's ssnamenr, and back),
``simbad`` reverse (a ZTF id → its alerts' SIMBAD type and position)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.records import renamed
from fink_gateway.gateway.api_v1.spec import (
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
)

SELECTIONS = {
    "tns": ("TNS", "... on TnsMatch { fullname internalName ra dec type redshift discoveryDate }",
            {"fullname": "d:fullname", "internalName": "d:internalname", "ra": "d:ra",
             "dec": "d:declination", "type": "d:type", "redshift": "d:redshift",
             "discoveryDate": "d:discoverydate"}),
    "ssodnet": ("SSO", "... on SsoMatch { name number ssnamenr }",
                {"name": "i:name", "number": "i:number", "ssnamenr": "i:ssnamenr"}),
    "simbad": ("OBJECT", "... on ObjectMatch { objectId cdsxmatch ra dec candid jd }",
               {"objectId": "i:objectId", "cdsxmatch": "d:cdsxmatch", "ra": "i:ra",
                "dec": "i:dec", "candid": "i:candid", "jd": "i:jd"}),
}  # fmt: skip
QUERY = (
    "query Resolver($name: String!, $kind: ResolverKind!, $reverse: Boolean!, "
    "$autocomplete: Boolean!, $limit: Int!) { rows: resolve(name: $name, kind: $kind, "
    "reverse: $reverse, autocomplete: $autocomplete, limit: $limit) { %s } }"
)


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("resolver", "name")
    fmt = output_format(payload)
    resolver = payload.text("resolver") or ""
    if resolver not in SELECTIONS:
        raise ApiError("`resolver` must be one of: simbad, ssodnet, tns.\n")
    reverse = payload.flag("reverse")
    if resolver == "simbad" and not reverse:
        raise ApiError("The simbad resolver asks CDS Sesame, which this gateway does not "
                       "reach; reverse=True (a ZTF objectId → SIMBAD type) is offline.\n")
    nmax = payload.integer("nmax", 10)
    if not 1 <= nmax <= call.settings.limits.first_max:
        raise ApiError(f"`nmax` must be between 1 and {call.settings.limits.first_max}.\n")
    kind, selection, names = SELECTIONS[resolver]
    variables: dict[str, Any] = {
        "name": payload.text("name") or "", "kind": kind, "reverse": reverse,
        "autocomplete": resolver == "ssodnet" and not reverse and nmax > 1, "limit": nmax,
    }  # fmt: skip
    table = await call.table(QUERY % selection, variables, {"rows"})
    return records_response(renamed(table, names), fmt, "resolver")


ROUTE = ApiRoute(
    name="resolver",
    summary="Resolve object names",
    params=(
        Param("resolver", "Name resolver to use. Available: simbad (reverse only), ssodnet, "
              "tns.", required=True, choices=("simbad", "ssodnet", "tns")),
        Param("name", "Object name to resolve, or a ZTF objectId with reverse=True.",
              required=True, example="2023vwy"),
        Param("reverse", "If True, resolve a ZTF objectId to its names. Default is False.",
              kind="boolean", default=False),
        Param("nmax", "Number of matches to return; ssodnet with nmax > 1 completes prefixes. "
              "Default is 10.", kind="integer", default=10),
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="Offline only: simbad forward (CDS Sesame) is refused; values are typed (Fink "
    "answers text).",
    media_types=TABLE_MEDIA_TYPES,
)
