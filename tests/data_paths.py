"""Where the Fink sample data the tests use lives (``tests/data/``, with its origins and
licence in ``tests/data/README.md``), and how tests read it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

TEST_DATA = Path(__file__).resolve().parent / "data"
FINK_ZTF = TEST_DATA / "fink-ztf"

SAMPLE_FILES: dict[str, tuple[str, ...]] = {
    "superluminous": ("superluminous_test_alerts.parquet",),
    "datatest": ("science_20211119_part2.parquet",),
    "online": ("alert_samples_20220804.parquet",),
    "benoit_julien_2025": (
        "science_20250114.parquet",
        "science_20250116.parquet",
        "science_20250131.parquet",
    ),
    "broker_utest": ("science_20190903.parquet",),
}
"""FINK-REFERENCE §13 sample names → file names under ``FINK_ZTF``."""

SCIENCE_FILES = sorted(p for p in FINK_ZTF.glob("*.parquet") if not p.name.startswith("sso"))
"""Every science sample file (the SSO light-curve file excluded)."""

_CANDIDATE_INPUTS = ("ndethist", "drb", "classtar", "jd", "jdstarthist")


def read_sample(name: str) -> pa.Table:
    """The alerts of one §13 sample, concatenated in file order (nested Fink layout)."""
    tables = [pq.read_table(FINK_ZTF / f) for f in SAMPLE_FILES[name]]
    return pa.concat_tables(tables, promote_options="permissive")


def classification_frame(table: pa.Table) -> pd.DataFrame:
    """The classification inputs of nested Fink alerts: root columns plus ``candidate.*``.

    ``objectId`` is kept; a Fink column the table lacks is simply absent.
    """
    candidate = table.column("candidate").combine_chunks()
    columns: dict[str, object] = {"objectId": table.column("objectId").to_pandas()}
    for name in _CANDIDATE_INPUTS:
        columns[name] = candidate.field(name).to_pandas()
    for name in (
        "cdsxmatch", "roid", "mulens", "snn_snia_vs_nonia", "snn_sn_vs_all",
        "rf_snia_vs_nonia", "rf_kn_vs_nonkn", "tracklet",
    ):  # fmt: skip
        if name in table.column_names:
            columns[name] = table.column(name).to_pandas()
    return pd.DataFrame(columns)
