"""Tests for fink_gateway.demo.lsst: deterministic LSST demo alerts in Fink's Rubin layout,
read by the LSST ingest, with the invariants the generator promises (no store here; see
test_lsst_demo_store.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from fink_gateway.demo.lsst import (
    BATCH_LSST_ALERTS,
    LSST_ALERT_SCHEMA,
    MJD_END,
    MJD_START,
    generate_lsst_alerts,
)
from fink_gateway.demo.lsst.ids import SOURCE_BITS, midpoint_mjd
from fink_gateway.demo.lsst.layout import AVRO_ARROW
from fink_gateway.ingest.lsst.alerts import read_lsst_alerts
from fink_gateway.layout.lsst_fields import SECTIONS
from fink_gateway.science.designations import pack_designation, unpack_designation
from tests.data_paths import TEST_DATA

SAMPLE = TEST_DATA / "fink-lsst" / "rubin_sample_data_10_0.parquet"
Alert = dict[str, Any]


def lsst_table(n_alerts: int, seed: int = 0) -> pa.Table:
    return pa.concat_tables(generate_lsst_alerts(n_alerts, seed=seed))


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return lsst_table(3_000, seed=5)


@pytest.fixture(scope="module")
def alerts(table: pa.Table) -> list[Alert]:
    return table.to_pylist()


@pytest.fixture(scope="module")
def static(alerts: list[Alert]) -> list[Alert]:
    return [a for a in alerts if a["diaObject"] is not None]


@pytest.fixture(scope="module")
def solar(alerts: list[Alert]) -> list[Alert]:
    return [a for a in alerts if a["diaObject"] is None]


# --- determinism and batching ------------------------------------------------------------------


def test_generate_lsst_alerts_is_deterministic() -> None:
    first = lsst_table(1_200, seed=11)
    assert first.equals(lsst_table(1_200, seed=11))
    other = lsst_table(1_200, seed=12)
    assert not first.column("diaSourceId").equals(other.column("diaSourceId"))


def test_generate_lsst_alerts_shorter_run_is_a_prefix() -> None:
    assert lsst_table(700, seed=3).equals(lsst_table(4_000, seed=3).slice(0, 700))


def test_generate_lsst_alerts_batches_are_capped_and_total_exact() -> None:
    sizes = [t.num_rows for t in generate_lsst_alerts(2 * BATCH_LSST_ALERTS + 123, seed=1)]
    assert sum(sizes) == 2 * BATCH_LSST_ALERTS + 123
    assert max(sizes) <= BATCH_LSST_ALERTS
    assert list(generate_lsst_alerts(0)) == []


# --- layout ------------------------------------------------------------------------------------


def test_sections_have_the_v10_0_fields_and_types(table: pa.Table) -> None:
    assert table.schema == LSST_ALERT_SCHEMA
    items = {"prvDiaSources": "diaSource", "prvDiaForcedSources": "diaForcedSource"}
    for column, section in [(s, s) for s in ("diaSource", "diaObject", "ssSource", "mpc_orbits")
                            ] + list(items.items()):  # fmt: skip
        kind = LSST_ALERT_SCHEMA.field(column).type
        struct = kind.value_type if column in items else kind
        expected = [(name, AVRO_ARROW[avro]) for name, avro in SECTIONS[section]]
        assert [(f.name, f.type) for f in struct] == expected, column


def test_columns_and_fields_are_those_of_the_real_sample() -> None:
    sample = pq.read_schema(SAMPLE)
    fink = {"clf", "xm", "pred", "misc", "fink_broker_version", "fink_science_version"}
    assert set(LSST_ALERT_SCHEMA.names) - fink == set(sample.names)
    for name in ("diaSource", "diaObject", "ssSource", "mpc_orbits"):
        ours = {f.name for f in LSST_ALERT_SCHEMA.field(name).type}
        assert ours == {f.name for f in sample.field(name).type}, name


def test_tables_survive_parquet(tmp_path) -> None:
    table = lsst_table(300)
    pq.write_table(table, tmp_path / "lsst.parquet")
    assert pq.read_table(tmp_path / "lsst.parquet").equals(table)


def test_the_ingest_reads_them_and_agrees_with_fink_s_predictions(table: pa.Table) -> None:
    read = read_lsst_alerts(table, "demo", from_file=False)
    assert len(read) == table.num_rows and read.hdfs_path is None
    pred = table.column("pred").combine_chunks()
    for name in ("is_sso", "is_first", "is_cataloged", "main_label_classifier",
                 "main_label_crossmatch"):  # fmt: skip
        assert read.values[name].equals(pred.field(name)), name
    misc = table.column("misc").combine_chunks().field("firstDiaSourceMjdTaiFink")
    assert read.values["firstDiaSourceMjdTaiFink"].equals(misc)
    assert read.versions == {("5.0.0", "8.53.0")}
    assert len(read.forced["diaForcedSource.diaObjectId"]) > 0  # Fink's rule keeps some


# --- ids ---------------------------------------------------------------------------------------


def test_ids_are_unique_64_bit_and_packed_as_rubin_packs_them(alerts: list[Alert]) -> None:
    ids = [a["diaSourceId"] for a in alerts]
    assert len(set(ids)) == len(ids)
    assert all(2**53 < i < 2**63 for i in ids)  # beyond what a double holds exactly
    for alert in alerts:
        source = alert["diaSource"]
        assert source["diaSourceId"] == alert["diaSourceId"]
        assert (source["diaSourceId"] >> SOURCE_BITS) & 0xFF == source["detector"] < 189
        ymd = str(source["visit"] // 100_000)
        day_obs = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:])) - date(1858, 11, 17)  # MJD
        mjd = midpoint_mjd(np.array([day_obs.days]), np.array([source["visit"] % 100_000]))[0]
        assert source["midpointMjdTai"] == mjd


def test_an_object_s_id_is_its_first_source_s_id(static: list[Alert]) -> None:
    firsts = [a for a in static if a["diaObject"]["nDiaSources"] == 1]
    assert firsts and all(a["diaObject"]["diaObjectId"] == a["diaSourceId"] for a in firsts)
    for alert in static:
        oid = alert["diaObject"]["diaObjectId"]
        assert alert["diaSource"]["diaObjectId"] == oid and alert["diaSource"]["ssObjectId"] == 0
        if alert["prvDiaSources"]:
            assert alert["prvDiaSources"][0]["diaSourceId"] == oid


# --- history -----------------------------------------------------------------------------------


def test_history_is_the_object_s_earlier_alerts(static: list[Alert]) -> None:
    """nDiaSources = len(prvDiaSources) + 1, and prvDiaSources are exactly the diaSources of
    the object's earlier alerts (all within a year), oldest first."""
    earlier: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for alert in static:
        oid = alert["diaObject"]["diaObjectId"]
        prv = alert["prvDiaSources"] or []
        assert alert["diaObject"]["nDiaSources"] == len(prv) + 1
        assert (alert["prvDiaSources"] is None) == (len(prv) == 0)
        assert prv == earlier[oid]
        mjd = alert["diaSource"]["midpointMjdTai"]
        assert all(mjd - 365 < p["midpointMjdTai"] < mjd for p in prv)
        assert alert["diaObject"]["firstDiaSourceMjdTai"] == (prv or [alert["diaSource"]])[0][
            "midpointMjdTai"]  # fmt: skip
        earlier[oid].append(alert["diaSource"])
    assert max(len(v) for v in earlier.values()) > 10


