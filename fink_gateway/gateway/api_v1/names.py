"""The ``/api/v1`` routes the gateway answers (for the router, its docs and the metrics)."""

from __future__ import annotations

PREFIX = "/api/v1"

ROUTE_NAMES = (
    "objects", "conesearch", "latests", "sso", "cutouts", "classes", "schema", "resolver",
    "statistics", "anomaly", "tracklet", "skymap",
)  # fmt: skip
