"""``Subscription.alerts(filter:)``: each newly stored alert that matches, as it is stored.

Writers (``fink-gateway follow``) announce the alerts they stored on the alert bus (Redis
pub/sub with ``cache.backend: redis``, else in process); a subscription reads the columns it
selects from the main table, as queries do, and pushes the same ``Alert`` type.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any, cast

import strawberry
from graphql import GraphQLError

from fink_gateway.errors import GatewayError, InvalidArgument, TooManySubscriptions
from fink_gateway.layout import tables
from fink_gateway.live.filters import AlertMatch
from fink_gateway.live.seats import seat_for
from fink_gateway.resolvers import args
from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.records import alert_records
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.alert import Alert, alert_from_record
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.scalars import Angle

MAX_FILTER_IDS = 1000
"""Object ids (or classes) one filter may list."""


@strawberry.input(description="A cone on the sky: centre (ICRS) and radius.")
class ConeFilter:
    ra: Angle = strawberry.field(description="Right ascension: degrees or sexagesimal hours.")
    dec: Angle = strawberry.field(description="Declination: degrees or sexagesimal.")
    radius: float = strawberry.field(description="Radius, arcsec (> 0; capped as conesearch).")


@strawberry.input(description="Which new alerts to push; every condition given must hold.")
class AlertFilter:
    classes: list[str] | None = strawberry.field(
        default=None,
        description="Any of these labels: Fink's class, a SIMBAD type, or '(TNS) <type>'.",
    )
    cone: ConeFilter | None = strawberry.field(default=None, description="Inside this cone.")
    magpsf_min: float | None = strawberry.field(
        default=None, description="Brightest accepted PSF magnitude (i:magpsf ≥ this), mag."
    )
    magpsf_max: float | None = strawberry.field(
        default=None, description="Faintest accepted PSF magnitude (i:magpsf ≤ this), mag."
    )
    object_ids: list[str] | None = strawberry.field(
        default=None, description="Any of these objects (ZTF objectId)."
    )


def alert_match(info: Info, given: AlertFilter | None) -> AlertMatch:
    """The validated filter (INVALID_ARGUMENT naming what is wrong)."""
    if given is None:
        return AlertMatch()
    classes = given.classes or []
    ids = [args.object_id(i) for i in args.object_ids(given.object_ids or [], MAX_FILTER_IDS)]
    if len(classes) > MAX_FILTER_IDS or any(not c.strip() for c in classes):
        raise InvalidArgument(
            f"classes: 1 to {MAX_FILTER_IDS} non-empty labels", argument="classes"
        )
    cone = None
    if given.cone is not None:
        cap = info.context.settings.limits.cone_radius_max_arcsec
        cone = (
            args.right_ascension(cast(float | str, given.cone.ra)),  # Angle: float or text
            args.declination(cast(float | str, given.cone.dec)),
            args.radius_arcsec(given.cone.radius, cap),
        )
    low, high = given.magpsf_min, given.magpsf_max
    if low is not None and high is not None and low > high:
        raise InvalidArgument(
            f"magpsfMin ({low}) is above magpsfMax ({high})", argument="magpsfMin", value=low
        )
    return AlertMatch(frozenset(classes), cone, low, high, frozenset(ids))


async def live_alerts(
    info: Info, filter: AlertFilter | None = None
) -> AsyncGenerator[Any, None]:
    """Push each matching alert stored from now on (its selected columns, read from the
    main table)."""
    context = info.context
    try:
        match = alert_match(info, filter)
        if context.bus is None:
            return
        limits = context.settings.limits
        per_connection = limits.subscriptions_per_connection
        if context.subscriptions >= per_connection:
            raise TooManySubscriptions(
                f"a connection may hold {per_connection} live subscriptions at once",
                limit=per_connection,
            )
        columns = sorted(columns_for_fields(field_selection(selected_fields(info))))
        reader = context.reader
        main = reader.table(tables.MAIN)
        context.subscriptions += 1
        try:
            async with (
                seat_for(context.seats, context.client, limits.subscriptions_per_ip),
                context.bus.subscribe() as events,
            ):
                async for batch in events:  # a writer's batch: one read, one labelling
                    keys = [event.key for event in batch if match(event)]
                    if not keys:
                        continue
                    found = await reader.store.get_rows(main, keys, columns)
                    rows = [(k, c) for k, c in zip(keys, found, strict=True) if c is not None]
                    types = await reader.types(tables.MAIN)
                    for record in alert_records(rows, types, columns):
                        yield alert_from_record(record.record, record.simbad)
        finally:
            context.subscriptions -= 1
    except GatewayError as exc:
        # the ErrorCodes extension codes an operation's result; a subscription's later
        # results pass it by, so its errors carry their code themselves
        extensions = {"code": exc.code, "requestId": context.request_id}
        raise GraphQLError(exc.message, extensions=extensions) from None


@strawberry.type(description="Live alerts, pushed over WebSocket (graphql-transport-ws).")
class Subscription:
    alerts: AsyncGenerator[Alert, None] = strawberry.subscription(
        resolver=live_alerts,
        description="Each newly stored alert matching `filter`, as soon as it is stored. "
        "A subscriber that falls 1,000 alerts behind is dropped (SLOW_CONSUMER); a connection "
        "and a client address hold a bounded number of subscriptions at once (limits."
        "subscriptions_per_connection, 10, and subscriptions_per_ip, 50, by default: "
        "TOO_MANY_SUBSCRIPTIONS).",
    )
