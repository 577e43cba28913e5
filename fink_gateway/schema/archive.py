"""``ArchiveQuery``: the rest of Fink's routes (FINK-REFERENCE §5.3, §11, §12) — tracklets,
name resolution, per-night statistics, anomalies and gravitational-wave sky maps.

Thin types and fields: each field validates and reads through a ``resolvers`` module, then
wraps the plain records it gets back.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from fink_gateway.resolvers import anomalies as anomaly_search
from fink_gateway.resolvers import args
from fink_gateway.resolvers import resolve as names
from fink_gateway.resolvers import skymap as gw
from fink_gateway.resolvers import statistics as stats
from fink_gateway.resolvers import tracklets as trk
from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.object_plan import object_plan
from fink_gateway.resolvers.objects import load_objects
from fink_gateway.resolvers.records import AlertRecord
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.arguments import After, First, SinceOrFinkStart, UntilOrNow
from fink_gateway.schema.object import Object
from fink_gateway.schema.pagination import AlertConnection, PageInfo, page
from fink_gateway.schema.scalars import Long
from fink_gateway.science.times import iso_time

# --- tracklets -----------------------------------------------------------------------------


@strawberry.type(description="Alerts of one tracklet: a fast mover seen in one exposure.")
class Tracklet:
    _alerts: strawberry.Private[list[AlertRecord]]
    id: str = strawberry.field(
        description="Fink's tracklet id TRCK_YYYYMMDD_HHMMSS_NN (d:tracklet)."
    )

    @strawberry.field(description="Time of the exposure from the id, ISO 8601 UTC (to the second).")
    def time(self) -> str:
        day, clock = self.id.split("_")[1:3]
        return f"{day[:4]}-{day[4:6]}-{day[6:]}T{clock[:2]}:{clock[2:4]}:{clock[4:]}Z"

    @strawberry.field(description="Number of alerts (objects) of the tracklet.")
    def n_alerts(self) -> int:
        return len(self._alerts)

    @strawberry.field(
        description="The alerts, in objectId order, as the tracklet table holds them: the 77 "
        "index columns (FINK-REFERENCE §1.3); other fields are null."
    )
    def alerts(self) -> list[Alert]:  # type: ignore[valid-type]
        return [alert_from_record(a.record, a.simbad) for a in self._alerts]


# --- resolver ------------------------------------------------------------------------------


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

    @strawberry.field(description="The internal name when it is a ZTF objectId, else null.")
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
    candid: Long | None = strawberry.field(description="Alert id (i:candid).")
    jd: float = strawberry.field(description="Exposure start (i:jd), JD.")
    ra: float | None = strawberry.field(description="Right ascension (i:ra), deg.")
    dec: float | None = strawberry.field(description="Declination (i:dec), deg.")
    cdsxmatch: str | None = strawberry.field(description="SIMBAD type (d:cdsxmatch).")

    @strawberry.field(description="Exposure start, ISO 8601 UTC.")
    def time(self) -> str:
        return iso_time(self.jd)


ResolvedName = Annotated[
    TnsMatch | SsoMatch | ObjectMatch,
    strawberry.union("ResolvedName", description="A match of `resolve`, by kind."),
]


def _tns(e: names.TnsEntry) -> TnsMatch:
    return TnsMatch(
        fullname=e.fullname, internal_name=e.internal_name, ra=e.ra, dec=e.dec, type=e.type,
        redshift=e.redshift, discovery_date=e.discovery_date,
    )  # fmt: skip


def _sso(e: names.SsoEntry) -> SsoMatch:
    return SsoMatch(ssnamenr=e.ssnamenr, name=e.name, number=e.number, object_id=e.object_id)


def _object_match(e: names.ObjectEntry) -> ObjectMatch:
    return ObjectMatch(
        object_id=e.object_id, candid=e.candid, jd=e.jd, ra=e.ra, dec=e.dec,  # type: ignore[arg-type]
        cdsxmatch=e.cdsxmatch,
    )  # fmt: skip


# --- statistics ----------------------------------------------------------------------------


@strawberry.type(description="Alerts of one classification label in one night.")
class ClassCount:
    class_: str = strawberry.field(name="class", description="Label (§7), or a SIMBAD type.")
    count: int = strawberry.field(description="Number of alerts.")


@strawberry.type(description="Counts of one night (statistics_class, FINK-REFERENCE §11).")
class NightStatistics:
    night: str = strawberry.field(description="The night (UTC date), YYYYMMDD.")
    raw: int | None = strawberry.field(description="Alerts received (basic:raw).")
    sci: int | None = strawberry.field(description="Alerts passing Fink's cuts (basic:sci).")
    n_g: int | None = strawberry.field(description="Of which in g, fid 1 (basic:n_g).")
    n_r: int | None = strawberry.field(description="Of which in r, fid 2 (basic:n_r).")
    exposures: int | None = strawberry.field(description="Distinct exposures (basic:exposures).")
    fields: int | None = strawberry.field(description="Distinct ZTF fields (basic:fields).")
    simbad_total: int | None = strawberry.field(
        description="Alerts labelled with a SIMBAD type (class:simbad_tot)."
    )
    simbad_extragalactic: int | None = strawberry.field(
        description="Alerts whose cdsxmatch is an extragalactic-host type (class:simbad_gal; "
        "as in Fink the list includes Unknown and Fail)."
    )
    classes: list[ClassCount] = strawberry.field(
        description="Alerts per classification label (class:*), most frequent first."
    )


def _night(n: stats.NightCounts) -> NightStatistics:
    b = n.basic
    return NightStatistics(
        night=n.night, raw=b.get("raw"), sci=b.get("sci"), n_g=b.get("n_g"), n_r=b.get("n_r"),
        exposures=b.get("exposures"), fields=b.get("fields"), simbad_total=n.simbad_total,
        simbad_extragalactic=n.simbad_extragalactic,
        classes=[ClassCount(class_=k, count=v) for k, v in n.classes.items()],
    )  # fmt: skip


# --- sky maps ------------------------------------------------------------------------------


@strawberry.type(description="An object first detected in a sky map's credible region.")
class SkymapMatch:
    _hit: strawberry.Private[gw.SkymapHit]
    object_id: str = strawberry.field(description="ZTF objectId.")
    pixel: int = strawberry.field(description="HEALPix pixel (nside 128, RING) of its alert.")
    credible_level: float = strawberry.field(
        description="Credible level of that pixel (0: most probable; averaged to nside 128)."
    )

    @strawberry.field(
        description="Its latest alert as the pixel128 index holds it: objectId, candid, "
        "magpsf, sigmapsf, jd, jdstarthist, drb, ra, dec, fid, distnr, cdsxmatch, nalerthist "
        "and its classification; other fields are null."
    )
    def alert(self) -> Alert:  # type: ignore[valid-type]
        return alert_from_record(self._hit.record, self._hit.simbad)

    @strawberry.field(description="The object with all its alerts (one batched scan).")
    async def object(self, info: strawberry.Info) -> Object | None:
        plan = object_plan(info.selected_fields)
        (data,) = await load_objects(info.context.reader, [self.object_id], plan)
        return None if data is None else Object(_data=data, object_id=self.object_id)


@strawberry.type(description="Alerts found in a gravitational-wave sky map (FINK-REFERENCE §11).")
class Skymap:
    _result: strawberry.Private[gw.SkymapResult]
    event_name: str | None = strawberry.field(description="The map's OBJECT card (GraceDB id).")
    event_time: str = strawberry.field(description="The map's DATE-OBS, ISO 8601 UTC.")
    event_jd: float = strawberry.field(description="The same as a JD (T of the window).")
    nside: int = strawberry.field(description="Resolution of the map as read.")
    credible_level: float = strawberry.field(description="The credible level asked (0–1).")
    n_pixels: int = strawberry.field(description="Pixels (nside 128) of the credible region.")
    area: float = strawberry.field(description="Area of the credible region, deg².")
    window_start: float = strawberry.field(
        description="First detections from this JD (T − daysBefore)."
    )
    window_end: float = strawberry.field(description="... up to this JD (T + daysAfter).")

    @strawberry.field(description="Objects found, most probable pixel first (ties by objectId).")
    def matches(self) -> list[SkymapMatch]:
        return [
            SkymapMatch(_hit=h, object_id=h.object_id, pixel=h.pixel,
                        credible_level=h.credible_level)
            for h in self._result.hits
        ]  # fmt: skip


def _skymap(result: gw.SkymapResult) -> Skymap:
    m = result.sky_map
    return Skymap(
        _result=result, event_name=m.event_name, event_time=iso_time(m.event_jd),
        event_jd=m.event_jd, nside=m.nside, credible_level=result.credible_level,
        n_pixels=len(result.region.pixels), area=result.region.area_deg2,
        window_start=result.window[0], window_end=result.window[1],
    )  # fmt: skip


# --- root ----------------------------------------------------------------------------------


@strawberry.type(description="Tracklets, name resolution, statistics, anomalies, sky maps.")
class ArchiveQuery:
    @strawberry.field(
        description="Tracklets (FINK-REFERENCE §5.3) by `id` or by exposure `date`, each with "
        "its alerts, in id order. Give exactly one of the two."
    )
    async def tracklets(
        self,
        info: strawberry.Info,
        date: Annotated[
            str | None,
            strawberry.argument(
                description="UTC exposure date 'YYYY-MM-DD', optionally with 'HH', 'HH:MM' or "
                "'HH:MM:SS': every tracklet whose id starts with it."
            ),
        ] = None,
        id: Annotated[
            str | None,
            strawberry.argument(description="A tracklet id, TRCK_YYYYMMDD_HHMMSS_NN."),
        ] = None,
    ) -> list[Tracklet]:
        prefix = trk.tracklet_prefix(date, id)
        columns = columns_for_fields(field_selection(info.selected_fields))
        found = await trk.load_tracklets(info.context.reader, prefix, columns)
        return [Tracklet(_alerts=t.alerts, id=t.tracklet_id) for t in found]

    @strawberry.field(
        description="Resolve a name offline through Fink's resolver tables (§5.2, §12). TNS: "
        "a TNS name (prefix, case-insensitive) → its internal names; reverse: a ZTF objectId → "
        "its TNS names (scans every key of tns_resolver). SSO: a Solar System object's name, "
        "number or ZTF designation (exact; `autocomplete` for a prefix) → ssnamenr, name, "
        "number; reverse: a ZTF objectId → the objects of its alerts' i:ssnamenr. OBJECT: a "
        "ZTF objectId → its newest alerts' position and SIMBAD type (`reverse` has no effect)."
    )
    async def resolve(
        self,
        info: strawberry.Info,
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
    ) -> list[ResolvedName]:  # type: ignore[valid-type]
        reader = info.context.reader
        n = names.resolver_limit(limit, info.context.settings.limits.first_max)
        if kind is ResolverKind.TNS:
            finder = names.reverse_tns if reverse else names.resolve_tns
            return [_tns(e) for e in await finder(reader, name, n)]
        if kind is ResolverKind.SSO:
            if reverse:
                return [_sso(e) for e in await names.reverse_sso(reader, name, n)]
            return [_sso(e) for e in await names.resolve_sso(reader, name, n, autocomplete)]
        return [_object_match(e) for e in await names.resolve_object(reader, name, n)]

    @strawberry.field(
        description="Per-night counts (statistics_class, §11) of every night whose UTC date "
        "starts with `date`, oldest first."
    )
    async def statistics(
        self,
        info: strawberry.Info,
        date: Annotated[
            str, strawberry.argument(description="A year 'YYYY', month 'YYYYMM' or day 'YYYYMMDD'.")
        ],
    ) -> list[NightStatistics]:
        return [_night(n) for n in await stats.load_statistics(info.context.reader, date)]

    @strawberry.field(
        description="Fink's most anomalous alerts (up to 10 a night, §11), newest first, with "
        "every column of the main table."
    )
    async def anomalies(
        self,
        info: strawberry.Info,
        since: SinceOrFinkStart = None,
        until: UntilOrNow = None,
        first: First = None,
        after: After = None,
    ) -> AlertConnection:
        limits = info.context.settings.limits
        size = args.page_size(first, limits.first_default, limits.first_max)
        window = anomaly_search.anomaly_window(since, until)
        after_key = anomaly_search.anomaly_cursor_key(after)
        selection = field_selection(info.selected_fields)
        reader = info.context.reader
        result = await anomaly_search.anomaly_page(
            reader, window, size, after_key, columns_for_fields(selection)
        )
        total = 0
        if "totalCount" in selection:
            total = await anomaly_search.count_anomalies(reader, window)
        edges, _ = page(
            [(anomaly_search.anomaly_cursor(h.key), alert_from_record(h.record, h.simbad))
             for h in result.items],
            result.has_next,
        )  # fmt: skip
        end = None if result.resume is None else anomaly_search.anomaly_cursor(result.resume)
        info_ = PageInfo(has_next_page=result.has_next, end_cursor=end)
        return AlertConnection(edges=edges, page_info=info_, total_count=total)

    @strawberry.field(
        description="Objects first detected inside a gravitational-wave sky map's credible "
        "region around the event (§11): the bayestar map is uploaded (`bayestar`, multipart "
        "request) or read from the server's sky-map folder (`path`, disabled unless "
        "configured). The window on first detection is [T − daysBefore, T + daysAfter], T the "
        "map's DATE-OBS (Fink's code scans [T − before, T − before + after]); objects whose "
        "latest alert is more than daysAfter after their first detection are left out."
    )
    async def skymap(
        self,
        info: strawberry.Info,
        credible_level: Annotated[
            float,
            strawberry.argument(description="Credible level of the region, in (0, 1], e.g. 0.9."),
        ],
        path: Annotated[
            str | None,
            strawberry.argument(description="A map file in the server's sky-map folder."),
        ] = None,
        bayestar: Annotated[
            Upload | None,
            strawberry.argument(description="The map (bayestar.fits or .fits.gz), uploaded."),
        ] = None,
        days_before: Annotated[
            float, strawberry.argument(description="Window start before T, days (0–7).")
        ] = 1.0,
        days_after: Annotated[
            float, strawberry.argument(description="Window end after T, days (0–14).")
        ] = 6.0,
    ) -> Skymap:
        settings = info.context.settings.skymap
        level, before, after = gw.skymap_arguments(credible_level, days_before, days_after)
        sky_map = await gw.load_sky_map(path, bayestar, settings.folder, settings.max_bytes)
        result = await gw.skymap_search(info.context.reader, sky_map, level, before, after)
        return _skymap(result)
