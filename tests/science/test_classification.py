"""Tests for fink_gateway.science.classification (FINK-REFERENCE §7, §13)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from fink_gateway.science.classification import (
    CLASSIFICATION_INPUTS,
    EG_HOSTS,
    FINK_CLASSES,
    TNS_TYPES,
    classification_flags,
    classify,
    count_labels,
    is_eg_host,
    is_simbad_label,
    labels_from_flags,
    legacy_mulens_score,
)
from tests.data_paths import classification_frame, read_sample

# An alert that no filter picks: a clean, recent, EG-compatible detection with zero scores.
BASE: dict[str, Any] = {
    "cdsxmatch": "Unknown",
    "roid": 0,
    "mulens": 0.0,
    "snn_snia_vs_nonia": 0.0,
    "snn_sn_vs_all": 0.0,
    "rf_snia_vs_nonia": 0.0,
    "ndethist": 5,
    "drb": 0.9,
    "classtar": 0.9,
    "jd": 2460010.5,
    "jdstarthist": 2460000.5,
    "rf_kn_vs_nonkn": 0.0,
    "tracklet": "",
}
SN = {"snn_sn_vs_all": 0.9}
EARLY_SN = {"snn_snia_vs_nonia": 0.9, "rf_snia_vs_nonia": 0.9}
KN = {"rf_kn_vs_nonkn": 0.9, "jd": 2460002.5}


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """One alert per mapping, each BASE with the mapping's overrides."""
    return pd.DataFrame([{**BASE, **row} for row in rows])


def label(**overrides: Any) -> str:
    return str(classify(frame(overrides))[0])


# --- constants ---------------------------------------------------------------------------------


def test_constants_have_reference_sizes() -> None:
    assert len(EG_HOSTS) == len(set(EG_HOSTS)) == 34
    assert len(FINK_CLASSES) == len(set(FINK_CLASSES)) == 11
    assert len(TNS_TYPES) == len(set(TNS_TYPES)) == 43
    assert len(CLASSIFICATION_INPUTS) == 13
    assert {"galaxy", "Galaxy", "Fail 504", "SN*_Candidate"} <= set(EG_HOSTS)


# --- string predicates -------------------------------------------------------------------------


def test_is_simbad_label_is_case_sensitive_for_galaxy() -> None:
    values = ["galaxy", "Galaxy", "GalaxyCluster", "RRLyr", "Seyfert_1"]
    assert is_simbad_label(values).tolist() == [True, False, False, True, True]


def test_is_simbad_label_excludes_failures_and_non_matches() -> None:
    values = ["Unknown", "Transient", "Fail", "Fail 504", "Fail 500", None, np.nan, "SN"]
    assert is_simbad_label(values).tolist() == [False] * 7 + [True]


def test_is_eg_host_counts_null_as_unknown() -> None:
    values = pd.Series(["galaxy", "Galaxy", "Fail 504", None, "RRLyr", "Fail 500"], dtype="str")
    assert is_eg_host(values).tolist() == [True, True, True, True, False, False]


def test_is_simbad_label_accepts_pyarrow_backed_and_categorical() -> None:
    values = ["EB*", "Unknown", "EB*"]
    expected = [True, False, True]
    assert is_simbad_label(pd.Series(values, dtype="category")).tolist() == expected
    assert is_simbad_label(pd.Series(pa.array(values)).astype("str")).tolist() == expected


# --- flags, one at a time ----------------------------------------------------------------------


def test_base_alert_is_unknown() -> None:
    flags = classification_flags(frame({}))
    for name in ("simbad", "early_sn", "sn", "mulens", "kn", "roid2", "roid3", "tracklet"):
        assert not getattr(flags, name)[0], name
    assert label() == "Unknown"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, True),
        ({"snn_snia_vs_nonia": 0.0, "snn_sn_vs_all": 0.51}, True),
        ({"ndethist": 20}, True),
        ({"ndethist": 21}, False),
        ({"ndethist": 1}, True),  # no "> 1" condition for early SN
        ({"rf_snia_vs_nonia": 0.5}, False),
        ({"snn_snia_vs_nonia": 0.5}, False),
        ({"drb": 0.5}, False),
        ({"classtar": 0.4}, False),
        ({"cdsxmatch": "RRLyr"}, False),
        ({"cdsxmatch": "galaxy"}, True),
        ({"roid": 3}, True),  # early SN ignores roid
        ({"jd": 2460500.5}, True),  # and age
        ({"drb": None}, False),
    ],
)
def test_early_sn_flag(overrides: dict[str, Any], expected: bool) -> None:
    assert classification_flags(frame({**EARLY_SN, **overrides})).early_sn[0] == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, True),
        ({"jd": 2460090.5}, True),  # age exactly 90 d
        ({"jd": 2460090.6}, False),
        ({"ndethist": 1}, False),
        ({"ndethist": 200}, True),
        ({"roid": 3}, False),
        ({"roid": 2}, True),
        ({"cdsxmatch": "Fail 504"}, True),
        ({"cdsxmatch": "Galaxy"}, True),
        ({"cdsxmatch": "Star"}, False),
        ({"cdsxmatch": None}, True),
        ({"jdstarthist": None}, False),
        ({"ndethist": None}, False),
    ],
)
def test_sn_flag(overrides: dict[str, Any], expected: bool) -> None:
    assert classification_flags(frame({**SN, **overrides})).sn[0] == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, True),
        ({"jd": 2460005.5}, False),  # age exactly 5 d: "< 5"
        ({"ndethist": 19}, True),
        ({"ndethist": 20}, False),
        ({"roid": 3}, False),
        ({"rf_kn_vs_nonkn": 0.5}, False),
        ({"cdsxmatch": "QSO"}, False),
        ({"classtar": None}, False),
    ],
)
def test_kn_flag(overrides: dict[str, Any], expected: bool) -> None:
    assert classification_flags(frame({**KN, **overrides})).kn[0] == expected


