"""Writes ``miriade_8467.json``: a SYNTHETIC Miriade ephemcc reply (see README.md).

Run from the repository root: ``python tests/resolvers/data/make_miriade_fixture.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from astropy import units as u
from astropy.coordinates import Angle

from fink_gateway.loaders.miriade import shifted_epochs

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "data" / "fink-ztf"
SSO_FILE = SHARED / "sso_lightcurves_with_ephemerides_202504.parquet"
ALERT_FILES = ("science_20250114.parquet", "science_20250116.parquet", "science_20250131.parquet")


def alert_jds() -> list[float]:
    """JDs of the three 8467 alerts of the benoit_julien_2025 samples, oldest first."""
    jds = [pq.read_table(SHARED / f).column("candidate").combine_chunks().field("jd")[0].as_py()
           for f in ALERT_FILES]  # fmt: skip
    return sorted(jds)


def main() -> None:
    (row,) = [r for r in pq.read_table(SSO_FILE).to_pylist() if r["ssnamenr"] == "8467"]
    index = {jd: i for i, jd in enumerate(row["cjd"])}
    jds = alert_jds()
    data = []
    for jd, epoch in zip(jds, shifted_epochs(jds).tolist(), strict=True):
        i = index[jd]
        value = {k: float(str(np.float32(row[k][i]))) for k in ("Dobs", "Dhelio", "Phase")}
        data.append({
            "Date": float(f"{epoch:.6f}"),
            "RA": Angle(float(str(np.float32(row["RA"][i]))), u.deg).to_string(
                unit=u.hourangle, sep=" ", precision=4, pad=True),
            "DEC": Angle(float(str(np.float32(row["DEC"][i]))), u.deg).to_string(
                unit=u.deg, sep=" ", precision=3, pad=True, alwayssign=True),
            **value,
            "Elong.": float(str(np.float32(row["Elong"][i]))),
        })  # fmt: skip
    (HERE / "miriade_8467.json").write_text(json.dumps({"data": data}, indent=1) + "\n")


if __name__ == "__main__":
    main()
