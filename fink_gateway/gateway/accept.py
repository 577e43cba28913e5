"""An HTTP ``Accept`` header as (media type, quality) pairs, in the client's order."""

from __future__ import annotations


def accepted_media(accept: str) -> list[tuple[str, float]]:
    """``(media type in lower case, q-value)`` of each item; a malformed q counts as 0.

    >>> accepted_media("text/csv, application/json;q=0.5")
    [('text/csv', 1.0), ('application/json', 0.5)]
    """
    out = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media.lower(), q))
    return out