def test_mulens_flag_is_strictly_positive_and_missing_is_zero() -> None:
    flags = classification_flags(frame({"mulens": 0.0}, {"mulens": 1e-9}, {"mulens": None}))
    assert flags.mulens.tolist() == [False, True, False]
    without_column = frame({}).drop(columns="mulens")
    assert not classification_flags(without_column).mulens[0]


def test_roid_flags() -> None:
    flags = classification_flags(frame({"roid": 0}, {"roid": 1}, {"roid": 2}, {"roid": 3}))
    assert flags.roid2.tolist() == [False, False, True, False]
    assert flags.roid3.tolist() == [False, False, False, True]


def test_tracklet_flag_needs_the_trck_prefix() -> None:
    values = ["TRCK_20210604_093609_00", "", None, "None", "null", "trck_1", " TRCK_1"]
    flags = classification_flags(frame(*({"tracklet": v} for v in values)))
    assert flags.tracklet.tolist() == [True] + [False] * 6


def test_float32_inputs_are_widened_like_fink() -> None:
    # float32(0.4) is 0.4000000059604645 once widened, so it passes "classtar > 0.4".
    alerts = frame({**SN, "classtar": 0.4})
    alerts["classtar"] = alerts["classtar"].astype(np.float32)
    assert classification_flags(alerts).sn[0]


# --- order, Ambiguous, SIMBAD override ---------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (SN, "SN candidate"),
        ({**SN, **EARLY_SN}, "Early SN Ia candidate"),  # early SN overwrites SN
        ({**SN, **KN}, "Kilonova candidate"),  # KN overwrites SN
        ({"mulens": 0.5}, "Microlensing candidate"),
        ({"roid": 2}, "Solar System candidate"),
        ({"roid": 3}, "Solar System MPC"),
        ({"tracklet": "TRCK_20210604_093609_00"}, "Tracklet"),
        ({"tracklet": "TRCK_20210604_093609_00", "roid": 3}, "Solar System MPC"),
        ({"tracklet": "TRCK_20210604_093609_00", **KN}, "Tracklet"),
        ({**EARLY_SN, "roid": 3}, "Solar System MPC"),
    ],
)
def test_classify_order_of_application(overrides: dict[str, Any], expected: str) -> None:
    assert label(**overrides) == expected


@pytest.mark.parametrize(
    "overrides",
    [
        {**SN, "mulens": 0.5},
        {**SN, **EARLY_SN, "mulens": 0.5},  # early SN does not save it from Ambiguous
        {"mulens": 0.5, "roid": 3},
        {"mulens": 0.5, "roid": 2},
        {**SN, "roid": 2},
    ],
)
def test_classify_ambiguous_when_two_counted_flags(overrides: dict[str, Any]) -> None:
    assert label(**overrides) == "Ambiguous"


def test_classify_simbad_overrides_everything() -> None:
    assert label(cdsxmatch="RRLyr", roid=3) == "RRLyr"
    assert label(cdsxmatch="EB*", mulens=0.5, roid=3) == "EB*"  # beats Ambiguous too
    assert label(cdsxmatch="galaxy", **SN) == "galaxy"  # EG host *and* SIMBAD
    assert label(cdsxmatch="Galaxy", **SN) == "SN candidate"
    assert label(cdsxmatch="Fail 504", roid=3) == "Solar System MPC"
    assert label(cdsxmatch=None) == "Unknown"


def test_labels_from_flags_matches_classify() -> None:
    alerts = frame({}, SN, {"roid": 3, "cdsxmatch": "V*"}, {"mulens": 1.0, **SN})
    flags = classification_flags(alerts)
    assert labels_from_flags(flags, alerts["cdsxmatch"]).tolist() == classify(alerts).tolist()


def test_classify_returns_object_array_of_str_and_keeps_input() -> None:
    alerts = frame({}, {"cdsxmatch": None, "tracklet": None})
    before = alerts.copy()
    labels = classify(alerts)
    assert labels.dtype == object
    assert labels.tolist() == ["Unknown", "Unknown"]
    pd.testing.assert_frame_equal(alerts, before)


