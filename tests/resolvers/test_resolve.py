"""Name resolution through the resolver tables: TNS (forward prefix, reverse key scan), Solar
System objects (exact ``@`` prefix, autocompletion, reverse through i:ssnamenr) and objectIds
(main table). Both backends.

Test names say "solar system" rather than the short name, so that ``-k "not sso"`` (which
deselects another area's tests) keeps them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from fink_gateway.errors import InvalidArgument
from fink_gateway.ingest.alerts import read_alerts
from fink_gateway.ingest.sso_names import sso_resolver_rows
from fink_gateway.layout import tables
from fink_gateway.resolvers.resolve import (
    resolve_object,
    resolve_sso,
    resolve_tns,
    resolver_limit,
    resolver_name,
    reverse_sso,
    reverse_tns,
)
from fink_gateway.store.interface import Store
from tests.archive_data import reader, tns_rows, write_tables
from tests.conftest import BACKENDS, module_store
from tests.data_paths import read_sample

pytestmark = pytest.mark.anyio

BENOIT = ("ZTF25aabvany", "ZTF25aabzjns", "ZTF25aadhncf")  # ssnamenr 8467 (FINK-REFERENCE §13)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module", params=BACKENDS)
async def resolver_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Store, str]]:
    """Main-table alerts of two samples and both resolver tables, written once per backend."""
    async with module_store(request.param, tmp_path_factory.mktemp("resolve")) as (store, prefix):
        await _fill(store, prefix)
        yield store, prefix


async def _fill(store: Store, prefix: str) -> None:
    for sample in ("benoit_julien_2025", "broker_utest"):
        await write_tables(store, prefix, read_alerts(read_sample(sample), sample), [tables.MAIN])
    for spec, rows in (
        (tables.SSO_RESOLVER, sso_resolver_rows(["8467", "78", "780", "7800", "2005XM12"])),
        (tables.TNS_RESOLVER, tns_rows()),
    ):
        await store.create_table(spec.name(prefix), spec.families)
        await store.put_rows(spec.name(prefix), rows)


def test_resolver_name_and_limit_are_checked() -> None:
    assert resolver_name("  SN 2023abc ") == "SN 2023abc"
    for bad in ("", "   ", "x" * 201, "a\nb"):
        with pytest.raises(InvalidArgument):
            resolver_name(bad)
    assert resolver_limit(10, 1000) == 10
    for bad in (0, -1, 1001):
        with pytest.raises(InvalidArgument):
            resolver_limit(bad, 1000)


async def test_resolve_tns_forward_is_a_case_insensitive_prefix(
    resolver_store: tuple[Store, str],
) -> None:
    store, prefix = resolver_store
    r = reader(store, prefix)
    exact = await resolve_tns(r, "SN 2023abc", 10)
    assert [e.internal_name for e in exact] == ["ATLAS23xyz", "ZTF23aaaaaab"]
    first = exact[1]
    assert (first.fullname, first.ra, first.dec, first.type) == ("SN 2023abc", 10.5, -5.25, "SN Ia")
    assert first.redshift == 0.05  # stored as text, read as a number
    assert first.discovery_date == "2023-03-01 10:00:00"
    assert len(await resolve_tns(r, "sn 2023ab", 10)) == 3
    assert len(await resolve_tns(r, "sn 2023ab", 2)) == 2
    (at,) = await resolve_tns(r, "at 2024", 10)
    assert at.type is None and at.redshift is None
    assert await resolve_tns(r, "SN 1987A", 10) == []


async def test_resolve_tns_reverse_finds_the_names_of_an_object(
    resolver_store: tuple[Store, str],
) -> None:
    store, prefix = resolver_store
    r = reader(store, prefix)
    (entry,) = await reverse_tns(r, "ZTF23aaaaaab", 10)
    assert entry.fullname == "SN 2023abc"
    assert await reverse_tns(r, "ZTF23aaaaaaz", 10) == []
    with pytest.raises(InvalidArgument):
        await reverse_tns(r, "SN 2023abc", 10)


async def test_resolve_solar_system_exact_names_keep_78_apart_from_780(
    resolver_store: tuple[Store, str],
) -> None:
    store, prefix = resolver_store
    r = reader(store, prefix)
    assert [e.ssnamenr for e in await resolve_sso(r, "78", 10)] == ["78"]
    completed = await resolve_sso(r, "78", 10, autocomplete=True)
    assert [e.ssnamenr for e in completed] == ["78", "780", "7800"]
    assert [e.ssnamenr for e in await resolve_sso(r, "78", 2, autocomplete=True)] == ["78", "780"]
    (provisional,) = await resolve_sso(r, "2005 XM12", 10)
    assert (provisional.ssnamenr, provisional.name, provisional.number) == (
        "2005XM12", "2005 XM12", None,
    )  # fmt: skip
    (by_designation,) = await resolve_sso(r, "2005xm12", 10)
    assert by_designation == provisional
    (numbered,) = await resolve_sso(r, "8467", 10)
    assert (numbered.name, numbered.number) == ("8467", "8467")
    assert await resolve_sso(r, "Ceres", 10) == []


async def test_resolve_solar_system_reverse_goes_through_the_alerts(
    resolver_store: tuple[Store, str],
) -> None:
    store, prefix = resolver_store
    r = reader(store, prefix)
    (entry,) = await reverse_sso(r, BENOIT[0], 10)
    assert (entry.ssnamenr, entry.number, entry.object_id) == ("8467", "8467", BENOIT[0])
    assert await reverse_sso(r, "ZTF18abfisdf", 10) == []  # ssnamenr "null"
    assert await reverse_sso(r, "ZTF20unknown", 10) == []


async def test_resolve_object_gives_positions_newest_first(
    resolver_store: tuple[Store, str],
) -> None:
    store, prefix = resolver_store
    r = reader(store, prefix)
    (entry,) = await resolve_object(r, BENOIT[2], 10)
    assert entry.object_id == BENOIT[2]
    assert entry.ra is not None and 0 <= entry.ra < 360 and entry.dec is not None
    assert isinstance(entry.candid, int) and entry.jd > 2460689
    assert entry.cdsxmatch is not None
    assert await resolve_object(r, "ZTF20unknown", 10) == []
    with pytest.raises(InvalidArgument):
        await resolve_object(r, "not an id", 10)
