"""One pool of fit workers for every in-process test, stopped at the end of the session
(each ``Services`` would otherwise start worker processes of its own)."""

from fink_gateway.resolvers.context import SharedWork
from fink_gateway.resolvers.fits import FitPool

SHARED_FITS = FitPool()


def shared_work() -> SharedWork:
    """An application's shared work whose fits run in :data:`SHARED_FITS`."""
    return SharedWork(fits=SHARED_FITS)
