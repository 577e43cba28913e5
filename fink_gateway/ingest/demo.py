"""Deterministic, realistic demo alerts in Fink's nested parquet layout (FINK-REFERENCE §13).

:func:`generate_alerts` yields pyarrow Tables shaped like Fink's science parquet: root ids,
a ``candidate`` struct with ZTF's 103 fields and types, ``prv_candidates``, three cutout
structs and Fink's scalar science columns. Every value is a pure function of ``(seed, name,
key)`` through a counter-based hash, so the output is identical across runs and does not
depend on batching; the first *n* alerts of a longer run are the alerts of a run of *n*.
:func:`demo_truth` recovers what an objectId was generated as (its kind and, for periodic
variables, the true period).

A *unit* is one simulated source: a supernova, a periodic variable, an asteroid seen on
several nights (a new objectId per alert, as in ZTF), one tracklet exposure (several
objectIds), and so on. Units are spread over the ZTF sky (dec > −30°) and the nights
JD 2460000–2460400. Each epoch is an alert, a bad-quality detection (rb < 0.55, seen only in
later ``prv_candidates``) or an upper limit; emitted alerts pass Fink's cuts (nbad = 0,
rb ≥ 0.55, fid ∈ {1, 2}). Science scores are set so that Fink's rules
(:mod:`fink_gateway.science.classification`) give each kind its intended label. Values not
modelled (PSF shape, zero points, PS1 neighbours, Fink's rate module) are plausible draws.
Absent, as in some real files: ``mangrove``, ``blazar_stats``, ``lc_features_*``, ``t2``,
the broker timestamps.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from astropy.io import fits
from astropy.time import Time

from fink_gateway.layout.columns import ARROW_TYPES, CANDIDATE_COLUMNS, FINK_COLUMNS

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]
Index = npt.NDArray[np.intp]

BATCH_ALERTS = 20_000
"""Most alerts in one yielded table without cutouts."""
BATCH_ALERTS_WITH_CUTOUTS = 2_000
"""Most alerts in one table with cutouts (about 40 kB of stamps per alert, as in ZTF)."""
JD_START = 2460000.0
JD_END = 2460400.0
"""Simulated nights: JD_START ≤ jd < JD_END (JD, UTC)."""
VERSIONS = {"schemavsn": "4.02", "fink_broker_version": "3.1", "fink_science_version": "5.21.16"}
"""Root version strings, as in ``science_20250114.parquet``."""

# --- schema (ZTF avro field order, Fink/Spark types; FINK-REFERENCE §13) -------------------------

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

_TYPES = {c.name: ARROW_TYPES[c.type] for c in CANDIDATE_COLUMNS} | {"candid": pa.int64()}
assert set(CANDIDATE_ORDER) == set(_TYPES) and len(CANDIDATE_ORDER) == 103, "candidate fields"

CANDIDATE_TYPE = pa.struct([pa.field(n, _TYPES[n]) for n in CANDIDATE_ORDER])
PRV_TYPE = pa.struct([pa.field(n, _TYPES[n]) for n in PRV_ORDER])
PRV_LIST_TYPE = pa.list_(pa.field("element", PRV_TYPE))
CUTOUT_TYPE = pa.struct([pa.field("fileName", pa.string()), pa.field("stampData", pa.binary())])
_NESTED_PREFIXES = ("lc_features_", "mangrove_", "blazar_")
_FINK_SCALARS = [c for c in FINK_COLUMNS if not c.name.startswith(_NESTED_PREFIXES)]
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
        *(pa.field(c.name, ARROW_TYPES[c.type]) for c in _FINK_SCALARS),
    ]
)
"""Schema of every table :func:`generate_alerts` yields."""

# --- counter-based random numbers ----------------------------------------------------------------

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64 finaliser (Steele, Lea & Flood 2014), elementwise on uint64."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class _Draws:
    """Random draws that are pure functions of ``(seed, name, key)``."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed) & _MASK64

    def bits(self, key: npt.ArrayLike, name: str) -> npt.NDArray[np.uint64]:
        salt = (self.seed * _GOLDEN + zlib.crc32(name.encode()) * 0xD6E8FEB86659FD93) & _MASK64
        keys = np.asarray(key, dtype=np.int64).astype(np.uint64)
        return _mix(_mix(keys ^ np.uint64(salt)) + np.uint64(_GOLDEN))

    def uniform(self, key: npt.ArrayLike, name: str, low: float = 0.0, high: float = 1.0) -> F64:
        unit = (self.bits(key, name) >> np.uint64(11)).astype(np.float64) * 2.0**-53
        return low + (high - low) * unit

    def normal(self, key: npt.ArrayLike, name: str) -> F64:
        """Standard normal (Box–Muller)."""
        u1 = self.uniform(key, name + "#1")
        u2 = self.uniform(key, name + "#2")
        return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)

    def integers(self, key: npt.ArrayLike, name: str, low: int, high: int) -> I64:
        """Integers in [low, high]."""
        span = np.uint64(high - low + 1)
        return low + (self.bits(key, name) % span).astype(np.int64)

    def choice(self, key: npt.ArrayLike, name: str, weights: tuple[float, ...]) -> I64:
        """Index into ``weights``, drawn with those relative weights."""
        cumulative = np.cumsum(weights) / np.sum(weights)
        picks = np.searchsorted(cumulative, self.uniform(key, name), side="right")
        return np.minimum(picks, len(weights) - 1).astype(np.int64)


# --- units: kind, labels, parameters -------------------------------------------------------------

KINDS: tuple[str, ...] = (
    "variable", "star", "sn_ia", "sn_ii", "kilonova", "microlensing", "orphan", "asteroid",
    "tracklet", "sso_candidate",
)  # fmt: skip
"""Unit kinds; ``variable`` units are periodic with a known period (:func:`demo_truth`)."""
_KIND_WEIGHTS = (0.55, 2.2, 0.45, 0.15, 0.2, 0.08, 3.5, 2.4, 0.55, 0.5)
_K = {name: i for i, name in enumerate(KINDS)}
_MOVERS = ("asteroid", "tracklet", "sso_candidate")
_TRANSIENTS = ("sn_ia", "sn_ii", "kilonova")

_CDS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "variable": (("RRLyr", "EB*", "V*", "Unknown"), (35, 25, 10, 30)),
    "star": (
        ("V*", "Star", "QSO", "YSO", "CV*", "Mira", "LPV*", "Seyfert_1", "Blue", "EB*_Candidate",
         "PulsV*", "AGN", "BLLac", "TTau*", "galaxy"),
        (15, 12, 10, 8, 5, 5, 8, 5, 5, 7, 5, 5, 3, 4, 3),
    ),
    "sn_ia": (("Unknown", "Transient", "Fail 504"), (90, 6, 4)),
    "sn_ii": (("Unknown", "Transient", "Galaxy"), (90, 5, 5)),
    "orphan": (("Unknown", "Transient", "Fail", "Fail 504"), (80, 10, 5, 5)),
}  # fmt: skip
"""SIMBAD cross-match labels per kind (relative weights); other kinds get ``Unknown``."""
_VOCAB = tuple(dict.fromkeys(["Unknown", *(lab for labs, _ in _CDS.values() for lab in labs)]))
_VOCAB_INDEX = {label: i for i, label in enumerate(_VOCAB)}

