"""IMCCE Miriade ``ephemcc``: ephemerides of a Solar System object at ZTF epochs (§9c).

Building the request (:func:`miriade_request`) and reading the reply (:func:`parse_reply`)
are pure. :class:`MiriadeClient` sends the request as Fink does (a POST with the epochs as a
multipart file), under a timeout, keeps replies in a bounded in-process cache (ephemerides at
given epochs do not change) and turns every failure to get an answer into
:class:`~fink_gateway.errors.UpstreamUnavailable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import numpy.typing as npt
from astropy import units as u
from astropy.coordinates import Angle
from cachetools import TTLCache

from fink_gateway.errors import UpstreamUnavailable
from fink_gateway.loaders.ephemeris_values import Ephemerides, EphemerisSource

MIRIADE_URL = "https://ssp.imcce.fr/webservices/miriade/api/ephemcc.php"
"""Fink's endpoint (FINK-REFERENCE §9c)."""
ZTF_OBSERVER = "I41"
"""IAU code of ZTF at Palomar."""
EXPOSURE_SHIFT_S = 15.0
"""Added to each JD: half of ZTF's 30 s exposure, so that epochs are mid-exposure (s)."""
_DATE_TOLERANCE_DAYS = 1e-5  # ~0.9 s: epochs are sent with 6 decimals (0.09 s)


@dataclass(frozen=True)
class MiriadeRequest:
    """Query parameters and the ``epochs`` file (one JD per line) of one ephemcc call."""

    params: dict[str, str]
    epochs: str


def target_name(ssnamenr: str) -> str:
    """Miriade's target: ``c:`` for comets (``…P``, ``C/…``), ``a:`` for asteroids."""
    kind = "c" if ssnamenr.endswith("P") or ssnamenr.startswith("C/") else "a"
    return f"{kind}:{ssnamenr}"


def shifted_epochs(
    jd: Sequence[float] | np.ndarray, shift_s: float = EXPOSURE_SHIFT_S
) -> np.ndarray:
    """The epochs sent for these JDs: JD + ``shift_s`` seconds, rounded as sent (6 decimals)."""
    return np.round(np.asarray(jd, dtype=np.float64) + shift_s / 86400.0, 6)


def miriade_request(
    ssnamenr: str,
    jd: Sequence[float] | np.ndarray,
    *,
    observer: str = ZTF_OBSERVER,
    shift_s: float = EXPOSURE_SHIFT_S,
) -> MiriadeRequest:
    """The ephemcc request Fink sends for ``ssnamenr`` at exposure starts ``jd`` (JD, UTC):
    equatorial plane, observation-dedicated coordinates, JSON, epochs shifted by ``shift_s``."""
    params = {
        "-name": target_name(ssnamenr),
        "-mime": "json",
        "-rplane": "1",
        "-tcoor": "5",
        "-output": "--jd,--colors(SDSS:r,SDSS:g),--iofile(ephemcc-photom.xml)",
        "-observer": observer,
        "-tscale": "UTC",
        "-from": "fink-gateway",
    }
    epochs = "\n".join(f"{e:.6f}" for e in shifted_epochs(jd, shift_s).tolist())
    return MiriadeRequest(params, epochs)


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return number if math.isfinite(number) else math.nan


def _angle(value: Any, unit: u.UnitBase) -> float:
    """Degrees from a number (deg) or sexagesimal text in ``unit`` (Miriade's RA is hours)."""
    if isinstance(value, str):
        try:
            return float(Angle(value, unit=unit).deg)
        except (ValueError, u.UnitsError):
            return math.nan
    return _number(value)


def _nearest_rows(dates: np.ndarray, epochs: np.ndarray) -> np.ndarray:
    """Index of the row dated within the tolerance of each epoch, or -1."""
    order = np.argsort(dates)
    ordered = dates[order]
    position = np.searchsorted(ordered, epochs)
    best = np.full(len(epochs), -1)
    best_gap = np.full(len(epochs), np.inf)
    for candidate in (position - 1, position):
        inside = (candidate >= 0) & (candidate < len(ordered))
        index = np.clip(candidate, 0, len(ordered) - 1)
        gap = np.where(inside, np.abs(ordered[index] - epochs), np.inf)
        better = gap < best_gap
        best = np.where(better, order[index], best)
        best_gap = np.where(better, gap, best_gap)
    return np.where(best_gap <= _DATE_TOLERANCE_DAYS, best, -1)


