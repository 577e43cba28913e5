"""Tabular answers: a GraphQL result as one table, encoded as CSV, Parquet or VOTable."""