_MAX_SUB = 16  # objectIds per unit (asteroid nights, tracklet members)
_MAX_EPOCHS = 256  # epochs per objectId
_ID_SPACE = 26**7
_ID_MULT = 1_103_515_245  # odd and not a multiple of 13: x → a·x + b is a bijection mod 26^7
_UNITS_PER_CHUNK = 2_048


def _kind(d: _Draws, units: I64) -> I64:
    return d.choice(units, "kind", _KIND_WEIGHTS)


def _period_days(d: _Draws, units: I64) -> F64:
    """True period of a ``variable`` unit (days), log-uniform in 0.1–1.2 d."""
    return np.exp(d.uniform(units, "period", np.log(0.1), np.log(1.2)))


def _peak_jd(d: _Draws, units: I64) -> F64:
    """Peak (supernova) or merger (kilonova) time, JD."""
    return d.uniform(units, "t_peak", JD_START + 5.0, JD_END - 10.0)


def _lens_peak_jd(d: _Draws, units: I64) -> F64:
    return d.uniform(units, "t_peak", JD_START + 40.0, JD_END - 40.0)


def _lens_days(d: _Draws, units: I64) -> F64:
    """Einstein crossing time (days)."""
    return d.uniform(units, "t_e", 12.0, 40.0)


def _cdsxmatch_codes(d: _Draws, units: I64, kinds: I64) -> I64:
    """Index into ``_VOCAB`` of each unit's SIMBAD label."""
    codes = np.zeros(len(units), dtype=np.int64)
    for name, (labels, weights) in _CDS.items():
        mask = kinds == _K[name]
        picks = d.choice(units[mask], "cds", weights)
        codes[mask] = np.array([_VOCAB_INDEX[label] for label in labels])[picks]
    return codes


def _ssnamenr(d: _Draws, units: I64) -> pa.Array:
    """Asteroid names as ZTF writes them: numbers (``8467``) or packed-style ``2005XM12``."""
    number = _text(d.integers(units, "sso_number", 1, 700_000))
    year = _text(d.integers(units, "sso_year", 1995, 2023))
    halves = [a + b for a in "ABCDEFGHJKLMNOPQRSTUVWXY" for b in "ABCDEFGHJKLMNOPQRSTUVWXYZ"]
    letters = pa.array(halves).take(pa.array(d.integers(units, "sso_letters", 0, len(halves) - 1)))
    count = _text(d.integers(units, "sso_count", 0, 99), 2)
    packed = pc.binary_join_element_wise(year, letters, count, "")
    return pc.if_else(pa.array(d.uniform(units, "sso_numbered") < 0.7), number, packed)


# --- objectIds and truth -------------------------------------------------------------------------


def _id_offset(seed: int) -> int:
    return int(_Draws(seed).bits(np.array([0]), "id_offset")[0] % np.uint64(_ID_SPACE))


