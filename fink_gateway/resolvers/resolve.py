"""Name resolution offline, through Fink's resolver tables (FINK-REFERENCE §5.2, §12).

* TNS, forward: prefix scan of ``tns_resolver`` (keys ``lower(<fullname>_<internalname>)``)
  on the lower-cased name, e.g. ``sn 2023q`` → every internal name of SN 2023q.
* TNS, reverse (objectId → TNS names): the key ends with ``_<objectid lower-cased>``, which
  no key range can find: ONE scan of every key of ``tns_resolver`` (one small column), then
  one multi-get of the matches. Its cost grows with the table (~10^5 rows in Fink).
* SSO, forward: prefix ``<name lower-cased>@`` of ``sso_resolver`` (the exact name, every
  duplicate ``@0``, ``@1``…); with ``autocomplete`` also the prefix ``<name lower-cased>``
  (in the same store call), exact match first.
* SSO, reverse (objectId → SSO): the object's ``i:ssnamenr`` in the main table (one prefix
  scan), then the resolver rows keyed by that ssnamenr (one scan; every ssnamenr has an
  entry keyed by itself, and all entries of one ssnamenr carry the same name and number).
* OBJECT: an objectId → its alerts' positions and SIMBAD cross-match (main-table prefix scan,
  newest first), as Fink's ``simbad`` reverse; forward SIMBAD names need CDS (not offline).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import decode_record
from fink_gateway.loaders.keyed_rows import keyed_rows
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers import args
from fink_gateway.store.types import Row, ScanRange

MAX_NAME_LENGTH = 200
TNS_COLUMNS: tuple[bytes, ...] = tuple(
    f"d:{q}".encode()
    for q in ("fullname", "internalname", "ra", "declination", "type", "redshift",
              "discoverydate")
)  # fmt: skip
SSO_COLUMNS: tuple[bytes, ...] = (b"i:ssnamenr", b"i:name", b"i:number")
OBJECT_COLUMNS: tuple[bytes, ...] = (
    b"i:objectId", b"i:candid", b"i:jd", b"i:ra", b"i:dec", b"d:cdsxmatch",
)  # fmt: skip
_INTERNAL_NAME = b"d:internalname"
_NO_SSNAMENR = frozenset({"", "null", "None"})


def resolver_name(value: str) -> str:
    """A name to resolve: non-empty printable text of at most ``MAX_NAME_LENGTH`` characters."""
    text = value.strip()
    if not text or len(text) > MAX_NAME_LENGTH or not text.isprintable():
        raise InvalidArgument(
            f"invalid name {value!r}: give 1 to {MAX_NAME_LENGTH} printable characters",
            argument="name", value=value,
        )  # fmt: skip
    return text


def resolver_limit(limit: int, cap: int) -> int:
    """The most matches to return, in [1, cap]."""
    if not 1 <= limit <= cap:
        raise InvalidArgument(
            f"limit must be between 1 and {cap}, got {limit}", argument="limit", value=limit
        )
    return limit


@dataclass(frozen=True, slots=True)
class TnsEntry:
    """A ``tns_resolver`` row: one internal name of a TNS object."""

    fullname: str | None
    internal_name: str | None
    ra: float | None  # deg
    dec: float | None  # deg
    type: str | None
    redshift: float | None
    discovery_date: str | None


@dataclass(frozen=True, slots=True)
class SsoEntry:
    """A Solar System object: ZTF's ssnamenr, its name and number (None when unknown)."""

    ssnamenr: str
    name: str | None
    number: str | None
    object_id: str | None = None  # the objectId resolved, for reverse lookups


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    """One alert of an object: its position and SIMBAD cross-match."""

    object_id: str
    candid: int | None
    jd: float
    ra: float | None  # deg
    dec: float | None  # deg
    cdsxmatch: str | None


def _text(record: Mapping[str, object], name: str) -> str | None:
    value = record.get(name)
    return None if value is None or value == "" else str(value)


def _number(record: Mapping[str, object], name: str) -> float | None:
    """A float cell (typed) or a number written as text (types of this table are UNSURE)."""
    value = record.get(name)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(str(value))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _tns_entries(rows: list[Row], types: Mapping[bytes, str]) -> list[TnsEntry]:
    entries = []
    for _, cells in rows:
        r = decode_record(cells, types)
        entries.append(TnsEntry(
            _text(r, "fullname"), _text(r, "internalname"), _number(r, "ra"),
            _number(r, "declination"), _text(r, "type"), _number(r, "redshift"),
            _text(r, "discoverydate"),
        ))  # fmt: skip
    return entries


