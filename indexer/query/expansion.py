"""Prefixes expanded into the indexed terms they stand for, within a budget. Language planning hooks
(indexer.analysis.planning) and the planner both use it; it needs nothing of the language registry, so
the registry can import it without importing the planner back."""

from __future__ import annotations

from ..errors import QuerySyntaxError
from .nodes import Node, Nothing, Or, Phrase, Term

MAX_EXPANSION = 1024  # terms one prefix may stand for; more is a query over budget


def check_budget(prefix: str, count: int):
    """Refuse a prefix standing for more than MAX_EXPANSION words or terms."""
    if count > MAX_EXPANSION:
        raise QuerySyntaxError(f"{prefix}* matches more than {MAX_EXPANSION} words: type more of the word")


def term_prefix(ctx, prefix: str) -> Node:
    """A prefix of indexed terms (Chinese: the bigrams and run-final characters starting with it); `ctx` is
    the planner's Context."""
    terms = ctx.query_terms(prefix)
    if not terms:
        return Nothing()
    if len(terms) > 1:  # a prefix longer than one term is a substring: its terms as a phrase
        return ctx.mark(Phrase(ctx.field, tuple(terms)))
    found = [t for t in ctx.vocabulary.terms_with_prefix(ctx.field, terms[0], MAX_EXPANSION) if not t.startswith("=")]
    check_budget(prefix, len(found))
    if not found:
        return Nothing()
    ctx.prefixes.append(terms[0])
    return Or(tuple(Term(ctx.field, t) for t in found))
