"""Depth, alias and token limits of a query document: strawberry's own limiters, coded.

``QueryDepthLimiter``, ``MaxAliasesLimiter`` and ``MaxTokensLimiter`` report plain GraphQL
errors; :class:`LimitCodes` gives them ``QUERY_TOO_DEEP``, ``TOO_MANY_ALIASES`` and
``TOO_MANY_TOKENS``, which :class:`~fink_gateway.schema.extensions.error_codes.ErrorCodes`
then keeps instead of ``GRAPHQL_VALIDATION_FAILED``. Introspection fields do not count
towards the depth.

Usage: ``strawberry.Schema(query=Query, extensions=[*document_limits(15, 30, 15000),
ErrorCodes])``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Protocol

from graphql import ValidationContext, ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from fink_gateway.errors import GatewayError, QueryTooDeep, TooManyAliases, TooManyTokens

LIMIT_ERRORS: tuple[tuple[re.Pattern[str], type[GatewayError]], ...] = (
    (re.compile(r"exceeds maximum operation depth of \d+"), QueryTooDeep),
    (re.compile(r"^\d+ aliases found\. Allowed: \d+"), TooManyAliases),
    (re.compile(r"Document contains more than \d+ tokens"), TooManyTokens),
)
"""The messages of strawberry's limiters (graphql-core's for tokens) and their error class."""


class DocumentLimitSettings(Protocol):
    """The limits a document must stay within (``settings.limits`` has them)."""

    @property
    def max_depth(self) -> int: ...
    @property
    def max_aliases(self) -> int: ...
    @property
    def max_tokens(self) -> int: ...


class LimitCodes(SchemaExtension):
    """Puts the limit's code on the errors of the limiters."""

    def on_parse(self) -> Iterator[None]:
        yield
        self._code()

    def on_validate(self) -> Iterator[None]:
        yield
        self._code()

    def _code(self) -> None:
        for error in self.execution_context.pre_execution_errors or ():
            for pattern, kind in LIMIT_ERRORS:
                if pattern.search(error.message):
                    error.extensions = {**(error.extensions or {}), "code": kind.code}


def _after_known_fragments(rules: AddValidationRules) -> AddValidationRules:
    """``rules`` skipped for documents that spread an undefined fragment: the limiters would
    fail on it with a KeyError, and graphql's own rules already report it."""
    for index, rule in enumerate(rules.validation_rules):

        class Guarded(ValidationRule):
            checked = rule

            def __init__(self, context: ValidationContext) -> None:
                super().__init__(context)
                with contextlib.suppress(KeyError):  # KnownFragmentNames reports it
                    self.checked(context)

        rules.validation_rules[index] = Guarded
    return rules


def document_limits(
    max_depth: int, max_aliases: int, max_tokens: int
) -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    """The limiters and :class:`LimitCodes`, each shared by every request of a schema."""
    depth = _after_known_fragments(QueryDepthLimiter(max_depth=max_depth))
    aliases = _after_known_fragments(MaxAliasesLimiter(max_alias_count=max_aliases))
    tokens = MaxTokensLimiter(max_token_count=max_tokens)
    return [lambda: tokens, lambda: depth, lambda: aliases, LimitCodes]
