"""Deterministic, realistic demo alerts of Rubin LSST in Fink's parquet layout (lsst.v10_0).

:func:`generate_lsst_alerts` yields pyarrow Tables shaped like the parquet Fink writes after
its science modules (:data:`LSST_ALERT_SCHEMA`): the alert's root columns, ``diaSource``,
``diaObject``, ``ssSource`` and ``mpc_orbits`` structs with the v10_0 fields and types,
``prvDiaSources`` and ``prvDiaForcedSources``, null cutouts, and Fink's ``clf``, ``xm``,
``pred``, ``misc`` structs and version columns. Every value is a pure function of ``(seed,
name, key)`` through the counter-based draws of :mod:`fink_gateway.demo.draws`, as for ZTF.

A *unit* is one simulated source: a supernova (Ia or II), a periodic variable, an AGN, a short
orphan transient (one diaObject each), or an asteroid seen on a few nights (Solar System
alerts: no diaObject, ``diaObjectId`` 0, an ``ssSource`` and the MPC orbit). Static units sit
on Rubin's sky (dec < +5°, some in deep drilling fields); the nights are dayObs 2025-11-01 to
2026-04-29 (MJD TAI). Each visit is measured (fluxes in nJy on the difference and science
images, 5σ depths per band ugrizy); a visit at least 5σ from zero is a diaSource and an alert.
Ids are 64-bit and packed as Rubin packs them; an object's ``diaObjectId`` is its first
source's ``diaSourceId``, and ``nDiaSources`` is one more than its alert's ``prvDiaSources``.
Most static objects carry forced photometry, so that Fink's rule (docs/fink-lsst.md §4.5)
writes ``fp`` rows for them.

Modules, in dependency order: :mod:`.layout` (output schema, nights, struct helpers),
:mod:`.ids` (visits, diaSourceId, ssObjectId), :mod:`.ragged`, :mod:`.units` (kinds, sky,
designations), :mod:`.lightcurves` (fluxes), :mod:`.orbits` (asteroid geometry),
:mod:`.epochs` (visits), :mod:`.photometry` (measurements, alerts and history),
:mod:`.sources`, :mod:`.objects`, :mod:`.solar_system`, :mod:`.fink_columns` (fields) and
:mod:`.tables` (assembly).
"""

from fink_gateway.demo.lsst.layout import (
    BATCH_LSST_ALERTS,
    LSST_ALERT_SCHEMA,
    MJD_END,
    MJD_START,
)
from fink_gateway.demo.lsst.tables import generate_lsst_alerts

__all__ = ["BATCH_LSST_ALERTS", "LSST_ALERT_SCHEMA", "MJD_END", "MJD_START", "generate_lsst_alerts"]
