"""Rubin LSST alert parquet → typed flat columns, validated whole (docs/fink-lsst.md §2, §5, §9.1).

The input is shaped like Fink's Rubin parquet: root columns ``observation_reason``,
``target_name``, ``lsst_schema_version``; sections ``diaSource``, ``diaObject``, ``ssSource``,
``mpc_orbits`` (structs, null when the alert has none); ``prvDiaSources`` and
``prvDiaForcedSources`` (lists of structs); and, once Fink has processed the alert, the
``xm``/``clf`` structs and the ``fink_*_version`` columns. A field absent from its struct is
null, as Fink adds it; fields not in the alert schema are ignored, as Fink ignores them.

Every field is cast to its type in the alert schema (§2.7): float64 → float32 where the schema
says ``float``, int64 → int32 where it says ``int``. Floats are accepted for integer fields
only when they hold exact integers (|x| ≤ 2**53); the 64-bit ids that pandas-written files hold
as float64 (``diaObject.diaObjectId``, ``ssSource.ssObjectId``, ``ssSource.diaSourceId``) are
taken from their exact int64 twins in ``diaSource`` after checking that they agree (§9.1).

Fink's object-level columns are computed with Fink's expressions (§5), under Spark's
three-valued logic: ``is_first`` is null when ``nDiaSources`` is null; ``is_cataloged`` is
``(simbad_otype IS NOT NULL AND simbad_otype != 'Fail') OR (gaiadr3_DR3Name IS NOT NULL AND
gaiadr3_DR3Name != 'Fail')``, where ``IS NOT NULL`` is two-valued, so it is never null: false
when the cross-match columns are absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.errors import IngestError
from fink_gateway.layout import rubin
from fink_gateway.layout.columns import ARROW_TYPES
from fink_gateway.layout.lsst_fields import CATALOG_TYPES, SECTIONS

SUPPORTED_MAJOR = 10
"""Alert schema major version ingested: Fink's HBase layout (docs/fink-lsst.md §10) keys the
Solar System tables on ``mpc_orbits`` and the v10 ``ssSource``, which appear in v10, and the
field tables of :mod:`~fink_gateway.layout.lsst_fields` are those of v10."""

SECTION_COLUMNS = ("diaSource", "diaObject", "ssSource", "mpc_orbits")
HISTORY_COLUMNS = ("prvDiaSources", "prvDiaForcedSources")

EXACT_IDS = {
    "diaObject.diaObjectId": "diaSource.diaObjectId",
    "ssSource.ssObjectId": "diaSource.ssObjectId",
    "ssSource.diaSourceId": "diaSource.diaSourceId",
}
"""Ids that may come as lossy float64 → their exact int64 twin (§9.1)."""


_VERSION = re.compile(r"lsst\.v(\d+)_(\d+)")
_EXACT_FLOAT = 2.0**53
_MJD_RANGE = (1e-3, 1e7)  # where Java's Double.toString and Python's repr agree (§3)


def is_lsst_table(table: pa.Table) -> bool:
    """True for a Rubin alert table: it has ``lsst_schema_version`` or a ``diaSource``."""
    return "lsst_schema_version" in table.column_names or "diaSource" in table.column_names


@dataclass(frozen=True)
class LsstAlerts:
    """A file's alerts as typed flat columns.

    ``values`` maps ``"<section>.<field>"``, the root names (``observation_reason``…) and Fink's
    column names (``xm_simbad_otype``, ``is_sso``…) to one typed array per alert; ``has``
    says which alerts have a ``diaObject``, ``ssSource``, ``mpc_orbits``; ``forced`` holds the
    forced sources Fink writes (§4.5), one per item, as ``"diaForcedSource.<field>"``;
    ``hdfs_path`` is the file's URI (None for generated tables, which no file holds).
    """

    source: str
    hdfs_path: str | None
    values: dict[str, pa.Array]
    has: dict[str, np.ndarray]
    forced: dict[str, pa.Array]
    versions: frozenset[tuple[str, str]]

    def __len__(self) -> int:
        return len(self.values["diaSource.diaSourceId"])


def _combine(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def cast_to(array: pa.Array, type_: str, source: str, column: str) -> pa.Array:
    """Cast to a catalog type as Fink's Spark cast would, refusing lossy or senseless casts.

    Raises :class:`IngestError` naming ``column`` when the values cannot be read as ``type_``.
    """
    target = ARROW_TYPES[type_]
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    kind = array.type
    if kind == target:
        return array
    if pa.types.is_null(kind):
        return pa.nulls(len(array), target)

    def refuse(why: str = "") -> IngestError:
        return IngestError(source, f"cannot read {kind} as {type_}{why}", column=column)

    numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind)
    try:
        if type_ in ("integer", "long"):
            if pa.types.is_floating(kind):
                given = array.to_numpy(zero_copy_only=False)[_valid(array)]
                exact = (given == np.round(given)) & (np.abs(given) <= _EXACT_FLOAT)
                if not exact.all():
                    raise refuse(": values that are not exact integers")
            elif not pa.types.is_integer(kind):
                raise refuse()
            return pc.cast(array, target)  # overflow → ArrowInvalid
        if type_ in ("float", "double"):
            if not numeric:
                raise refuse()
            return pc.cast(array, target, safe=False)  # rounds as Java's casts do
        if type_ == "string":
            if not (_is_text(kind) or pa.types.is_integer(kind)):
                raise refuse()
            return pc.cast(array, target)
        raise refuse()  # boolean from anything but a boolean
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise refuse(f": {exc}") from None


def _valid(array: pa.Array) -> np.ndarray:
    return cast(np.ndarray, array.is_valid().to_numpy(zero_copy_only=False))


def _required(table: pa.Table, name: str, source: str) -> pa.Array:
    if name not in table.column_names:
        raise IngestError(source, "required column is missing", column=name)
    return _combine(table.column(name))


def check_schema_version(table: pa.Table, source: str) -> None:
    """Every alert must carry ``lsst.v10_<minor>`` (see :data:`SUPPORTED_MAJOR`)."""
    column = "lsst_schema_version"
    versions = _required(table, column, source)
    if pa.types.is_dictionary(versions.type):
        versions = versions.dictionary_decode()
    if not _is_text(versions.type):
        raise IngestError(source, f"expected text, got {versions.type}", column=column)
    for version in pc.unique(versions).to_pylist():
        match = _VERSION.fullmatch(version or "")
        if match is None or int(match.group(1)) != SUPPORTED_MAJOR:
            raise IngestError(
                source,
                f"alert schema {version!r} is not supported: only lsst.v{SUPPORTED_MAJOR}_x is, "
                "the schema of Fink's Rubin tables (mpc_orbits and the v10 ssSource key its "
                "Solar System tables)",
                column=column,
            )


def _struct_fields(
    table: pa.Table, name: str, fields: list[str], source: str
) -> tuple[dict[str, pa.Array], np.ndarray]:
    """A section's fields (absent ones null, parent nulls applied) and its validity."""
    array = _required(table, name, source)
    n = len(array)
    if pa.types.is_null(array.type):
        return {f: pa.nulls(n) for f in fields}, np.zeros(n, dtype=bool)
    if not pa.types.is_struct(array.type):
        raise IngestError(source, f"expected a struct, got {array.type}", column=name)
    children = dict(zip([f.name for f in array.type], array.flatten(), strict=True))
    return {f: children.get(f, pa.nulls(n)) for f in fields}, _valid(array)


