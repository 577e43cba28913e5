"""strawberry's ``ParserCache``, with syntax errors left to the operation so they get a code.

The stock hook parses in ``on_parse`` and lets a syntax error escape the extension hooks;
strawberry then builds the error response after ``on_operation`` has ended, so
:class:`~fink_gateway.schema.extensions.error_codes.ErrorCodes` never sees it and the client
gets no ``extensions.code``. Here a document that does not parse is left unparsed: strawberry
parses it again inside the operation and reports the error there, where it is coded
``GRAPHQL_VALIDATION_FAILED``. Valid documents are parsed once and cached, as before.

Usage: ``strawberry.Schema(query=Query, extensions=[ParserCache(maxsize=1024), ErrorCodes])``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import ParserCache as StrawberryParserCache


class ParserCache(StrawberryParserCache):
    """Caches parsed documents; a syntax error is reported by the operation itself."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(GraphQLError):  # strawberry parses it again, inside the operation
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield
