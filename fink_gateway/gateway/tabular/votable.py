"""VOTable answers (VOTable 1.4, BINARY2 serialisation) built with astropy.io.votable: each
FIELD carries its datatype from the Arrow type, and the unit, UCD and description of the
column catalogue.

Units are written in VOUnit: the catalogue's ``JD`` and ``MJD`` become ``d``, ``pixels``
``pix``, ``DN`` ``adu``; a unit VOUnit cannot express is left out (the description keeps
it). Text nulls are empty strings (VOTable has no null for text); lists of scalars are JSON
text.
"""

from __future__ import annotations

import io
import re

import astropy.units as u
import numpy as np
import pyarrow as pa
from astropy.io.votable import writeto
from astropy.io.votable.tree import Field, Info, Resource, TableElement, VOTableFile

from fink_gateway.gateway.tabular.csv import as_text_lists

_VOUNITS = {"JD": "d", "MJD": "d", "days": "d", "day": "d", "pixels": "pix", "DN": "adu",
            "mag^2": "mag2", "mag/day": "mag/d"}  # fmt: skip


def vounit(unit: str | None) -> str | None:
    """The VOUnit text of a catalogue unit, or None when VOUnit has no such unit.

    >>> vounit("JD"), vounit("mag"), vounit("mag/day")
    ('d', 'mag', 'mag/d')
    """
    if not unit:
        return None
    text = _VOUNITS.get(unit, unit)
    try:
        u.Unit(text, format="vounit")
    except ValueError:
        return None
    return text


def _ids(names: list[str]) -> list[str]:
    """XML ids for column names (``i:magpsf`` → ``i_magpsf``), unique."""
    out: list[str] = []
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        base = base if re.match(r"[A-Za-z_]", base) else f"_{base}"
        candidate, n = base, 2
        while candidate in out:
            candidate, n = f"{base}_{n}", n + 1
        out.append(candidate)
    return out


def _datatype(type_: pa.DataType) -> tuple[str, str | None]:
    if pa.types.is_boolean(type_):
        return "boolean", None
    if pa.types.is_int8(type_) or pa.types.is_int16(type_):
        return "short", None
    if pa.types.is_int32(type_):
        return "int", None
    if pa.types.is_integer(type_):
        return "long", None
    if pa.types.is_float32(type_):
        return "float", None
    if pa.types.is_floating(type_):
        return "double", None
    return "unicodeChar", "*"


def _meta(field: pa.Field, key: str) -> str | None:
    value = (field.metadata or {}).get(key.encode())
    return None if value is None else value.decode()


def votable_bytes(table: pa.Table, description: str | None = None) -> bytes:
    """The VOTable document of ``table``."""
    table = as_text_lists(table)
    document = VOTableFile(version="1.4")
    resource = Resource()
    document.resources.append(resource)
    element = TableElement(document, name="result")
    if description:
        element.description = description
    resource.tables.append(element)
    for field, xml_id in zip(table.schema, _ids(table.column_names), strict=True):
        datatype, arraysize = _datatype(field.type)
        vo_field = Field(
            document, name=field.name, ID=xml_id, datatype=datatype, arraysize=arraysize,
            unit=vounit(_meta(field, "unit")), ucd=_meta(field, "ucd"),
        )  # fmt: skip
        text = _meta(field, "description")
        if text:
            vo_field.description = text
        element.fields.append(vo_field)
    element.create_arrays(table.num_rows)
    for field, column in zip(table.schema, table.columns, strict=True):
        nulls = column.is_null().to_numpy(zero_copy_only=False)
        if pa.types.is_string(field.type):
            values: np.ndarray = np.array(column.fill_null("").to_pylist(), dtype=object)
        elif pa.types.is_floating(field.type):
            values = column.to_numpy(zero_copy_only=False)  # NaN where null
        else:
            filler = False if pa.types.is_boolean(field.type) else 0
            values = column.fill_null(filler).to_numpy(zero_copy_only=False)
        element.array[field.name] = values
        if not pa.types.is_string(field.type):
            element.array.mask[field.name] = nulls
    element.format = "binary2"
    resource.infos.append(Info(name="QUERY_STATUS", value="OK"))
    out = io.BytesIO()
    writeto(document, out)
    return out.getvalue()
