"""Ragged groups as flat numpy arrays: expanding counts, gathering runs of indices."""

from __future__ import annotations

import numpy as np

from fink_gateway.demo.arrays import I64


def expand(counts: I64) -> tuple[I64, I64]:
    """(owner, position) of each item of groups of the given sizes."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(len(owner)) - first


def runs(starts: I64, lengths: I64) -> I64:
    """The indices ``starts[i] … starts[i] + lengths[i] − 1`` of every run, concatenated."""
    owner, position = expand(lengths)
    return np.asarray(starts, dtype=np.int64)[owner] + position
