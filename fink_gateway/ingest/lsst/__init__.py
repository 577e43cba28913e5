"""Ingest of Fink-processed Rubin LSST alerts into Fink's ``rubin.*`` tables (docs/fink-lsst.md)."""
