"""The application's shared objects (`Services`), which make each request's context."""

from __future__ import annotations

from dataclasses import dataclass, field

from fink_gateway.live.bus import MemoryBus
from fink_gateway.live.seats import MemorySeats, SubscriptionSeats
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.loaders.reader import Reader, TypesCache
from fink_gateway.resolvers.context import RequestContext, SharedWork
from fink_gateway.settings import Settings
from fink_gateway.store.interface import Store


@dataclass
class Services:
    """The application's objects shared by every request: store, settings, caches, fit
    workers, Miriade clients, the live alert bus."""

    store: Store
    settings: Settings
    prefix: str
    cache: ResultCache | None
    types: TypesCache = field(default_factory=TypesCache)
    shared: SharedWork = field(default_factory=SharedWork)
    bus: MemoryBus = field(default_factory=MemoryBus)
    seats: SubscriptionSeats = field(default_factory=MemorySeats)

    def new_context(
        self, request_id: str | None = None, client: str = "unknown"
    ) -> RequestContext:
        """A request's (or WebSocket connection's) context; ``client``: its peer address."""
        reader = Reader(self.store, self.prefix, self.types, self.cache)
        context = RequestContext(
            reader, self.settings, shared=self.shared, bus=self.bus, seats=self.seats,
            client=client,
        )  # fmt: skip
        if request_id:
            context.request_id = request_id
        return context
