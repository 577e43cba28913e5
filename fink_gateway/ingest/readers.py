"""Input files → pyarrow Tables in Fink's nested alert layout.

Accepts Fink-processed parquet (files or partitioned folders such as
``year=2025/month=01/day=14/``) and raw ZTF Avro packets; the kind is told by the file's
magic bytes, not its name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq

from fink_gateway.errors import IngestError

PARQUET_MAGIC = b"PAR1"
AVRO_MAGIC = b"Obj\x01"
_SUFFIXES = (".parquet", ".avro")


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


def read_table(path: Path) -> pa.Table:
    """The whole file as one Table (a file is validated whole before anything is written)."""
    kind = file_kind(path)
    try:
        if kind == "parquet":
            return pq.ParquetFile(path).read()
        with path.open("rb") as handle:
            records = list(fastavro.reader(handle))
        return pa.Table.from_pylist(records)
    except (OSError, ValueError, pa.ArrowException, EOFError, TypeError) as exc:
        raise IngestError(str(path), f"unreadable {kind} file: {exc}") from None
