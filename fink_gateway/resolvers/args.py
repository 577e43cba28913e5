"""Validation of query arguments: every check raises a coded :class:`InvalidArgument`.

Positions arrive in degrees or sexagesimal text, radii in arcsec, dates as ISO 8601 text,
Julian Dates or Modified Julian Dates; everything leaves here in degrees and JD.
"""

from __future__ import annotations

import base64
import math
import re
from datetime import UTC, datetime

from astropy import units as u
from astropy.coordinates import Angle
from astropy.time import Time

from fink_gateway.errors import InvalidArgument
from fink_gateway.science.times import MJD_OFFSET
from fink_gateway.settings import LimitSettings

OBJECT_ID = re.compile(r"ZTF\d{2}[a-z]{7}\Z")
_JD_MIN = 2400000.0  # numbers at least this large are JDs, smaller ones MJDs (Fink's rule)


def object_id(value: str) -> str:
    """A ZTF object identifier, ``ZTF`` + 2-digit year + 7 lowercase letters."""
    if not OBJECT_ID.match(value):
        raise InvalidArgument(
            f"malformed objectId {value!r}: expected ZTF + 2 digits + 7 lowercase letters, "
            "e.g. ZTF21abfmbix",
            argument="objectId",
            value=value,
        )
    return value


def object_ids(values: list[str], cap: int) -> list[str]:
    """Distinct valid ids in their first order; at most ``cap`` of them."""
    if len(values) > cap:
        raise InvalidArgument(
            f"too many objectIds: {len(values)} given, at most {cap} per query",
            argument="objectIds",
        )
    return list(dict.fromkeys(object_id(v) for v in values))


def right_ascension(value: float | str) -> float:
    """RA in degrees from a number (deg) or text: ``92.44``, ``6h09m46.7s``, ``06:09:46.7``.

    Text with ``h`` or ``:`` or spaces is in hours; must lie in [0, 360).
    """
    ra = _angle(value, "ra", hours=True)
    if not 0.0 <= ra < 360.0:
        raise InvalidArgument(f"ra {ra} is outside [0, 360) degrees", argument="ra", value=value)
    return ra


def declination(value: float | str) -> float:
    """Dec in degrees from a number or text (``+35d34m20s``, ``35:34:20``); within [−90, 90]."""
    dec = _angle(value, "dec", hours=False)
    if not -90.0 <= dec <= 90.0:
        raise InvalidArgument(
            f"dec {dec} is outside [-90, 90] degrees", argument="dec", value=value
        )
    return dec


def _angle(value: float | str, name: str, *, hours: bool) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            try:
                sexagesimal = hours and (":" in text or " " in text) and "d" not in text
                unit = u.hourangle if sexagesimal or "h" in text else u.deg
                number = float(Angle(text, unit=unit).deg)
            except (ValueError, u.UnitsError, TypeError):
                raise InvalidArgument(
                    f"{name} {value!r} is neither degrees nor a sexagesimal angle",
                    argument=name,
                    value=value,
                ) from None
    if not math.isfinite(number):
        raise InvalidArgument(f"{name} must be finite", argument=name, value=value)
    return number


def radius_arcsec(value: float, cap_arcsec: float) -> float:
    """A cone radius in arcsec, in (0, cap]."""
    if not math.isfinite(value) or value <= 0 or value > cap_arcsec:
        raise InvalidArgument(
            f"radius {value} arcsec must be > 0 and at most {cap_arcsec:g} arcsec",
            argument="radius",
            value=value,
        )
    return float(value)


def julian_date(value: str | float, name: str) -> float:
    """A date as JD: ISO 8601 text (UTC), a JD (≥ 2400000) or an MJD (smaller numbers)."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        try:
            return float(Time(text, format="isot" if "T" in text else None, scale="utc").jd)
        except (ValueError, TypeError):
            raise InvalidArgument(
                f"{name} {value!r} is not a date: use ISO 8601 (2025-01-14 or "
                "2025-01-14T08:00:00), a Julian Date or a Modified Julian Date",
                argument=name,
                value=value,
            ) from None
    if not math.isfinite(number):
        raise InvalidArgument(f"{name} must be finite", argument=name, value=value)
    return number if number >= _JD_MIN else number + MJD_OFFSET


def date_window(since: str | None, until: str | None) -> tuple[float | None, float | None]:
    """(since JD, until JD), either None when absent; since must not be after until."""
    start = julian_date(since, "since") if since is not None else None
    stop = julian_date(until, "until") if until is not None else None
    if start is not None and stop is not None and start > stop:
        raise InvalidArgument(
            f"since ({since}) is after until ({until})", argument="since", value=since
        )
    return start, stop


def now_jd() -> float:
    """The current time as a JD (UTC)."""
    return float(Time(datetime.now(UTC)).jd)


def page_size(first: int | None, default: int, cap: int) -> int:
    """``first`` or the default; within [0, cap]."""
    size = default if first is None else first
    if size < 0 or size > cap:
        raise InvalidArgument(
            f"first must be between 0 and {cap}, got {size}", argument="first", value=first
        )
    return size


def encode_cursor(kind: str, value: str) -> str:
    """An opaque, stable cursor naming a position (e.g. a row key) in a list."""
    return base64.urlsafe_b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(cursor: str | None, kind: str) -> str | None:
    """The position a cursor of ``kind`` names; InvalidArgument when it is not one."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    prefix = kind + ":"
    if not text.startswith(prefix):
        raise InvalidArgument(f"invalid cursor {cursor!r}", argument="after", value=cursor)
    return text[len(prefix) :]


def cursor_jd(after: str | None) -> float | None:
    """The JD an ``after`` cursor of an alert page names (None: start from the newest).

    A cursor of the right kind that holds no finite JD is invalid too.
    """
    position = decode_cursor(after, "jd")
    if position is None:
        return None
    try:
        jd = float(position)
    except ValueError:
        jd = math.nan
    if not math.isfinite(jd):
        raise InvalidArgument(f"invalid cursor {after!r}", argument="after", value=after)
    return jd


def alert_page_window(
    limits: LimitSettings,
    first: int | None,
    after: str | None,
    since: str | None,
    until: str | None,
) -> tuple[int, float | None, float | None, float | None]:
    """(page size, since JD, until JD, after-cursor JD) of a newest-first alert page."""
    size = page_size(first, limits.first_default, limits.first_max)
    start, stop = date_window(since, until)
    return size, start, stop, cursor_jd(after)
