"""``anomalies``: Fink's most anomalous alerts (FINK-REFERENCE §11), newest first, as a
connection."""

from __future__ import annotations

import strawberry

from fink_gateway.resolvers import anomalies as anomaly_search
from fink_gateway.resolvers import args
from fink_gateway.resolvers.columns import columns_for_fields
from fink_gateway.resolvers.selection import field_selection
from fink_gateway.schema.arguments import After, First, SinceOrFinkStart, UntilOrNow
from fink_gateway.schema.fields import resolver_field
from fink_gateway.schema.info import Info, selected_fields
from fink_gateway.schema.pagination import AlertConnection, keyset_connection


@strawberry.type
class AnomalyQuery:
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
