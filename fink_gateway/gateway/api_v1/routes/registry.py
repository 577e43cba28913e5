"""Every route the gateway serves under ``/api/v1``, in Fink's documentation order."""

from __future__ import annotations

from fink_gateway.gateway.api_v1.routes import (
    anomaly,
    classes,
    conesearch,
    cutouts,
    latests,
    objects,
    resolver,
    schema,
    skymap,
    sso,
    statistics,
    tracklet,
)
from fink_gateway.gateway.api_v1.spec import ApiRoute

ROUTES: tuple[ApiRoute, ...] = (
    objects.ROUTE, conesearch.ROUTE, latests.ROUTE, sso.ROUTE, cutouts.ROUTE, classes.ROUTE,
    schema.ROUTE, resolver.ROUTE, statistics.ROUTE, anomaly.ROUTE, tracklet.ROUTE, skymap.ROUTE,
)  # fmt: skip
