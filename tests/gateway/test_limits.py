"""The limits of a request: document depth, aliases and tokens, body size, time; request ids.

Over HTTP on the whole app (an empty embedded store: the queries here read nothing), except
the time limit, run on a schema with a slow test-only field.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
import strawberry
from strawberry.types import ExecutionResult

from fink_gateway.gateway.middleware.ratelimit import MemoryBuckets
from fink_gateway.resolvers.context import RequestContext
from fink_gateway.schema.build import build_schema
from tests.gateway.conftest import ClientFactory, settings_with

DEEP_QUERY = """{ conesearch(ra: 1, dec: 2, radius: 3) { edges { node { object {
  alerts { edges { node { classification { label } } } } } } } } }"""  # 9 levels


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def test_limits_refuse_a_query_nested_too_deep(client_factory: ClientFactory) -> None:
    shallow = client_factory(settings_with(limits={"max_depth": 5}))
    body = shallow.post("/graphql", json={"query": DEEP_QUERY}).json()
    assert codes(body) == ["QUERY_TOO_DEEP"]
    assert "maximum operation depth of 5" in body["errors"][0]["message"]
    default = client_factory().post("/graphql", json={"query": DEEP_QUERY}).json()
    assert "QUERY_TOO_DEEP" not in codes(default)


def test_limits_accept_an_empty_selection_set(client_factory: ClientFactory) -> None:
    # graphql-core parses `{ }`; the depth limiter's count used to fail on it (an uncoded
    # "max() arg is an empty sequence"), found by fuzzing /api/v1
    body = client_factory().post("/graphql", json={"query": "{ classes { } }"}).json()
    assert "errors" not in body and isinstance(body["data"]["classes"], list)


def test_limits_do_not_count_introspection_depth(client_factory: ClientFactory) -> None:
    client = client_factory(settings_with(limits={"max_depth": 3}))
    query = "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }"
    body = client.post("/graphql", json={"query": query}).json()
    assert "errors" not in body


def test_limits_refuse_too_many_aliases(client_factory: ClientFactory) -> None:
    client = client_factory()
    allowed = "{ " + " ".join(f"v{i}: version" for i in range(30)) + " }"
    assert "errors" not in client.post("/graphql", json={"query": allowed}).json()
    too_many = "{ " + " ".join(f"v{i}: version" for i in range(31)) + " }"
    body = client.post("/graphql", json={"query": too_many}).json()
    assert codes(body) == ["TOO_MANY_ALIASES"]
    assert body["errors"][0]["message"] == "31 aliases found. Allowed: 30"


def test_limits_count_aliases_inside_fragments(client_factory: ClientFactory) -> None:
    client = client_factory(settings_with(limits={"max_aliases": 2}))
    query = """{ ...A ...B }
      fragment A on Query { a: version }
      fragment B on Query { b: version c: version }"""
    assert codes(client.post("/graphql", json={"query": query}).json()) == ["TOO_MANY_ALIASES"]


def test_limits_refuse_too_many_tokens(client_factory: ClientFactory) -> None:
    client = client_factory()
    huge = "{ " + "version " * 15000 + "}"
    body = client.post("/graphql", json={"query": huge}).json()
    assert codes(body) == ["TOO_MANY_TOKENS"]
    assert "more than 15000 tokens" in body["errors"][0]["message"]


def test_limits_leave_an_undefined_fragment_to_validation(client_factory: ClientFactory) -> None:
    body = client_factory().post("/graphql", json={"query": "{ version ...Missing }"}).json()
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


def test_body_over_the_cap_is_refused_with_413(client_factory: ClientFactory) -> None:
    client = client_factory()
    padding = "x" * (2 * 1024 * 1024)
    response = client.post(
        "/graphql", json={"query": "{ version }", "variables": {"padding": padding}}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert codes(body) == ["PAYLOAD_TOO_LARGE"]
    assert body["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]
    assert "2,097,152 bytes" in body["errors"][0]["message"]


def test_body_without_a_length_is_counted_as_it_arrives(client_factory: ClientFactory) -> None:
    client = client_factory(settings_with(http={"max_body_bytes": 1000}))

    def chunks(total: int) -> Iterator[bytes]:
        yield b'{"query": "{ version }", "variables": {"padding": "'
        yield b"x" * total
        yield b'"}}'

    headers = {"content-type": "application/json"}
    small = client.post("/graphql", content=chunks(100), headers=headers)
    assert "content-length" not in small.request.headers
    assert small.status_code == 200 and "errors" not in small.json()
    large = client.post("/graphql", content=chunks(2000), headers=headers)
    assert large.status_code == 413
    assert codes(large.json()) == ["PAYLOAD_TOO_LARGE"]


def test_body_cap_leaves_room_for_uploads(client_factory: ClientFactory) -> None:
    client = client_factory(
        settings_with(http={"max_body_bytes": 1000}, skymap={"max_bytes": 10_000})
    )
    operations = '{"query": "{ version }", "variables": {}}'

    def upload(size: int) -> Any:
        return client.post(
            "/graphql",
            data={"operations": operations, "map": "{}"},
            files={"0": ("map.fits", b"\0" * size, "application/octet-stream")},
        )

    accepted = upload(5000)
    assert accepted.status_code == 200, accepted.text
    assert "errors" not in accepted.json()
    assert upload(12_000).status_code == 413


def test_request_id_is_returned_in_a_header_and_in_errors(client_factory: ClientFactory) -> None:
    client = client_factory()
    response = client.post("/graphql", json={"query": "{ noSuchField }"})
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 16
    assert response.json()["errors"][0]["extensions"]["requestId"] == request_id
    assert client.get("/healthz").headers["x-request-id"] != request_id


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("trace-42.a:b_C", True), ("has spaces", False), ("x" * 129, False), ("", False)],
)
def test_request_id_from_the_client_is_kept_when_plausible(
    client_factory: ClientFactory, incoming: str, kept: bool
) -> None:
    response = client_factory().post(
        "/graphql", json={"query": "{ noSuchField }"}, headers={"x-request-id": incoming}
    )
    returned = response.headers["x-request-id"]
    assert (returned == incoming) is kept
    assert response.json()["errors"][0]["extensions"]["requestId"] == returned


def test_unexpected_failures_outside_graphql_are_masked(
    client_factory: ClientFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(self: object, client: str) -> float:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(MemoryBuckets, "take", broken)
    settings = settings_with(http={"rate_limit_per_second": 1.0})
    client = client_factory(settings, raise_server_exceptions=False)
    response = client.post("/graphql", json={"query": "{ version }"})
    assert response.status_code == 500
    assert "secret detail" not in response.text and "Traceback" not in response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    request_id = error["extensions"]["requestId"]
    assert response.headers["x-request-id"] == request_id
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the trace stays in the log


@strawberry.type(description="Test-only fields that take their time.")
class SlowQuery:
    @strawberry.field(description="Answers at once.")
    async def quick(self) -> str:
        await asyncio.sleep(0)
        return "done"

    @strawberry.field(description="Answers after 5 s.")
    async def slow(self) -> str | None:
        await asyncio.sleep(5)
        return "late"

    @strawberry.field(description="Fails with a timeout of its own.")
    async def own_timeout(self) -> str | None:
        raise TimeoutError("a socket timed out")


SLOW_SCHEMA = build_schema(extra_queries=(SlowQuery,))


def slow_context(timeout_seconds: float) -> RequestContext:
    settings = settings_with(limits={"timeout_seconds": timeout_seconds})
    return RequestContext(reader=None, settings=settings, request_id="slow-1")  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_timeout_returns_what_finished_and_a_timeout_error() -> None:
    start = time.perf_counter()
    result = await SLOW_SCHEMA.execute("{ version quick slow }", context_value=slow_context(0.2))
    assert time.perf_counter() - start < 2
    assert isinstance(result, ExecutionResult)
    assert result.data is not None
    assert result.data["quick"] == "done" and result.data["version"]
    assert result.data["slow"] is None
    (error,) = [e.formatted for e in result.errors or []]
    assert error["path"] == ["slow"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert error["extensions"]["requestId"] == "slow-1"
    assert "0.2 s" in error["message"]


@pytest.mark.anyio
async def test_timeout_does_not_claim_a_resolvers_own_timeout() -> None:
    result = await SLOW_SCHEMA.execute("{ ownTimeout }", context_value=slow_context(5))
    assert [e.formatted["extensions"]["code"] for e in result.errors or []] == ["INTERNAL"]


@pytest.mark.anyio
async def test_timeout_of_zero_means_no_limit() -> None:
    task = asyncio.ensure_future(
        SLOW_SCHEMA.execute("{ slow }", context_value=slow_context(0))
    )
    await asyncio.sleep(0.3)
    assert not task.done()  # still waiting: nothing cut it at 0 s
    task.cancel()
