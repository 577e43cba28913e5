"""Fixtures of the live tests: the tables a file ingest of the samples leaves, to compare a
follower's tables with."""

from __future__ import annotations

import asyncio

import pytest

from fink_gateway.ingest.pipeline import ingest_files
from fink_gateway.store.embedded import EmbeddedStore
from tests.data_paths import SCIENCE_FILES
from tests.faults.test_ingest_kill import checksums

MESSAGES = 157
"""Kafka messages the sample alerts make (one per alert)."""


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Checksums of every table after a file ingest of the sample alerts (prefix
    ``gwexpected``), computed once per module."""

    async def ingest() -> dict[str, str]:
        store = EmbeddedStore(tmp_path_factory.mktemp("file_ingest") / "store.db")
        report = await ingest_files(store, "gwexpected", SCIENCE_FILES)
        assert not report.failures
        return await checksums(store, "gwexpected")

    return asyncio.run(ingest())
