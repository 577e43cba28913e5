"""Depth, alias and token limits of a query document: strawberry's own limiters, coded.

``QueryDepthLimiter``, ``MaxAliasesLimiter`` and ``MaxTokensLimiter`` report plain GraphQL
errors. The first two get ``QUERY_TOO_DEEP`` and ``TOO_MANY_ALIASES`` as they report them
(their rules report through a coding hook); a parse that stopped at the token limit gets
``TOO_MANY_TOKENS`` (the document holds more tokens than allowed).
:class:`~fink_gateway.schema.extensions.error_codes.ErrorCodes` then keeps these codes instead
of ``GRAPHQL_VALIDATION_FAILED``. Introspection fields do not count towards the depth.

Usage: ``strawberry.Schema(query=Query, extensions=[*document_limits(15, 30, 15000),
ErrorCodes])``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Protocol

from graphql import GraphQLError, Lexer, Source, TokenKind, ValidationContext, ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from fink_gateway.errors import GatewayError, QueryTooDeep, TooManyAliases, TooManyTokens


class DocumentLimitSettings(Protocol):
    """The limits a document must stay within (``settings.limits`` has them)."""

    @property
    def max_depth(self) -> int: ...
    @property
    def max_aliases(self) -> int: ...
    @property
    def max_tokens(self) -> int: ...


class TokenLimitCode(SchemaExtension):
    """Codes a document the parser gave up on for its length ``TOO_MANY_TOKENS``: the parse
    failed and the document holds more tokens than allowed."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        yield
        errors = self.execution_context.pre_execution_errors or ()
        query = self.execution_context.query
        if errors and query and _more_tokens_than(query, self.max_tokens):
            for error in errors:
                _code(error, TooManyTokens)


def _more_tokens_than(text: str, limit: int) -> bool:
    """Whether ``text`` lexes to more than ``limit`` tokens (a lexing error ends the count)."""
    lexer = Lexer(Source(text))
    count = 0
    with contextlib.suppress(GraphQLError):
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > limit:
                return True
    return False


def _code(error: GraphQLError, kind: type[GatewayError]) -> None:
    error.extensions = {**(error.extensions or {}), "code": kind.code}


def _coded_and_guarded(rules: AddValidationRules, kind: type[GatewayError]) -> AddValidationRules:
    """``rules`` whose errors carry ``kind``'s code, skipped for documents that spread an
    undefined fragment (the limiters would fail on it with a KeyError, and graphql's own
    rules already report it)."""
    for index, rule in enumerate(rules.validation_rules):

        class Guarded(ValidationRule):
            checked = rule

            def __init__(self, context: ValidationContext) -> None:
                super().__init__(context)
                report = context.on_error

                def coded(error: GraphQLError) -> None:
                    _code(error, kind)
                    report(error)

                # The limiters check the document as they start. on_error is a method that
                # graphql-core's ValidationContext itself replaces by the callback it is given;
                # mypy refuses any assignment to a method.
                context.on_error = coded  # type: ignore[method-assign]
                try:
                    # KnownFragmentNames reports an unknown fragment; an empty selection set
                    # (which graphql-core parses) makes strawberry's depth count fail on max()
                    with contextlib.suppress(KeyError, ValueError):
                        self.checked(context)
                finally:
                    context.on_error = report  # type: ignore[method-assign]  # as above

        rules.validation_rules[index] = Guarded
    return rules


def document_limits(
    max_depth: int, max_aliases: int, max_tokens: int
) -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """The limiters, their errors coded, each shared by every request of a schema."""
    depth = _coded_and_guarded(QueryDepthLimiter(max_depth=max_depth), QueryTooDeep)
    aliases = _coded_and_guarded(MaxAliasesLimiter(max_alias_count=max_aliases), TooManyAliases)
    tokens = MaxTokensLimiter(max_token_count=max_tokens)
    return [lambda: tokens, lambda: depth, lambda: aliases, lambda: TokenLimitCode(max_tokens)]
