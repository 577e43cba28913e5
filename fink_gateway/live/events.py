"""What a writer announces of each stored alert, for live subscribers to filter on.

An event names the alert's main-table row (subscribers read the columns they select from
there, as queries do) and carries what filters need: position (deg), magnitude (mag),
labels (Fink's class, the SIMBAD crossmatch, the TNS type).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import orjson

from fink_gateway.ingest.rows import EncodedAlerts


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One stored alert: main row ``key``, ``object_id``, ``ra_deg``/``dec_deg``,
    ``magpsf`` (mag, None when absent) and ``labels``."""

    key: bytes
    object_id: str
    ra_deg: float
    dec_deg: float
    magpsf: float | None
    labels: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key.decode(), "objectId": self.object_id, "ra": self.ra_deg,
            "dec": self.dec_deg, "magpsf": self.magpsf, "labels": list(self.labels),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, object]) -> AlertEvent:
        """Inverse of :meth:`to_json`; KeyError/TypeError/ValueError on a foreign payload."""
        mag = data["magpsf"]
        labels = data["labels"]
        assert isinstance(labels, list)  # narrowing for mypy; a foreign payload fails here
        return cls(
            str(data["key"]).encode(), str(data["objectId"]), float(str(data["ra"])),
            float(str(data["dec"])), None if mag is None else float(str(mag)),
            tuple(str(label) for label in labels),
        )  # fmt: skip


def encode_events(events: list[AlertEvent]) -> bytes:
    return orjson.dumps([e.to_json() for e in events])


def decode_events(payload: bytes) -> list[AlertEvent]:
    """Events of a published payload; an unreadable payload gives none."""
    try:
        return [AlertEvent.from_json(item) for item in orjson.loads(payload)]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AssertionError):
        return []


def alert_events(enc: EncodedAlerts) -> list[AlertEvent]:
    """An event per alert of an encoded batch."""
    a = enc.alerts
    ra, dec, mag = a.numpy("ra"), a.numpy("dec"), a.numpy("magpsf")
    cds = a.strings("cdsxmatch", "Unknown")
    tns = a.strings("tns", "") if "tns" in a.columns else [""] * len(a)
    out = []
    for i, object_id in enumerate(enc.object_ids):
        labels = tuple(x for x in (str(enc.labels[i]), cds[i], tns[i] and f"(TNS) {tns[i]}") if x)
        magpsf = None if np.isnan(mag[i]) else float(mag[i])
        key = f"{object_id}_{enc.jd_text[i]}".encode()
        out.append(AlertEvent(key, object_id, float(ra[i]), float(dec[i]), magpsf, labels))
    return out
