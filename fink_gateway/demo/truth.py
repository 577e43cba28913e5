"""Demo objectIds and what each was generated as.

An objectId is ``ZTF``, the 2-digit year of the first detection and 7 letters that encode its
number bijectively (seeded), so :func:`demo_truth` can recover the unit and its parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fink_gateway.demo.arrays import F64, I64, unix_seconds
from fink_gateway.demo.draws import Draws
from fink_gateway.demo.units import (
    KINDS,
    MAX_SUB,
    VOCAB,
    asteroid_names,
    cdsxmatch_codes,
    period_days,
    unit_kinds,
)

ID_SPACE = 26**7
"""Distinct 7-letter objectId suffixes."""
_ID_MULT = 1_103_515_245  # odd and not a multiple of 13: x → a·x + b is a bijection mod 26^7


def _id_offset(seed: int) -> int:
    return int(Draws(seed).bits(np.array([0]), "id_offset")[0] % np.uint64(ID_SPACE))


def object_ids(seed: int, obj: I64, jd_first: F64) -> pa.Array:
    """``ZTF`` + 2-digit year of the first detection + 7 letters encoding ``obj`` (bijective)."""
    code = obj.astype(np.uint64) * np.uint64(_ID_MULT) + np.uint64(_id_offset(seed))
    code %= np.uint64(ID_SPACE)
    seconds = unix_seconds(jd_first).astype("datetime64[s]")
    year = seconds.astype("datetime64[Y]").astype(np.int64) + 1970
    chars = np.empty((len(obj), 12), dtype=np.uint8)
    chars[:, :3] = np.frombuffer(b"ZTF", dtype=np.uint8)
    chars[:, 3] = ord("0") + (year // 10) % 10
    chars[:, 4] = ord("0") + year % 10
    for i in range(7):
        chars[:, 11 - i] = ord("a") + (code % np.uint64(26)).astype(np.uint8)
        code //= np.uint64(26)
    return pa.array(chars.view("S12").ravel()).cast(pa.string())


def _decode_object_id(object_id: str, seed: int) -> int:
    if not re.fullmatch(r"ZTF\d{2}[a-z]{7}", object_id):
        raise ValueError(f"not a demo objectId: {object_id!r}")
    code = 0
    for char in object_id[5:]:
        code = code * 26 + (ord(char) - ord("a"))
    return ((code - _id_offset(seed)) * pow(_ID_MULT, -1, ID_SPACE)) % ID_SPACE


@dataclass(frozen=True, slots=True)
class DemoTruth:
    """What a demo objectId was generated as.

    ``period_days``: true period (days) of ``variable`` units, else None. ``cdsxmatch``: the
    SIMBAD label of its alerts. ``ssnamenr``: the asteroid name of ``asteroid`` units.
    """

    object_id: str
    kind: str
    unit: int
    period_days: float | None
    cdsxmatch: str
    ssnamenr: str | None


def demo_truth(object_id: str, seed: int = 0) -> DemoTruth:
    """The generating parameters of a demo objectId made with ``seed``."""
    unit = np.array([_decode_object_id(object_id, seed) // MAX_SUB], dtype=np.int64)
    d = Draws(seed)
    kinds = unit_kinds(d, unit)
    kind = KINDS[int(kinds[0])]
    return DemoTruth(
        object_id=object_id,
        kind=kind,
        unit=int(unit[0]),
        period_days=float(period_days(d, unit)[0]) if kind == "variable" else None,
        cdsxmatch=VOCAB[int(cdsxmatch_codes(d, unit, kinds)[0])],
        ssnamenr=str(asteroid_names(d, unit)[0]) if kind == "asteroid" else None,
    )