def test_classify_is_vectorised_over_many_rows() -> None:
    rows = [{}, SN, {**SN, **EARLY_SN}, KN, {"mulens": 0.3}, {"roid": 3}, {"cdsxmatch": "EB*"}]
    alerts = frame(*rows)
    big = pd.concat([alerts] * 20_000, ignore_index=True)
    labels = classify(big)
    assert labels.shape == (140_000,)
    assert labels[:7].tolist() == classify(alerts).tolist()
    assert count_labels(labels)["SN candidate"] == 20_000


# --- legacy microlensing struct ----------------------------------------------------------------


def test_legacy_mulens_score_needs_both_classes_ml() -> None:
    records: list[dict[str, Any] | None] = [
        {"class_1": "ML", "ml_score_1": 0.8, "class_2": "ML", "ml_score_2": 0.6},
        {"class_1": "ML", "ml_score_1": 0.8, "class_2": "CV", "ml_score_2": 0.6},
        {"class_1": "", "ml_score_1": None, "class_2": "", "ml_score_2": None},
        None,
    ]
    expected = [0.7, 0.0, 0.0, 0.0]
    np.testing.assert_allclose(legacy_mulens_score(records), expected)
    struct = pa.array(records)
    np.testing.assert_allclose(legacy_mulens_score(struct), expected)
    np.testing.assert_allclose(legacy_mulens_score(pa.chunked_array([struct])), expected)


def test_classify_accepts_legacy_mulens_struct() -> None:
    struct = {"class_1": "ML", "ml_score_1": 0.9, "class_2": "ML", "ml_score_2": 0.7}
    assert label(mulens=struct) == "Microlensing candidate"


# --- the §13 sample files ----------------------------------------------------------------------


def sample_labels(name: str) -> tuple[dict[str, int], dict[str, int]]:
    """(Fink-side label counts, SIMBAD label counts) of one sample."""
    alerts = classification_frame(read_sample(name))
    labels = classify(alerts)
    simbad = is_simbad_label(alerts["cdsxmatch"])
    return count_labels(labels[~simbad]), count_labels(labels[simbad])


@pytest.mark.parametrize(
    ("name", "fink_side", "simbad_rows", "simbad_labels"),
    [
        ("superluminous", {"Unknown": 11, "SN candidate": 7}, 56, 43),
        ("datatest", {"Unknown": 3, "Early SN Ia candidate": 2, "Solar System MPC": 1}, 61, 46),
        ("online", {"Solar System MPC": 5}, 6, 4),
        ("benoit_julien_2025", {"Solar System MPC": 3}, 0, 0),
        ("broker_utest", {"Unknown": 1}, 1, 1),
    ],
)
def test_classify_reproduces_reference_sample_table(
    name: str, fink_side: dict[str, int], simbad_rows: int, simbad_labels: int
) -> None:
    got_fink, got_simbad = sample_labels(name)
    assert got_fink == fink_side
    assert sum(got_simbad.values()) == simbad_rows
    assert len(got_simbad) == simbad_labels


def test_classify_sample_simbad_details() -> None:
    _, online = sample_labels("online")
    assert online == {"EB*_Candidate": 2, "V*": 2, "PulsV*": 1, "RRLyr": 1}
    _, utest = sample_labels("broker_utest")
    assert utest == {"LPV*": 1}
    _, superluminous = sample_labels("superluminous")
    assert superluminous["Blue"] == superluminous["Ae*"] == superluminous["Seyfert_2"] == 3


def test_classify_datatest_unknowns_and_mpc_row() -> None:
    alerts = classification_frame(read_sample("datatest"))
    labels = classify(alerts)
    unknown = alerts["cdsxmatch"][labels == "Unknown"]
    assert sorted(unknown) == ["Fail", "Fail", "Unknown"]
    mpc = alerts[labels == "Solar System MPC"]
    assert mpc["cdsxmatch"].tolist() == ["Fail"] and mpc["roid"].tolist() == [3]


def test_classify_datatest_legacy_mulens_is_zero() -> None:
    table = read_sample("datatest")
    assert pa.types.is_struct(table.schema.field("mulens").type)
    assert not legacy_mulens_score(table.column("mulens")).any()


def test_classify_agrees_with_superluminous_finkclass() -> None:
    table = read_sample("superluminous")
    alerts = classification_frame(table)
    finkclass = table.column("finkclass").to_pandas().astype(object)
    known = finkclass.notna().to_numpy()
    labels = classify(alerts)
    agree = labels[known] == finkclass[known].to_numpy()
    assert known.sum() == 17 and agree.sum() == 16
    disagreeing = np.flatnonzero(known)[~agree]
    assert alerts["objectId"][disagreeing].tolist() == ["ZTF25abuovxv"]
    # The file says Ambiguous, but it has no mulens column: only sn holds here.
    assert finkclass[disagreeing].tolist() == ["Ambiguous"]
    assert labels[disagreeing].tolist() == ["SN candidate"]
