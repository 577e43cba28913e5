"""The Avro schema of a Rubin alert (``lsst.v10_0``), built from the section fields of
:mod:`fink_gateway.layout.lsst_fields`: top level as lsst/alert_packet's ``alert`` record
(``diaSourceId``, ``observation_reason``, ``target_name``, ``diaSource``, the two histories,
``diaObject``, ``ssSource``, ``mpc_orbits``, three cutouts). Section fields are written
nullable (``["null", type]``, default null), which reads every alert of the stricter
original. Used to write Avro alerts (demo data, test producers); files are read with the
schema they carry.
"""

from __future__ import annotations

from typing import Any

from fink_gateway.layout.lsst_fields import SCHEMA_VERSION, SECTIONS

NAMESPACE = SCHEMA_VERSION
"""``lsst.v10_0``: also how a reader tells an Avro file's alert schema version."""


def _record(name: str) -> dict[str, Any]:
    return {
        "type": "record",
        "name": name,
        "namespace": NAMESPACE,
        "fields": [
            {"name": field, "type": ["null", kind], "default": None}
            for field, kind in SECTIONS[name]
        ],
    }


def alert_schema() -> dict[str, Any]:
    """The alert record's schema as a JSON-ready dict (for ``fastavro.parse_schema``)."""
    source = f"{NAMESPACE}.diaSource"
    nullable = [
        ("prvDiaSources", ["null", {"type": "array", "items": source}]),
        ("prvDiaForcedSources",
         ["null", {"type": "array", "items": _record("diaForcedSource")}]),
        ("diaObject", ["null", _record("diaObject")]),
        ("ssSource", ["null", _record("ssSource")]),
        ("mpc_orbits", ["null", _record("mpc_orbits")]),
        ("cutoutDifference", ["null", "bytes"]),
        ("cutoutScience", ["null", "bytes"]),
        ("cutoutTemplate", ["null", "bytes"]),
    ]  # fmt: skip
    fields: list[dict[str, Any]] = [
        {"name": "diaSourceId", "type": "long"},
        {"name": "observation_reason", "type": ["null", "string"], "default": None},
        {"name": "target_name", "type": ["null", "string"], "default": None},
        {"name": "diaSource", "type": _record("diaSource")},
        *({"name": n, "type": t, "default": None} for n, t in nullable),
    ]
    return {"type": "record", "name": "alert", "namespace": NAMESPACE, "fields": fields}
