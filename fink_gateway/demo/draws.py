"""Counter-based random numbers: each draw is a pure function of ``(seed, name, key)``.

A splitmix64 hash of the key, salted by the seed and the CRC-32 of the name, so values do not
depend on how many draws came before or on batching.
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt

from fink_gateway.demo.arrays import F64, I64

MASK64 = (1 << 64) - 1
"""Seeds are taken modulo 2^64."""
_GOLDEN = 0x9E3779B97F4A7C15


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser (Steele, Lea & Flood 2014), elementwise on uint64."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class Draws:
    """Random draws that are pure functions of ``(seed, name, key)``."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed) & MASK64

    def bits(self, key: npt.ArrayLike, name: str) -> npt.NDArray[np.uint64]:
        salt = (self.seed * _GOLDEN + zlib.crc32(name.encode()) * 0xD6E8FEB86659FD93) & MASK64
        keys = np.asarray(key, dtype=np.int64).astype(np.uint64)
        return _mix(_mix(keys ^ np.uint64(salt)) + np.uint64(_GOLDEN))

    def uniform(self, key: npt.ArrayLike, name: str, low: float = 0.0, high: float = 1.0) -> F64:
        unit = (self.bits(key, name) >> np.uint64(11)).astype(np.float64) * 2.0**-53
        return low + (high - low) * unit

    def normal(self, key: npt.ArrayLike, name: str) -> F64:
        """Standard normal (Box–Muller)."""
        u1 = self.uniform(key, name + "#1")
        u2 = self.uniform(key, name + "#2")
        return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)

    def integers(self, key: npt.ArrayLike, name: str, low: int, high: int) -> I64:
        """Integers in [low, high]."""
        span = np.uint64(high - low + 1)
        return low + (self.bits(key, name) % span).astype(np.int64)

    def choice(self, key: npt.ArrayLike, name: str, weights: tuple[float, ...]) -> I64:
        """Index into ``weights``, drawn with those relative weights."""
        cumulative = np.cumsum(weights) / np.sum(weights)
        picks = np.searchsorted(cumulative, self.uniform(key, name), side="right")
        return np.minimum(picks, len(weights) - 1).astype(np.int64)
