"""Which stored alerts a subscription wants (pure: no I/O). Every condition given must hold;
none given matches every alert."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fink_gateway.live.events import AlertEvent


@dataclass(frozen=True)
class AlertMatch:
    """``labels``: any of these (Fink class, SIMBAD type, ``(TNS) <type>``); ``cone``: (ra,
    dec) in deg and a radius in arcsec; ``magpsf_min``/``magpsf_max`` in mag (inclusive);
    ``object_ids``: any of these objects."""

    labels: frozenset[str] = frozenset()
    cone: tuple[float, float, float] | None = None
    magpsf_min: float | None = None
    magpsf_max: float | None = None
    object_ids: frozenset[str] = frozenset()

    def __call__(self, event: AlertEvent) -> bool:
        if self.object_ids and event.object_id not in self.object_ids:
            return False
        if self.labels and not self.labels.intersection(event.labels):
            return False
        if self.magpsf_min is not None or self.magpsf_max is not None:
            if event.magpsf is None:
                return False
            if self.magpsf_min is not None and event.magpsf < self.magpsf_min:
                return False
            if self.magpsf_max is not None and event.magpsf > self.magpsf_max:
                return False
        if self.cone is not None:
            ra_deg, dec_deg, radius_arcsec = self.cone
            if _separation_deg(ra_deg, dec_deg, event.ra_deg, event.dec_deg) * 3600 > radius_arcsec:
                return False
        return True


def _separation_deg(ra1_deg: float, dec1_deg: float, ra2_deg: float, dec2_deg: float) -> float:
    """Angular distance (deg), Vincenty's formula (exact at every distance, like astropy's);
    per event, where astropy's SkyCoord would cost a millisecond."""
    ra1, dec1, ra2, dec2 = map(math.radians, (ra1_deg, dec1_deg, ra2_deg, dec2_deg))
    delta = ra2 - ra1
    num = math.hypot(
        math.cos(dec2) * math.sin(delta),
        math.cos(dec1) * math.sin(dec2) - math.sin(dec1) * math.cos(dec2) * math.cos(delta),
    )
    den = math.sin(dec1) * math.sin(dec2) + math.cos(dec1) * math.cos(dec2) * math.cos(delta)
    return math.degrees(math.atan2(num, den))
