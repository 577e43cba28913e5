"""Example queries for GraphiQL that work on whatever data the store holds."""

from __future__ import annotations

from dataclasses import dataclass

from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.store.types import ScanRange

_PREFERRED_CLASSES = ("Early SN Ia candidate", "SN candidate", "Kilonova candidate")
_DEFAULT = ("ZTF21abfmbix", 92.4445778, 35.5722176)


@dataclass(frozen=True)
class ExampleTarget:
    """An object present in the data, with its position (deg) and a class it has."""

    object_id: str
    ra: float
    dec: float
    class_name: str


async def example_target(reader: Reader) -> ExampleTarget:
    """The newest alert of a transient class, else any alert, else a fixed fallback."""
    columns = [b"i:objectId", b"i:ra", b"i:dec"]
    for name in _PREFERRED_CLASSES:
        (rows,) = await reader.scan(
            tables.CLASS, [ScanRange.prefix(f"{name}_".encode(), reverse=True, limit=1)], columns
        )
        if rows:
            record = decode_record(rows[0][1], await reader.types(tables.CLASS))
            # i:ra and i:dec decode to floats
            return ExampleTarget(
                str(record["objectId"]), float(record["ra"]), float(record["dec"]), name  # type: ignore[arg-type]
            )
    (rows,) = await reader.scan(tables.MAIN, [ScanRange.prefix(b"ZTF", limit=1)], columns)
    if rows:
        record = decode_record(rows[0][1], await reader.types(tables.MAIN))
        # i:ra and i:dec decode to floats
        return ExampleTarget(
            str(record["objectId"]), float(record["ra"]), float(record["dec"]), "SN candidate"  # type: ignore[arg-type]
        )
    return ExampleTarget(*_DEFAULT, "SN candidate")


def example_queries(target: ExampleTarget) -> list[tuple[str, str]]:
    """(tab title, query) pairs; the first is GraphiQL's default query."""
    oid, ra, dec = target.object_id, round(target.ra, 6), round(target.dec, 6)
    return [
        (
            "An object's light curve with upper limits",
            f"""# An object's light curve with Fink's upper limits
# (tag: valid, upperlim, badquality). Run: ▶ or Ctrl-Enter.
# Every type and field is described in Docs (book icon).
query LightCurve {{
  object(objectId: "{oid}") {{
    objectId
    classification {{ label source snIaScore }}
    position {{ ra dec constellation }}
    lightcurve(withUpperLimits: true) {{
      jd
      band
      magpsf
      sigmapsf
      diffmaglim
      tag
    }}
  }}
}}
""",
        ),
        (
            "Cone search with light curves",
            f"""# Objects within 60 arcsec, nearest first, with light curves.
query Cone {{
  conesearch(ra: {ra}, dec: {dec}, radius: 60, first: 10) {{
    edges {{
      node {{
        separation
        object {{
          objectId
          lastSeen
          lightcurve {{ jd band magpsf sigmapsf }}
        }}
      }}
    }}
  }}
}}
""",
        ),
        (
            "Latest early SN Ia candidates",
            """# The latest Early SN Ia candidates, newest first.
query EarlySNIa {
  alertsByClass(class: "Early SN Ia candidate", first: 10) {
    edges {
      node {
        objectId
        time
        band
        magpsf
        classification { label snIaScore earlySnIaScore }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
""",
        ),
        (
            "Live alerts (subscription)",
            f"""# Alerts pushed as they are stored (fink-gateway follow), over a WebSocket:
# here those within 1 deg of this object, brighter than magnitude 20.
subscription LiveAlerts {{
  alerts(filter: {{cone: {{ra: {ra}, dec: {dec}, radius: 3600}}, magpsfMax: 20}}) {{
    objectId
    time
    band
    magpsf
    classification {{ label }}
  }}
}}
""",
        ),
    ]
