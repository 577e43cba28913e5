"""Input files → pyarrow Tables in Fink's nested alert layout.

Accepts Fink-processed parquet (files or partitioned folders such as
``year=2025/month=01/day=14/``) and Avro files of raw ZTF packets or Rubin alerts; the kind is
told by the file's magic bytes, not its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

from fink_gateway.errors import IngestError

PARQUET_MAGIC = b"PAR1"
AVRO_MAGIC = b"Obj\x01"
_SUFFIXES = (".parquet", ".avro")
_LSST_NAMESPACE = re.compile(r"lsst\.v\d+_\d+")


def input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (recursively) into their parquet and avro files, sorted; keep files."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in _SUFFIXES
                and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
            ]
            out.extend(found)
        else:
            out.append(path)
    return out


def file_kind(path: Path) -> str:
    """``"parquet"`` or ``"avro"`` from the magic bytes; IngestError otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise IngestError(str(path), f"cannot open: {exc.strerror or exc}") from None
    if head == PARQUET_MAGIC:
        return "parquet"
    if head == AVRO_MAGIC:
        return "avro"
    raise IngestError(str(path), "not a parquet or avro file")


def lsst_schema_version(schema: object) -> str | None:
    """``lsst.v<major>_<minor>`` of a Rubin alert's Avro schema (its namespace, as
    lsst/alert_packet names them), else None: a raw Rubin alert does not carry the version
    column Fink adds to its parquet files."""
    if not isinstance(schema, dict):
        return None
    name = f"{schema.get('namespace') or ''}.{schema.get('name') or ''}"
    match = _LSST_NAMESPACE.search(name)
    return None if match is None else match.group(0)


def read_table(path: Path) -> pa.Table:
    """The whole file as one Table (a file is validated whole before anything is written)."""
    kind = file_kind(path)
    try:
        if kind == "parquet":
            return pq.ParquetFile(path).read()
        with path.open("rb") as handle:
            reader = fastavro.reader(handle)
            records = list(reader)
            version = lsst_schema_version(reader.writer_schema)
        table = pa.Table.from_pylist(records)
        if version is not None and "lsst_schema_version" not in table.column_names:
            table = table.append_column(
                "lsst_schema_version", pa.array([version] * len(table), pa.string())
            )
        return table
    except (OSError, ValueError, pa.ArrowException, EOFError, TypeError) as exc:
        raise IngestError(str(path), f"unreadable {kind} file: {exc}") from None
