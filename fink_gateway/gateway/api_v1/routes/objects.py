"""``/api/v1/objects``: every alert of some objects, newest first, as Fink's records.

One query: ``objects(objectIds) { lightcurve(withUpperLimits) { tag columns {…} color {…} } }``
gives one row per point (an alert, or with ``withupperlim`` an upper limit or bad-quality
point tagged in ``d:tag`` with ``i:candid`` -1); ``withcutouts`` adds each alert's stamps
as pixel arrays (``Object.cutouts(format: ARRAY)``, ``[]`` where none).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from starlette.responses import Response

from fink_gateway.gateway.api_v1.call import ApiCall
from fink_gateway.gateway.api_v1.errors import ApiError
from fink_gateway.gateway.api_v1.output import output_format, records_response
from fink_gateway.gateway.api_v1.record_columns import (
    COLOUR_COLUMNS,
    TAG,
    V_COLUMNS,
    main_columns,
)
from fink_gateway.gateway.api_v1.records import (
    constant,
    drop_empty,
    iso_dates,
    masked,
    ordered,
    renamed,
    sorted_by,
    with_column,
)
from fink_gateway.gateway.api_v1.selection import (
    COLOUR_FIELDS,
    FIELD_OF_FINK,
    asked_columns,
    fields_of,
)
from fink_gateway.gateway.api_v1.spec import (
    COLUMNS,
    OUTPUT_FORMAT,
    TABLE_MEDIA_TYPES,
    ApiRoute,
    Param,
)
from fink_gateway.layout.columns import (
    CUTOUT_KINDS,
    MAIN_COLUMNS,
    UPPER_COLUMNS,
    UPPERVALID_COLUMNS,
)

_BLAZAR_DEFAULTS = (
    "d:blazar_stats_instantness_low", "d:blazar_stats_robustness_low",
    "d:blazar_stats_instantness_high", "d:blazar_stats_robustness_high",
)  # fmt: skip
"""fink-science ≥ 8.42 columns the gateway does not store: Fink's API sets -1.0 when absent."""
_DEFAULT_TEXT = ("d:tracklet", "d:tns")
"""Columns Fink's API sets to "" when absent from every row."""
_UPPER = tuple(f"i:{c.name}" for c in UPPER_COLUMNS)
_UPPERVALID = tuple(f"i:{c.name}" for c in UPPERVALID_COLUMNS)


def build_query(fields: list[str], full: bool, kinds: list[str]) -> str:
    """The GraphQL query of a call: ``rows`` (the points), and ``stamps`` for ``kinds``."""
    derived = " classification constellation" if full else ""
    colour = f" color {{ {' '.join(COLOUR_FIELDS)} }}" if full else ""
    rows = (
        f"rows: objects(objectIds: $ids) {{ objectId lightcurve(withUpperLimits: $upper) "
        f"{{ tag columns {{ {' '.join(fields)}{derived} }}{colour} }} }}"
    )
    stamps = ""
    if kinds:
        parts = " ".join(
            f"{k.lower()}: cutouts(kind: {k.upper()}, format: ARRAY, first: $n) {{ jd array }}"
            for k in kinds
        )
        stamps = f" stamps: objects(objectIds: $ids) {{ objectId {parts} }}"
    n = ", $n: Int" if kinds else ""
    return f"query Objects($ids: [String!]!, $upper: Boolean!{n}) {{ {rows}{stamps} }}"


def _names(table: pa.Table) -> dict[str, str]:
    names = {"objectId": "i:objectId", "lightcurve.tag": "d:tag",
             "lightcurve.columns.classification": "v:classification",
             "lightcurve.columns.constellation": "v:constellation"}  # fmt: skip
    names |= {f"lightcurve.color.{f}": v for f, v in COLOUR_FIELDS.items()}
    return names


def _stamps(data: dict[str, Any], kinds: list[str]) -> dict[str, dict[tuple[str, float], Any]]:
    """Per kind: (objectId, jd) → the stamp's pixel rows."""
    out: dict[str, dict[tuple[str, float], Any]] = {k: {} for k in kinds}
    for obj in data.get("stamps") or []:
        if obj is None:
            continue
        for kind in kinds:
            for cutout in obj.get(kind.lower()) or []:
                out[kind][(obj["objectId"], cutout["jd"])] = cutout["array"]
    return out


def _with_stamps(table: pa.Table, data: dict[str, Any], kinds: list[str]) -> pa.Table:
    stamps = _stamps(data, kinds)
    oids = table.column("i:objectId").to_pylist()
    jds = table.column("i:jd").to_pylist()
    tags = table.column("d:tag").to_pylist() if "d:tag" in table.column_names else None
    for kind in kinds:
        found = stamps[kind]
        values = [
            found.get((o, j), []) if tags is None or tags[i] == "valid" else []
            for i, (o, j) in enumerate(zip(oids, jds, strict=True))
        ]
        array = pa.array(values, type=pa.list_(pa.list_(pa.float64())))
        table = with_column(table, f"b:cutout{kind}_stampData", array)
    return table


