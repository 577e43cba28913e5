"""Whole-column cell encoding (FINK-REFERENCE §2), vectorised with numpy and pyarrow."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_BIG_ENDIAN = {"integer": ">i4", "long": ">i8", "float": ">f4", "double": ">f8", "short": ">i2"}


def encode_column(array: pa.Array, type_: str) -> pa.Array:
    """Encode every value of a typed column; nulls stay null (no cell).

    Numbers become ``fixed_size_binary`` big-endian values, strings their UTF-8 bytes,
    booleans the text ``true``/``false``.
    """
    if type_ in _BIG_ENDIAN:
        dtype = np.dtype(_BIG_ENDIAN[type_])
        values = array.fill_null(0).to_numpy(zero_copy_only=False).astype(dtype)
        validity = _validity_from_mask(array.is_valid()) if array.null_count else None
        data = pa.py_buffer(np.ascontiguousarray(values).tobytes())
        return pa.FixedSizeBinaryArray.from_buffers(
            pa.binary(dtype.itemsize), len(array), [validity, data]
        )
    if type_ == "boolean":
        return pc.if_else(array, pa.scalar(b"true"), pa.scalar(b"false"))
    return array.cast(pa.binary())


def _validity_from_mask(valid: pa.Array) -> pa.Buffer:
    bits = np.packbits(valid.to_numpy(zero_copy_only=False).astype(np.uint8), bitorder="little")
    return pa.py_buffer(bits.tobytes())


def jd_text(jd: np.ndarray) -> list[str]:
    """JDs as Java ``Double.toString`` text (Python ``repr``), as Fink's row keys hold them."""
    return [repr(float(x)) for x in jd.tolist()]
