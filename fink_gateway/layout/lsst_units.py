"""Units and UCDs of the Rubin columns, by qualifier (as in :mod:`fink_gateway.layout.rubin`).

Units are those the ``lsst.v10_0`` field docs give in brackets (the schemas of
:mod:`fink_gateway.layout.lsst_fields`), for the sections the gateway serves: ``diaSource``,
``diaObject`` (the per-band ``<band>_…`` statistics) and ``diaForcedSource``, plus Fink's
``firstDiaSourceMjdTaiFink``. Times are MJD (TAI), written ``MJD`` as ZTF's are ``JD``.
``trailLengthErr`` and ``trailAngleErr`` have none: their docs say nJy, a slip for the
arcsec and deg of the values they qualify, so rather no unit than a wrong one. UCDs (IVOA
UCD1+) only where the meaning is standard, as :mod:`fink_gateway.layout.column_ucds`.
"""

from __future__ import annotations

_BANDS = "ugrizy"


def _named(unit: str, names: str, per_band: str = "") -> dict[str, str]:
    """``unit`` for each of ``names``, and for ``<band>_<name>`` of each of ``per_band``."""
    banded = [f"{band}_{name}" for band in _BANDS for name in per_band.split()]
    return {name: unit for name in [*names.split(), *banded]}


LSST_UNITS: dict[str, str] = {
    **_named(
        "nJy",
        "psfFlux psfFluxErr apFlux apFluxErr trailFlux trailFluxErr dipoleMeanFlux "
        "dipoleMeanFluxErr dipoleFluxDiff dipoleFluxDiffErr scienceFlux scienceFluxErr "
        "templateFlux templateFluxErr",
        "psfFluxMean psfFluxMeanErr psfFluxSigma fpFluxMean fpFluxMeanErr scienceFluxMean "
        "scienceFluxMeanErr psfFluxMin psfFluxMax psfFluxErrMean",
    ),
    **_named("nJy/d", "", "psfFluxMaxSlope"),
    **_named("nJy.arcsec2", "ixx iyy ixy ixxPSF iyyPSF ixyPSF"),
    **_named(
        "MJD",
        "midpointMjdTai timeProcessedMjdTai timeWithdrawnMjdTai validityStartMjdTai "
        "firstDiaSourceMjdTai lastDiaSourceMjdTai firstDiaSourceMjdTaiFink",
    ),
    **_named(
        "deg",
        "ra dec raErr decErr trailRa trailRaErr trailDec trailDecErr trailAngle dipoleAngle",
    ),
    **_named("deg2", "ra_dec_Cov"),
    **_named("arcsec", "trailLength dipoleLength"),
    **_named("pixels", "x xErr y yErr bboxSize"),
}
"""Qualifier → unit (``nJy``, ``MJD``, ``deg``…); absent when unitless or not known."""

LSST_UCDS: dict[str, str] = {
    "diaObjectId": "meta.id;meta.main",
    "diaSourceId": "meta.id",
    "diaForcedSourceId": "meta.id",
    "ra": "pos.eq.ra;meta.main",
    "dec": "pos.eq.dec;meta.main",
    "raErr": "stat.error;pos.eq.ra",
    "decErr": "stat.error;pos.eq.dec",
    "midpointMjdTai": "time.epoch;obs",
    "firstDiaSourceMjdTaiFink": "time.start",
    "band": "meta.id;instr.filter",
    "psfFlux": "phot.flux",
    "psfFluxErr": "stat.error;phot.flux",
    "scienceFlux": "phot.flux",
    "scienceFluxErr": "stat.error;phot.flux",
    "snr": "stat.snr",
    "nDiaSources": "meta.number",
    "packed_primary_provisional_designation": "meta.id",
}
"""Qualifier → UCD1+ (IVOA UCD list 1.5)."""
