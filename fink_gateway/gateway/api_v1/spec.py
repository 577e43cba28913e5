"""How a route is declared: its arguments, what it answers, and the columns of its records.
The router serves these declarations and ``/api/v1/openapi.json`` describes them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from starlette.responses import Response

from fink_gateway.gateway.api_v1.call import ApiCall


@dataclass(frozen=True)
class Param:
    """One argument, by Fink's name; ``kind`` is its OpenAPI type."""

    name: str
    description: str
    kind: str = "string"
    required: bool = False
    default: object = None
    example: object = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordColumn:
    """A column of a route's records: Fink's name, stored type, unit, meaning."""

    name: str
    type: str
    description: str
    unit: str | None = None


@dataclass(frozen=True)
class ApiRoute:
    """A route ``/api/v1/<name>``: ``summary`` is Fink's one-line description (the answer of
    a GET without arguments), ``notes`` how the gateway differs from Fink, ``records`` the
    columns of its answer (None when it is not a table)."""

    name: str
    summary: str
    params: tuple[Param, ...]
    answer: Callable[[ApiCall], Awaitable[Response]]
    notes: str = ""
    records: Callable[[], Sequence[RecordColumn]] | None = None
    media_types: tuple[str, ...] = field(default=("application/json",))


OUTPUT_FORMAT = Param(
    "output-format", "Output format among json[default], csv, parquet, votable.",
    choices=("json", "csv", "parquet", "votable"), default="json",
)  # fmt: skip
COLUMNS = Param(
    "columns",
    "Comma-separated data columns to transfer, e.g. 'i:magpsf,i:jd'. If not specified, "
    "transfer all columns (and the v: columns computed from them).",
    example="i:jd,i:magpsf,i:fid",
)
TABLE_MEDIA_TYPES = (
    "application/json", "text/csv", "application/vnd.apache.parquet",
    "application/x-votable+xml",
)  # fmt: skip