def _object_ids(seed: int, obj: I64, jd_first: F64) -> pa.Array:
    """``ZTF`` + 2-digit year of the first detection + 7 letters encoding ``obj`` (bijective)."""
    code = obj.astype(np.uint64) * np.uint64(_ID_MULT) + np.uint64(_id_offset(seed))
    code %= np.uint64(_ID_SPACE)
    seconds = _unix_seconds(jd_first).astype("datetime64[s]")
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
    return ((code - _id_offset(seed)) * pow(_ID_MULT, -1, _ID_SPACE)) % _ID_SPACE


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
    unit = np.array([_decode_object_id(object_id, seed) // _MAX_SUB], dtype=np.int64)
    d = _Draws(seed)
    kinds = _kind(d, unit)
    kind = KINDS[int(kinds[0])]
    return DemoTruth(
        object_id=object_id,
        kind=kind,
        unit=int(unit[0]),
        period_days=float(_period_days(d, unit)[0]) if kind == "variable" else None,
        cdsxmatch=_VOCAB[int(_cdsxmatch_codes(d, unit, kinds)[0])],
        ssnamenr=str(_ssnamenr(d, unit)[0]) if kind == "asteroid" else None,
    )


# --- planning epochs -----------------------------------------------------------------------------


@dataclass
class _Epochs:
    """Flat per-epoch arrays (JD, mag, deg), one row per visit of an objectId."""

    obj: I64  # unit · _MAX_SUB + sub: the objectId number
    key: I64  # obj · _MAX_EPOCHS + visit number: the random key of the epoch
    kind: I64
    jd: F64
    fid: I64
    mag: F64  # source magnitude (the difference magnitude when not ``behind``)
    ref: F64  # magnitude of the reference-image source (magnr)
    behind: Bool  # a variable source sitting on its reference counterpart
    forced: npt.NDArray[np.int8]  # +1 detection, −1 upper limit, 0 decided by the photometry
    ra: F64
    dec: F64

    def take(self, index: Index) -> _Epochs:
        return _Epochs(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(parts: list[_Epochs]) -> _Epochs:
        names = [f.name for f in fields(_Epochs)]
        return _Epochs(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


def _expand(counts: I64) -> tuple[I64, I64]:
    """(owner, position) for ragged groups of the given sizes."""
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(len(owner)) - first


def _sky(d: _Draws, units: I64) -> tuple[F64, F64]:
    """Uniform over the sphere with dec > −30° (ra, dec in deg)."""
    ra = d.uniform(units, "ra", 0.0, 360.0)
    dec = np.degrees(np.arcsin(d.uniform(units, "dec", -0.5, 1.0)))
    return ra, dec


def _visits(
    d: _Draws, units: I64, first: F64, n: I64, gaps: tuple[int, int], second: float
) -> tuple[I64, I64, F64]:
    """(owner, position, jd) of visits: whole-night gaps, some second visits 20–70 min later."""
    owner, k = _expand(n)
    key = units[owner] * (_MAX_SUB * _MAX_EPOCHS) + k
    again = (k % 2 == 1) & (d.uniform(key, "same") < second)
    gap = np.where(again | (k == 0), 0, d.integers(key, "gap", *gaps))
    total = np.cumsum(gap)
    night = np.floor(first[owner] - JD_START) + total - total[np.repeat(np.cumsum(n) - n, n)]
    frac = d.uniform(key, "frac", 0.64, 0.93)  # Palomar nights: JD fractions ≈ 0.64–0.99
    frac = np.where(again, np.roll(frac, 1) + d.uniform(key, "later", 0.014, 0.05), frac)
    return owner, k, JD_START + night + frac


def _schedule(d: _Draws, u: I64, kind: str) -> tuple[F64, I64, tuple[int, int], float]:
    """(first visit JD, number of visits, night gaps, second-visit probability) per unit."""
    if kind in ("sn_ia", "sn_ii"):
        first = _peak_jd(d, u) - d.uniform(u, "lead", 18.0, 30.0)
        return first, d.integers(u, "n", 30, 50), (1, 4), 0.3
    if kind == "kilonova":
        first = _peak_jd(d, u) - d.uniform(u, "lead", 1.0, 4.0)
        return first, d.integers(u, "n", 10, 14), (1, 1), 0.5
    if kind == "microlensing":
        first = _lens_peak_jd(d, u) - 2.5 * _lens_days(d, u)
        return first, d.integers(u, "n", 30, 55), (1, 4), 0.3
    if kind == "variable":
        first = d.uniform(u, "start", JD_START, JD_START + 60.0)
        return first, d.integers(u, "n", 30, 70), (1, 9), 0.4
    if kind == "star":
        first = d.uniform(u, "start", JD_START, JD_END - 120.0)
        return first, d.integers(u, "n", 5, 20), (1, 15), 0.3
    first = d.uniform(u, "start", JD_START, JD_END - 10.0)  # orphan
    return first, d.integers(u, "n", 1, 5), (1, 3), 0.3


def _bazin_mag(t: F64, peak_jd: F64, peak_mag: F64, rise: F64, fall: F64) -> F64:
    """Bazin et al. (2009) flux shape as a magnitude: ``peak_mag`` at ``peak_jd`` (days, mag)."""
    t0 = peak_jd - rise * np.log(fall / rise - 1.0)

    def flux(x: F64) -> F64:
        return np.exp(-(x - t0) / fall) / (1.0 + np.exp(-(x - t0) / rise))

    with np.errstate(divide="ignore", over="ignore"):
        return peak_mag - 2.5 * np.log10(flux(t) / flux(peak_jd))


def _light_curve(d: _Draws, kind: str, u: I64, jd: F64, g: Bool, key: I64) -> tuple[F64, F64]:
    """(magnitude, reference magnitude) of static kinds; g marks fid 1 (mag)."""
    if kind in ("sn_ia", "sn_ii"):
        ia = kind == "sn_ia"
        rise = d.uniform(u, "rise", 2.5, 4.0) if ia else d.uniform(u, "rise", 3.0, 6.0)
        fall = d.uniform(u, "fall", 18.0, 30.0) if ia else d.uniform(u, "fall", 60.0, 110.0)
        peak = _peak_jd(d, u)
        colour = np.clip(-0.15 + (0.035 if ia else 0.02) * (jd - peak), -0.2, 1.4)
        mag = _bazin_mag(jd, peak, d.uniform(u, "peak_mag", 17.6, 19.6), rise, fall)
        return mag + np.where(g, colour, 0.0), d.uniform(u, "host", 19.5, 22.5)
    if kind == "kilonova":
        since = jd - _peak_jd(d, u)
        fading = d.uniform(u, "peak_mag", 18.2, 19.2) + np.where(g, 1.0, 0.6) * since
        return np.where(since < 0, np.inf, fading), d.uniform(u, "host", 20.0, 22.5)
    if kind == "microlensing":
        x = np.hypot(d.uniform(u, "u0", 0.05, 0.5), (jd - _lens_peak_jd(d, u)) / _lens_days(d, u))
        amplification = (x**2 + 2.0) / (x * np.sqrt(x**2 + 4.0))  # Paczyński (1986)
        ref = d.uniform(u, "base", 16.5, 19.0) + np.where(g, 0.4, 0.0)
        return ref - 2.5 * np.log10(amplification), ref
    if kind == "variable":
        phase = (jd / _period_days(d, u) + d.uniform(u, "phase")) % 1.0
        amp = d.uniform(u, "amp", 0.3, 1.0) * np.where(g, 1.25, 1.0)
        shape = np.sin(2 * np.pi * phase) + 0.25 * np.sin(4 * np.pi * phase + 1.0)
        ref = d.uniform(u, "mean", 14.5, 18.5) + np.where(g, 0.35, 0.0)
        return ref + 0.45 * amp * shape, ref
    if kind == "star":
        ref = d.uniform(u, "mean", 14.0, 18.0) + np.where(g, 0.5, 0.0)
        slow = 0.2 * np.sin(2 * np.pi * jd / d.uniform(u, "slow", 30.0, 200.0))
        return ref + slow + d.uniform(u, "sigma", 0.1, 0.35) * d.normal(key, "wiggle"), ref
    mag = d.uniform(u, "peak_mag", 18.8, 20.1) + 0.3 * d.normal(key, "wiggle")  # orphan
    return mag, d.uniform(u, "host", 20.0, 22.5)


def _plan_static(d: _Draws, units: I64, kind: str) -> _Epochs:
    """Epochs of fixed-position units of one kind (one objectId each)."""
    first, n, gaps, second = _schedule(d, units, kind)
    owner, k, jd = _visits(d, units, first, n, gaps, second)
    u = units[owner]
    key = u * (_MAX_SUB * _MAX_EPOCHS) + k
    fid = 1 + (k + u) % 2
    mag, ref = _light_curve(d, kind, u, jd, fid == 1, key)
    ra, dec = _sky(d, u)
    jitter = 0.08 / 3600.0  # deg
    return _Epochs(
        obj=u * _MAX_SUB,
        key=key,
        kind=np.full(len(u), _K[kind]),
        jd=jd,
        fid=fid,
        mag=mag,
        ref=np.broadcast_to(ref, jd.shape).astype(np.float64),
        behind=np.full(len(u), kind not in ("orphan", *_TRANSIENTS)),
        forced=np.zeros(len(u), dtype=np.int8),
        ra=(ra + jitter * d.normal(key, "dra") / np.cos(np.radians(dec))) % 360.0,
        dec=dec + jitter * d.normal(key, "ddec"),
    )


def _plan_movers(d: _Draws, units: I64, kind: str) -> _Epochs:
    """Asteroids (an objectId per night), tracklets (one exposure) and roid-2 candidates.

    Each objectId gets 0–4 earlier upper limits at its position, then its one detection.
    """
    if kind == "asteroid":
        n_obj = d.integers(units, "n_obj", 2, 11)
        first = d.uniform(units, "start", JD_START + 30.0, JD_END - 40.0)
        owner, sub = _expand(n_obj)
        jd_det = _visits(d, units, first, n_obj, (1, 5), 0.4)[2]
    elif kind == "tracklet":
        n_obj = d.integers(units, "n_obj", 5, 10)
        night = np.floor(d.uniform(units, "night", JD_START + 30.0, JD_END - 1.0))
        owner, sub = _expand(n_obj)
        jd_det = (night + d.uniform(units, "frac", 0.64, 0.99))[owner]
    else:
        n_obj = np.ones(len(units), dtype=np.int64)
        owner, sub = _expand(n_obj)
        jd_det = d.uniform(units, "start", JD_START + 30.0, JD_END - 1.0)
    u = units[owner]
    obj = u * _MAX_SUB + sub
    ra0, dec0 = _sky(d, u)
    angle = d.uniform(u, "angle", 0.0, 2 * np.pi)
    if kind == "asteroid":
        since = jd_det - jd_det[np.repeat(np.cumsum(n_obj) - n_obj, n_obj)]
        step = d.uniform(u, "rate", 0.05, 0.6) * since  # deg
        mag = d.uniform(u, "h", 17.5, 20.0) + 0.15 * d.normal(obj, "wiggle")
        fid_det = 1 + (u + sub) % 2
    else:
        step = sub * d.uniform(u, "spacing", 0.02, 0.08)  # aligned, one exposure
        mag = d.uniform(obj, "mag", 16.5, 19.5)
        fid_det = 1 + u % 2
    dec = np.clip(dec0 + step * np.sin(angle), -29.9, 89.9)
    ra = (ra0 + step * np.cos(angle) / np.cos(np.radians(dec))) % 360.0

    n_upper = d.integers(obj, "n_upper", 0, 4)
    e, k = _expand(n_upper + 1)
    det = k == n_upper[e]
    key = obj[e] * _MAX_EPOCHS + k
    earlier = np.floor(jd_det[e] - d.uniform(key, "back", 1.0, 29.0))
    jd = np.where(det, jd_det[e], earlier + d.uniform(key, "frac", 0.64, 0.99))
    fid = np.where(det, fid_det[e], d.integers(key, "fid", 1, 2))
    return _Epochs(
        obj=obj[e],
        key=key,
        kind=np.full(len(jd), _K[kind]),
        jd=jd,
        fid=fid,
        mag=mag[e] + np.where(fid == 1, 0.45, 0.0),
        ref=d.uniform(obj[e], "host", 18.0, 22.0),
        behind=np.zeros(len(jd), dtype=bool),
        forced=np.where(det, 1, -1).astype(np.int8),
        ra=ra[e],
        dec=dec[e],
    )


def _plan(d: _Draws, units: I64) -> _Epochs:
    """All epochs of the units within the simulated nights, sorted by (objectId, jd)."""
    kinds = _kind(d, units)
    parts = []
    for kind in KINDS:
        chosen = units[kinds == _K[kind]]
        if len(chosen):
            plan = _plan_movers if kind in _MOVERS else _plan_static
            parts.append(plan(d, chosen, kind))
    epochs = _Epochs.concat(parts)
    epochs.jd = np.round(epochs.jd, 7)  # ZTF JDs have 7 decimals
    epochs = epochs.take(np.flatnonzero((epochs.jd >= JD_START) & (epochs.jd < JD_END)))
    return epochs.take(np.lexsort((epochs.jd, epochs.obj)))


# --- observing: detections, bad-quality points, upper limits -------------------------------------


@dataclass
class _Photometry:
    """Per-epoch measurement (mag); ``status`` 0 upper limit, 1 alert, 2 bad quality."""

    status: npt.NDArray[np.int8]
    diffmaglim: F64
    magpsf: F64
    sigmapsf: F64
    positive: Bool
    rb: F64


def _observe(d: _Draws, ep: _Epochs) -> _Photometry:
    lim = np.clip(20.3 + 0.35 * d.normal(ep.key, "lim"), 19.0, 21.0)
    with np.errstate(divide="ignore", over="ignore"):
        flux = 10.0 ** (-0.4 * ep.mag) - np.where(ep.behind, 10.0 ** (-0.4 * ep.ref), 0.0)
        diff = -2.5 * np.log10(np.abs(flux))
    forced = ep.forced == 1
    lim = np.where(forced, np.maximum(lim, diff + d.uniform(ep.key, "margin", 0.2, 1.0)), lim)
    detected = forced | ((ep.forced == 0) & (diff < lim))
    bad = detected & (ep.forced == 0) & (d.uniform(ep.key, "bad") < 0.04)
    sigma = np.clip(0.217 * 10.0 ** (-0.4 * (lim - np.where(detected, diff, lim))), 0.008, 0.3)
    return _Photometry(
        status=np.where(detected, np.where(bad, 2, 1), 0).astype(np.int8),
        diffmaglim=lim,
        magpsf=np.where(detected, diff + sigma * d.normal(ep.key, "noise"), np.nan),
        sigmapsf=sigma,
        positive=flux > 0,
        rb=np.where(
            bad, d.uniform(ep.key, "bad_rb", 0.05, 0.54), 0.55 + 0.45 * d.uniform(ep.key, "rb")
        ),
    )


@dataclass
class _History:
    """Running per-objectId quantities and each alert's ``prv_candidates`` window."""

    ndethist: I64
    jdstarthist: F64  # first detection (any quality), JD
    first_valid: F64  # first alert, JD
    position: I64
    alerts: Index
    prv_start: Index
    nalerthist: I64


def _history(ep: _Epochs, status: npt.NDArray[np.int8], limit: int) -> _History:
    """ZTF sends the last 30 days of history; the demo keeps at most 10 entries."""
    n = len(ep.jd)
    new = np.ones(n, dtype=bool)
    new[1:] = ep.obj[1:] != ep.obj[:-1]
    heads = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    start = heads[group]
    detected = status > 0
    count = np.cumsum(detected)
    jd_or_nan = np.append(ep.jd, np.nan)

    def first_jd(mask: Bool) -> F64:
        return jd_or_nan[np.minimum.reduceat(np.where(mask, np.arange(n), n), heads)[group]]

    alerts = np.flatnonzero(status == 1)[:limit]
    order = group * 1000.0 + (ep.jd - JD_START)  # increasing; groups 1000 d apart
    low = np.searchsorted(order, order[alerts] - 30.0, side="left")
    low = np.maximum(np.maximum(low, start[alerts]), alerts - 10)
    # nalerthist = 1 + detections (any quality) in prv_candidates, as in the sample files
    seen = np.concatenate([[0], count])
    return _History(
        ndethist=count - count[start] + detected[start],
        jdstarthist=first_jd(detected),
        first_valid=first_jd(status == 1),
        position=np.arange(n) - start,
        alerts=alerts,
        prv_start=low,
        nalerthist=1 + seen[alerts] - seen[low],
    )


# --- ZTF candidate fields, for every epoch -------------------------------------------------------

Columns = dict[str, np.ndarray | pa.Array]
"""Per-epoch candidate fields: numpy arrays, or pyarrow arrays for text."""


def _unix_seconds(jd: F64) -> I64:
    return np.round((np.asarray(jd) - 2440587.5) * 86400.0).astype(np.int64)


def _text(values: npt.ArrayLike, width: int = 0) -> pa.Array:
    """Integers as decimal text, zero-padded to ``width``."""
    text = pc.cast(pa.array(np.asarray(values)), pa.string())
    return pc.utf8_lpad(text, width, "0") if width else text


def _const(value: str, n: int) -> pa.Array:
    return pa.array([value]).take(pa.array(np.zeros(n, dtype=np.int64)))


def _geometry(ep: _Epochs) -> Columns:
    """Field, readout channel, pixel position and exposure ids on a simple ZTF-like grid."""
    zone, across = (ep.dec + 30.0) / 7.2, ep.ra / 7.3
    field = 245 + np.floor(zone).astype(np.int64) * 50 + np.floor(across).astype(np.int64) % 50
    fx, fy = (across % 1.0) * 8.0, (zone % 1.0) * 8.0
    rcid = (np.floor(fy) * 8 + np.floor(fx)).astype(np.int64)
    xpos, ypos = 5.0 + (fx % 1.0) * 3062.0, 5.0 + (fy % 1.0) * 3070.0
    nid = np.floor(ep.jd - 2457754.5).astype(np.int64)  # nights since 2017-01-01
    frac = np.floor(((ep.jd + 0.5) % 1.0) * 1e6).astype(np.int64)
    stamp = pa.array(_unix_seconds(ep.jd), pa.timestamp("s"))
    day = pc.strftime(stamp, format="%Y%m%d")
    name = pc.binary_join_element_wise(
        "ztf_", day, _text(frac, 6), "_", _text(field, 6), "_",
        pa.array(["zg", "zr"]).take(pa.array(ep.fid - 1)), "_c", _text(rcid // 4 + 1, 2),
        "_o_q", _text(rcid % 4 + 1), "_scimrefdiffimg.fits", "",
    )  # fmt: skip
    path = pc.binary_join_element_wise(
        "/ztf/archive/sci/", pc.utf8_slice_codeunits(day, 0, 4), "/",
        pc.utf8_slice_codeunits(day, 4, 8), "/", _text(frac, 6), "/", name, ".fz", "",
    )  # fmt: skip
    return {
        "field": field,
        "rcid": rcid,
        "xpos": xpos,
        "ypos": ypos,
        "mindtoedge": np.minimum.reduce([xpos, ypos, 3072.0 - xpos, 3080.0 - ypos]),
        "nid": nid,
        "pid": nid * 10**9 + frac * 1000 + 100 + rcid,
        "pdiffimfilename": name,
        "pdiffimfilename#prv": path,
        "rfid": field * 1_000_000 + 120_000 + ep.fid * 100 + rcid,
    }


def _measurement(d: _Draws, ep: _Epochs, ph: _Photometry) -> Columns:
    """Photometry, PSF shape and quality scores of each epoch (mag, pixels)."""
    key = ep.key
    magap = ph.magpsf + 0.02 * d.normal(key, "magap")
    sigmagap = ph.sigmapsf * 1.2 + 0.005
    fwhm = d.uniform(key, "fwhm", 1.6, 3.6)
    aimage = fwhm * d.uniform(key, "aimage", 0.25, 0.45)
    bimage = aimage * d.uniform(key, "bimage", 0.7, 1.0)
    snr = 5.0 * 10.0 ** (0.4 * (ph.diffmaglim - np.nan_to_num(ph.magpsf, nan=99.0)))
    kind_floor = np.select(
        [ep.behind, np.isin(ep.kind, [_K[k] for k in _TRANSIENTS]), ep.kind == _K["orphan"]],
        [0.6, 0.45, 0.3],
        0.8,
    )
    drb_floor = np.where(ep.kind == _K["orphan"], 0.2, 0.75)
    dsnrms = d.uniform(key, "dsnrms", 3.0, 12.0)
    ssnrms = d.uniform(key, "ssnrms", 5.0, 25.0)
    return {
        "jd": ep.jd,
        "fid": ep.fid,
        "diffmaglim": ph.diffmaglim,
        "isdiffpos": pa.array(["f", "t"]).take(pa.array(ph.positive.astype(np.int64))),
        "ra": ep.ra,
        "dec": ep.dec,
        "magpsf": ph.magpsf,
        "sigmapsf": ph.sigmapsf,
        "chipsf": d.uniform(key, "chipsf", 0.3, 4.0),
        "magap": magap,
        "sigmagap": sigmagap,
        "magapbig": magap - d.uniform(key, "big", 0.0, 0.12),
        "sigmagapbig": sigmagap * 1.1,
        "magdiff": magap - ph.magpsf,
        "magfromlim": ph.diffmaglim - magap,
        "sky": 0.5 * d.normal(key, "sky"),
        "fwhm": fwhm,
        "classtar": kind_floor + (1.0 - kind_floor) * d.uniform(key, "classtar"),
        "seeratio": d.uniform(key, "seeratio", 0.85, 1.6),
        "aimage": aimage,
        "bimage": bimage,
        "aimagerat": aimage / fwhm,
        "bimagerat": bimage / fwhm,
        "elong": aimage / bimage,
        "nneg": d.integers(key, "nneg", 0, 8),
        "nbad": np.zeros(len(key), dtype=np.int64),
        "rb": ph.rb,
        "drb": np.where(
            ph.status == 2,
            d.uniform(key, "bad_drb", 0.0, 0.5),
            drb_floor + (1.0 - drb_floor) * d.uniform(key, "drb"),
        ),
        "sumrat": d.uniform(key, "sumrat", 0.85, 1.0),
        "scorr": snr * d.uniform(key, "scorr", 0.9, 1.1),
        "dsnrms": dsnrms,
        "ssnrms": ssnrms,
        "dsdiff": dsnrms - ssnrms,
    }


def _calibration(d: _Draws, ep: _Epochs) -> Columns:
    """Photometric zero point and colour terms of each exposure (mag)."""
    key = ep.key
    magzpsci = d.uniform(key, "zp", 26.0, 26.45)
    return {
        "magzpsci": magzpsci,
        "magzpsciunc": d.uniform(key, "zpunc", 1e-5, 4e-5),
        "magzpscirms": d.uniform(key, "zprms", 0.025, 0.06),
        "nmatches": d.integers(key, "nmatches", 200, 1500),
        "clrcoeff": np.where(ep.fid == 1, -0.05, 0.1) + d.uniform(key, "clr", -0.03, 0.03),
        "clrcounc": d.uniform(key, "clrunc", 1e-5, 5e-5),
        "zpclrcov": d.uniform(key, "zpcov", -3e-5, -5e-6),
        "zpmed": magzpsci + d.uniform(key, "zpmed", 0.03, 0.1),
        "clrmed": d.uniform(key, "clrmed", 0.4, 0.9),
        "clrrms": d.uniform(key, "clrrms", 0.2, 0.4),
        "exptime": np.full(len(key), 30.0),
    }


def _reference(d: _Draws, ep: _Epochs) -> Columns:
    """Reference-image counterpart, PS1 and Gaia neighbours: static per objectId (mag, arcsec)."""
    obj, star = ep.obj, ep.behind
    distnr = np.where(star, d.uniform(obj, "distnr", 0.02, 0.6), d.uniform(obj, "distnr", 0.5, 12))
    angle = d.uniform(obj, "nr_angle", 0.0, 2 * np.pi)
    offset = distnr * 1.01 / 3600.0  # 1.01 arcsec per pixel, in deg
    jdstartref = 2458150.0 + d.uniform(obj, "ref_start", 0.0, 300.0)
    cols: Columns = {
        "distnr": distnr,
        "magnr": ep.ref,
        "sigmagnr": np.clip(0.012 * 10.0 ** (0.2 * (ep.ref - 16.0)), 0.005, 0.3),
        "chinr": d.uniform(obj, "chinr", 0.5, 1.8),
        "sharpnr": d.uniform(obj, "sharpnr", -0.2, 0.2),
        "ranr": ep.ra + offset * np.cos(angle) / np.cos(np.radians(ep.dec)),
        "decnr": ep.dec + offset * np.sin(angle),
        "jdstartref": jdstartref,
        "jdendref": jdstartref + d.uniform(obj, "ref_span", 20.0, 150.0),
        "nframesref": d.integers(obj, "nframesref", 15, 40),
        "nmtchps": d.integers(obj, "nmtchps", 3, 12),
    }
    distance = np.where(star, distnr, d.uniform(obj, "ps1_d1", 0.3, 12.0))
    for i in (1, 2, 3):
        mag = np.where(star & (i == 1), ep.ref, d.uniform(obj, f"ps1_mag{i}", 17.0, 22.0))
        no_g = d.uniform(obj, f"ps1_no_g{i}") < 0.1
        for band, colour in zip("griz", (0.5, 0.0, -0.2, -0.3), strict=True):
            cols[f"s{band}mag{i}"] = np.where(no_g & (band == "g"), -999.0, mag + colour)
        point = star & (i == 1)
        cols[f"sgscore{i}"] = np.where(
            point, d.uniform(obj, "sg", 0.85, 1.0), d.uniform(obj, f"sg{i}")
        )
        cols[f"distpsnr{i}"] = distance
        cols[f"objectidps{i}"] = 10**17 + d.integers(obj, f"ps1_id{i}", 0, 8 * 10**17)
        distance = distance + d.uniform(obj, f"ps1_step{i}", 1.0, 9.0)
    bright = d.uniform(obj, "gaia_bright") < 0.2
    cols["neargaia"] = np.where(star, distnr, d.uniform(obj, "gaia_d", 3.0, 60.0))
    cols["maggaia"] = np.where(star, ep.ref + 0.1, d.uniform(obj, "gaia_mag", 14.0, 20.5))
    cols["neargaiabright"] = np.where(bright, d.uniform(obj, "gaia_bd", 20.0, 60.0), -999.0)
    cols["maggaiabright"] = np.where(bright, d.uniform(obj, "gaia_bmag", 9.0, 12.0), -999.0)
    return cols


def _identity(d: _Draws, ep: _Epochs, hist: _History, pid: I64) -> Columns:
    """Ids, history counters, solar-system match and constant version strings."""
    n, key = len(ep.jd), ep.key
    asteroid = ep.kind == _K["asteroid"]
    ssnamenr = _const("null", n)
    if asteroid.any():
        names = _ssnamenr(d, ep.obj[asteroid] // _MAX_SUB)
        index = np.zeros(n, dtype=np.int64)
        index[asteroid] = np.arange(asteroid.sum())
        ssnamenr = pc.if_else(pa.array(asteroid), names.take(pa.array(index)), ssnamenr)
    return {
        # candid = pid · 10^6 + a source number; tracklet members differ by their last digit
        "candid": pid * 10**6 + d.integers(key, "candid", 0, 99_998) * 10 + ep.obj % 10,
        "programpi": _const("Kulkarni", n),
        "programid": np.ones(n, dtype=np.int64),
        "tblid": d.integers(key, "tblid", 0, 120),
        "ssnamenr": ssnamenr,
        "ssdistnr": np.where(asteroid, d.uniform(key, "ssdist", 0.0, 2.5), -999.0),
        "ssmagnr": np.where(asteroid, np.round(ep.mag + 0.3 * d.normal(key, "ssmag"), 1), -999.0),
        "ndethist": hist.ndethist,
        "ncovhist": d.integers(ep.obj, "ncov", 20, 1200) + hist.position,
        "jdstarthist": hist.jdstarthist,
        "jdendhist": ep.jd,
        "tooflag": np.zeros(n, dtype=np.int64),
        "rbversion": _const("t17_f5_c3", n),
        "drbversion": _const("d6_m7", n),
    }


def _arrow(values: np.ndarray | pa.Array, name: str, index: Index, null: Bool | None) -> pa.Array:
    """Field ``name`` at ``index`` with ZTF's type; null where ``null`` holds (and NaN floats)."""
    kind = _TYPES[name]
    if isinstance(values, pa.Array):
        taken = values.take(pa.array(index))
        return taken if null is None else pc.if_else(pa.array(null), pa.scalar(None, kind), taken)
    array = np.asarray(values)[index].astype(kind.to_pandas_dtype())
    if pa.types.is_floating(kind):
        null = np.isnan(array) if null is None else null | np.isnan(array)
    return pa.array(array, kind, mask=null)


# --- Fink science columns, for alerts ------------------------------------------------------------


def _scores(d: _Draws, kind: I64, unit: I64, key: I64, ndet: I64, jd: F64, age: F64) -> Columns:
    """Classifier outputs that steer Fink's rules (§7) to each kind's intended label."""
    is_ = {name: kind == _K[name] for name in KINDS}
    sn, orphan = is_["sn_ia"] | is_["sn_ii"], is_["orphan"]
    rising = jd < _peak_jd(d, unit)
    snn = np.where(ndet >= 2, d.uniform(key, "snn", 0.6, 0.99), d.uniform(key, "snn0", 0.0, 0.4))
    ambiguous = is_["microlensing"] & (d.uniform(unit, "ambiguous") < 0.12)
    low = d.uniform(key, "low_score", 0.0, 0.45)
    kn = np.where(age < 5, d.uniform(key, "rf_kn", 0.55, 0.95), d.uniform(key, "rf_kn0", 0.1, 0.45))
    return {
        "snn_sn_vs_all": np.select(
            [sn, ambiguous, orphan], [snn, d.uniform(key, "snn_amb", 0.55, 0.9), low], 0.0
        ),
        "snn_snia_vs_nonia": np.select(
            [is_["sn_ia"], is_["sn_ii"] | orphan], [snn, d.uniform(key, "snn_ii", 0.05, 0.45)], 0.0
        ),
        "rf_snia_vs_nonia": np.select(
            [is_["sn_ia"] & rising & (ndet <= 20), sn | orphan],
            [d.uniform(key, "rf_ia", 0.55, 0.95), low],
            0.0,
        ),
        "rf_kn_vs_nonkn": np.where(is_["kilonova"], kn, 0.0),
        "mulens": np.where(
            is_["microlensing"] & (ndet >= 3), d.uniform(key, "mulens", 0.55, 0.97), 0.0
        ),
        "roid": np.select([is_["asteroid"], is_["sso_candidate"]], [3, 2], 0),
        "slsn_score": np.where(sn, d.uniform(key, "slsn", 0.0, 0.4), -1.0),
        "anomaly_score": np.minimum(-0.08 + 0.05 * d.normal(key, "anomaly"), 0.05),
        "is_transient": sn | is_["kilonova"] | orphan,
        "gaiaVarFlag": is_["variable"].astype(np.int64),
    }


def _crossmatches(d: _Draws, kind: I64, unit: I64, star: Bool, age: F64) -> Columns:
    """SIMBAD, Gaia DR3, VSX and TNS values of each alert."""
    n = len(kind)
    cds = _cdsxmatch_codes(d, unit, kind)
    gaia = _text(d.integers(unit, "dr3", 10**17, 6 * 10**18))
    variable_type = np.select([cds == _VOCAB_INDEX["RRLyr"], cds == _VOCAB_INDEX["EB*"]], [1, 2])
    sn = (kind == _K["sn_ia"]) | (kind == _K["sn_ii"])
    tns = np.where(kind == _K["sn_ia"], 0, np.where(d.uniform(unit, "tns_type") < 0.5, 1, 2))
    reported = sn & (d.uniform(unit, "tns") < 0.3) & (age >= 4.0)
    unknown = _const("Unknown", n)
    return {
        "cdsxmatch": pa.array(_VOCAB).take(pa.array(cds)),
        "DR3Name": pc.if_else(
            pa.array(star), pc.binary_join_element_wise("Gaia DR3 ", gaia, ""), "nan"
        ),
        "Plx": np.where(star, d.uniform(unit, "plx", 0.05, 2.5), np.nan),
        "e_Plx": np.where(star, d.uniform(unit, "e_plx", 0.01, 0.3), np.nan),
        "vsx": pa.array(["Unknown", "RRAB", "EA"]).take(pa.array(variable_type)),
        "gcvs": unknown,
        "x3hsp": unknown,
        "x4lac": unknown,
        "spicy_class": unknown,
        "spicy_id": np.full(n, -1),
        "gaiaClass": unknown,
        "tns": pc.if_else(
            pa.array(reported), pa.array(["SN Ia", "SN II", "SN IIP"]).take(pa.array(tns)), ""
        ),
    }


def _rates(ep: _Epochs, ph: _Photometry, hist: _History) -> Columns:
    """Magnitude rate (mag/day) from the previous epoch, a detection or an upper limit."""
    a = hist.alerts
    prev = a - 1
    has_prev = hist.prv_start < a
    from_upper = has_prev & (ph.status[prev] == 0)
    prev_mag = np.where(from_upper, ph.diffmaglim[prev], ph.magpsf[prev])
    dt = np.where(has_prev, ep.jd[a] - ep.jd[prev], np.nan)
    rate = (ph.magpsf[a] - prev_mag) / dt
    sigma = np.hypot(ph.sigmapsf[a], np.where(from_upper, 0.0, ph.sigmapsf[prev])) / dt
    return {
        "jd_first_real_det": hist.first_valid[a],
        "jdstarthist_dt": hist.first_valid[a] - hist.jdstarthist[a],
        "mag_rate": rate,
        "sigma_rate": sigma,
        "lower_rate": rate - 1.645 * sigma,
        "upper_rate": rate + 1.645 * sigma,
        "delta_time": dt,
        "from_upper": from_upper,
    }


def _tracklets(ep: _Epochs, alerts: Index) -> pa.Array:
    """``TRCK_<YYYYMMDD>_<HHMMSS>_00`` of the exposure (astropy UTC; FINK-REFERENCE §5.3)."""
    mask = ep.kind[alerts] == _K["tracklet"]
    nulls = pa.nulls(len(alerts), pa.string())
    if not mask.any():
        return nulls
    exposures, inverse = np.unique(ep.jd[alerts][mask], return_inverse=True)
    stamps = np.atleast_1d(Time(exposures, format="jd", scale="utc").strftime("%Y%m%d_%H%M%S"))
    index = np.zeros(len(alerts), dtype=np.int64)
    index[mask] = inverse
    ids = pa.array([f"TRCK_{stamp}_00" for stamp in stamps])
    return pc.if_else(pa.array(mask), ids.take(pa.array(index)), nulls)


def _fink_columns(d: _Draws, ep: _Epochs, ph: _Photometry, hist: _History) -> dict[str, pa.Array]:
    a = hist.alerts
    kind, unit, key = ep.kind[a], ep.obj[a] // _MAX_SUB, ep.key[a]
    age = ep.jd[a] - hist.jdstarthist[a]  # days
    columns: Columns = {
        **_scores(d, kind, unit, key, hist.ndethist[a], ep.jd[a], age),
        **_crossmatches(d, kind, unit, ep.behind[a], age),
        **_rates(ep, ph, hist),
        "nalerthist": hist.nalerthist,
        "tracklet": _tracklets(ep, a),
    }
    out = {}
    for column in _FINK_SCALARS:
        values, kind_ = columns[column.name], ARROW_TYPES[column.type]
        if not isinstance(values, pa.Array):
            values = pa.array(np.asarray(values).astype(kind_.to_pandas_dtype()), kind_)
        out[column.name] = values
    return out


# --- cutouts -------------------------------------------------------------------------------------

_STAMP_VARIANTS = 4
_STAMP_NAMES = {
    "Science": ("_pid", "_targ_sci.fits.gz"),
    "Template": ("", "_ref.fits.gz"),
    "Difference": ("_pid", "_targ_scimref.fits.gz"),
}


def _fits_gz(image: npt.NDArray[np.float32]) -> bytes:
    """A gzip-compressed FITS file: one 63×63 big-endian float32 primary HDU (§10)."""
    buffer = io.BytesIO()
    fits.PrimaryHDU(image.astype(">f4")).writeto(buffer)
    return gzip.compress(buffer.getvalue(), compresslevel=6, mtime=0)


def make_stamps(seed: int = 0, variants: int = _STAMP_VARIANTS) -> dict[str, list[bytes]]:
    """Deterministic stamp variants (``Science``, ``Template``, ``Difference``), reused by alerts.

    A point source (Gaussian PSF, σ 1.3 px) on a noisy sky (DN); the template holds it at 30 %,
    the difference is science − template. Values are whole DN, so each is a few kB.
    """
    out: dict[str, list[bytes]] = {kind: [] for kind in _STAMP_NAMES}
    y, x = np.mgrid[0:63, 0:63] - 31.0
    psf = np.exp(-(x**2 + y**2) / (2 * 1.3**2))
    for variant in range(variants):
        rng = np.random.default_rng([int(seed) & _MASK64, variant])
        sky = rng.uniform(200.0, 800.0)
        flux = rng.uniform(500.0, 5000.0)
        template = sky + 0.3 * flux * psf + rng.normal(0.0, 8.0, psf.shape)
        science = sky + flux * psf + rng.normal(0.0, np.sqrt(sky), psf.shape)
        # whole DN: real stamps carry more noise bits, but a demo store stays small (~4 kB each)
        science, template = np.round(science), np.round(template)
        out["Science"].append(_fits_gz(science.astype(np.float32)))
        out["Template"].append(_fits_gz(template.astype(np.float32)))
        out["Difference"].append(_fits_gz((science - template).astype(np.float32)))
    return out


def _cutouts(
    d: _Draws, stamps: dict[str, list[bytes]] | None, candid: I64, pid: I64, key: I64
) -> dict[str, pa.Array]:
    """``candid<candid>_pid<pid>_targ_sci.fits.gz``-style names with a reused stamp each."""
    if stamps is None:
        return {kind: pa.nulls(len(candid), CUTOUT_TYPE) for kind in _STAMP_NAMES}
    variant = pa.array(d.integers(key, "stamp", 0, len(stamps["Science"]) - 1))
    out = {}
    for kind, (middle, suffix) in _STAMP_NAMES.items():
        parts = ["candid", _text(candid), *([middle, _text(pid)] if middle else []), suffix]
        name = pc.binary_join_element_wise(*parts, "")
        data = pa.array(stamps[kind], pa.binary()).take(variant)
        out[kind] = pa.StructArray.from_arrays([name, data], fields=list(CUTOUT_TYPE))
    return out


# --- tables --------------------------------------------------------------------------------------


def _prv_candidates(cols: Columns, status: npt.NDArray[np.int8], hist: _History) -> pa.Array:
    """Each alert's earlier epochs, oldest first (null when none); upper limits per §13."""
    lengths = hist.alerts - hist.prv_start
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    index = np.arange(offsets[-1]) - np.repeat(offsets[:-1] - hist.prv_start, lengths)
    upper = status[index] == 0
    children = [
        _arrow(
            cols["pdiffimfilename#prv" if name == "pdiffimfilename" else name],
            name,
            index,
            None if name in UPPER_LIMIT_FIELDS else upper,
        )
        for name in PRV_ORDER
    ]
    struct = pa.StructArray.from_arrays(children, fields=list(PRV_TYPE))
    return pa.ListArray.from_arrays(
        pa.array(offsets), struct, type=PRV_LIST_TYPE, mask=pa.array(lengths == 0)
    )


def _table(
    d: _Draws, seed: int, units: I64, limit: int, stamps: dict[str, list[bytes]] | None
) -> pa.Table:
    """At most ``limit`` alerts of ``units`` in ``ALERT_SCHEMA``."""
    ep = _plan(d, units)
    ph = _observe(d, ep)
    hist = _history(ep, ph.status, limit)
    geometry = _geometry(ep)
    pid = np.asarray(geometry["pid"])
    cols: Columns = {
        **geometry,
        **_measurement(d, ep, ph),
        **_calibration(d, ep),
        **_reference(d, ep),
        **_identity(d, ep, hist, pid),
    }
    a = hist.alerts
    candidate = pa.StructArray.from_arrays(
        [_arrow(cols[name], name, a, None) for name in CANDIDATE_ORDER],
        fields=list(CANDIDATE_TYPE),
    )
    candid = np.asarray(cols["candid"])[a]
    n = len(a)
    arrays = {
        "candid": pa.array(candid, pa.int64()),
        "publisher": _const("Fink", n),
        "objectId": _object_ids(seed, ep.obj[a], hist.jdstarthist[a]),
        "candidate": candidate,
        "prv_candidates": _prv_candidates(cols, ph.status, hist),
        **{
            f"cutout{kind}": array
            for kind, array in _cutouts(d, stamps, candid, pid[a], ep.key[a]).items()
        },
        **{name: _const(value, n) for name, value in VERSIONS.items()},
        **_fink_columns(d, ep, ph, hist),
    }
    return pa.Table.from_arrays([arrays[f.name] for f in ALERT_SCHEMA], schema=ALERT_SCHEMA)


def generate_alerts(n_alerts: int, seed: int = 0, with_cutouts: bool = True) -> Iterator[pa.Table]:
    """Yield ``n_alerts`` deterministic demo alerts in Fink's nested parquet layout.

    Parameters
    ----------
    n_alerts : int
        Total number of alerts (rows) over all tables.
    seed : int
        Any integer; the same ``(n_alerts, seed)`` always gives the same tables.
    with_cutouts : bool
        Attach gzip-compressed FITS stamps (a few variants, reused), else null cutouts.

    Yields
    ------
    pyarrow.Table
        ``ALERT_SCHEMA`` rows, at most ``BATCH_ALERTS`` (``BATCH_ALERTS_WITH_CUTOUTS`` with
        cutouts) per table, grouped by objectId and in time order within one.
    """
    assert n_alerts >= 0, "n_alerts must be >= 0"
    d = _Draws(seed)
    stamps = make_stamps(seed) if with_cutouts else None
    batch = BATCH_ALERTS_WITH_CUTOUTS if with_cutouts else BATCH_ALERTS
    next_unit, remaining = 0, n_alerts
    while remaining > 0:
        count = int(np.clip(remaining // 6 + 8, 8, _UNITS_PER_CHUNK))
        assert next_unit + count <= _ID_SPACE // _MAX_SUB, "too many alerts for 7-letter ids"
        units = np.arange(next_unit, next_unit + count, dtype=np.int64)
        table = _table(d, seed, units, remaining, stamps)
        next_unit += count
        remaining -= table.num_rows
        for start in range(0, table.num_rows, batch):
            yield table.slice(start, batch)
