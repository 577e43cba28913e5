"""Ephemerides of a Solar System object at its light-curve points, from a provider.

Two providers implement :class:`EphemerisProvider`: :class:`StoredEphemerides` reads what
ingest stored from Fink's SSO light-curve file (``<prefix>.sso_ephemerides``, key
``<ssnamenr>_<jd>``), :class:`MiriadeEphemerides` asks IMCCE Miriade (FINK-REFERENCE §9c).
:func:`ephemeris_provider` chains them: stored first, Miriade (when configured) for an object
that has nothing stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from fink_gateway.errors import NotFound
from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import decode_column
from fink_gateway.loaders.ephemeris_values import Ephemerides, EphemerisSource
from fink_gateway.loaders.miriade import MiriadeClient
from fink_gateway.loaders.reader import Reader
from fink_gateway.store.types import ScanRange


class EphemerisProvider(Protocol):
    """Anything that gives an object's ephemerides at given JDs."""

    async def ephemerides(self, ssnamenr: str, jd: np.ndarray) -> Ephemerides | None:
        """Values at each ``jd`` (JD, UTC exposure starts); None when nothing is known."""
        ...


STORED_COLUMNS: dict[str, bytes] = {
    "phase_deg": b"e:Phase",
    "elong_deg": b"e:Elong",
    "dobs_au": b"e:Dobs",
    "dhelio_au": b"e:Dhelio",
    "ra_deg": b"e:RA",
    "dec_deg": b"e:DEC",
}
"""Ephemerides field → column of ``sso_ephemerides`` (doubles, Miriade's names)."""


class StoredEphemerides:
    """Ephemerides stored at ingest, matched to points by their row key (``<ssnamenr>_<jd>``)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader

    async def ephemerides(self, ssnamenr: str, jd: np.ndarray) -> Ephemerides | None:
        columns = list(STORED_COLUMNS.values())
        prefix = f"{ssnamenr}_".encode()
        try:
            (rows,) = await self.reader.scan(
                tables.SSO_EPHEMERIDES, [ScanRange.prefix(prefix)], columns
            )
        except NotFound:  # a Fink HBase without the gateway's table
            return None
        if not rows:
            return None
        by_key = {key: cells for key, cells in rows}
        wanted = [by_key.get(prefix + repr(float(j)).encode(), {}) for j in jd.tolist()]
        values = {
            name: np.asarray(decode_column([c.get(col) for c in wanted], "double"), np.float64)
            for name, col in STORED_COLUMNS.items()
        }
        return Ephemerides(EphemerisSource.STORED, **values)


class MiriadeEphemerides:
    """Ephemerides from IMCCE Miriade (raises UpstreamUnavailable when it cannot be reached)."""

    def __init__(self, client: MiriadeClient) -> None:
        self.client = client

    async def ephemerides(self, ssnamenr: str, jd: np.ndarray) -> Ephemerides | None:
        if not len(jd):
            return None
        return await self.client.ephemerides(ssnamenr, jd)


class FirstAvailable:
    """The first provider that knows the object (asked in order, the next only if needed)."""

    def __init__(self, providers: Sequence[EphemerisProvider]) -> None:
        self.providers = tuple(providers)

    async def ephemerides(self, ssnamenr: str, jd: np.ndarray) -> Ephemerides | None:
        for provider in self.providers:
            found = await provider.ephemerides(ssnamenr, jd)
            if found is not None:
                return found
        return None


class MiriadeClients:
    """One client per Miriade endpoint, whose cache every request shares; one per
    application (``Services.shared.miriade``)."""

    def __init__(self) -> None:
        self._clients: dict[tuple[str, float], MiriadeClient] = {}

    def client(self, url: str, timeout_s: float) -> MiriadeClient:
        found = self._clients.get((url, timeout_s))
        if found is None:
            found = self._clients[(url, timeout_s)] = MiriadeClient(url, timeout_s)
        return found


def ephemeris_provider(
    reader: Reader,
    miriade_url: str = "",
    miriade_timeout_s: float = 30.0,
    clients: MiriadeClients | None = None,
) -> EphemerisProvider:
    """Stored ephemerides, then Miriade at ``miriade_url`` when one is given (its client
    from ``clients``, else a new one)."""
    stored = StoredEphemerides(reader)
    if not miriade_url:
        return stored
    clients = clients if clients is not None else MiriadeClients()
    miriade = MiriadeEphemerides(clients.client(miriade_url, miriade_timeout_s))
    return FirstAvailable([stored, miriade])
