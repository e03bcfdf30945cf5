"""Per-language planning hooks (see indexer.query.planner): words and phrases to nodes that rank the
typed form first. The index holds, beside stems (French) and bigrams (Chinese), exact-form terms
"=" + folded word (French) and "=" + pkuseg word (Chinese); a query adds them as optional, boosted
alternatives, so they reorder hits without changing which paragraphs match."""

from __future__ import annotations

import re

from ..query.expansion import term_prefix
from ..query.nodes import Node, Or, Phrase, Term
from .chinese import to_simplified
from .french import EXACT, french_query_words

EXACT_BOOST = 5.0  # weight of the typed form beside the stem or bigrams; 2 left stems first in 0.3% of
# accent-less queries of bench/search_quality.py (b), 5 in none
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def _seq(field: str, terms: list[str], boost: float = 1.0) -> Node:
    return Term(field, terms[0], boost) if len(terms) == 1 else Phrase(field, tuple(terms), boost)


def french_word(ctx, text: str, words_of=french_query_words) -> Node | None:
    """A bare word: its stem (every spelling and number), or'ed with its exact form, boosted (French, and
    the other alphabetic languages with their own `words_of`).

    Stop words alone are ignored; a word the tokenizer splits ("non-prolifération") is a phrase."""
    words = words_of(text)
    if not words or all(w.stem is None for w in words):
        return None
    exact = _seq(ctx.field, [w.exact for w in words], EXACT_BOOST)
    if any(w.stem is None for w in words):  # stems alone would leave holes: the exact forms must match
        ctx.highlights.terms.update(w.stem for w in words if w.stem)
        return exact
    return Or((ctx.mark(_seq(ctx.field, [w.stem for w in words])), exact))


def french_phrase(ctx, text: str, words_of=french_query_words) -> Node | None:
    """A quoted phrase: the exact forms of its words, stop words included, at consecutive positions
    (accents, case and elided articles aside)."""
    words = words_of(text)
    if not words:
        return None
    exact = [w.exact for w in words]
    ctx.highlights.phrases.append(tuple(exact))  # highlighted as written, stop words included
    return _seq(ctx.field, exact)


def chinese_word(ctx, text: str) -> Node | None:
    """A Chinese word or substring, simplified: its bigrams as a phrase, or'ed with the pkuseg word
    "=" + text, boosted, when the index holds it."""
    text = to_simplified(text)
    terms = ctx.query_terms(text)
    if not terms:
        return None
    if len(terms) == 1 and len(terms[0]) == 1:  # a lone character: a prefix of the indexed pairs
        return term_prefix(ctx, terms[0])
    node = ctx.mark(_seq(ctx.field, terms))
    if _HAN_RUN.fullmatch(text) and ctx.vocabulary.doc_frequency(ctx.field, EXACT + text):
        return Or((node, Term(ctx.field, EXACT + text, EXACT_BOOST)))
    return node


def chinese_term(ctx, text: str) -> Node | None:
    """A Chinese term as GET /api/terms looks it up: where it is a pkuseg word ("=" + text) when the index
    holds it as one, so that 中国 is not read inside 发展中国家; else (not a word anywhere) its bigrams as a
    phrase. Highlights mark its characters either way."""
    text = to_simplified(text)
    terms = ctx.query_terms(text)
    if not terms:
        return None
    phrase = ctx.mark(_seq(ctx.field, terms))
    if _HAN_RUN.fullmatch(text) and ctx.vocabulary.doc_frequency(ctx.field, EXACT + text):
        return Term(ctx.field, EXACT + text)
    return phrase


def chinese_prefix(ctx, prefix: str) -> Node:
    """A Chinese prefix, simplified first."""
    return term_prefix(ctx, to_simplified(prefix))
