"""The per-request context: a fresh Reader (DataLoaders, counters) over the shared store."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from fink_gateway.gateway.config import Settings
from fink_gateway.loaders.cache import ResultCache
from fink_gateway.loaders.reader import Reader, TypesCache
from fink_gateway.resolvers.classes import KnownLabelsMemo
from fink_gateway.resolvers.ephemerides import MiriadeClients
from fink_gateway.resolvers.fits import FitPool
from fink_gateway.store.interface import Store


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


@dataclass
class Services:
    """The application's objects shared by every request: store, settings, caches, fit
    workers, Miriade clients."""

    store: Store
    settings: Settings
    prefix: str
    cache: ResultCache | None
    types: TypesCache = field(default_factory=TypesCache)
    shared: SharedWork = field(default_factory=SharedWork)

    def new_context(self, request_id: str | None = None) -> RequestContext:
        reader = Reader(self.store, self.prefix, self.types, self.cache)
        context = RequestContext(reader, self.settings, shared=self.shared)
        if request_id:
            context.request_id = request_id
        return context
