"""The query fields of the rest of Fink's routes (FINK-REFERENCE §5.3, §11, §12), one module
per feature: tracklets, name resolution, per-night statistics, anomalies, sky maps."""

from __future__ import annotations

from fink_gateway.schema.anomalies import AnomalyQuery
from fink_gateway.schema.name_match import ResolveQuery
from fink_gateway.schema.night_statistics import StatisticsQuery
from fink_gateway.schema.skymap import SkymapQuery
from fink_gateway.schema.tracklet import TrackletQuery

ARCHIVE_QUERIES: tuple[type, ...] = (
    TrackletQuery, ResolveQuery, StatisticsQuery, AnomalyQuery, SkymapQuery,
)  # fmt: skip
"""Root query parts merged into ``Query`` (schema/build.py)."""
