"""Store URLs: parsing, validation, and which store they open."""

from __future__ import annotations

from pathlib import Path

import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.factory import StoreURL, open_store, parse_store_url
from fink_gateway.store.hbase import HBaseStore


@pytest.mark.parametrize(
    ("url", "parsed"),
    [
        (
            "hbase://127.0.0.1:9090?pool=8&timeout=2.5&prefix=ztf",
            StoreURL("hbase", "127.0.0.1", 9090, None, "ztf", {"pool": "8", "timeout": "2.5"}),
        ),
        ("hbase://hbase.example.org", StoreURL("hbase", "hbase.example.org", 9090)),
        (
            "HBASE://h:9091?namespace=fink",
            StoreURL("hbase", "h", 9091, options={"namespace": "fink"}),
        ),
        ("var/fink.db", StoreURL("embedded", path=Path("var/fink.db"))),
        (
            "/data/fink.db?prefix=ztf",
            StoreURL("embedded", path=Path("/data/fink.db"), prefix="ztf"),
        ),
        ("file:///data/fink.db", StoreURL("embedded", path=Path("/data/fink.db"))),
        ("file://localhost/data/a%20b.db", StoreURL("embedded", path=Path("/data/a b.db"))),
        (
            "sqlite:///data/fink.db?readers=2",
            StoreURL("embedded", path=Path("/data/fink.db"), options={"readers": "2"}),
        ),
        ("sqlite:var/fink.db", StoreURL("embedded", path=Path("var/fink.db"))),
    ],
)
def test_parse_store_url(url: str, parsed: StoreURL) -> None:
    assert parse_store_url(url) == parsed


@pytest.mark.parametrize(
    "url",
    [
        "",
        "  ",
        "hbase://",
        "hbase://:9090",
        "hbase://h:port",
        "hbase://h:0",
        "hbase://h:70000",
        "hbase://h/table",
        "hbase://h?pool=0",
        "hbase://h?pool=two",
        "hbase://h?timeout=-1",
        "hbase://h?timeout=inf",
        "hbase://h?pool=2&pool=3",
        "hbase://h?colour=red",
        "hbase://h?prefix=",
        "redis://localhost",
        "file://otherhost/fink.db",
        "sqlite://",
        "fink.db?readers=0",
        "fink.db?pool=3",
    ],
)
def test_malformed_urls_are_invalid_arguments(url: str) -> None:
    with pytest.raises(InvalidArgument):
        parse_store_url(url)


def test_open_store_builds_the_named_backend(tmp_path: Path) -> None:
    hbase = open_store("hbase://10.1.2.3:9999?pool=2&timeout=1.5&namespace=fink")
    assert isinstance(hbase, HBaseStore)
    assert (hbase.host, hbase.port, hbase.pool_size, hbase.timeout_s) == ("10.1.2.3", 9999, 2, 1.5)
    assert hbase.table_prefix_ns == "fink"
    path = tmp_path / "new" / "folder" / "fink.db"
    embedded = open_store(f"{path}?prefix=ztf")
    assert isinstance(embedded, EmbeddedStore)
    assert embedded.path == path
    assert path.parent.is_dir()
