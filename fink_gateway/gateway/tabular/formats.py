"""The tabular formats a client may ask for, by ``Accept`` header or ``?format=``."""

from __future__ import annotations

from enum import Enum

from fink_gateway.errors import InvalidArgument
from fink_gateway.gateway.accept import accepted_media


class TabularFormat(Enum):
    """A table encoding, by its short name (``?format=csv``)."""

    CSV = "csv"
    PARQUET = "parquet"
    VOTABLE = "votable"

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` of an answer in this format."""
        return MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        """File name extension, for ``Content-Disposition``."""
        return {"csv": "csv", "parquet": "parquet", "votable": "vot"}[self.value]


MEDIA_TYPES = {
    TabularFormat.CSV: "text/csv",
    TabularFormat.PARQUET: "application/vnd.apache.parquet",
    TabularFormat.VOTABLE: "application/x-votable+xml",
}
_BY_MEDIA_TYPE = {media: fmt for fmt, media in MEDIA_TYPES.items()}
_JSON_NAMES = ("json",)


def format_named(name: str) -> TabularFormat | None:
    """The format of a ``?format=`` value (None for ``json``); an unknown name is refused.

    >>> format_named("Parquet")
    <TabularFormat.PARQUET: 'parquet'>
    """
    name = name.strip().lower()
    if name in _JSON_NAMES:
        return None
    try:
        return TabularFormat(name)
    except ValueError:
        allowed = ", ".join(["json", *(f.value for f in TabularFormat)])
        raise InvalidArgument(f"unknown format {name!r}: one of {allowed}", format=name) from None


def format_accepted(accept: str) -> TabularFormat | None:
    """The tabular format an ``Accept`` header prefers (highest q-value, first on a tie), or
    None when a JSON type (or nothing tabular) ranks first.

    >>> format_accepted("text/csv, application/json;q=0.5")
    <TabularFormat.CSV: 'csv'>
    >>> format_accepted("application/json, text/csv") is None
    True
    """
    best: TabularFormat | None = None
    best_q = 0.0
    for media, q in accepted_media(accept):
        if media in _BY_MEDIA_TYPE and q > best_q:
            best, best_q = _BY_MEDIA_TYPE[media], q
        elif media.startswith("application/") and "json" in media and q > best_q:
            best, best_q = None, q
    return best


def requested_format(format_param: str | None, accept: str) -> TabularFormat | None:
    """``?format=`` when given, else the ``Accept`` header's choice; None means JSON."""
    if format_param is not None:
        return format_named(format_param)
    return format_accepted(accept)
