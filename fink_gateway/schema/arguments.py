"""Argument types shared by many fields: date windows, Relay pagination, cones."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from fink_gateway.resolvers import args
from fink_gateway.schema.info import Info
from fink_gateway.schema.scalars import Angle

Since = Annotated[
    str | None,
    strawberry.argument(description="Keep alerts at or after this date (ISO, JD or MJD)."),
]
Until = Annotated[
    str | None,
    strawberry.argument(description="Keep alerts at or before this date (ISO, JD or MJD)."),
]
SinceOrFinkStart = Annotated[
    str | None,
    strawberry.argument(
        description="Alerts at or after this date (ISO, JD or MJD); default 2019-11-01."
    ),
]
UntilOrNow = Annotated[
    str | None,
    strawberry.argument(description="Alerts at or before this date; default now."),
]
First = Annotated[
    int | None, strawberry.argument(description="Page size (default and cap configured).")
]
After = Annotated[str | None, strawberry.argument(description="Cursor to continue after.")]

ConeRa = Annotated[
    Angle,
    strawberry.argument(
        description="Right ascension of the centre (ICRS): degrees (92.4445778) or "
        "sexagesimal hours ('6h09m46.7s', '06:09:46.7'); within [0, 360) deg."
    ),
]
ConeDec = Annotated[
    Angle,
    strawberry.argument(
        description="Declination of the centre (ICRS): degrees (35.5722176) or "
        "sexagesimal ('+35d34m20s', '35:34:20'); within [-90, 90] deg."
    ),
]
ConeRadius = Annotated[
    float,
    strawberry.argument(description="Cone radius, arcsec (> 0; at most 18000 by default)."),
]


def cone_of(info: Info, ra: Angle, dec: Angle, radius: float) -> tuple[float, float, float]:
    """A cone's (ra, dec) in degrees and radius in arcsec, validated (radius capped by
    ``limits.cone_radius_max_arcsec``)."""
    cap = info.context.settings.limits.cone_radius_max_arcsec
    ra_deg = args.right_ascension(cast(float | str, ra))
    dec_deg = args.declination(cast(float | str, dec))
    return ra_deg, dec_deg, args.radius_arcsec(radius, cap)
