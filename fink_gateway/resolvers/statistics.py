"""Per-night statistics (FINK-REFERENCE §11): rows of ``statistics_class``, key
``ztf_<YYYYMMDD>``, read with one prefix scan on ``ztf_<date>``.

Family ``basic`` holds the night's counts, family ``class`` one count per classification
label plus ``simbad_tot`` and ``simbad_gal``; every value is an 8-byte big-endian long.
Unlike Fink's reader (which loses class counts whose first byte is 0x00, §11 quirk), every
count is decoded.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from datetime import datetime

from fink_gateway.errors import InvalidArgument
from fink_gateway.layout import tables
from fink_gateway.loaders.reader import Reader
from fink_gateway.store.types import Cells, ScanRange

_DATE = re.compile(r"\d{4}(?:(-?)\d{2}(?:\1\d{2})?)?\Z")  # YYYY[MM[DD]] or YYYY[-MM[-DD]]
_FORMATS = {4: "%Y", 6: "%Y%m", 8: "%Y%m%d"}
BASIC = ("raw", "sci", "n_g", "n_r", "exposures", "fields")
SIMBAD_TOTAL, SIMBAD_EXTRAGALACTIC = "simbad_tot", "simbad_gal"


def statistics_date(value: str) -> str:
    """``YYYY``, ``YYYYMM`` or ``YYYYMMDD`` of a real year, month or day, given as such or in
    ISO form (``YYYY-MM``, ``YYYY-MM-DD``)."""
    valid = _DATE.match(value.strip()) is not None
    text = value.strip().replace("-", "")
    if valid:
        try:
            datetime.strptime(text, _FORMATS[len(text)])
        except ValueError:
            valid = False
    if not valid:
        raise InvalidArgument(
            f"malformed date {value!r}: expected YYYY, YYYYMM or YYYYMMDD, or ISO YYYY-MM or "
            "YYYY-MM-DD (e.g. 2025, 202501, 20250114, 2025-01-14)",
            argument="date", value=value,
        )  # fmt: skip
    return text


@dataclass(frozen=True, slots=True)
class NightCounts:
    """One night's row, decoded: ``basic`` and ``classes`` counts by column qualifier."""

    night: str  # YYYYMMDD
    basic: dict[str, int]
    classes: dict[str, int]  # labels, most frequent first (ties by label); no simbad_*
    simbad_total: int | None
    simbad_extragalactic: int | None


def decode_count(raw: bytes) -> int | None:
    """An 8-byte big-endian long (Fink's pandas int64 → long); decimal text also accepted."""
    if len(raw) == 8:
        return int(struct.unpack(">q", raw)[0])
    try:
        return int(raw.decode())
    except (UnicodeDecodeError, ValueError):
        return None


def night_counts(key: bytes, cells: Cells) -> NightCounts:
    """One ``statistics_class`` row as counts."""
    basic: dict[str, int] = {}
    classes: dict[str, int] = {}
    for column, raw in cells.items():
        family, _, name = column.decode("utf-8", errors="replace").partition(":")
        count = decode_count(raw)
        if count is None:
            continue
        if family == "basic":
            basic[name] = count
        elif family == "class":
            classes[name] = count
    total = classes.pop(SIMBAD_TOTAL, None)
    extragalactic = classes.pop(SIMBAD_EXTRAGALACTIC, None)
    ordered = dict(sorted(classes.items(), key=lambda item: (-item[1], item[0])))
    night = key.decode().removeprefix("ztf_")
    return NightCounts(night, basic, ordered, total, extragalactic)


async def load_statistics(reader: Reader, date: str) -> list[NightCounts]:
    """Every night whose date starts with ``date`` (validated), oldest first."""
    prefix = f"ztf_{statistics_date(date)}".encode()
    (rows,) = await reader.scan(tables.STATISTICS, [ScanRange.prefix(prefix)], None)
    return [night_counts(key, cells) for key, cells in rows]
