"""``/api/v1/sso``: the alerts of Solar System objects by name or number (FINK-REFERENCE
§5), newest first, as Fink's decoded records with ``sso_name`` and ``sso_number``; with
``withEphem`` the ephemerides of each alert; with ``withcutouts`` its stamp as an array."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from starlette.responses import Response

from fink_gateway.gateway.api_v1.alert_records import alert_records, alert_selection
from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.record_columns import V_COLUMNS, index_columns
from fink_gateway.gateway.api_v1.records import sorted_by, with_column
from fink_gateway.gateway.api_v1.selection import payload_columns
from fink_gateway.gateway.api_v1.spec import (
    COLUMNS,
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
    RecordColumn,
)
from fink_gateway.layout.columns import CUTOUT_KINDS, INDEX_COLUMNS

EPHEMERIS_FIELDS = {
    "phase": "Phase", "dobs": "Dobs", "dhelio": "Dhelio", "elong": "Elong",
    "raEphemeris": "RA", "decEphemeris": "DEC", "reducedMag": "i:magpsf_red",
}  # fmt: skip
"""SolarSystemLightCurve fields → the columns Fink's Miriade step adds (§9c)."""
EPHEMERIS_COLUMNS = (
    RecordColumn("Phase", "double", "Phase angle Sun–object–observer (withEphem).", "deg"),
    RecordColumn("Dobs", "double", "Distance object–observer (withEphem).", "AU"),
    RecordColumn("Dhelio", "double", "Distance object–Sun (withEphem).", "AU"),
    RecordColumn("Elong", "double", "Solar elongation (withEphem).", "deg"),
    RecordColumn("RA", "double", "Predicted right ascension (withEphem).", "deg"),
    RecordColumn("DEC", "double", "Predicted declination (withEphem).", "deg"),
    RecordColumn("i:magpsf_red", "double", "magpsf − 5·log10(Dobs·Dhelio) (withEphem).", "mag"),
)  # fmt: skip


def build_query(ids: list[str], selection: str, ephemerides: bool) -> str:
    parts = []
    for i, _ in enumerate(ids):
        parts.append(
            f"s{i}: solarSystemObject(nameOrNumber: $n{i}) {{ sso_name: name sso_number: number "
            f"alerts(first: $first) {{ nodes {{ {selection} }} }} }}"
        )
        if ephemerides:
            fields = " ".join(EPHEMERIS_FIELDS)
            parts.append(f"e{i}: solarSystemObject(nameOrNumber: $n{i}) "
                         f"{{ lightcurve {{ objectId jd {fields} }} }}")  # fmt: skip
    names = ", ".join(f"$n{i}: String!" for i, _ in enumerate(ids))
    return f"query Sso({names}, $first: Int) {{ {' '.join(parts)} }}"


def _items(values: Any) -> list[Any]:
    """A series of an answer (array, list or null) as a list."""
    if values is None:
        return []
    return list(values.tolist() if hasattr(values, "tolist") else values)


