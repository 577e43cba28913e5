"""Scripts written the way Fink's documentation writes them (``requests`` then
``pd.read_json(io.BytesIO(r.content))``), run against a live gateway's base URL."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import requests
from astropy.io import fits, votable

from tests.gateway.api_v1.expected_objects import expected_frame


def test_objects_script(live_url: str) -> None:
    r = requests.post(f"{live_url}/api/v1/objects",
                      json={"objectId": "ZTF25abuovxv,ZTF18abadigg", "output-format": "json"})
    pdf = pd.read_json(io.BytesIO(r.content))
    want = expected_frame(["ZTF25abuovxv", "ZTF18abadigg"], with_upper=False)
    assert len(pdf) == len(want)
    assert sorted(pdf["i:candid"].tolist()) == sorted(want["i:candid"].tolist())
    assert pdf["i:jd"].is_monotonic_decreasing
    r = requests.post(f"{live_url}/api/v1/objects",
                      json={"objectId": "ZTF25abuovxv", "output-format": "parquet",
                            "withupperlim": True})
    limits = pd.read_parquet(io.BytesIO(r.content))
    assert set(limits["d:tag"]) == {"valid", "badquality"}


def test_conesearch_script(live_url: str) -> None:
    r = requests.post(f"{live_url}/api/v1/conesearch",
                      json={"ra": "92.4445778", "dec": "35.5722176", "radius": "5",
                            "output-format": "json"})
    pdf = pd.read_json(io.BytesIO(r.content))
    assert pdf["i:objectId"].tolist() == ["ZTF25abuovxv"]
    assert pdf["v:separation_degree"].iloc[0] < 5 / 3600


def test_latests_script(live_url: str) -> None:
    r = requests.post(f"{live_url}/api/v1/latests",
                      json={"class": "Solar System MPC", "n": "4", "output-format": "csv"})
    pdf = pd.read_csv(io.BytesIO(r.content))
    assert len(pdf) == 4 and set(pdf["v:classification"]) == {"Solar System MPC"}


def test_sso_script(live_url: str) -> None:
    r = requests.post(f"{live_url}/api/v1/sso",
                      json={"n_or_d": "8467", "withEphem": True, "output-format": "json"})
    pdf = pd.read_json(io.BytesIO(r.content))
    assert len(pdf) == 3 and pdf["Phase"].notna().all()
    assert (pdf["i:magpsf_red"] < pdf["i:magpsf"]).all()


def test_cutouts_script(live_url: str) -> None:
    r = requests.post(f"{live_url}/api/v1/cutouts",
                      json={"objectId": "ZTF25abuovxv", "kind": "Difference",
                            "output-format": "FITS"})
    with fits.open(io.BytesIO(r.content), ignore_missing_simple=True) as hdus:
        assert hdus[0].data.shape == (63, 63)
    r = requests.post(f"{live_url}/api/v1/cutouts",
                      json={"objectId": "ZTF25abuovxv", "kind": "Science",
                            "output-format": "array"})
    assert np.array(r.json()["b:cutoutScience_stampData"]).shape == (63, 63)


def test_votable_script(live_url: str) -> None:
    r = requests.get(f"{live_url}/api/v1/objects",
                     params={"objectId": "ZTF25abuovxv", "output-format": "votable"})
    parsed = votable.parse_single_table(io.BytesIO(r.content))
    table = parsed.to_table(use_names_over_ids=True)  # Fink's names; ids are XML-safe: i_jd
    assert str(table["i:magpsf"].unit) == "mag" and len(table) == 2
    assert parsed.get_field_by_id("i_jd").ucd == "time.epoch;obs"