def test_forced_photometry_covers_earlier_visits_since_the_first_source(
    static: list[Alert],
) -> None:
    with_forced = [a for a in static if a["prvDiaForcedSources"]]
    assert 0 < len({a["diaObject"]["diaObjectId"] for a in with_forced}) < len(
        {a["diaObject"]["diaObjectId"] for a in static})  # fmt: skip
    for alert in with_forced:
        obj, mjd = alert["diaObject"], alert["diaSource"]["midpointMjdTai"]
        times = [f["midpointMjdTai"] for f in alert["prvDiaForcedSources"]]
        assert times == sorted(times) and times[0] == obj["firstDiaSourceMjdTai"]
        assert all(t < mjd for t in times)
        assert {f["diaObjectId"] for f in alert["prvDiaForcedSources"]} == {obj["diaObjectId"]}
        # every earlier source's visit was measured, non-detections too
        sources = {p["midpointMjdTai"] for p in alert["prvDiaSources"] or []}
        assert sources <= set(times) and len(times) >= len(sources)
    assert any(len(a["prvDiaForcedSources"]) > len(a["prvDiaSources"] or []) for a in with_forced)


def test_per_band_statistics_are_those_of_the_sources(static: list[Alert]) -> None:
    for alert in static[::37]:
        points = [*(alert["prvDiaSources"] or []), alert["diaSource"]]
        obj = alert["diaObject"]
        for band in "ugrizy":
            fluxes = [p["psfFlux"] for p in points if p["band"] == band]
            assert obj[f"{band}_psfFluxNdata"] == len(fluxes)
            if fluxes:
                assert obj[f"{band}_psfFluxMean"] == pytest.approx(np.mean(fluxes), rel=1e-4)
                assert obj[f"{band}_psfFluxMin"] == pytest.approx(min(fluxes), rel=1e-5)
                assert obj[f"{band}_psfFluxMax"] == pytest.approx(max(fluxes), rel=1e-5)
            else:
                assert obj[f"{band}_psfFluxMean"] is None