def _ephemerides(table: pa.Table, curve: dict[str, Any] | None) -> pa.Table:
    """The ephemeris columns of each alert row, joined on (objectId, jd)."""
    curve = curve or {}
    keys = zip(_items(curve.get("objectId")), _items(curve.get("jd")), strict=False)
    at = {key: i for i, key in enumerate(keys)}
    rows = [at.get(k) for k in zip(table.column("i:objectId").to_pylist(),
                                   table.column("i:jd").to_pylist(), strict=True)]  # fmt: skip
    for field, name in EPHEMERIS_FIELDS.items():
        values = _items(curve.get(field))
        column = [None if i is None or i >= len(values) else values[i] for i in rows]
        clean = [None if v is None or v != v else float(v) for v in column]
        table = with_column(table, name, pa.array(clean, pa.float64()))
    return table


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("n_or_d")
    fmt = output_format(payload)
    ids = payload.names("n_or_d")
    if not ids:
        raise ApiError("`n_or_d` is empty: give a name, a number or a comma-separated list.\n")
    if payload.flag("withResiduals"):
        raise ApiError("`withResiduals` is not available on this gateway: fit the phase curve "
                       "with GraphQL's solarSystemObject { phaseCurve(model: SHG1G2) }.\n")
    ephemerides = payload.flag("withEphem")
    kind = payload.text("cutout-kind", "Science") or "Science"
    cutouts = payload.flag("withcutouts")
    if cutouts and kind not in CUTOUT_KINDS:
        raise ApiError("`cutout-kind` must be `Science`, `Difference`, or `Template`.\n")
    asked = payload_columns(payload, INDEX_COLUMNS)
    if asked is not None:
        if cutouts and not {"i:objectId", "i:candid"} <= set(asked):
            raise ApiError("You need to add 'i:objectId,i:candid' to the columns.\n")
        asked = list(dict.fromkeys([*asked, "i:ssnamenr"]))
    extra = ["i:objectId", "i:jd"] if ephemerides else []
    selection = alert_selection(INDEX_COLUMNS, asked, extra)
    if cutouts:
        selection += f" cutout(kind: {kind.upper()}, format: ARRAY) {{ array }}"
    variables: dict[str, Any] = {f"n{i}": name for i, name in enumerate(ids)}
    variables["first"] = call.settings.limits.first_max
    query = build_query(ids, selection, ephemerides)
    data = await call.run(query, variables)
    stamp = f"b:cutout{kind}_stampData"
    names = {"sso_name": "sso_name", "sso_number": "sso_number", "cutout.array": stamp}
    tables = []
    for i, _ in enumerate(ids):
        part = await call.table(query, variables, {f"s{i}"}, data)
        part = alert_records(part, asked is None, names, sort=False)
        if ephemerides and part.num_rows:
            part = _ephemerides(part, (data.get(f"e{i}") or {}).get("lightcurve"))
        tables.append(part)
    table = pa.concat_tables(tables, promote_options="permissive")
    if cutouts and stamp in table.column_names:
        arrays = [[] if v is None else v for v in table.column(stamp).to_pylist()]
        table = with_column(table, stamp, pa.array(arrays, pa.list_(pa.list_(pa.float64()))))
    if ephemerides and table.num_rows and table.column("i:magpsf_red").null_count == len(table):
        raise ApiError("We could not obtain the ephemerides information. Check Miriade "
                       "availabilities.", 503, "UPSTREAM_UNAVAILABLE")  # fmt: skip
    if asked is not None:
        table = table.select([n for n in table.column_names if n in asked or n[:2] not in
                              ("i:", "d:", "v:")])  # fmt: skip
    return records_response(sorted_by(table, "i:jd"), fmt, "sso")


ROUTE = ApiRoute(
    name="sso",
    summary="Get data for Solar System objects",
    params=(
        Param("n_or_d", "IAU number of the object, or designation of the object IF the number "
              "does not exist yet. Example for numbers: 8467 (asteroid) or 10P (comet). "
              "Example for designations: 2010JO69 (asteroid) or C/2020V2 (comet). You can "
              "also give a list of object names (comma-separated).", required=True,
              example="8467"),
        Param("withEphem", "Attach ephemerides provided by the Miriade ephemeride service "
              "(stored ephemerides first). Default is False.", kind="boolean", default=False),
        Param("withResiduals", "Not available on this gateway (400): use GraphQL's "
              "phaseCurve.", kind="boolean", default=False),
        Param("withcutouts", "Retrieve cutout data as 2D array. Default is False.",
              kind="boolean", default=False),
        Param("cutout-kind", "Science, Template, or Difference. Default is Science.",
              choices=CUTOUT_KINDS, default="Science"),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="Names are resolved offline through the sso_resolver table (exactly; an "
    "ambiguous name gives its first object); at most limits.first_max alerts per object; "
    "withResiduals is refused; withEphem adds Phase, Dobs, Dhelio, Elong, RA, DEC and "
    "i:magpsf_red only.",
    records=lambda: [
        *index_columns(), *V_COLUMNS, RecordColumn("sso_name", "string", "Name of the object."),
        RecordColumn("sso_number", "integer", "IAU number of the object (null if none)."),
        *EPHEMERIS_COLUMNS,
    ],
    media_types=TABLE_MEDIA_TYPES,
)
