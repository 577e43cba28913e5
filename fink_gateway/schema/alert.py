"""``Alert``: one ZTF alert as Fink stores it — every ``i:``/``d:`` column, typed — plus
derived fields. The column fields are generated from Fink's column catalog, each described
with its HBase column, type and unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from fink_gateway.layout.column_docs import column_doc
from fink_gateway.layout.columns import FinkColumn
from fink_gateway.resolvers.columns import FIELD_OF_COLUMN, graphql_name
from fink_gateway.resolvers.constellations import constellation_of
from fink_gateway.schema.classification import Classification, classification_of
from fink_gateway.schema.cutout import ALERT_CUTOUT_DESCRIPTION, alert_cutout
from fink_gateway.schema.enums import BAND_OF_FID, Band
from fink_gateway.schema.info import Info
from fink_gateway.schema.scalars import BigInt
from fink_gateway.science.times import iso_time, mjd_of

_PYTHON_TYPES: dict[str, Any] = {
    "integer": int | None,
    "long": BigInt | None,
    "float": float | None,
    "double": float | None,
    "string": str | None,
    "boolean": bool | None,
}


_UNITS = {"mjd": {"unit": "d"}}
"""Units of the derived fields, for tabular answers."""


def column_description(column: FinkColumn) -> str:
    """A field's description: meaning, unit, HBase column and stored type."""
    doc = column_doc(column.name)
    unit = f" Unit: {doc.unit}." if doc.unit else ""
    return f"{doc.description}{unit} HBase column `{column.family}:{column.name}` ({column.type})."


def _time(self: Any) -> str | None:
    return None if self.jd is None else iso_time(self.jd)


def _mjd(self: Any) -> float | None:
    return None if self.jd is None else mjd_of(self.jd)


def _band(self: Any) -> Band | None:
    return BAND_OF_FID.get(self.fid)


def _classification(self: Any) -> Classification | None:
    label = self._record.get("classification")
    if label is None:
        return None
    return classification_of(self._record, str(label), self._simbad)


async def _constellation(self: Any, info: Info) -> str | None:
    if self.ra is None or self.dec is None:
        return None
    return await constellation_of(info.context.reader, self.ra, self.dec)


def _alert_type() -> type:
    """The strawberry type: one field per catalog column, then the derived fields."""
    annotations: dict[str, Any] = {
        "_record": strawberry.Private[Mapping[str, object]],
        "_simbad": strawberry.Private[bool],
    }
    namespace: dict[str, Any] = {"_record": None, "_simbad": False}
    for name, column in FIELD_OF_COLUMN.items():
        annotations[name] = _PYTHON_TYPES[column.type]
        namespace[name] = strawberry.field(
            name=name, description=column_description(column), default=None,
            metadata={"fink_column": f"{column.family}:{column.name}"},
        )
    derived = (
        (_time, "time", "Time of the exposure start, ISO 8601 UTC (from i:jd)."),
        (_mjd, "mjd", "Modified Julian Date of the exposure start (i:jd − 2400000.5), days."),
        (_band, "band", "Filter of the exposure (from i:fid)."),
        (_classification, "classification", "Fink's classification of this alert, with scores."),
        (_constellation, "constellation", "Constellation (full name) of the alert's position "
         "(i:ra, i:dec), Fink's v:constellation; one astropy call for every alert asked."),
        (alert_cutout, "cutout", ALERT_CUTOUT_DESCRIPTION),
    )
    for resolver, name, description in derived:
        namespace[name] = strawberry.field(
            resolver=resolver, name=name, description=description, metadata=_UNITS.get(name)
        )
    namespace["__annotations__"] = annotations
    cls = type("Alert", (), namespace)
    return strawberry.type(
        cls, description="One ZTF alert: every column of Fink's main table, plus derived fields."
    )


Alert: Any = _alert_type()


ALERT_FIELDS = frozenset(FIELD_OF_COLUMN)


def alert_from_record(record: Mapping[str, object], simbad: bool = False) -> Any:
    """An Alert from a decoded record (keys are column qualifiers)."""
    values = {graphql_name(k): v for k, v in record.items()}
    fields = {k: v for k, v in values.items() if k in ALERT_FIELDS}
    alert = Alert(**fields)
    alert._record = record
    alert._simbad = simbad
    return alert
