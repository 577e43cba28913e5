"""``/graphql`` answered as CSV, Parquet or VOTable, over the samples (in this package to
share its store): the same data as the JSON answer, typed, with units; coded refusals."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from astropy.io import votable

from tests.gateway.api_v1.conftest import Served

LIGHT_CURVES = """query($ids: [String!]!) { objects(objectIds: $ids) { objectId
  lightcurve(withUpperLimits: true) { jd magpsf sigmapsf fid tag candid } } }"""
ALERTS = """query { object(objectId: "ZTF25abuovxv") { objectId
  alerts { nodes { candid jd magpsf ra dec isTransient classification { label } } } } }"""


def test_light_curves_as_csv_are_the_json_answer_one_row_per_point(served: Served) -> None:
    body = {"query": LIGHT_CURVES, "variables": {"ids": served.object_ids}}
    as_json = served.client.post("/graphql", json=body).json()["data"]["objects"]
    response = served.client.post("/graphql", json=body, headers={"accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(response.content))
    assert len(frame) == sum(len(o["lightcurve"]["jd"]) for o in as_json)
    expected_ids = [o["objectId"] for o in as_json for _ in o["lightcurve"]["jd"]]
    assert frame["objectId"].tolist() == expected_ids
    magpsf = [m for o in as_json for m in o["lightcurve"]["magpsf"]]
    assert np.allclose(frame["lightcurve.magpsf"], np.array(magpsf, dtype=float), equal_nan=True)
    assert set(frame["lightcurve.tag"]) == {"valid", "upperlim", "badquality"}


def test_parquet_round_trips_the_schema_types(served: Served) -> None:
    response = served.client.post("/graphql?format=parquet", json={"query": ALERTS})
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(response.content))
    types = {f.name: f.type for f in table.schema}
    assert types == {"objectId": pa.string(), "candid": pa.int64(), "jd": pa.float64(),
                     "magpsf": pa.float32(), "ra": pa.float64(), "dec": pa.float64(),
                     "isTransient": pa.bool_(), "classification.label": pa.string()}
    assert sorted(table.column("candid").to_pylist()) == [3229390645815015015,
                                                          3231437615815015011]
    assert table.column("magpsf").to_pylist()[0] == np.float32(18.797047)


def test_votable_parses_with_units_and_ucds(served: Served) -> None:
    response = served.client.get(
        "/graphql", params={"query": ALERTS, "format": "votable"}
    )  # a link a browser can follow
    assert response.status_code == 200
    assert 'filename="fink.vot"' in response.headers["content-disposition"]
    table = votable.parse(io.BytesIO(response.content)).get_first_table()
    fields = {f.name: f for f in table.fields}
    assert str(fields["magpsf"].unit) == "mag" and fields["magpsf"].datatype == "float"
    assert str(fields["ra"].unit) == "deg" and fields["ra"].ucd == "pos.eq.ra;meta.main"
    assert str(fields["jd"].unit) == "d" and fields["candid"].datatype == "long"
    assert "PSF-fit magnitude" in fields["magpsf"].description
    assert len(table.to_table()) == 2


def test_query_that_is_not_one_table_is_refused_before_running(served: Served) -> None:
    query = '{ objects(objectIds: ["ZTF25abuovxv"]) { alerts { nodes { jd } } } }'
    response = served.client.post("/graphql", json={"query": query},
                                  headers={"accept": "application/vnd.apache.parquet"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_TABULAR"
    assert "objects.alerts.nodes" in error["message"]


def test_tabular_errors_are_graphql_json_with_their_status(served: Served) -> None:
    bad = served.client.post("/graphql?format=csv", json={
        "query": '{ conesearch(ra: 1, dec: 2, radius: 99999) { nodes { separation } } }'})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"
    invalid = served.client.post("/graphql?format=csv", json={"query": "{ nope }"})
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    unknown = served.client.post("/graphql?format=xlsx", json={"query": "{ version }"})
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_json_stays_the_default(served: Served) -> None:
    response = served.client.post("/graphql", json={"query": ALERTS},
                                  headers={"accept": "application/json, text/csv"})
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["data"]["object"]["objectId"] == "ZTF25abuovxv"
