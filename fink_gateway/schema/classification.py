"""The classification of an alert, with the scores behind it."""

from __future__ import annotations

from collections.abc import Mapping

import strawberry

from fink_gateway.schema.enums import ClassificationSource


@strawberry.type(
    description="Fink's label for an alert (FINK-REFERENCE §7: Fink's classifiers, then the "
    "SIMBAD cross-match overrides), and the scores it was decided from."
)
class Classification:
    label: str = strawberry.field(
        description="Fink class (e.g. 'SN candidate'), 'Unknown', or a SIMBAD type."
    )
    source: ClassificationSource = strawberry.field(
        description="SIMBAD when the label is the SIMBAD cross-match type, else FINK."
    )
    sn_ia_score: float | None = strawberry.field(
        description="SuperNNova probability SN Ia vs non-Ia (d:snn_snia_vs_nonia), 0–1."
    )
    sn_score: float | None = strawberry.field(
        description="SuperNNova probability SN vs all (d:snn_sn_vs_all), 0–1."
    )
    early_sn_ia_score: float | None = strawberry.field(
        description="Random-forest early SN Ia score (d:rf_snia_vs_nonia), 0–1."
    )
    kilonova_score: float | None = strawberry.field(
        description="Kilonova score (d:rf_kn_vs_nonkn), 0–1."
    )
    microlensing_score: float | None = strawberry.field(
        description="Microlensing score (d:mulens); > 0 flags a candidate."
    )
    roid: int | None = strawberry.field(
        description="Asteroid flag (d:roid): 3 known MPC object, 2 candidate, 0 none."
    )
    anomaly_score: float | None = strawberry.field(
        description="Anomaly score (d:anomaly_score); lower is more anomalous."
    )
    slsn_score: float | None = strawberry.field(
        description="Superluminous-supernova score (d:slsn_score); -1 when not computed."
    )
    tns_type: str | None = strawberry.field(
        description="TNS type of the nearest classified TNS entry within 1.5 arcsec (d:tns)."
    )


def classification_of(record: Mapping[str, object], label: str, simbad: bool) -> Classification:
    """Build from a decoded alert record (keys are column qualifiers)."""

    def number(name: str) -> float | None:
        value = record.get(name)
        # a decoded numeric column holds an int or a float
        return None if value is None else float(value)  # type: ignore[arg-type]

    roid = record.get("roid")
    tns = record.get("tns")
    return Classification(
        label=label,
        source=ClassificationSource.SIMBAD if simbad else ClassificationSource.FINK,
        sn_ia_score=number("snn_snia_vs_nonia"),
        sn_score=number("snn_sn_vs_all"),
        early_sn_ia_score=number("rf_snia_vs_nonia"),
        kilonova_score=number("rf_kn_vs_nonkn"),
        microlensing_score=number("mulens"),
        roid=None if roid is None else int(roid),  # type: ignore[call-overload]  # an int cell
        anomaly_score=number("anomaly_score"),
        slsn_score=number("slsn_score"),
        tns_type=str(tns) if tns else None,
    )
