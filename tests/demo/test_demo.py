"""Tests for fink_gateway.demo: deterministic demo alerts in Fink's nested layout."""

from __future__ import annotations

import gzip
import io
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from astropy.io import fits
from astropy.time import Time
from astropy.timeseries import LombScargleMultiband

from fink_gateway.demo import (
    ALERT_SCHEMA,
    BATCH_ALERTS,
    BATCH_ALERTS_WITH_CUTOUTS,
    JD_END,
    JD_START,
    UPPER_LIMIT_FIELDS,
    demo_truth,
    generate_alerts,
)
from fink_gateway.layout.columns import FINK_COLUMNS
from fink_gateway.science.classification import classify, count_labels, is_simbad_label
from tests.data_paths import FINK_ZTF, classification_frame

REFERENCE = FINK_ZTF / "science_20250114.parquet"


def demo_table(n_alerts: int, seed: int = 0, with_cutouts: bool = False) -> pa.Table:
    return pa.concat_tables(generate_alerts(n_alerts, seed=seed, with_cutouts=with_cutouts))


def same(left: pa.Table, right: pa.Table) -> bool:
    """Table equality with NaN equal to NaN (root float columns hold NaN, e.g. ``Plx``)."""

    def comparable(table: pa.Table) -> pa.Table:
        for i, field in enumerate(table.schema):
            if pa.types.is_floating(field.type):
                column = table.column(i)
                table = table.set_column(i, field, pc.if_else(pc.is_nan(column), None, column))
        return table

    return comparable(left).equals(comparable(right))


@pytest.fixture(scope="module")
def alerts() -> pa.Table:
    return demo_table(20_000, seed=7)


@pytest.fixture(scope="module")
def frame(alerts: pa.Table) -> pd.DataFrame:
    """Alert-level columns: candidate fields, Fink columns, and the classification."""
    candidate = alerts.column("candidate").combine_chunks()
    out = pd.DataFrame({f.name: candidate.field(f.name).to_pandas() for f in candidate.type})
    for name in (
        "objectId",
        "cdsxmatch",
        "roid",
        "mulens",
        "tracklet",
        "tns",
        "nalerthist",
        "DR3Name",
    ):
        out[name] = alerts.column(name).to_pandas()
    out["classification"] = classify(classification_frame(alerts))
    return out


# --- determinism and batching ------------------------------------------------------------------


def test_generate_alerts_is_deterministic() -> None:
    first = demo_table(3_000, seed=11, with_cutouts=True)
    again = demo_table(3_000, seed=11, with_cutouts=True)
    assert same(first, again)
    other = demo_table(3_000, seed=12, with_cutouts=True)
    assert not first.column("objectId").equals(other.column("objectId"))


def test_generate_alerts_shorter_run_is_a_prefix() -> None:
    short = demo_table(1_500, seed=3)
    long = demo_table(6_000, seed=3)
    assert same(short, long.slice(0, 1_500))


@pytest.mark.parametrize(
    ("with_cutouts", "cap"), [(False, BATCH_ALERTS), (True, BATCH_ALERTS_WITH_CUTOUTS)]
)
def test_generate_alerts_batches_are_capped_and_total_exact(with_cutouts: bool, cap: int) -> None:
    n = 2 * cap + 123 if with_cutouts else 45_000
    sizes = [t.num_rows for t in generate_alerts(n, seed=1, with_cutouts=with_cutouts)]
    assert sum(sizes) == n
    assert max(sizes) <= cap
    assert list(generate_alerts(0)) == []


# --- schema ------------------------------------------------------------------------------------


def test_schema_matches_fink_parquet() -> None:
    reference = pq.read_schema(REFERENCE)
    assert ALERT_SCHEMA.field("candidate").type == reference.field("candidate").type
    assert ALERT_SCHEMA.field("prv_candidates").type == reference.field("prv_candidates").type
    prv = ALERT_SCHEMA.field("prv_candidates").type.value_type
    assert prv == reference.field("prv_candidates").type.value_type
    assert len(prv) == 57 and ALERT_SCHEMA.field("candidate").type.num_fields == 103
    shared = [n for n in ALERT_SCHEMA.names if n in reference.names]
    assert len(shared) == len(ALERT_SCHEMA.names) - 4  # gaiaVarFlag gaiaClass is_transient slsn
    for name in shared:
        assert ALERT_SCHEMA.field(name).type == reference.field(name).type, name