def _typed_section(
    table: pa.Table, name: str, values: dict[str, pa.Array], source: str
) -> np.ndarray:
    """Cast a section's fields into ``values``; returns which alerts have the section."""
    fields = SECTIONS[name]
    raw, present = _struct_fields(table, name, [f for f, _ in fields], source)
    for field, avro in fields:
        key = f"{name}.{field}"
        array = raw[field]
        if key in EXACT_IDS and pa.types.is_floating(array.type):
            array = _exact_id(array, values[EXACT_IDS[key]], source, key)
        values[key] = cast_to(array, CATALOG_TYPES[avro], source, key)
    return present


def _exact_id(lossy: pa.Array, exact: pa.Array, source: str, column: str) -> pa.Array:
    """The exact int64 twin of a float64 id column, where the float is given (§9.1)."""
    given = _valid(lossy)
    twin = pc.cast(exact, pa.float64(), safe=False).fill_null(np.nan)
    twin = twin.to_numpy(zero_copy_only=False)
    floats = lossy.fill_null(np.nan).to_numpy(zero_copy_only=False)
    if not np.array_equal(twin[given], floats[given]):
        raise IngestError(
            source,
            f"float ids that are not those of {EXACT_IDS[column]}: the exact id is unknown",
            column=column,
        )
    return pc.if_else(pa.array(given), exact, pa.scalar(None, pa.int64()))


def _no_nulls(
    values: dict[str, pa.Array], names: tuple[str, ...], rows: np.ndarray, source: str
) -> None:
    for name in names:
        if not _valid(values[name])[rows].all():
            raise IngestError(source, "null values in a required column", column=name)


def _check_mjd(mjd: np.ndarray, source: str, column: str) -> None:
    low, high = _MJD_RANGE
    if not np.all((np.abs(mjd) >= low) & (np.abs(mjd) < high)):
        raise IngestError(source, f"MJD values outside [{low}, {high})", column=column)