# --- measurements ------------------------------------------------------------------------------


def test_sources_are_5_sigma_detections_on_rubin_s_sky(alerts: list[Alert]) -> None:
    for alert in alerts:
        s = alert["diaSource"]
        assert s["band"] in "ugrizy" and len(s["band"]) == 1
        assert abs(s["psfFlux"]) >= 5 * s["psfFluxErr"] * (1 - 1e-6) and s["psfFluxErr"] > 0
        assert s["snr"] == pytest.approx(abs(s["psfFlux"]) / s["psfFluxErr"], rel=1e-5)
        assert s["isNegative"] == (s["psfFlux"] < 0)
        assert -90 < s["dec"] < 5 and 0 <= s["ra"] < 360
        assert MJD_START + 0.97 < s["midpointMjdTai"] < MJD_END + 0.4
        assert s["midpointMjdTai"] < s["timeProcessedMjdTai"] < alert["brokerIngestMjd"]
    bands = {a["diaSource"]["band"] for a in alerts}
    assert bands == set("ugrizy")
    assert any(a["diaSource"]["isNegative"] for a in alerts)  # variables below their template
    reasons = {a["observation_reason"] for a in alerts}
    assert "wfd" in reasons and any(r.startswith("ddf_") for r in reasons)


# --- Solar System ------------------------------------------------------------------------------


def test_solar_system_alerts_have_valid_designations_and_no_object(solar: list[Alert]) -> None:
    assert 0 < len(solar) < 0.1 * 3_000
    per_designation: dict[str, set[int]] = defaultdict(set)
    for alert in solar:
        source, ss, orbit = alert["diaSource"], alert["ssSource"], alert["mpc_orbits"]
        assert source["diaObjectId"] == 0 and alert["prvDiaSources"] is None
        assert alert["prvDiaForcedSources"] is None and ss is not None and orbit is not None
        packed = orbit["packed_primary_provisional_designation"]
        assert ss["designation"] == packed
        assert unpack_designation(packed) == orbit["designation"]
        assert pack_designation(orbit["unpacked_primary_provisional_designation"]) == packed
        ss_id = int.from_bytes(packed.encode(), "big")  # Rubin's ssObjectId
        assert source["ssObjectId"] == ss["ssObjectId"] == ss_id
        assert ss["diaSourceId"] == alert["diaSourceId"]
        assert ss["ephOffset"] < 1.0  # arcsec: measured where predicted
        assert alert["pred"]["is_sso"] and alert["pred"]["is_first"] is None
        assert orbit["q"] == pytest.approx(orbit["a"] * (1 - orbit["e"]))
        per_designation[packed].add(source["midpointMjdTai"])
    seen_again = [len(times) >= 2 for times in per_designation.values()]
    assert len(seen_again) >= 3 and np.mean(seen_again) > 0.75  # most on several visits


def test_static_alerts_have_no_solar_system_sections(static: list[Alert]) -> None:
    assert all(a["ssSource"] is None and a["mpc_orbits"] is None for a in static)


# --- Fink's columns ----------------------------------------------------------------------------


def test_fink_columns_exercise_catalogued_labels_and_tns(table: pa.Table) -> None:
    xm = table.column("xm").combine_chunks()
    pred = table.column("pred").combine_chunks()
    catalogued = pred.field("is_cataloged").to_pylist()
    assert any(catalogued) and not all(catalogued)
    labels = set(xm.field("simbad_otype").drop_null().to_pylist())
    assert {"RRLyr", "EB*", "QSO", "Fail"} <= labels
    assert pc.count(xm.field("tns_fullname")).as_py() > 0
    names = set(xm.field("tns_fullname").drop_null().to_pylist())
    assert all(n[:3] in ("SN ", "AT ") and n[3:7] in ("2025", "2026") for n in names)
    cats = pred.field("main_label_classifier").to_numpy()
    n_sources = table.column("diaObject").combine_chunks().flatten()[-1]  # nDiaSources
    single = pc.fill_null(pc.equal(n_sources, 1), True).to_numpy(zero_copy_only=False)
    assert np.all((cats == -1) == single)  # CATS needs more than one point
    assert set(np.unique(cats)) >= {-1, 11, 21, 22}
