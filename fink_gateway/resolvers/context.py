"""The per-request context resolvers see as ``info.context``: a fresh Reader (DataLoaders,
counters) over the shared store, the settings, and what the application's requests share."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from fink_gateway.errors import QueryTooCostly
from fink_gateway.live.bus import MemoryBus
from fink_gateway.live.seats import MemorySeats, SubscriptionSeats
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.classes import KnownLabelsMemo
from fink_gateway.resolvers.ephemerides import MiriadeClients
from fink_gateway.resolvers.fits import FitPool
from fink_gateway.settings import Settings


@dataclass
class SharedWork:
    """What the requests of one application share besides the store and its cache: fit
    workers, the labels found in the data, Miriade clients."""

    fits: FitPool = field(default_factory=FitPool)
    labels: KnownLabelsMemo = field(default_factory=KnownLabelsMemo)
    miriade: MiriadeClients = field(default_factory=MiriadeClients)


@dataclass
class RequestContext:
    """What resolvers see as ``info.context``."""

    reader: Reader
    settings: Settings
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    shared: SharedWork = field(default_factory=SharedWork)  # given by the application
    fits: int = 0  # expensive fits asked for so far in this request
    bus: MemoryBus | None = None  # live alerts (subscriptions); given by the application
    subscriptions: int = 0  # live subscriptions open on this context's connection
    seats: SubscriptionSeats = field(default_factory=MemorySeats)  # per client address
    client: str = "unknown"  # the peer's address (uvicorn reads forwarded ones if allowed)
    _lsst: Reader | None = None

    @property
    def lsst_reader(self) -> Reader:
        """The reader of the Rubin LSST tables (made on first use, same store counters)."""
        if self._lsst is None:
            self._lsst = self.reader.sibling(self.settings.lsst_table_prefix)
        return self._lsst

    def claim_fit(self) -> None:
        """Count one more fit for this request; QUERY_TOO_COSTLY past the configured limit."""
        cap = self.settings.limits.max_fits_per_request
        self.fits += 1
        if self.fits > cap:
            raise QueryTooCostly(
                f"a query may ask for at most {cap} fits (periods, phase curves); "
                "split it or use fewer objects",
                limit=cap,
            )