def test_schema_fink_columns_have_catalog_types() -> None:
    spark = {"string": pa.string(), "double": pa.float64(), "float": pa.float32()}
    spark |= {"integer": pa.int32(), "boolean": pa.bool_()}
    for column in FINK_COLUMNS:
        if column.name in ALERT_SCHEMA.names:
            assert ALERT_SCHEMA.field(column.name).type == spark[column.type], column.name
    assert "lc_features_g" not in ALERT_SCHEMA.names  # nested in real files; absent here


def test_generated_tables_have_the_schema_and_survive_parquet(tmp_path) -> None:
    table = demo_table(500, with_cutouts=True)
    assert table.schema == ALERT_SCHEMA
    path = tmp_path / "demo.parquet"
    pq.write_table(table, path)
    assert same(pq.read_table(path), table)


# --- content -----------------------------------------------------------------------------------


def test_alerts_pass_fink_cuts(frame: pd.DataFrame) -> None:
    assert (frame["nbad"] == 0).all()
    assert (frame["rb"] >= 0.55).all()
    assert set(frame["fid"]) == {1, 2}
    assert frame[["jd", "ra", "dec", "magpsf", "sigmapsf", "objectId"]].notna().all().all()


def test_alerts_cover_sky_and_nights(frame: pd.DataFrame) -> None:
    assert frame["dec"].min() > -30.0 and frame["dec"].max() > 60.0
    assert frame["ra"].between(0.0, 360.0).all() and frame["ra"].std() > 80.0
    assert frame["jd"].between(JD_START, JD_END).all()
    assert (frame["jd"] - JD_START).max() > 300.0
    # seven decimals, as ZTF's JDs (key text is repr(jd))
    assert (frame["jd"].map(repr).str.split(".").str[1].str.len() <= 7).all()


def test_object_ids_look_like_ztf(frame: pd.DataFrame) -> None:
    assert frame["objectId"].str.fullmatch(r"ZTF\d{2}[a-z]{7}").all()
    first_year = Time(frame["jdstarthist"].to_numpy(), format="jd").datetime64.astype(
        "datetime64[Y]"
    )
    expected = pd.Series(first_year.astype(int) + 1970).mod(100).map("{:02d}".format)
    assert (frame["objectId"].str[3:5] == expected.to_numpy()).all()
    assert not frame.duplicated(["objectId", "jd"]).any()