def parse_reply(
    payload: Any, jd: Sequence[float] | np.ndarray, shift_s: float = EXPOSURE_SHIFT_S
) -> Ephemerides | None:
    """Values of a JSON reply aligned with ``jd``; None when it holds no ephemerides.

    Rows are matched to epochs by their ``Date`` (JD); a reply without dates is matched by
    position when it has one row per epoch. ``RA``/``DEC`` may be sexagesimal text (hours /
    degrees, as Miriade writes them) or degrees; ``Elong.`` is also read as ``Elong``.
    """
    rows = payload.get("data") if isinstance(payload, Mapping) else None
    if not isinstance(rows, list) or not rows or not all(isinstance(r, Mapping) for r in rows):
        return None
    epochs = shifted_epochs(jd, shift_s)
    dates = np.array([_number(r.get("Date")) for r in rows])
    where: npt.NDArray[np.intp]  # the row of each epoch
    if np.isfinite(dates).all():
        where = _nearest_rows(dates, epochs)
    elif len(rows) == len(epochs):
        where = np.arange(len(epochs))
    else:
        where = np.full(len(epochs), -1)

    def column(read: Any) -> np.ndarray:
        values = np.array([read(r) for r in rows] + [math.nan], dtype=np.float64)
        return values[where]  # -1 picks the trailing NaN

    return Ephemerides(
        EphemerisSource.MIRIADE,
        phase_deg=column(lambda r: _number(r.get("Phase"))),
        elong_deg=column(lambda r: _number(r.get("Elong.", r.get("Elong")))),
        dobs_au=column(lambda r: _number(r.get("Dobs"))),
        dhelio_au=column(lambda r: _number(r.get("Dhelio"))),
        ra_deg=column(lambda r: _angle(r.get("RA"), u.hourangle)),
        dec_deg=column(lambda r: _angle(r.get("DEC"), u.deg)),
    )


class MiriadeClient:
    """Asks Miriade, with a timeout and a bounded, expiring cache of answers (None included).

    ``transport`` replaces httpx's network transport (tests).
    """

    def __init__(
        self,
        url: str = MIRIADE_URL,
        timeout_s: float = 30.0,
        *,
        cache_size: int = 512,
        ttl_s: float = 86400.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.timeout_s = timeout_s
        self.calls = 0  # requests actually sent (tests, telemetry)
        self._cache: TTLCache[str, Ephemerides | None] = TTLCache(cache_size, ttl_s)
        self._transport = transport
        self._pending: dict[str, asyncio.Future[Ephemerides | None]] = {}

    async def ephemerides(
        self, ssnamenr: str, jd: Sequence[float] | np.ndarray
    ) -> Ephemerides | None:
        """Ephemerides at ``jd`` (JD, exposure starts); None when Miriade has none.

        Raises
        ------
        UpstreamUnavailable
            Miriade could not be reached, timed out, or answered with an error or non-JSON.
        """
        request = miriade_request(ssnamenr, jd)
        key = hashlib.blake2b(
            f"{request.params['-name']}|{request.epochs}".encode(), digest_size=16
        ).hexdigest()
        with contextlib.suppress(KeyError):  # absent or expired
            return self._cache[key]
        pending = self._pending.get(key)
        if pending is None:  # identical concurrent asks share one call
            pending = asyncio.ensure_future(self._fetch(request, jd))
            self._pending[key] = pending
            pending.add_done_callback(lambda done: self._keep(key, done))
        return await asyncio.shield(pending)

    def _keep(self, key: str, done: asyncio.Future[Ephemerides | None]) -> None:
        self._pending.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            return  # failures are not cached: the next ask tries again
        self._cache[key] = done.result()

    async def _fetch(
        self, request: MiriadeRequest, jd: Sequence[float] | np.ndarray
    ) -> Ephemerides | None:
        self.calls += 1
        try:
            async with (
                asyncio.timeout(self.timeout_s),
                httpx.AsyncClient(timeout=self.timeout_s, transport=self._transport) as client,
            ):
                response = await client.post(
                    self.url, params=request.params, files={"epochs": ("epochs", request.epochs)}
                )
        except (TimeoutError, httpx.TimeoutException):
            raise self._unavailable(f"did not answer within {self.timeout_s:g} s") from None
        except (httpx.HTTPError, OSError) as error:
            raise self._unavailable(f"could not be reached ({type(error).__name__})") from None
        if response.status_code != 200:
            raise self._unavailable(f"answered HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            raise self._unavailable("answered something that is not JSON") from None
        return parse_reply(payload, jd)

    def _unavailable(self, reason: str) -> UpstreamUnavailable:
        return UpstreamUnavailable(
            f"IMCCE Miriade ({self.url}) {reason}; ephemerides are unavailable",
            service="miriade",
            url=self.url,
        )
