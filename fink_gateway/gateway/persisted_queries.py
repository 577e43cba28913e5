"""Automatic persisted queries, Apollo's APQ protocol, so that GET requests stay short and HTTP
caches can keep their answers.

A request whose ``extensions.persistedQuery`` is ``{"version": 1, "sha256Hash": h}`` and that
has no query runs the query remembered under ``h``; an unknown ``h`` gets
``PERSISTED_QUERY_NOT_FOUND`` (message ``PersistedQueryNotFound``, which clients answer by
sending the query text with the hash). A query sent with its hash is checked against it
(``PERSISTED_QUERY_HASH_MISMATCH``) and remembered once it has run. The texts are kept in
this process, least recently used evicted past ``max_bytes``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from fink_gateway.errors import (
    InvalidArgument,
    PersistedQueryHashMismatch,
    PersistedQueryNotFound,
)

_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


def sha256_hash(query: str) -> str:
    """The APQ hash of a query text: SHA-256 of its UTF-8 bytes, lowercase hex."""
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    """Query texts by hash, least recently used evicted past ``max_bytes`` of text."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._texts: dict[str, str] = {}  # insertion order = least recently used first
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._texts)

    def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None
    ) -> tuple[str | None, str | None]:
        """(the query to run, the hash to :meth:`remember` it under once it ran, or None)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return query, None
        if not isinstance(persisted, Mapping) or persisted.get("version") != 1:
            raise InvalidArgument(
                "extensions.persistedQuery: only version 1 is supported", argument="version"
            )
        digest = persisted.get("sha256Hash")
        digest = digest.lower() if isinstance(digest, str) else ""
        if not _SHA256.match(digest):
            raise InvalidArgument(
                "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits",
                argument="sha256Hash",
            )
        if query is None:
            text = self._texts.pop(digest, None)
            if text is None:
                raise PersistedQueryNotFound("PersistedQueryNotFound", sha256_hash=digest)
            self._texts[digest] = text
            return text, None
        if sha256_hash(query) != digest:
            raise PersistedQueryHashMismatch(
                "provided sha256Hash does not match the query (SHA-256 of its UTF-8 text)",
                sha256_hash=digest,
            )
        return query, digest

    def remember(self, digest: str, query: str) -> None:
        """Keep ``query`` under ``digest``; a text larger than the whole budget is not kept."""
        size = len(query.encode())
        if size > self.max_bytes or digest in self._texts:
            return
        self._texts[digest] = query
        self._bytes += size
        while self._bytes > self.max_bytes:
            oldest = next(iter(self._texts))
            self._bytes -= len(self._texts.pop(oldest).encode())
