"""Matches of name resolution (``resolve``): TNS names, Solar System objects, ZTF objects."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from fink_gateway.resolvers import args
from fink_gateway.resolvers import resolve as names
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info
from fink_gateway.schema.scalars import BigInt
from fink_gateway.science.times import iso_time


@strawberry.enum(description="Which names `resolve` works on.")
class ResolverKind(Enum):
    TNS = "TNS"
    SSO = "SSO"
    OBJECT = "OBJECT"


@strawberry.type(description="A TNS object with one of its internal names (tns_resolver).")
class TnsMatch:
    fullname: str | None = strawberry.field(description="TNS name, e.g. 'SN 2023abc' (d:fullname).")
    internal_name: str | None = strawberry.field(
        description="A survey's name of it, e.g. a ZTF objectId (d:internalname)."
    )
    ra: float | None = strawberry.field(description="Right ascension (d:ra), deg.")
    dec: float | None = strawberry.field(description="Declination (d:declination), deg.")
    type: str | None = strawberry.field(description="TNS classification (d:type).")
    redshift: float | None = strawberry.field(description="Redshift (d:redshift).")
    discovery_date: str | None = strawberry.field(description="Discovery date (d:discoverydate).")

    @resolver_field(description="The internal name when it is a ZTF objectId, else null.")
    def object_id(self) -> str | None:
        name = self.internal_name or ""
        return name if args.OBJECT_ID.match(name) else None


@strawberry.type(description="A Solar System object (sso_resolver).")
class SsoMatch:
    ssnamenr: str = strawberry.field(description="ZTF's designation (i:ssnamenr).")
    name: str | None = strawberry.field(description="Name (i:name); null when unknown.")
    number: str | None = strawberry.field(
        description="MPC number (i:number); null when unnumbered or unknown."
    )
    object_id: str | None = strawberry.field(
        description="The ZTF objectId resolved (reverse lookups only)."
    )


@strawberry.type(description="One alert of a ZTF object: position and SIMBAD cross-match.")
class ObjectMatch:
    # nullable like the objectId of the other members of ResolvedName, so that one
    # selection set can ask for it on every member (GraphQL needs equal types)
    object_id: str | None = strawberry.field(description="ZTF objectId (i:objectId); set.")
    candid: BigInt | None = strawberry.field(description="Alert id (i:candid), as text.")
    jd: float = strawberry.field(description="Exposure start (i:jd), JD.")
    ra: float | None = strawberry.field(description="Right ascension (i:ra), deg.")
    dec: float | None = strawberry.field(description="Declination (i:dec), deg.")
    cdsxmatch: str | None = strawberry.field(description="SIMBAD type (d:cdsxmatch).")

    @resolver_field(description="Exposure start, ISO 8601 UTC.")
    def time(self) -> str:
        return iso_time(self.jd)


ResolvedName = Annotated[
    TnsMatch | SsoMatch | ObjectMatch,
    strawberry.union("ResolvedName", description="A match of `resolve`, by kind."),
]


def tns_match(e: names.TnsEntry) -> TnsMatch:
    return TnsMatch(
        fullname=e.fullname, internal_name=e.internal_name, ra=e.ra, dec=e.dec, type=e.type,
        redshift=e.redshift, discovery_date=e.discovery_date,
    )  # fmt: skip


def sso_match(e: names.SsoEntry) -> SsoMatch:
    return SsoMatch(ssnamenr=e.ssnamenr, name=e.name, number=e.number, object_id=e.object_id)


def object_match(e: names.ObjectEntry) -> ObjectMatch:
    return ObjectMatch(
        object_id=e.object_id, candid=None if e.candid is None else BigInt(e.candid), jd=e.jd,
        ra=e.ra, dec=e.dec, cdsxmatch=e.cdsxmatch,
    )  # fmt: skip


@strawberry.type
class ResolveQuery:
    @resolver_field(
        description="Resolve a name offline through Fink's resolver tables (§5.2, §12). TNS: "
        "a TNS name (prefix, case-insensitive) → its internal names; reverse: a ZTF objectId → "
        "its TNS names (scans every key of tns_resolver). SSO: a Solar System object's name, "
        "number or ZTF designation (exact; `autocomplete` for a prefix) → ssnamenr, name, "
        "number; reverse: a ZTF objectId → the objects of its alerts' i:ssnamenr. OBJECT: a "
        "ZTF objectId → its newest alerts' position and SIMBAD type (`reverse` has no effect)."
    )
    async def resolve(
        self,
        info: Info,
        name: Annotated[str, strawberry.argument(description="The name (or objectId) to resolve.")],
        kind: Annotated[ResolverKind, strawberry.argument(description="Which names.")],
        reverse: Annotated[
            bool, strawberry.argument(description="From a ZTF objectId to TNS or SSO names.")
        ] = False,
        autocomplete: Annotated[
            bool, strawberry.argument(description="SSO forward: names that start with `name`.")
        ] = False,
        limit: Annotated[
            int, strawberry.argument(description="Most matches returned (1 to the page cap).")
        ] = 10,
    ) -> list[ResolvedName]:
        reader = info.context.reader
        n = names.resolver_limit(limit, info.context.settings.limits.first_max)
        if kind is ResolverKind.TNS:
            finder = names.reverse_tns if reverse else names.resolve_tns
            return [tns_match(e) for e in await finder(reader, name, n)]
        if kind is ResolverKind.SSO:
            if reverse:
                return [sso_match(e) for e in await names.reverse_sso(reader, name, n)]
            return [sso_match(e) for e in await names.resolve_sso(reader, name, n, autocomplete)]
        return [object_match(e) for e in await names.resolve_object(reader, name, n)]