def _list_items(
    table: pa.Table, name: str, source: str
) -> tuple[np.ndarray, np.ndarray, pa.Array | None]:
    """A list column: per-alert lengths (-1 for null), each item's alert, the items."""
    array = _required(table, name, source)
    n = len(array)
    if pa.types.is_null(array.type):
        return np.full(n, -1), np.zeros(0, dtype=np.int64), None
    if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        raise IngestError(source, f"expected a list, got {array.type}", column=name)
    lengths = pc.list_value_length(array).fill_null(-1).to_numpy(zero_copy_only=False)
    parents = pc.list_parent_indices(array).to_numpy(zero_copy_only=False)
    return lengths, parents, pc.list_flatten(array)


def _item_field(
    items: pa.Array | None, field: str, type_: str, source: str, column: str
) -> pa.Array:
    """One field of list items (null where absent), cast to ``type_``."""
    if items is None:
        return pa.nulls(0, ARROW_TYPES[type_])
    if pa.types.is_null(items.type):
        return pa.nulls(len(items), ARROW_TYPES[type_])
    if not pa.types.is_struct(items.type):
        raise IngestError(source, f"expected a struct, got {items.type}", column=column)
    index = items.type.get_field_index(field)
    if index < 0:
        return pa.nulls(len(items), ARROW_TYPES[type_])
    children = items.flatten()
    return cast_to(children[index], type_, source, f"{column}.{field}")


