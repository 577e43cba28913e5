"""Store URLs: ``hbase://HOST[:PORT]`` or an SQLite file path, parsed and opened.

* ``hbase://127.0.0.1:9090?pool=8&timeout=5&namespace=fink&prefix=ztf``:
  :class:`~fink_gateway.store.hbase.HBaseStore` (port 9090 by default).
* ``var/fink.db``, ``/data/fink.db?prefix=ztf``, ``file:///data/fink.db``,
  ``sqlite:///data/fink.db``: :class:`~fink_gateway.store.embedded.EmbeddedStore`
  (the parent folder is created). ``file:`` and ``sqlite:`` URLs take the URL path as is:
  three slashes for an absolute path, ``sqlite:var/fink.db`` for a relative one.

``prefix`` (the Fink table prefix, ``ztf`` by default) belongs to the table layout, not the
store: :func:`parse_store_url` returns it and :func:`open_store` ignores it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from fink_gateway.errors import InvalidArgument
from fink_gateway.store.embedded import EmbeddedStore
from fink_gateway.store.hbase import HBaseStore
from fink_gateway.store.interface import Store

DEFAULT_HBASE_PORT = 9090
HBASE_OPTIONS = ("pool", "timeout", "namespace", "prefix")
EMBEDDED_OPTIONS = ("readers", "prefix")
_FILE_SCHEMES = ("file", "sqlite")


@dataclass(frozen=True, slots=True)
class StoreURL:
    """A parsed store URL; ``options`` holds the query parameters other than ``prefix``."""

    kind: Literal["hbase", "embedded"]
    host: str | None = None
    port: int | None = None
    path: Path | None = None
    prefix: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)


def parse_store_url(url: str) -> StoreURL:
    """Parse ``url``; raise :class:`~fink_gateway.errors.InvalidArgument` when malformed."""
    if not url or not url.strip():
        raise InvalidArgument("empty store URL: use hbase://HOST:PORT or a file path", url=url)
    scheme, sep, _ = url.partition("://")
    if sep and scheme.lower() == "hbase":
        return _parse_hbase(url)
    head = url.split(":", 1)[0].lower() if ":" in url else ""
    if head in _FILE_SCHEMES:
        return _parse_file_url(url)
    if sep:
        raise InvalidArgument(
            f"unknown store URL scheme {scheme!r} in {url!r}: use hbase://, file:, sqlite: "
            "or a plain path",
            url=url,
        )
    location, _, query = url.partition("?")
    return _embedded(url, location, query)


def open_store(url: str) -> Store:
    """The store a URL names (``prefix`` is ignored here)."""
    parsed = parse_store_url(url)
    options = parsed.options
    if parsed.kind == "hbase":
        assert parsed.host is not None and parsed.port is not None
        return HBaseStore(
            parsed.host,
            parsed.port,
            pool_size=_positive_int(url, options, "pool", 4),
            timeout_s=_positive_float(url, options, "timeout", 10.0),
            table_prefix_ns=options.get("namespace") or None,
        )
    assert parsed.path is not None
    parsed.path.parent.mkdir(parents=True, exist_ok=True)
    return EmbeddedStore(parsed.path, readers=_positive_int(url, options, "readers", 3))


def _parse_hbase(url: str) -> StoreURL:
    parts = urlsplit(url)
    try:
        port = DEFAULT_HBASE_PORT if parts.port is None else parts.port
    except ValueError as error:
        raise InvalidArgument(f"invalid port in store URL {url!r}: {error}", url=url) from None
    if port == 0:
        raise InvalidArgument(f"invalid port 0 in store URL {url!r}", url=url)
    if not parts.hostname:
        raise InvalidArgument(f"missing host in store URL {url!r}: hbase://HOST:PORT", url=url)
    if parts.path not in ("", "/") or parts.fragment or parts.username:
        raise InvalidArgument(f"unexpected path or user in store URL {url!r}", url=url)
    prefix, options = _query(url, parts.query, HBASE_OPTIONS)
    _positive_int(url, options, "pool", 4)
    _positive_float(url, options, "timeout", 10.0)
    return StoreURL("hbase", host=parts.hostname, port=port, prefix=prefix, options=options)


def _parse_file_url(url: str) -> StoreURL:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise InvalidArgument(
            f"store URL {url!r} names a host: use three slashes for an absolute path", url=url
        )
    return _embedded(url, unquote(parts.path), parts.query)


def _embedded(url: str, location: str, query: str) -> StoreURL:
    if not location:
        raise InvalidArgument(f"missing file path in store URL {url!r}", url=url)
    prefix, options = _query(url, query, EMBEDDED_OPTIONS)
    _positive_int(url, options, "readers", 3)
    return StoreURL("embedded", path=Path(location), prefix=prefix, options=options)


def _query(url: str, query: str, allowed: tuple[str, ...]) -> tuple[str | None, dict[str, str]]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as error:
        raise InvalidArgument(f"malformed query in store URL {url!r}: {error}", url=url) from None
    options = dict(pairs)
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    unknown = sorted(set(options) - set(allowed))
    if unknown or repeated:
        what = f"unknown option(s) {unknown}" if unknown else f"repeated option(s) {repeated}"
        raise InvalidArgument(
            f"{what} in store URL {url!r}; allowed: {', '.join(allowed)}", url=url
        )
    prefix = options.pop("prefix", None)
    if prefix is not None and not prefix:
        raise InvalidArgument(f"empty prefix in store URL {url!r}", url=url)
    return prefix, options


def _positive_int(url: str, options: Mapping[str, str], name: str, default: int) -> int:
    text = options.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidArgument(
            f"{name}={text!r} in store URL {url!r}: must be a positive integer", url=url
        )
    return int(text)


def _positive_float(url: str, options: Mapping[str, str], name: str, default: float) -> float:
    text = options.get(name)
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise InvalidArgument(
            f"{name}={text!r} in store URL {url!r}: must be a positive number of seconds",
            url=url,
        )
    return value
