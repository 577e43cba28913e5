"""Fink's cell encoding (FINK-REFERENCE §2): Spark type name ↔ HBase bytes.

integer → 4-byte big-endian two's complement, long → 8 bytes, float → IEEE binary32 BE,
double → binary64 BE, string → UTF-8, boolean → the text ``true``/``false``.
Decoding is driven by a table's schema row (``fam:qual`` → type name).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping

import numpy as np

_FIXED = {"integer": ">i4", "long": ">i8", "float": ">f4", "double": ">f8", "short": ">i2"}
_STRUCT = {"integer": ">i", "long": ">q", "float": ">f", "double": ">d", "short": ">h"}


def encode_value(value: object, type_: str) -> bytes:
    """Bytes of one value of Spark type ``type_`` as Fink's connector writes them."""
    if type_ in _STRUCT:
        # the value of a numeric column is a number (or its text), typed object
        if type_ in ("float", "double"):
            return struct.pack(_STRUCT[type_], float(value))  # type: ignore[arg-type]
        return struct.pack(_STRUCT[type_], int(value))  # type: ignore[call-overload]
    if type_ == "boolean":
        return b"true" if value else b"false"
    if isinstance(value, bytes):
        return value
    return str(value).encode()


def encode_array(values: np.ndarray, type_: str) -> list[bytes]:
    """Encode a numeric numpy array in one pass (no nulls; mask them out before)."""
    width = np.dtype(_FIXED[type_]).itemsize
    raw = np.ascontiguousarray(values.astype(_FIXED[type_])).view(f"V{width}")
    return [bytes(v) for v in raw.tolist()]


def float32_value(raw: bytes) -> float:
    """A binary32 cell as the float64 of its shortest text (what Fink's API returns, §2)."""
    return float(str(np.float32(struct.unpack(">f", raw)[0])))


def _decode_str(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _decode_bool(raw: bytes) -> bool | str:
    if raw == b"true":
        return True
    if raw == b"false":
        return False
    if len(raw) == 1:  # older connectors wrote one byte (0xFF / 0x00), §2 UNSURE
        return raw != b"\x00"
    return _decode_str(raw)


DECODERS: dict[str, Callable[[bytes], object]] = {
    "integer": lambda b: struct.unpack(">i", b)[0],
    "long": lambda b: struct.unpack(">q", b)[0],
    "short": lambda b: struct.unpack(">h", b)[0],
    "float": float32_value,
    "double": lambda b: struct.unpack(">d", b)[0],
    "string": _decode_str,
    "boolean": _decode_bool,
}


def decode_value(raw: bytes, type_: str | None) -> object:
    """Decode one cell; unknown types and columns absent from the schema decode as text."""
    decoder = DECODERS.get(type_ or "string", _decode_str)
    try:
        return decoder(raw)
    except struct.error:
        return _decode_str(raw)


def decode_cells(cells: Mapping[bytes, bytes], schema: Mapping[bytes, str]) -> dict[str, object]:
    """Decode a row's cells into ``{"fam:qual": value}`` using a schema row's types."""
    return {col.decode(): decode_value(raw, schema.get(col)) for col, raw in cells.items()}
