"""Alerts → row keys and cells of every Fink table (pure; FINK-REFERENCE §1, §6).

Row keys are byte-identical to Fink's: parts joined with ``_``, JDs as Java
``Double.toString`` text, HEALPix nside 128 RING pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fink_gateway.ingest.alerts import Alerts
from fink_gateway.ingest.encoding import encode_column, jd_text
from fink_gateway.layout import tables
from fink_gateway.layout.columns import (
    BY_NAME,
    INDEX_COLUMNS,
    MAIN_COLUMNS,
    PIXEL_COLUMNS,
    FinkColumn,
)
from fink_gateway.science.classification import CLASSIFICATION_INPUTS, classify
from fink_gateway.science.healpix import sky_pixels
from fink_gateway.store.batch import CellBatch


class EncodedAlerts:
    """Alerts with their cells encoded once, shared by every table built from them."""

    def __init__(self, alerts: Alerts) -> None:
        self.alerts = alerts
        self.cells: dict[bytes, pa.Array] = {
            c.column: encode_column(alerts.columns[c.name], c.type) for c in MAIN_COLUMNS
        }
        self.object_ids = alerts.strings("objectId")
        self.jd = alerts.numpy("jd")
        self.jd_text = jd_text(self.jd)
        self.labels = classify(
            pd.DataFrame(
                {name: alerts.columns[name].to_pandas() for name in CLASSIFICATION_INPUTS}
            )
        )

    def batch(
        self,
        keys: Sequence[bytes],
        columns: Sequence[FinkColumn],
        rows: Sequence[int] | None = None,
    ) -> CellBatch:
        """Cells of ``columns`` for all alerts, or only those at positions ``rows``."""
        if rows is None:
            return CellBatch(keys, [(c.column, self.cells[c.column]) for c in columns])
        index = pa.array(np.asarray(rows, dtype=np.int64))
        return CellBatch(keys, [(c.column, self.cells[c.column].take(index)) for c in columns])


def _keys(*parts: Sequence[str]) -> list[bytes]:
    return ["_".join(p).encode() for p in zip(*parts, strict=True)]


def main_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf``: key ``objectId_jd``, every column."""
    return enc.batch(_keys(enc.object_ids, enc.jd_text), MAIN_COLUMNS)


def pixel_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf.pixel128``: key ``<pix>_<jdstarthist>_<objectId>`` plus ``d:classification``."""
    a = enc.alerts
    pix = sky_pixels(a.numpy("ra"), a.numpy("dec"))
    keys = _keys([str(p) for p in pix.tolist()], jd_text(a.numpy("jdstarthist")), enc.object_ids)
    batch = enc.batch(keys, PIXEL_COLUMNS[:-1])
    label = pa.array(enc.labels.tolist(), pa.string()).cast(pa.binary())
    return CellBatch(batch.keys, [*batch.columns, (b"d:classification", label)])


def class_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf.class``: key ``<class>_<jd>_<objectId>``, the 77 index columns."""
    keys = _keys(enc.labels.tolist(), enc.jd_text, enc.object_ids)
    return enc.batch(keys, INDEX_COLUMNS)


def ssnamenr_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf.ssnamenr``: alerts with ``roid == 3``, key ``<ssnamenr>_<jd>``."""
    keep = np.flatnonzero(enc.alerts.numpy("roid") == 3).tolist()
    names = enc.alerts.strings("ssnamenr", "null")
    keys = _keys([names[i] for i in keep], [enc.jd_text[i] for i in keep])
    return enc.batch(keys, INDEX_COLUMNS, keep)


def tracklet_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf.tracklet``: tracklet not ``"null"``/``""``/null, key ``<tracklet>_<objectId>``."""
    tracklets = enc.alerts.strings("tracklet", "")
    keep = [i for i, t in enumerate(tracklets) if t not in ("", "null")]
    keys = _keys([tracklets[i] for i in keep], [enc.object_ids[i] for i in keep])
    return enc.batch(keys, INDEX_COLUMNS, keep)


def tns_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf.tns``: ``tns != ""``, key ``<tns type>_<jd>_<objectId>``."""
    tns = enc.alerts.strings("tns", "")
    keep = [i for i, t in enumerate(tns) if t != ""]
    keys = _keys(
        [tns[i] for i in keep], [enc.jd_text[i] for i in keep], [enc.object_ids[i] for i in keep]
    )
    return enc.batch(keys, INDEX_COLUMNS, keep)


def cutout_rows(enc: EncodedAlerts) -> CellBatch:
    """``ztf.cutouts``: key ``objectId_jd``; ``i:objectId,jd,candid`` and ``b:cutout<Kind>_*``.

    Unlike Fink (which keeps a path into its data lake), the gzipped FITS stamps are stored
    in the table itself, with their original file names.
    """
    keys = _keys(enc.object_ids, enc.jd_text)
    batch = enc.batch(keys, [BY_NAME["objectId"], BY_NAME["jd"], BY_NAME["candid"]])
    columns = list(batch.columns)
    for kind, array in enc.alerts.cutouts.items():
        if not pa.types.is_struct(array.type):
            continue
        for field in ("stampData", "fileName"):
            if array.type.get_field_index(field) >= 0:
                values = pc.struct_field(array, field).cast(pa.binary())
                columns.append((f"b:cutout{kind}_{field}".encode(), values))
    return CellBatch(keys, columns)


def version_pairs(alerts: Alerts) -> set[tuple[str, str]]:
    """Distinct (fink_broker_version, fink_science_version) of the alerts."""
    return set(
        zip(
            alerts.strings("fink_broker_version", "unknown"),
            alerts.strings("fink_science_version", "unknown"),
            strict=True,
        )
    )


def schema_row(pair: tuple[str, str], types: dict[bytes, str]) -> tuple[bytes, dict[bytes, bytes]]:
    """Fink's schema row: key ``schema_<broker>_<science>``, one type-name cell per column."""
    return f"schema_{pair[0]}_{pair[1]}".encode(), {c: t.encode() for c, t in types.items()}


def column_types(columns: Sequence[FinkColumn]) -> dict[bytes, str]:
    """``{b"fam:qual": type name}`` of columns."""
    return {c.column: c.type for c in columns}


TABLE_BUILDERS = {
    tables.MAIN: main_rows,
    tables.PIXEL128: pixel_rows,
    tables.CLASS: class_rows,
    tables.SSNAMENR: ssnamenr_rows,
    tables.TRACKLET: tracklet_rows,
    tables.TNS: tns_rows,
    tables.CUTOUTS: cutout_rows,
}
