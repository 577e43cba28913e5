"""Array aliases and small numpy → pyarrow helpers shared by the demo modules.

``F64``, ``I64``, ``Bool`` and ``Index`` type per-epoch numpy values; :data:`Columns` holds
per-epoch candidate fields by name. JD are Julian dates (UTC).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]
Index = npt.NDArray[np.intp]

Columns = dict[str, np.ndarray | pa.Array]
"""Per-epoch candidate fields: numpy arrays, or pyarrow arrays for text."""


def unix_seconds(jd: F64) -> I64:
    """Whole seconds since 1970-01-01 UTC of each JD."""
    return np.round((np.asarray(jd) - 2440587.5) * 86400.0).astype(np.int64)


def text(values: npt.ArrayLike, width: int = 0) -> pa.Array:
    """Integers as decimal text, zero-padded to ``width``."""
    text = pc.cast(pa.array(np.asarray(values)), pa.string())
    return pc.utf8_lpad(text, width, "0") if width else text


def const(value: str, n: int) -> pa.Array:
    """``n`` copies of the string ``value``."""
    return pa.array([value]).take(pa.array(np.zeros(n, dtype=np.int64)))
