"""The layout and fixed settings of the demo output (FINK-REFERENCE §13).

:data:`ALERT_SCHEMA` follows ZTF's avro field order with Fink/Spark types: root ids, a
``candidate`` struct (103 fields), ``prv_candidates`` (its first 50 fields and a tail), three
cutout structs and Fink's scalar science columns. Also the batch sizes, the simulated nights
(JD, UTC) and the root version strings.
"""

from __future__ import annotations

import pyarrow as pa

from fink_gateway.layout.columns import ARROW_TYPES, CANDIDATE_COLUMNS, FINK_COLUMNS

BATCH_ALERTS = 20_000
"""Most alerts in one yielded table without cutouts."""
BATCH_ALERTS_WITH_CUTOUTS = 2_000
"""Most alerts in one table with cutouts (about 40 kB of stamps per alert, as in ZTF)."""
JD_START = 2460000.0
JD_END = 2460400.0
"""Simulated nights: JD_START ≤ jd < JD_END (JD, UTC)."""
VERSIONS = {"schemavsn": "4.02", "fink_broker_version": "3.1", "fink_science_version": "5.21.16"}
"""Root version strings, as in ``science_20250114.parquet``."""

# ZTF avro field order, Fink/Spark types (FINK-REFERENCE §13)
_CANDIDATE_NAMES = """
    jd fid pid diffmaglim pdiffimfilename programpi programid candid isdiffpos tblid nid rcid
    field xpos ypos ra dec magpsf sigmapsf chipsf magap sigmagap distnr magnr sigmagnr chinr
    sharpnr sky magdiff fwhm classtar mindtoedge magfromlim seeratio aimage bimage aimagerat
    bimagerat elong nneg nbad rb ssdistnr ssmagnr ssnamenr sumrat magapbig sigmagapbig ranr
    decnr sgmag1 srmag1 simag1 szmag1 sgscore1 distpsnr1 ndethist ncovhist jdstarthist
    jdendhist scorr tooflag objectidps1 objectidps2 sgmag2 srmag2 simag2 szmag2 sgscore2
    distpsnr2 objectidps3 sgmag3 srmag3 simag3 szmag3 sgscore3 distpsnr3 nmtchps rfid
    jdstartref jdendref nframesref rbversion dsnrms ssnrms dsdiff magzpsci magzpsciunc
    magzpscirms nmatches clrcoeff clrcounc zpclrcov zpmed clrmed clrrms neargaia
    neargaiabright maggaia maggaiabright exptime drb drbversion
"""
_PRV_TAIL = "scorr magzpsci magzpsciunc magzpscirms clrcoeff clrcounc rbversion"
_UPPER_NAMES = """
    jd fid pid diffmaglim programid programpi nid rcid field pdiffimfilename rbversion
    magzpsci magzpsciunc magzpscirms clrcoeff clrcounc
"""
CANDIDATE_ORDER: tuple[str, ...] = tuple(_CANDIDATE_NAMES.split())
PRV_ORDER: tuple[str, ...] = CANDIDATE_ORDER[:50] + tuple(_PRV_TAIL.split())
UPPER_LIMIT_FIELDS = frozenset(_UPPER_NAMES.split())
"""The ``prv_candidates`` fields an upper limit sets; all others are null (§13)."""

FIELD_TYPES = {c.name: ARROW_TYPES[c.type] for c in CANDIDATE_COLUMNS} | {"candid": pa.int64()}
"""Arrow type of each ``candidate`` field, by name."""
assert set(CANDIDATE_ORDER) == set(FIELD_TYPES) and len(CANDIDATE_ORDER) == 103, "candidate fields"

CANDIDATE_TYPE = pa.struct([pa.field(n, FIELD_TYPES[n]) for n in CANDIDATE_ORDER])
PRV_TYPE = pa.struct([pa.field(n, FIELD_TYPES[n]) for n in PRV_ORDER])
PRV_LIST_TYPE = pa.list_(pa.field("element", PRV_TYPE))
CUTOUT_TYPE = pa.struct([pa.field("fileName", pa.string()), pa.field("stampData", pa.binary())])
_NESTED_PREFIXES = ("lc_features_", "mangrove_", "blazar_")
FINK_SCALARS = [c for c in FINK_COLUMNS if not c.name.startswith(_NESTED_PREFIXES)]
"""Fink's science columns the demo writes (the nested families are absent)."""
ALERT_SCHEMA = pa.schema(
    [
        pa.field("candid", pa.int64()),
        pa.field("schemavsn", pa.string()),
        pa.field("publisher", pa.string()),
        pa.field("objectId", pa.string()),
        pa.field("candidate", CANDIDATE_TYPE),
        pa.field("prv_candidates", PRV_LIST_TYPE),
        pa.field("cutoutScience", CUTOUT_TYPE),
        pa.field("cutoutTemplate", CUTOUT_TYPE),
        pa.field("cutoutDifference", CUTOUT_TYPE),
        pa.field("fink_broker_version", pa.string()),
        pa.field("fink_science_version", pa.string()),
        *(pa.field(c.name, ARROW_TYPES[c.type]) for c in FINK_SCALARS),
    ]
)
"""Schema of every table :func:`generate_alerts` yields."""
