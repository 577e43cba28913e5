"""The ``gql`` Python client against the running gateway: it introspects the schema, validates
queries against it before sending, passes variables, and reads coded errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gql import Client, GraphQLRequest, gql
from gql.client import SyncClientSession
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport
from graphql import GraphQLError, GraphQLObjectType

from tests.conformance.conftest import LiveGateway

OBJECT_QUERY = """
query One($id: String!, $limits: Boolean!) {
  object(objectId: $id) {
    objectId
    lightcurve(withUpperLimits: $limits) { jd band magpsf }
  }
}
"""


@pytest.fixture(scope="module")
def session(live_gateway: LiveGateway) -> Iterator[SyncClientSession]:
    """A connected gql client that fetched the schema by introspection on connecting."""
    client = Client(
        transport=HTTPXTransport(url=live_gateway.graphql_url, timeout=30),
        fetch_schema_from_transport=True,
    )
    with client as session:
        yield session


def test_gql_client_fetches_the_schema_by_introspection(session: SyncClientSession) -> None:
    schema = session.client.schema
    assert schema is not None
    query = schema.query_type
    assert isinstance(query, GraphQLObjectType)
    assert {"object", "objects", "conesearch", "alertsByClass"} <= set(query.fields)
    assert query.fields["object"].description


def test_gql_client_runs_a_validated_query_with_variables(
    session: SyncClientSession, live_gateway: LiveGateway
) -> None:
    object_id = live_gateway.object_ids[0]
    request = GraphQLRequest(OBJECT_QUERY, variable_values={"id": object_id, "limits": False})
    result = session.execute(request)
    found = result["object"]
    assert found["objectId"] == object_id
    curve = found["lightcurve"]
    assert len(curve["jd"]) == len(curve["band"]) == len(curve["magpsf"]) >= 1


def test_gql_client_gets_null_for_an_unknown_object(session: SyncClientSession) -> None:
    request = GraphQLRequest(OBJECT_QUERY, variable_values={"id": "ZTF00aaaaaaa", "limits": True})
    assert session.execute(request) == {"object": None}


def test_gql_client_rejects_an_invalid_query_before_sending(session: SyncClientSession) -> None:
    with pytest.raises(GraphQLError, match="Cannot query field 'noSuchField'"):
        session.execute(gql("{ object(objectId: \"x\") { noSuchField } }"))


def test_gql_client_reads_the_error_code(session: SyncClientSession) -> None:
    request = gql("{ conesearch(ra: 10, dec: 10, radius: 1e9) { edges { cursor } } }")
    with pytest.raises(TransportQueryError) as raised:
        session.execute(request)
    errors = raised.value.errors or []
    assert [e["extensions"]["code"] for e in errors] == ["INVALID_ARGUMENT"]
    assert errors[0]["extensions"]["requestId"]