def test_candids_are_unique_and_start_with_pid(alerts: pa.Table, frame: pd.DataFrame) -> None:
    candid = alerts.column("candid").to_numpy()
    assert len(np.unique(candid)) == len(candid)
    assert (candid // 10**6 == frame["pid"].to_numpy()).all()
    assert (frame["candid"].to_numpy() == candid).all()


def test_history_counters_are_consistent(frame: pd.DataFrame) -> None:
    ordered = frame.sort_values(["objectId", "jd"])
    by_object = ordered.groupby("objectId", sort=False)
    assert (by_object["jdstarthist"].nunique() == 1).all()
    assert (ordered["jdstarthist"] <= ordered["jd"]).all()
    assert (by_object["ndethist"].diff().fillna(1) >= 1).all()
    assert (ordered["ndethist"] >= 1).all() and (ordered["nalerthist"] >= 1).all()
    assert (ordered["jdendhist"] == ordered["jd"]).all()


def test_prv_candidates_hold_recent_history(alerts: pa.Table) -> None:
    jd = alerts.column("candidate").combine_chunks().field("jd").to_numpy()
    prv = alerts.column("prv_candidates").combine_chunks()
    lengths = prv.value_lengths().fill_null(0).to_numpy()
    assert 0 < prv.null_count < len(prv)
    assert lengths.max() <= 10 and pc.all(pc.greater(prv.value_lengths(), 0)).as_py()
    entries = prv.flatten()
    owner = np.repeat(np.arange(len(prv)), lengths)
    prv_jd = entries.field("jd").to_numpy()
    assert (prv_jd < jd[owner]).all() and (prv_jd >= jd[owner] - 30.0).all()
    same_owner = owner[1:] == owner[:-1]
    assert (np.diff(prv_jd)[same_owner] > 0).all()  # oldest first


def test_prv_upper_limits_set_only_reference_fields(alerts: pa.Table) -> None:
    entries = alerts.column("prv_candidates").combine_chunks().flatten()
    upper = entries.field("magpsf").is_null().to_numpy(zero_copy_only=False)
    assert 0.2 < upper.mean() < 0.8
    limits = entries.filter(pa.array(upper))
    for field in entries.type:
        nulls = limits.field(field.name).null_count
        expected = 0 if field.name in UPPER_LIMIT_FIELDS else len(limits)
        assert nulls == expected, field.name
    assert len(UPPER_LIMIT_FIELDS) == 16


def test_nalerthist_counts_detections_in_prv(alerts: pa.Table) -> None:
    prv = alerts.column("prv_candidates").combine_chunks()
    entries = prv.flatten()
    owner = np.repeat(np.arange(len(prv)), prv.value_lengths().fill_null(0).to_numpy())
    detected = entries.field("magpsf").is_valid().to_numpy(zero_copy_only=False)
    expected = 1 + np.bincount(owner[detected], minlength=len(prv))
    assert (alerts.column("nalerthist").to_numpy() == expected).all()


def test_prv_has_bad_quality_detections(alerts: pa.Table) -> None:
    entries = alerts.column("prv_candidates").combine_chunks().flatten()
    detections = entries.filter(entries.field("magpsf").is_valid())
    rb = detections.field("rb").to_numpy()
    bad = rb < 0.55
    assert 0.005 < bad.mean() < 0.15
    assert (detections.field("nbad").to_numpy() == 0).all()


def test_asteroids_get_a_new_object_id_per_alert_and_move(frame: pd.DataFrame) -> None:
    asteroids = frame[frame["roid"] == 3]
    assert len(asteroids) > 0.05 * len(frame)
    assert asteroids["objectId"].is_unique
    assert (asteroids["ndethist"] == 1).all()
    assert (asteroids["ssnamenr"] != "null").all() and (asteroids["ssdistnr"] >= 0).all()
    assert asteroids["ssnamenr"].str.fullmatch(r"\d+|\d{4}[A-Z]{2}\d{2}").all()
    assert (frame.loc[frame["roid"] != 3, "ssnamenr"] == "null").all()
    asteroids = asteroids.assign(x=asteroids["ra"] * np.cos(np.radians(asteroids["dec"])))
    tracks = asteroids.groupby("ssnamenr").agg(
        n=("jd", "size"), x=("x", "std"), dec=("dec", "std"), nights=("nid", "nunique")
    )
    assert (tracks["n"] > 1).mean() > 0.5
    moved = np.hypot(tracks["x"], tracks["dec"])  # deg
    assert (moved[tracks["nights"] > 1] > 0.01).all()


def test_tracklets_are_aligned_single_exposures(frame: pd.DataFrame) -> None:
    tracklets = frame[frame["tracklet"].notna()]
    assert len(tracklets) > 0
    for tracklet, members in tracklets.groupby("tracklet"):
        assert len(members) >= 5 and members["objectId"].is_unique
        assert members["jd"].nunique() == 1 and members["fid"].nunique() == 1
        stamp = Time(members["jd"].iloc[0], format="jd").strftime("%Y%m%d_%H%M%S")
        assert tracklet == f"TRCK_{stamp}_00"
        assert (members["ndethist"] == 1).all() and (members["isdiffpos"] == "t").all()
        assert (members["ssnamenr"] == "null").all() and (members["roid"] == 0).all()


def test_tns_is_set_for_some_supernovae(frame: pd.DataFrame) -> None:
    reported = frame[frame["tns"] != ""]
    assert set(reported["tns"]) <= {"SN Ia", "SN II", "SN IIP"} and len(reported) > 10
    labels = set(reported["classification"])
    assert labels <= {"SN candidate", "Early SN Ia candidate", "Unknown"}


def test_cutouts_are_gzipped_fits_stamps() -> None:
    table = demo_table(50, with_cutouts=True)
    row = table.slice(0, 1).to_pylist()[0]
    candid, pid = row["candid"], row["candidate"]["pid"]
    assert row["cutoutScience"]["fileName"] == f"candid{candid}_pid{pid}_targ_sci.fits.gz"
    assert row["cutoutTemplate"]["fileName"] == f"candid{candid}_ref.fits.gz"
    assert row["cutoutDifference"]["fileName"] == f"candid{candid}_pid{pid}_targ_scimref.fits.gz"
    for kind in ("Science", "Template", "Difference"):
        data = row[f"cutout{kind}"]["stampData"]
        assert data[:3] == b"\x1f\x8b\x08"
        with fits.open(io.BytesIO(gzip.decompress(data)), ignore_missing_simple=True) as hdus:
            assert hdus[0].header["BITPIX"] == -32
            assert hdus[0].data.shape == (63, 63)
    without = demo_table(50, with_cutouts=False)
    assert without.column("cutoutScience").null_count == 50


# --- classification and truth ------------------------------------------------------------------


def test_classification_yields_every_intended_class(frame: pd.DataFrame) -> None:
    simbad = is_simbad_label(frame["cdsxmatch"])
    labels = np.where(simbad, "(SIMBAD)", frame["classification"].to_numpy())
    share = {k: v / len(frame) for k, v in count_labels(labels).items()}
    expected = {
        "(SIMBAD)": (0.25, 0.60),
        "Unknown": (0.05, 0.35),
        "Solar System MPC": (0.05, 0.30),
        "SN candidate": (0.03, 0.25),
        "Early SN Ia candidate": (0.005, 0.10),
        "Tracklet": (0.01, 0.10),
        "Microlensing candidate": (0.003, 0.05),
        "Kilonova candidate": (0.001, 0.03),
        "Solar System candidate": (0.001, 0.03),
    }
    for label, (low, high) in expected.items():
        assert low <= share.get(label, 0.0) <= high, (label, share.get(label))
    assert share.get("Ambiguous", 0.0) < 0.01
    assert {"RRLyr", "EB*", "galaxy"} <= set(frame.loc[simbad, "cdsxmatch"])


def test_demo_truth_matches_alerts(frame: pd.DataFrame) -> None:
    sample = frame.drop_duplicates("objectId").iloc[::40]
    kinds = set()
    for row in sample.itertuples():
        truth = demo_truth(row.objectId, seed=7)
        kinds.add(truth.kind)
        assert truth.cdsxmatch == row.cdsxmatch
        assert (truth.kind == "asteroid") == (row.roid == 3)
        if truth.kind == "asteroid":
            assert truth.ssnamenr == row.ssnamenr
        if truth.kind == "variable":
            assert truth.period_days is not None and 0.1 <= truth.period_days <= 1.2
        else:
            assert truth.period_days is None
    assert {"variable", "star", "asteroid", "sn_ia", "orphan"} <= kinds
    with pytest.raises(ValueError, match="not a demo objectId"):
        demo_truth("ZTF23abc")


def test_variable_periods_are_recoverable(frame: pd.DataFrame) -> None:
    """Lomb-Scargle on DC magnitudes (FINK-REFERENCE §8) finds the true period."""
    found = 0
    for object_id, points in frame.groupby("objectId"):
        truth = demo_truth(str(object_id), seed=7)
        if truth.kind != "variable" or len(points) < 30:
            continue
        flux_diff = 10 ** (-0.4 * points["magpsf"].to_numpy())
        flux_ref = 10 ** (-0.4 * points["magnr"].to_numpy())
        flux = flux_ref + np.where(points["isdiffpos"] == "t", 1, -1) * flux_diff
        error = np.hypot(points["sigmapsf"] * flux_diff, points["sigmagnr"] * flux_ref) / flux
        model = LombScargleMultiband(
            points["jd"].to_numpy(), -2.5 * np.log10(flux), points["fid"].to_numpy(), error
        )
        frequency, power = model.autopower(
            minimum_frequency=1 / 1.2, maximum_frequency=1 / 0.1, samples_per_peak=10
        )
        period = 1 / frequency[np.argmax(power)]
        assert period == pytest.approx(truth.period_days, rel=0.01)
        found += 1
        if found == 3:
            break
    assert found == 3


@pytest.mark.slow
def test_candidate_strings_look_like_ztf(frame: pd.DataFrame) -> None:
    pattern = r"ztf_\d{14}_\d{6}_z[gr]_c\d{2}_o_q[1-4]_scimrefdiffimg\.fits"
    assert frame["pdiffimfilename"].str.fullmatch(pattern).all()
    day = frame["pdiffimfilename"].str[4:12]
    iso = Time(frame["jd"].to_numpy(), format="jd").strftime("%Y%m%d")
    assert (day == iso).all()
    assert set(frame["isdiffpos"]) == {"t", "f"}
    assert frame["programpi"].eq("Kulkarni").all() and frame["drbversion"].eq("d6_m7").all()


def test_gaia_names_only_for_stars(frame: pd.DataFrame) -> None:
    stars = frame["cdsxmatch"].isin(["RRLyr", "EB*", "V*"])
    assert frame.loc[stars, "DR3Name"].map(lambda s: re.fullmatch(r"Gaia DR3 \d+", s)).notna().all()
    assert (frame.loc[frame["roid"] == 3, "DR3Name"] == "nan").all()