async def resolve_tns(reader: Reader, name: str, limit: int) -> list[TnsEntry]:
    """TNS entries whose key starts with the lower-cased name, in key order."""
    prefix = resolver_name(name).lower().encode()
    types = await reader.types(tables.TNS_RESOLVER)
    (rows,) = await reader.scan(
        tables.TNS_RESOLVER, [ScanRange.prefix(prefix, limit=limit)], TNS_COLUMNS
    )
    return _tns_entries(rows, types)


async def reverse_tns(reader: Reader, object_id: str, limit: int) -> list[TnsEntry]:
    """TNS entries of a ZTF objectId (a scan of every key: see the module docstring)."""
    suffix = f"_{args.object_id(object_id)}".lower().encode()
    types = await reader.types(tables.TNS_RESOLVER)
    (rows,) = await reader.scan(tables.TNS_RESOLVER, [ScanRange()], [_INTERNAL_NAME])
    keys = [key for key, _ in rows if key.endswith(suffix)][:limit]
    found = await keyed_rows(reader).get_many(tables.TNS_RESOLVER, keys, TNS_COLUMNS)
    return _tns_entries([(k, c) for k, c in zip(keys, found, strict=True) if c], types)


def _sso_entries(rows: list[Row], object_id: str | None = None) -> list[SsoEntry]:
    """Distinct (ssnamenr, name, number) of resolver rows, in key order."""
    seen: dict[tuple[str, str | None, str | None], SsoEntry] = {}
    for _, cells in rows:
        r = decode_record(cells, {})
        ssnamenr = _text(r, "ssnamenr")
        if ssnamenr is None:
            continue
        entry = SsoEntry(ssnamenr, _text(r, "name"), _text(r, "number"), object_id)
        seen.setdefault((entry.ssnamenr, entry.name, entry.number), entry)
    return list(seen.values())


async def resolve_sso(
    reader: Reader, name: str, limit: int, autocomplete: bool = False
) -> list[SsoEntry]:
    """Solar System objects named ``name`` (every duplicate); with ``autocomplete``, then
    those whose names start with it, shortest name first (among the first 3 × ``limit``
    entries in key order)."""
    text = resolver_name(name).lower()
    exact = ScanRange.prefix(f"{text}@".encode())
    if not autocomplete:
        (rows,) = await reader.scan(tables.SSO_RESOLVER, [exact], SSO_COLUMNS)
        return _sso_entries(rows)[:limit]
    # one object has up to three entries (name, number, ssnamenr)
    more = ScanRange.prefix(text.encode(), limit=3 * limit)
    rows, others = await reader.scan(tables.SSO_RESOLVER, [exact, more], SSO_COLUMNS)
    others = sorted(others, key=lambda row: (len(row[0].rsplit(b"@", 1)[0]), row[0]))
    return _sso_entries(rows + others)[:limit]


async def reverse_sso(reader: Reader, object_id: str, limit: int) -> list[SsoEntry]:
    """The Solar System objects ZTF associated with the object's alerts (i:ssnamenr)."""
    oid = args.object_id(object_id)
    alerts = await reader.rows_with_prefix(tables.MAIN, f"{oid}_".encode(), [b"i:ssnamenr"])
    names = list(dict.fromkeys(
        cells[b"i:ssnamenr"].decode("utf-8", errors="replace")
        for _, cells in alerts if b"i:ssnamenr" in cells
    ))  # fmt: skip
    names = [n for n in names if n not in _NO_SSNAMENR][:limit]
    if not names:
        return []
    ranges = [ScanRange.prefix(f"{n.lower()}@".encode()) for n in names]
    found = await reader.scan(tables.SSO_RESOLVER, ranges, SSO_COLUMNS)
    entries = []
    for ssnamenr, rows in zip(names, found, strict=True):
        same = [row for row in rows if row[1].get(b"i:ssnamenr") == ssnamenr.encode()]
        known = _sso_entries(same, oid)
        entries += known or [SsoEntry(ssnamenr, None, None, oid)]
    return entries


async def resolve_object(reader: Reader, object_id: str, limit: int) -> list[ObjectEntry]:
    """The newest ``limit`` alerts of an objectId: position and SIMBAD cross-match."""
    oid = args.object_id(object_id)
    types = await reader.types(tables.MAIN)
    scan = ScanRange.prefix(f"{oid}_".encode(), reverse=True, limit=limit)
    (rows,) = await reader.scan(tables.MAIN, [scan], OBJECT_COLUMNS)
    entries = []
    for key, cells in rows:
        r = decode_record(cells, types)
        candid = r.get("candid")
        entries.append(ObjectEntry(
            oid, candid if isinstance(candid, int) else None,
            float(key.rsplit(b"_", 1)[1]), _number(r, "ra"), _number(r, "dec"),
            _text(r, "cdsxmatch"),
        ))  # fmt: skip
    return entries
