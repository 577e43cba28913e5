"""Deterministic, realistic demo alerts in Fink's nested parquet layout (FINK-REFERENCE §13).

:func:`generate_alerts` yields pyarrow Tables shaped like Fink's science parquet: root ids,
a ``candidate`` struct with ZTF's 103 fields and types, ``prv_candidates``, three cutout
structs and Fink's scalar science columns. Every value is a pure function of ``(seed, name,
key)`` through a counter-based hash, so the output is identical across runs and does not
depend on batching; the first *n* alerts of a longer run are the alerts of a run of *n*.
:func:`demo_truth` recovers what an objectId was generated as (its kind and, for periodic
variables, the true period). The data feeds ``fink-gateway demo``/``serve``, tests and
benchmarks; ingest does not use it. Rubin LSST demo alerts come from
:mod:`fink_gateway.demo.lsst`.

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

Modules, in dependency order: :mod:`~fink_gateway.demo.arrays` (array aliases, text helpers),
:mod:`~fink_gateway.demo.arrow_schema` (output schema and settings),
:mod:`~fink_gateway.demo.draws` (counter-based random numbers),
:mod:`~fink_gateway.demo.units` (kinds, labels, parameters),
:mod:`~fink_gateway.demo.truth` (objectIds), :mod:`~fink_gateway.demo.epochs` (planning),
:mod:`~fink_gateway.demo.observing` (photometry, history),
:mod:`~fink_gateway.demo.candidate` (ZTF candidate fields),
:mod:`~fink_gateway.demo.science_columns` (Fink science columns),
:mod:`~fink_gateway.demo.cutouts` (FITS stamps) and :mod:`~fink_gateway.demo.tables`
(assembly).
"""

from fink_gateway.demo.arrow_schema import (
    ALERT_SCHEMA,
    BATCH_ALERTS,
    BATCH_ALERTS_WITH_CUTOUTS,
    JD_END,
    JD_START,
    UPPER_LIMIT_FIELDS,
    VERSIONS,
)
from fink_gateway.demo.cutouts import make_stamps
from fink_gateway.demo.tables import generate_alerts
from fink_gateway.demo.truth import DemoTruth, demo_truth
from fink_gateway.demo.units import KINDS

__all__ = [
    "ALERT_SCHEMA",
    "BATCH_ALERTS",
    "BATCH_ALERTS_WITH_CUTOUTS",
    "JD_END",
    "JD_START",
    "KINDS",
    "UPPER_LIMIT_FIELDS",
    "VERSIONS",
    "DemoTruth",
    "demo_truth",
    "generate_alerts",
    "make_stamps",
]
