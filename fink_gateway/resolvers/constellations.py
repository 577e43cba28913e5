"""Constellations of alert positions, computed for every alert of a request tick at once.

astropy's ``get_constellation`` costs ~15 ms per call whatever the number of positions, so a
page of alerts asks through one DataLoader: one call per tick instead of one per alert.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from strawberry.dataloader import DataLoader

from fink_gateway.loaders.reader import Reader
from fink_gateway.science.coords import constellations

Position = tuple[float, float]


async def _load(positions: Sequence[Position]) -> list[str | None]:
    ras = np.array([p[0] for p in positions], dtype=np.float64)
    decs = np.array([p[1] for p in positions], dtype=np.float64)
    return list(constellations(ras, decs))


async def constellation_of(reader: Reader, ra_deg: float, dec_deg: float) -> str | None:
    """The constellation (full name) of an ICRS position (deg), batched per request tick."""
    loader: DataLoader[Position, str | None] = reader.loader(
        "constellations", lambda: DataLoader(load_fn=_load)
    )
    return await loader.load((float(ra_deg), float(dec_deg)))
