"""Example queries for GraphiQL that work on whatever data the store holds; each says which
plot of GraphiQL's Plots panel its result gives (the LSST ones in
:mod:`~fink_gateway.resolvers.lsst_examples`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from fink_gateway.layout import tables
from fink_gateway.loaders.decoding import decode_record
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.example_query import ExampleQuery
from fink_gateway.resolvers.lsst_examples import LsstExampleTarget, lsst_example_queries
from fink_gateway.store.types import ScanRange

_PREFERRED_CLASSES = ("Early SN Ia candidate", "SN candidate", "Kilonova candidate")
_VARIABLE_CLASSES = ("RRLyr", "EB*", "Mira", "LPV*", "PulsV*", "V*")
"""SIMBAD types of periodic variables (class table labels), for the period example."""
_DEFAULT = ("ZTF21abfmbix", 92.4445778, 35.5722176)
_DEFAULT_SSO = "8467"


@dataclass(frozen=True)
class ExampleTarget:
    """An object present in the data, with its position (deg) and a class it has; a variable
    star for the period example (None: the same object) and a Solar System object (its
    ssnamenr, one with stored ephemerides when there is one)."""

    object_id: str
    ra: float
    dec: float
    class_name: str
    variable_id: str | None = None
    sso: str = _DEFAULT_SSO


async def example_target(reader: Reader) -> ExampleTarget:
    """The newest alert of a transient class, else any alert, else a fixed fallback; with a
    variable star and a Solar System object of the data."""
    target = await _transient(reader)
    variable_id = await _variable(reader)
    sso = await _solar_system_object(reader)
    return replace(target, variable_id=variable_id, sso=sso or _DEFAULT_SSO)


async def _transient(reader: Reader) -> ExampleTarget:
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


async def _variable(reader: Reader) -> str | None:
    """The objectId of the newest alert of a periodic-variable class, or None."""
    ranges = [ScanRange.prefix(f"{name}_".encode(), reverse=True, limit=1, keys_only=True)
              for name in _VARIABLE_CLASSES]
    try:
        found = await reader.scan(tables.CLASS, ranges, [b"i:objectId"])
    except Exception:  # an optional example: a failing table must not hide GraphiQL
        return None
    for rows in found:
        if rows:  # class_jd_objectId
            return rows[0][0].decode().rsplit("_", 1)[-1]
    return None


async def _solar_system_object(reader: Reader) -> str | None:
    """An ssnamenr with stored ephemerides (a phase curve can be fitted), else any, else None."""
    for spec in (tables.SSO_EPHEMERIDES, tables.SSNAMENR):
        try:  # an optional example: a missing table must not hide GraphiQL
            (rows,) = await reader.scan(spec, [ScanRange(limit=3, keys_only=True)], None)
        except Exception:
            continue
        if rows:  # ssnamenr_jd
            return rows[0][0].decode().rsplit("_", 1)[0]
    return None


def example_queries(
    target: ExampleTarget, lsst: LsstExampleTarget | None = None
) -> list[ExampleQuery]:
    """GraphiQL's tabs; the first is its default query. The LSST tabs come when the store
    holds LSST data (``lsst``); the live subscription's tab is last."""
    lsst_tabs = [] if lsst is None else lsst_example_queries(lsst)
    return [*_ztf_queries(target), *lsst_tabs, live_example(target)]


def live_example(target: ExampleTarget) -> ExampleQuery:
    """The subscription tab (last: GraphiQL sends it over a WebSocket, it never ends)."""
    ra, dec = round(target.ra, 6), round(target.dec, 6)
    return ExampleQuery(
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
    )


def _ztf_queries(target: ExampleTarget) -> list[ExampleQuery]:
    oid, ra, dec = target.object_id, round(target.ra, 6), round(target.dec, 6)
    variable = target.variable_id or oid
    return [
        ExampleQuery(
            "An object's light curve with upper limits",
            f"""# An object's light curve with Fink's upper limits
# (tag: valid, upperlim, badquality). Run: ▶ or Ctrl-Enter.
# Every type and field is described in Docs (book icon);
# the Plots panel (chart icon) draws the result.
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
            "lightcurve",
        ),
        ExampleQuery(
            "Cone search with light curves",
            f"""# Objects within 60 arcsec, nearest first, with light curves
# (Plots: the matches around the centre, and their light curves).
query Cone {{
  conesearch(ra: {ra}, dec: {dec}, radius: 60, first: 10) {{
    edges {{
      node {{
        separation
        alert {{ ra dec }}
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
            "sky",
        ),
        ExampleQuery(
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
        ExampleQuery(
            "A variable star's period",
            f"""# A multiband Lomb-Scargle period fit (computed on demand, cached):
# Plots shows the light curve folded at the period, with each band's model.
query Period {{
  object(objectId: "{variable}") {{
    objectId
    period {{
      status
      message
      periodDays
      power
      phase
      magnitude
      sigma
      band
      phaseGrid
      models {{ band magnitude }}
    }}
  }}
}}
""",
            "period",
        ),
        ExampleQuery(
            "An asteroid's phase curve",
            f"""# A Solar System object's reduced magnitudes against phase angle,
# and its HG1G2 phase-curve fit per band (Plots draws both).
query PhaseCurve {{
  solarSystemObject(nameOrNumber: "{target.sso}") {{
    ssnamenr
    name
    lightcurve {{ jd band phase reducedMag sigmapsf }}
    phaseCurve(model: HG1G2) {{
      status
      message
      chi2red
      bands {{
        band
        H
        G1
        G2
        modelCurve {{ phase reducedMag }}
      }}
    }}
  }}
}}
""",
            "phasecurve",
        ),
        ExampleQuery(
            "An object's cutouts",
            f"""# The newest image stamps of an object, as PNG (Plots shows them).
query Cutouts {{
  object(objectId: "{oid}") {{
    objectId
    science: cutouts(kind: SCIENCE, first: 3) {{ kind time data }}
    difference: cutouts(kind: DIFFERENCE, first: 3) {{ kind time data }}
  }}
}}
""",
            "cutouts",
        ),
    ]
