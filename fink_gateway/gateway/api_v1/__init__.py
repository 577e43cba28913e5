"""Fink's REST dialect (``/api/v1/<route>``, FINK-REFERENCE §12) answered through the schema."""
