"""Column docs: every main-table column is described, with a unit from a small fixed set."""

from __future__ import annotations

import pytest

from fink_gateway.layout.column_docs import COLUMN_DOCS, ColumnDoc, column_doc
from fink_gateway.layout.columns import MAIN_COLUMNS, PIXEL_COLUMNS

ALLOWED_UNITS = {
    None,
    "deg",
    "arcsec",
    "mas",
    "pixels",
    "mag",
    "mag^2",
    "mag/day",
    "JD",
    "days",
    "s",
    "DN",
    "AU",
    "Mpc",
    "1/day",
}
MAIN_NAMES = [c.name for c in MAIN_COLUMNS]


@pytest.mark.parametrize("name", MAIN_NAMES)
def test_every_main_column_has_a_description(name: str) -> None:
    doc = COLUMN_DOCS[name]
    assert doc.description.strip()
    assert "\n" not in doc.description


def test_docs_cover_exactly_the_main_columns_and_classification() -> None:
    assert set(COLUMN_DOCS) == {*MAIN_NAMES, "classification"}
    assert {c.name for c in PIXEL_COLUMNS} <= set(COLUMN_DOCS)


def test_units_come_from_the_allowed_set() -> None:
    bad = {name: doc.unit for name, doc in COLUMN_DOCS.items() if doc.unit not in ALLOWED_UNITS}
    assert bad == {}


def test_descriptions_are_single_sentences_ending_with_a_period() -> None:
    assert [n for n, d in COLUMN_DOCS.items() if not d.description.endswith(".")] == []


@pytest.mark.parametrize("name", ["ra", "dec", "ranr", "decnr"])
def test_sky_angles_are_degrees(name: str) -> None:
    assert column_doc(name).unit == "deg"


@pytest.mark.parametrize(
    "name", ["jd", "jdstarthist", "jdendhist", "jdstartref", "jdendref", "jd_first_real_det"]
)
def test_julian_dates_are_jd(name: str) -> None:
    assert column_doc(name).unit == "JD"


@pytest.mark.parametrize(
    ("names", "unit"),
    [
        (
            ["ssdistnr", "distpsnr1", "distpsnr2", "distpsnr3", "neargaia", "neargaiabright"],
            "arcsec",
        ),
        (["distnr", "xpos", "ypos", "fwhm", "aimage", "bimage", "mindtoedge"], "pixels"),
        (["magpsf", "sigmapsf", "diffmaglim", "magnr", "maggaia", "sgmag1"], "mag"),
        (["mag_rate", "sigma_rate", "lower_rate", "upper_rate"], "mag/day"),
        (["jdstarthist_dt", "delta_time"], "days"),
        (["Plx", "e_Plx"], "mas"),
        (["sky"], "DN"),
        (["exptime"], "s"),
    ],
)
def test_known_units(names: list[str], unit: str) -> None:
    assert {n: column_doc(n).unit for n in names} == dict.fromkeys(names, unit)


@pytest.mark.parametrize(
    "name", ["fid", "candid", "objectId", "rb", "drb", "roid", "cdsxmatch", "classification"]
)
def test_ids_scores_and_labels_are_unitless(name: str) -> None:
    assert column_doc(name).unit is None


def test_key_conventions_are_stated() -> None:
    assert "1 = g" in column_doc("fid").description
    assert '"null"' in column_doc("ssnamenr").description
    assert "SuperNNova" in column_doc("snn_snia_vs_nonia").description
    assert "lower means more anomalous" in column_doc("anomaly_score").description
    assert "TRCK_" in column_doc("tracklet").description


def test_unknown_name_falls_back_to_an_empty_doc() -> None:
    assert column_doc("no_such_column") == ColumnDoc(None, "")
    assert column_doc("magpsf") is COLUMN_DOCS["magpsf"]