def _history_mjds(table: pa.Table, source: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per alert: ``prvDiaSources`` length (-1: null), min and max of its non-null
    ``midpointMjdTai`` (NaN when it has none)."""
    lengths, parents, items = _list_items(table, "prvDiaSources", source)
    mjd = _item_field(items, "midpointMjdTai", "double", source, "prvDiaSources")
    values = mjd.fill_null(np.nan).to_numpy(zero_copy_only=False)
    n = len(lengths)
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    np.fmin.at(low, parents, values)
    np.fmax.at(high, parents, values)
    low[np.isinf(low)] = np.nan
    high[np.isinf(high)] = np.nan
    return lengths, low, high


def _first_mjd(current: np.ndarray, lengths: np.ndarray, earliest: np.ndarray) -> pa.Array:
    """Fink's ``firstDiaSourceMjdTaiFink``: the alert's own MJD without history, else the
    minimum over ``prvDiaSources`` (null for an empty list, §5)."""
    first = np.where(lengths < 0, current, earliest)
    return pa.array(first, pa.float64(), mask=np.isnan(first))


def _forced_sources(
    table: pa.Table,
    n_sources: pa.Array,
    lengths: np.ndarray,
    latest: np.ndarray,
    source: str,
) -> dict[str, pa.Array]:
    """The forced sources Fink writes to ``fp`` (``format_fp_for_hbase``, §4.5).

    Alerts with ``nDiaSources > 1`` and a non-empty list; the threshold is 0.0 when
    ``prvDiaSources`` has 2 items, else the largest of its ``midpointMjdTai`` starting from
    -1.0 (a null list gives no threshold, so no row); items at or after it are kept.
    """
    column = "prvDiaForcedSources"
    counts, parents, items = _list_items(table, column, source)
    fields = SECTIONS["diaForcedSource"]
    typed = {
        f"diaForcedSource.{f}": _item_field(items, f, CATALOG_TYPES[t], source, column)
        for f, t in fields
    }
    if not len(parents):
        return typed
    many = (n_sources.fill_null(0).to_numpy(zero_copy_only=False) > 1) & (counts > 0)
    threshold = np.where(lengths == 2, 0.0, np.fmax(latest, -1.0))
    threshold[lengths < 0] = np.nan  # aggregate over a null list is null
    mjd = typed["diaForcedSource.midpointMjdTai"].fill_null(np.nan).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        keep = many[parents] & (mjd >= threshold[parents])
    rows = pa.array(np.flatnonzero(keep))
    selected = {name: array.take(rows) for name, array in typed.items()}
    if selected["diaForcedSource.diaObjectId"].null_count:
        raise IngestError(source, "null values in a key column", column=f"{column}.diaObjectId")
    _check_mjd(mjd[keep], source, f"{column}.midpointMjdTai")
    return selected


def _fink_source_columns(
    table: pa.Table, values: dict[str, pa.Array], n: int, source: str
) -> None:
    """Fink's source-level columns the file has (``xm``/``clf`` structs, versions)."""
    structs: dict[str, tuple[dict[str, pa.Array], np.ndarray]] = {}
    for column in rubin.FINK_SOURCE:
        parent, _, field = column.name.partition("_")
        if parent in ("xm", "clf"):
            if parent not in structs:
                fields = [
                    c.name.partition("_")[2]
                    for c in rubin.FINK_SOURCE
                    if c.name.startswith(parent + "_")
                ]
                present = parent in table.column_names
                structs[parent] = (
                    _struct_fields(table, parent, fields, source)
                    if present
                    else ({f: pa.nulls(n) for f in fields}, np.zeros(n, dtype=bool))
                )
            array, where = structs[parent][0][field], f"{parent}.{field}"
        else:
            present = column.name in table.column_names
            array = _combine(table.column(column.name)) if present else pa.nulls(n)
            where = column.name
        values[column.name] = cast_to(array, column.type, source, where)


def _fink_object_columns(
    values: dict[str, pa.Array], has_sso: np.ndarray, first: pa.Array
) -> None:
    """Fink's object-level columns (``pred``, ``misc`` of science.py, §5)."""

    def known(name: str) -> pa.Array:
        array = values[name]
        return pc.and_kleene(pc.is_valid(array), pc.not_equal(array, "Fail"))

    values["is_sso"] = pa.array(has_sso, pa.bool_())
    values["is_first"] = pc.equal(values["diaObject.nDiaSources"], 1)
    values["is_cataloged"] = pc.or_kleene(known("xm_simbad_otype"), known("xm_gaiadr3_DR3Name"))
    values["main_label_crossmatch"] = values["xm_simbad_otype"]
    values["main_label_classifier"] = values["clf_cats_class"]
    values["firstDiaSourceMjdTaiFink"] = first


def _versions(values: dict[str, pa.Array]) -> frozenset[tuple[str, str]]:
    """Distinct (fink_broker_version, fink_science_version); ``unknown`` where missing, as
    the ZTF ingest names them."""
    broker = values["fink_broker_version"].fill_null("unknown").to_pylist()
    science = values["fink_science_version"].fill_null("unknown").to_pylist()
    return frozenset(zip(broker, science, strict=True))


def read_lsst_alerts(table: pa.Table, source: str, *, from_file: bool = True) -> LsstAlerts:
    """Validate and flatten a Rubin alert table; :class:`IngestError` names the column.

    ``source`` is the file the table was read from, whose URI the ``cutouts`` rows give as
    ``hdfs_path``; with ``from_file=False`` (generated alerts) it only names the input and
    ``hdfs_path`` gets no cell."""
    check_schema_version(table, source)
    for name in (*SECTION_COLUMNS, *HISTORY_COLUMNS):
        _required(table, name, source)
    n = table.num_rows
    values: dict[str, pa.Array] = {}
    for name in ("observation_reason", "target_name"):
        present = name in table.column_names
        array = _combine(table.column(name)) if present else pa.nulls(n)
        values[name] = cast_to(array, "string", source, name)
    has = {name: _typed_section(table, name, values, source) for name in SECTION_COLUMNS}

    everyone = np.arange(n)
    if not has["diaSource"].all():
        raise IngestError(source, "null values in a required column", column="diaSource")
    keys = ("diaSource.diaSourceId", "diaSource.midpointMjdTai", "diaSource.ra", "diaSource.dec")
    _no_nulls(values, keys, everyone, source)
    objects = np.flatnonzero(has["diaObject"])
    _no_nulls(values, ("diaObject.diaObjectId", "diaSource.diaObjectId"), objects, source)
    orbits = np.flatnonzero(has["mpc_orbits"])
    packed = "mpc_orbits.packed_primary_provisional_designation"
    _no_nulls(values, (packed,), orbits, source)
    if not all(values[packed].take(pa.array(orbits)).to_pylist()):
        raise IngestError(source, "empty designations", column=packed)
    mjd = values["diaSource.midpointMjdTai"].to_numpy(zero_copy_only=False)
    _check_mjd(mjd, source, "diaSource.midpointMjdTai")

    lengths, earliest, latest = _history_mjds(table, source)
    first = _first_mjd(mjd, lengths, earliest)
    first_given = first.fill_null(1.0).to_numpy(zero_copy_only=False)
    _check_mjd(first_given[objects], source, "prvDiaSources.midpointMjdTai")
    forced = _forced_sources(table, values["diaObject.nDiaSources"], lengths, latest, source)

    _fink_source_columns(table, values, n, source)
    _fink_object_columns(values, has["ssSource"], first)
    return LsstAlerts(
        source=source,
        hdfs_path=Path(source).resolve().as_uri() if from_file else None,
        values=values,
        has=has,
        forced=forced,
        versions=_versions(values),
    )