def shape(
    table: pa.Table, full: bool, upper: bool, asked: list[str] | None,
    stamps: dict[str, Any] | None = None, kinds: list[str] | None = None,
) -> pa.Table:  # fmt: skip
    """The points as Fink's frame: names, types, jd descending, defaults and v: columns (or
    the ``asked`` columns only), stamps of ``kinds`` from the answer's ``stamps``."""
    table = sorted_by(renamed(table, _names(table)), "i:jd")
    tags = np.asarray(table.column("d:tag").to_pylist(), dtype=object) if upper else None
    valid = np.ones(table.num_rows, dtype=bool) if tags is None else tags == "valid"
    if upper:
        candid = table.column("i:candid") if "i:candid" in table.column_names else None
        filled = pa.array(np.full(table.num_rows, -1, dtype=np.int64))
        if candid is not None:
            filled = pc.if_else(pa.array(valid), candid.combine_chunks(), filled)
        table = with_column(table, "i:candid", filled)
    elif "d:tag" in table.column_names:
        table = table.drop_columns(["d:tag"])
    if kinds:
        table = _with_stamps(table, stamps or {}, kinds)
    if full:
        table = with_column(table, "v:lastdate", masked(iso_dates(table.column("i:jd")), valid))
        table = with_column(table, "v:firstdate", iso_dates(table.column("i:jdstarthist")))
        lapse = pc.subtract(table.column("i:jd"), table.column("i:jdstarthist"))
        table = with_column(table, "v:lapse", lapse)
        for name in _DEFAULT_TEXT:
            if name not in table.column_names or table.column(name).null_count == table.num_rows:
                table = with_column(table, name, constant(table, "", pa.string()))
        for name in _BLAZAR_DEFAULTS:
            table = with_column(table, name, constant(table, -1.0, pa.float64()))
        table = drop_empty(table, lambda n: n[:2] in ("v:", "b:") or n in _DEFAULT_TEXT)
    else:
        assert asked is not None
        keep = set(asked) | {f"b:cutout{k}_stampData" for k in kinds or ()}
        if upper:
            extra = {"d:tag", "i:candid"}
            if tags is not None and (tags == "upperlim").any():
                extra |= set(_UPPER)
            if tags is not None and (tags == "badquality").any():
                extra |= set(_UPPERVALID)
            for name in extra - keep - {"d:tag", "i:candid"}:
                if name in table.column_names:  # Fink's valid rows lack what was not asked
                    table = with_column(table, name, masked(table.column(name), ~valid))
            keep |= extra
        table = table.select([n for n in table.column_names if n in keep])
        table = drop_empty(table, lambda n: n.startswith("b:"))
    order = [f"{c.family}:{c.name}" for c in MAIN_COLUMNS] + ["d:tag"]
    order += [c.name for c in V_COLUMNS[:1] + COLOUR_COLUMNS + V_COLUMNS[1:]]
    return ordered(table, order)


async def answer(call: ApiCall) -> Response:
    payload = call.payload
    payload.require("objectId")
    fmt = output_format(payload)
    ids = payload.names("objectId")
    if not ids:
        raise ApiError("`objectId` is empty: give one ZTF object id or a comma-separated list.\n")
    upper = payload.flag("withupperlim")
    kinds: list[str] = []
    if payload.flag("withcutouts"):
        kind = payload.text("cutout-kind", "All") or "All"
        if kind not in (*CUTOUT_KINDS, "All"):
            raise ApiError("`cutout-kind` must be `Science`, `Difference`, `Template` or `All`.\n")
        kinds = list(CUTOUT_KINDS) if kind == "All" else [kind]
    full = "columns" not in payload
    asked = None if full else asked_columns(payload.names("columns"), MAIN_COLUMNS)
    wanted = set(FIELD_OF_FINK) if asked is None else set(asked) | {"i:jd"}
    if upper and asked is not None:
        wanted |= set(_UPPER) | set(_UPPERVALID) | {"i:candid"}
    fields = [f for f in fields_of(wanted) if f != "objectId"]
    query = build_query(fields, full, kinds)
    variables: dict[str, Any] = {"ids": ids, "upper": upper}
    if kinds:
        variables["n"] = call.settings.limits.first_max
    data = await call.run(query, variables)
    table = await call.table(query, variables, {"rows"}, data)
    return records_response(shape(table, full, upper, asked, data, kinds), fmt, "objects")


ROUTE = ApiRoute(
    name="objects",
    summary="Get object data based on ZTF ID",
    params=(
        Param("objectId", 'single ZTF Object ID, or a comma-separated list of object names, '
              'e.g. "ZTF19acmdpyr,ZTF21aaxtctv"', required=True, example="ZTF21abfmbix"),
        Param("withupperlim", "If True, retrieve also upper limit measurements, and bad quality "
              "measurements. Use the column `d:tag` in your results: valid, upperlim, "
              "badquality.", kind="boolean", default=False),
        Param("withcutouts", "If True, retrieve also cutout data as 2D array. See also "
              "`cutout-kind`.", kind="boolean", default=False),
        Param("cutout-kind", "`Science`, `Template`, or `Difference`. If not specified, "
              "returned all three.", choices=("Science", "Template", "Difference", "All")),
        COLUMNS,
        OUTPUT_FORMAT,
    ),
    answer=answer,
    notes="Sorted by i:jd, newest first, across all objects. Limits and bad-quality points "
    "keep their numeric types (Fink leaves them as text) and i:candid is -1 on them. "
    "Fink's per-object limit of 10,000 alerts does not apply; limits.max_object_ids does. "
    "Stamps (withcutouts) are those of the newest limits.first_max alerts of each object, "
    "and count limits.first_max per object and kind against limits.max_cost (about 30 "
    "objects with all three kinds by default; more is QUERY_TOO_COSTLY).",
    records=lambda: [*main_columns(), TAG, *V_COLUMNS[:1], *COLOUR_COLUMNS, *V_COLUMNS[1:]],
    media_types=TABLE_MEDIA_TYPES,
)
