"""``ArchiveQuery``: the rest of Fink's routes (FINK-REFERENCE §5.3, §11, §12) — tracklets,
name resolution, per-night statistics, anomalies and gravitational-wave sky maps.

Thin fields: each validates and reads through a ``resolvers`` module, then wraps the plain
records it gets back in the types of ``tracklet``, ``name_match``, ``night_statistics`` and
``skymap``.
"""

from __future__ import annotations

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
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.arguments import After, First, SinceOrFinkStart, UntilOrNow
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.name_match import (
    ResolvedName,
    ResolverKind,
    object_match,
    sso_match,
    tns_match,
)
from fink_gateway.schema.night_statistics import NightStatistics, night_statistics
from fink_gateway.schema.pagination import AlertConnection, keyset_connection
from fink_gateway.schema.skymap import Skymap, skymap_of
from fink_gateway.schema.tracklet import Tracklet


@strawberry.type(description="Tracklets, name resolution, statistics, anomalies, sky maps.")
class ArchiveQuery:
    @resolver_field(
        description="Tracklets (FINK-REFERENCE §5.3) by `id` or by exposure `date`, each with "
        "its alerts, in id order. Give exactly one of the two."
    )
    async def tracklets(
        self,
        info: Info,
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
        columns = columns_for_fields(field_selection(selected_fields(info)))
        found = await trk.load_tracklets(info.context.reader, prefix, columns)
        return [Tracklet(_alerts=t.alerts, id=t.tracklet_id) for t in found]

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

    @resolver_field(
        description="Per-night counts (statistics_class, §11) of every night whose UTC date "
        "starts with `date`, oldest first."
    )
    async def statistics(
        self,
        info: Info,
        date: Annotated[
            str,
            strawberry.argument(
                description="A year, month or day (UTC): 'YYYY', 'YYYYMM', 'YYYYMMDD', "
                "'YYYY-MM' or 'YYYY-MM-DD'."
            ),
        ],
    ) -> list[NightStatistics]:
        return [night_statistics(n) for n in await stats.load_statistics(info.context.reader, date)]

    @resolver_field(
        description="Fink's most anomalous alerts (up to 10 a night, §11), newest first, with "
        "every column of the main table."
    )
    async def anomalies(
        self,
        info: Info,
        since: SinceOrFinkStart = None,
        until: UntilOrNow = None,
        first: First = None,
        after: After = None,
    ) -> AlertConnection:
        limits = info.context.settings.limits
        size = args.page_size(first, limits.first_default, limits.first_max)
        window = anomaly_search.anomaly_window(since, until)
        after_key = anomaly_search.anomaly_cursor_key(after)
        selection = field_selection(selected_fields(info))
        reader = info.context.reader
        result = await anomaly_search.anomaly_page(
            reader, window, size, after_key, columns_for_fields(selection)
        )
        total = 0
        if "totalCount" in selection:
            total = await anomaly_search.count_anomalies(reader, window)
        return keyset_connection(result, anomaly_search.anomaly_cursor, total)

    @resolver_field(
        description="Objects first detected inside a gravitational-wave sky map's credible "
        "region around the event (§11): the bayestar map is uploaded (`bayestar`, multipart "
        "request) or read from the server's sky-map folder (`path`, disabled unless "
        "configured). The window on first detection is [T − daysBefore, T + daysAfter], T the "
        "map's DATE-OBS (Fink's code scans [T − before, T − before + after]); objects whose "
        "latest alert is more than daysAfter after their first detection are left out."
    )
    async def skymap(
        self,
        info: Info,
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
        return skymap_of(result)
