"""IVOA UCD1+ words of the main-table columns that have a standard one (VOTable ``ucd``).

Keys are qualifiers, as in :mod:`fink_gateway.layout.column_docs`. Columns without an
obvious standard meaning (pipeline diagnostics, classifier scores) have none rather than a
guess; VOTable readers such as TOPCAT use these to find positions, times and magnitudes.
"""

from __future__ import annotations

_PS1 = {
    **{f"sgmag{n}": "phot.mag;em.opt.B" for n in (1, 2, 3)},
    **{f"srmag{n}": "phot.mag;em.opt.R" for n in (1, 2, 3)},
    **{f"simag{n}": "phot.mag;em.opt.I" for n in (1, 2, 3)},
    **{f"szmag{n}": "phot.mag;em.opt.I" for n in (1, 2, 3)},
    **{f"distpsnr{n}": "pos.angDistance" for n in (1, 2, 3)},
    **{f"objectidps{n}": "meta.id.cross" for n in (1, 2, 3)},
}

COLUMN_UCDS: dict[str, str] = {
    "objectId": "meta.id;meta.main",
    "candid": "meta.id",
    "ra": "pos.eq.ra;meta.main",
    "dec": "pos.eq.dec;meta.main",
    "ranr": "pos.eq.ra",
    "decnr": "pos.eq.dec",
    "jd": "time.epoch;obs",
    "jdstarthist": "time.start",
    "jdendhist": "time.end",
    "jdstartref": "time.start;obs.image",
    "jdendref": "time.end;obs.image",
    "exptime": "time.duration;obs.exposure",
    "fid": "meta.id;instr.filter",
    "field": "meta.id;obs.field",
    "magpsf": "phot.mag",
    "sigmapsf": "stat.error;phot.mag",
    "magap": "phot.mag",
    "sigmagap": "stat.error;phot.mag",
    "magapbig": "phot.mag",
    "sigmagapbig": "stat.error;phot.mag",
    "diffmaglim": "phot.mag;stat.max",
    "magnr": "phot.mag",
    "sigmagnr": "stat.error;phot.mag",
    "distnr": "pos.distance",
    "magzpsci": "phot.mag;arith.zp",
    "magzpsciunc": "stat.error;phot.mag;arith.zp",
    "fwhm": "phys.size;instr.det.psf",
    "ssdistnr": "pos.angDistance",
    "ssmagnr": "phot.mag",
    "ssnamenr": "meta.id;src",
    "neargaia": "pos.angDistance",
    "maggaia": "phot.mag",
    "neargaiabright": "pos.angDistance",
    "maggaiabright": "phot.mag",
    "ndethist": "meta.number",
    "ncovhist": "meta.number",
    "cdsxmatch": "src.class",
    "classification": "src.class",
    "tns": "src.class",
    "gaiaClass": "src.class",
    "vsx": "src.class",
    "gcvs": "src.class",
    "DR3Name": "meta.id.cross",
    "Plx": "pos.parallax",
    "e_Plx": "stat.error;pos.parallax",
    "mag_rate": "arith.rate;phot.mag",
    "sigma_rate": "stat.error",
    "tracklet": "meta.id",
    **_PS1,
}
"""Qualifier → UCD1+ (IVOA UCD list 1.5)."""


def column_ucd(qualifier: str) -> str | None:
    """The UCD of a main-table column, or None when it has no standard one."""
    return COLUMN_UCDS.get(qualifier)
