"""GraphiQL example queries on the Rubin LSST data the store holds: an object's light curve
and forced photometry, a cone search, both surveys in one cone, a Solar System object."""

from __future__ import annotations

from dataclasses import dataclass

from fink_gateway.layout import rubin
from fink_gateway.loaders.reader import Reader
from fink_gateway.resolvers.example_query import ExampleQuery
from fink_gateway.resolvers.lsst import load_dia_objects
from fink_gateway.science.designations import unpack_designation
from fink_gateway.store.types import ScanRange

_SALTED = ScanRange(b"0", b":")  # keys that start with a digit: every data row, no schema row
_CANDIDATES = 200
"""Forced-photometry rows read to find an object in both surveys' skies."""
_BOTH_SKIES_DEC = -30.0
"""ZTF sees dec > −30°, Rubin dec < +5°: an object in between can have neighbours of both."""


@dataclass(frozen=True)
class LsstExampleTarget:
    """LSST data present in the store: an object and its position (deg), and a Solar System
    object's designation; None where the store has none."""

    dia_object_id: int | None
    ra: float
    dec: float
    designation: str | None


def _limited(limit: int) -> ScanRange:
    return ScanRange(_SALTED.start, _SALTED.stop, limit=limit)


async def _object_ids(reader: Reader) -> list[int]:
    """Objects with forced photometry (several sources), else any, in key order."""
    (rows,) = await reader.scan(rubin.FORCED, [_limited(_CANDIDATES)], [b"r:diaObjectId"])
    if not rows:
        (rows,) = await reader.scan(rubin.DIA_OBJECT, [_limited(20)], [b"r:diaObjectId"])
    return list(dict.fromkeys(int(key.split(b"_")[1]) for key, _ in rows))[:20]


async def example_lsst_target(reader: Reader) -> LsstExampleTarget | None:
    """An LSST object of the served data (one with forced photometry, in both surveys' skies
    when there is one) and a Solar System object; None when the LSST tables hold neither.
    ``reader`` reads the Rubin tables."""
    ids = await _object_ids(reader)
    chosen: tuple[int, float, float] | None = None
    for oid, record in zip(ids, await load_dia_objects(reader, ids), strict=True):
        if record is None:
            continue
        ra, dec = record.values.get("ra"), record.values.get("dec")
        if not isinstance(ra, float) or not isinstance(dec, float):
            continue
        if chosen is None or (dec > _BOTH_SKIES_DEC >= chosen[2]):
            chosen = (oid, ra, dec)
    packed_column = rubin.PACKED_DESIGNATION.column
    (orbits,) = await reader.scan(rubin.MPC_ORBITS, [_limited(1)], [packed_column])
    packed = orbits[0][0].split(b"_", 1)[1].decode() if orbits else None
    designation = (packed and unpack_designation(packed)) or packed
    if chosen is None:
        return None if designation is None else LsstExampleTarget(None, 0.0, 0.0, designation)
    return LsstExampleTarget(*chosen, designation)


def lsst_example_queries(target: LsstExampleTarget) -> list[ExampleQuery]:
    """GraphiQL tabs on ``target``'s data."""
    tabs: list[ExampleQuery] = []
    if target.dia_object_id is not None:
        oid, ra, dec = target.dia_object_id, round(target.ra, 6), round(target.dec, 6)
        tabs += [
            ExampleQuery(
                "An LSST object's light curve and forced photometry",
                f"""# A Rubin LSST object: its sources (rubin.diaSource_static) and forced
# photometry (rubin.fp). Fluxes in nJy on the difference image, times MJD TAI;
# 64-bit ids are BigInt text (exact in JavaScript and pandas).
query LsstLightCurve {{
  lsstObject(diaObjectId: "{oid}") {{
    diaObjectId
    ra
    dec
    nDiaSources
    lightcurve {{ midpointMjdTai band psfFlux psfFluxErr mag magErr }}
    forcedPhotometry {{ midpointMjdTai band psfFlux psfFluxErr }}
  }}
}}
""",
                "lightcurve",
            ),
            ExampleQuery(
                "LSST cone search",
                f"""# LSST objects whose last source is within 30 arcmin (rubin.pixel1024),
# nearest first.
query LsstCone {{
  lsstConesearch(ra: {ra}, dec: {dec}, radius: 1800) {{
    separationArcsec
    object {{
      diaObjectId
      nDiaSources
      lightcurve {{ midpointMjdTai band psfFlux }}
    }}
  }}
}}
""",
                "sky",
            ),
            ExampleQuery(
                "Both surveys in one cone",
                f"""# ZTF and LSST objects within 3 degrees, nearest first: each match is its
# survey's own type, so fragments pick the fields of each.
query BothSurveys {{
  skySearch(ra: {ra}, dec: {dec}, radius: 10800, surveys: [ZTF, LSST]) {{
    survey
    separationArcsec
    object {{
      name
      ... on Object {{
        objectId
        lastSeen
        lightcurve {{ jd band magpsf }}
      }}
      ... on DiaObject {{
        diaObjectId
        nDiaSources
        lightcurve {{ midpointMjdTai band psfFlux }}
      }}
    }}
  }}
}}
""",
                "sky",
            ),
        ]
    if target.designation is not None:
        tabs.append(
            ExampleQuery(
                "An asteroid seen by LSST",
                f"""# A Solar System object's LSST sources (rubin.diaSource_sso), by its
# provisional designation, packed or not; any stored column by its Fink name.
query LsstAsteroid {{
  lsstSolarSystemObject(designation: "{target.designation}") {{
    packedDesignation
    designation
    sources {{
      midpointMjdTai
      band
      mag
      ra
      dec
      phaseAngle: column(name: "r:phaseAngle")
      helioRange: column(name: "r:helioRange")
    }}
  }}
}}
""",
                "lightcurve",
            )
        )
    return tabs
