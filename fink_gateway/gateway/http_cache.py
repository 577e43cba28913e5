"""``Cache-Control`` of GraphQL responses: GET answers without errors may be kept by shared
HTTP caches for ``cache.ttl_seconds`` (ingest is seen after at most that long); everything
else is ``no-store``."""

from __future__ import annotations

from strawberry.types import ExecutionResult


def cache_headers(method: str, result: ExecutionResult, max_age_s: int) -> dict[str, str]:
    """The caching headers of the response to one GraphQL request."""
    if method == "GET" and max_age_s > 0 and result.data is not None and not result.errors:
        # the media type is negotiated on Accept: caches must keep one answer per Accept
        return {"cache-control": f"public, max-age={max_age_s}", "vary": "Accept"}
    return {"cache-control": "no-store"}
