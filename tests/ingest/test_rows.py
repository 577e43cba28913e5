"""Row keys and cells built from the real Fink samples equal Fink's own (FINK-REFERENCE §1)."""

from __future__ import annotations

import struct

import pytest

from fink_gateway.ingest.alerts import read_alerts
from fink_gateway.ingest.history import history_rows
from fink_gateway.ingest.readers import read_table
from fink_gateway.ingest.rows import (
    EncodedAlerts,
    class_rows,
    main_rows,
    pixel_rows,
    ssnamenr_rows,
    tns_rows,
    tracklet_rows,
)
from fink_gateway.layout.cells import decode_value
from tests.data_paths import FINK_ZTF

SAMPLES = {
    "superluminous": "superluminous_test_alerts.parquet",
    "datatest": "science_20211119_part2.parquet",
    "online": "alert_samples_20220804.parquet",
    "benoit": "science_20250114.parquet",
}


@pytest.fixture(scope="module")
def encoded() -> dict[str, EncodedAlerts]:
    out = {}
    for name, file in SAMPLES.items():
        path = FINK_ZTF / file
        out[name] = EncodedAlerts(read_alerts(read_table(path), str(path)))
    return out


@pytest.mark.parametrize(
    ("sample", "builder", "key"),
    [
        ("superluminous", main_rows, b"ZTF25abuovxv_2460983.8906481"),
        ("datatest", main_rows, b"ZTF18abadigg_2459540.6045949"),
        ("online", main_rows, b"ZTF22aayqeuc_2459795.8062153"),
        ("superluminous", pixel_rows, b"40835_2460943.0072222_ZTF25abuovxv"),
        ("datatest", pixel_rows, b"75464_2458281.9186458_ZTF18abadigg"),
        ("online", pixel_rows, b"131757_2459795.8062153_ZTF22aayqeuc"),
        ("superluminous", class_rows, b"SN candidate_2460983.8906481_ZTF25abuovxv"),
        ("datatest", class_rows, b"Planet?_2459540.6824537_ZTF18abjtlqo"),
        ("online", class_rows, b"Solar System MPC_2459795.8062153_ZTF22aayqeuc"),
        ("datatest", ssnamenr_rows, b"4371_2459540.6065972"),
        ("online", ssnamenr_rows, b"409439_2459795.8062153"),
        ("benoit", ssnamenr_rows, b"8467_2460689.6308681"),
        ("superluminous", tns_rows, b"TDE-H-He_2460990.8659259_ZTF25abxvhmk"),
        ("superluminous", tns_rows, b"SN Ic_2460987.7316782_ZTF25abitcpd"),
    ],
)
def test_row_keys_equal_finks(encoded, sample, builder, key) -> None:
    assert key in builder(encoded[sample]).keys


def test_upper_limit_keys_equal_finks(encoded) -> None:
    assert b"ZTF18abadigg_2459512.6441319" in history_rows(encoded["datatest"].alerts)[
        "upper"
    ].keys


def test_history_follows_the_last_previous_entry(encoded) -> None:
    """ZTF25abuovxv's last previous point is a bad-quality detection (rb 0.394), so its
    history feeds ``uppervalid`` and not ``upper`` (§6)."""
    history = history_rows(encoded["superluminous"].alerts)
    assert b"ZTF25abuovxv_2460985.8177778" in history["uppervalid"].keys
    assert not any(k.startswith(b"ZTF25abuovxv_") for k in history["upper"].keys)


def test_index_tables_take_only_their_alerts(encoded) -> None:
    assert len(ssnamenr_rows(encoded["online"])) == 5  # roid == 3
    assert len(tns_rows(encoded["superluminous"])) == 4  # tns != ""
    # Fink's filter excludes only "null" and "": the literal "None" passes (§1.4 quirk)
    keys = tracklet_rows(encoded["superluminous"]).keys
    assert len(keys) == 17 and all(k.startswith(b"None_ZTF") for k in keys)


def test_cells_use_finks_binary_encoding(encoded) -> None:
    batch = main_rows(encoded["superluminous"])
    row = dict(next(r for r in batch.rows() if r[0] == b"ZTF25abuovxv_2460983.8906481")[1])
    assert struct.unpack(">d", row[b"i:jd"])[0] == 2460983.8906481
    assert len(row[b"i:magpsf"]) == 4 and len(row[b"i:candid"]) == 8 and len(row[b"i:fid"]) == 4
    assert row[b"i:objectId"] == b"ZTF25abuovxv"
    assert row[b"d:from_upper"] in (b"true", b"false")
    assert decode_value(row[b"d:roid"], "integer") == 0
    # absent science columns get Fink's defaults (superluminous lacks mulens)
    assert struct.unpack(">d", row[b"d:mulens"])[0] == 0.0


def test_pixel_rows_carry_the_classification(encoded) -> None:
    batch = pixel_rows(encoded["superluminous"])
    cells = dict(next(r for r in batch.rows() if r[0].endswith(b"ZTF25abuovxv"))[1])
    assert cells[b"d:classification"] == b"SN candidate"
