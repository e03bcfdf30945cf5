"""The one place queries are planned: a syntax tree, a language and the index's vocabulary become
engine-neutral nodes, plus what highlighting needs to mark.

Each language's registry entry may carry its own planning of words, phrases and prefixes
(`plan_word`, `plan_phrase`, `plan_prefix`); the defaults here analyse the text in query mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from ..analysis import LANGUAGES, detect_lang, field_name, fold
from ..analysis.detect import script_rivals
from ..documents import KINDS
from ..errors import BadRequest, QuerySyntaxError
from . import syntax as s
from .expansion import MAX_EXPANSION, check_budget, term_prefix
from .nodes import And, Filter, Node, Nothing, Or, Phrase, Term, has_filters

_NUMBERS = re.compile(r"^\s*(\d{1,4})\s*(?:-\s*(\d{1,4})\s*)?$")
MAX_NUMBER_RANGE = 500  # paragraph numbers one number: range may name
_YEAR = re.compile(r"^\s*(\d{4})\s*(?:(?:-|\.\.)\s*(\d{4})\s*)?$")


class Vocabulary(Protocol):
    """What planning may ask of the index: term statistics and word lists."""

    def doc_frequency(self, field: str, term: str) -> int:
        """Paragraphs holding a term."""

    def terms_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Up to limit + 1 indexed terms starting with prefix."""

    def words_with_prefix(self, lang: str, prefix: str, limit: int) -> list[str]:
        """Up to limit + 1 words as written (the spelling vocabulary) starting with prefix."""


@dataclass
class Highlights:
    """What a hit's text can show as matched: terms, term prefixes and phrases (query-mode terms)."""

    terms: set[str] = field(default_factory=set)
    prefixes: tuple[str, ...] = ()
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.prefixes or self.phrases)


@dataclass
class Plan:
    """A planned query: nodes for the engine, the filters it implies, and what to highlight."""

    lang: str
    query: Node
    filters: tuple[Filter, ...]
    highlights: Highlights
    ignored: tuple[str, ...] = ()  # bare words left out of the query: stop words, matched only inside quotes
    syntax: object = None  # the parsed query (indexer.query.syntax), for what else reads its words


@dataclass
class Context:
    """Passed to language planning hooks: the language, its field, the vocabulary, highlight marks."""

    lang: str
    field: str
    vocabulary: Vocabulary
    highlights: Highlights
    prefixes: list[str]
    ignored: list[str] = field(default_factory=list)

    def query_terms(self, text: str) -> list[str]:
        """The query-mode terms of a text in this language."""
        return [t.text for t in LANGUAGES[self.lang].analyzer()(text, mode="query")]

    def mark(self, node: Node) -> Node:
        """Record a node's terms and phrases for highlighting; returns the node."""
        if isinstance(node, Term) and not node.text.startswith("="):
            self.highlights.terms.add(node.text)
        elif isinstance(node, Phrase):
            self.highlights.phrases.append(node.terms)
        elif isinstance(node, Or):
            for child in node.children:
                self.mark(child)
        return node


def terms_node(ctx: Context, terms: list[str]) -> Node | None:
    """One term, a phrase of several, or None when the text analysed away (stop words)."""
    if not terms:
        return None
    if len(terms) == 1:
        return ctx.mark(Term(ctx.field, terms[0]))
    return ctx.mark(Phrase(ctx.field, tuple(terms)))


def default_word(ctx: Context, text: str) -> Node | None:
    """A bare word: its query-mode terms (several make a phrase: "non-prolifération"). In a language indexed
    by character pairs, a lone character matches as the prefix of the pairs (and run-final characters)."""
    terms = ctx.query_terms(text)
    if len(terms) == 1 and len(terms[0]) == 1 and not LANGUAGES[ctx.lang].spelling:
        return term_prefix(ctx, terms[0])
    return terms_node(ctx, terms)


def default_phrase(ctx: Context, text: str) -> Node | None:
    """A quoted phrase: its query-mode terms at consecutive positions."""
    return terms_node(ctx, ctx.query_terms(text))


def vocabulary_prefix(ctx: Context, prefix: str) -> Node:
    """A prefix of written words (languages with a spelling vocabulary): the terms of every vocabulary
    word starting with it. A typed prefix can be longer than the stems of the words it names
    ("proliférat*": "prolifér"), so whole words are matched, then analysed."""
    words = ctx.vocabulary.words_with_prefix(ctx.lang, fold(prefix.lower()), MAX_EXPANSION)
    check_budget(prefix, len(words))
    terms = sorted({t for w in words for t in ctx.query_terms(w)})
    check_budget(prefix, len(terms))
    if not terms:
        return Nothing()
    ctx.highlights.terms.update(terms)
    return Or(tuple(Term(ctx.field, t) for t in terms))


def default_prefix(ctx: Context, prefix: str) -> Node:
    """A prefix: over the spelling vocabulary where the language keeps one, else over indexed terms."""
    if LANGUAGES[ctx.lang].spelling:
        return vocabulary_prefix(ctx, prefix)
    return term_prefix(ctx, prefix)


def _hook(lang: str, name: str, default: Callable) -> Callable:
    return getattr(LANGUAGES[lang], name, None) or default


def plan(q: str, lang: str, vocabulary: Vocabulary) -> Plan:
    """Parse and plan a query string for one language's text field."""
    tree = s.parse(q)
    ctx = Context(lang, field_name(lang), vocabulary, Highlights(), [])
    node = _plan(tree, ctx)
    if node is None:  # every word was a stop word
        node = Nothing()
    elif isinstance(node, And) and not node.children:
        raise QuerySyntaxError("a query cannot only exclude: add a word to look for", position=0)
    ctx.highlights.prefixes = tuple(ctx.prefixes)
    filters = (Filter("lang", (lang,)),) if has_filters(node) else ()
    return Plan(lang, node, filters, ctx.highlights, tuple(ctx.ignored), tree)


def query_language(q: str, requested: str | None, languages) -> str:
    """The language a query searches: the one its lang: clauses name, else `requested`, else (None or "auto")
    the language of its words (field values aside). BadRequest for a language not indexed; QuerySyntaxError
    for lang: clauses that name two languages, or that stand under NOT or OR."""
    tree = s.parse(q)
    named: list[tuple[str, int]] = []
    _lang_clauses(tree, named, inside=None)
    for value, position in named:
        if value not in languages:
            raise QuerySyntaxError(f"lang: takes one of {', '.join(languages)} (got {value})", position=position)
        if value != named[0][0]:
            raise QuerySyntaxError(
                f"a query searches one language: lang:{named[0][0]} and lang:{value} both given", position=position
            )
    if named:
        return named[0][0]
    if requested in (None, "", "auto"):
        words = " ".join(q[a:b] for a, b in s.text_spans(q))
        return detect_lang(words or q, languages)
    if requested not in languages:
        raise BadRequest(f"lang must be auto or one of {', '.join(languages)}")
    return requested


def _lang_clauses(tree, found: list[tuple[str, int]], inside: str | None):
    if isinstance(tree, s.FieldValue) and tree.field == "lang":
        if inside is not None:
            raise QuerySyntaxError(
                f"lang: sets the language searched: it cannot stand under {inside}", position=tree.position
            )
        found.append((tree.value.strip().lower(), tree.position))
    elif isinstance(tree, s.Negated):
        _lang_clauses(tree.child, found, "NOT")
    elif isinstance(tree, s.AnyOf):
        for child in tree.children:
            _lang_clauses(child, found, inside or "OR")
    elif isinstance(tree, s.AllOf):
        for child in tree.children:
            _lang_clauses(child, found, inside)


def foreign_words(q: str, lang: str, languages) -> dict[str, list[str]]:
    """The words of a query written in another indexed language's script than the one searched, by language:
    they match no paragraph of the language searched ("裁军" in a French search)."""
    out: dict[str, list[str]] = {}
    specs = [LANGUAGES[code] for code in languages]
    for a, b in s.text_spans(q):
        for word in q[a:b].split():
            rivals, _ = script_rivals(word, specs)
            if rivals and all(r.code != lang for r in rivals):
                out.setdefault(rivals[0].code, []).append(word)
    return out


def plan_term(term: str, lang: str, vocabulary: Vocabulary) -> Plan:
    """A term as `GET /api/terms` looks it up: its words at consecutive positions, each matching every form
    search matches (a French word by its stem, accents and number aside; a stop word as written). A language
    may plan terms its own way (Chinese: where the term is a word); one without query words takes the term as
    a quoted phrase."""
    ctx = Context(lang, field_name(lang), vocabulary, Highlights(), [])
    if LANGUAGES[lang].plan_term is not None:
        return Plan(lang, LANGUAGES[lang].plan_term(ctx, term) or Nothing(), (), ctx.highlights)
    words_of = LANGUAGES[lang].query_words
    if words_of is None:
        return plan(f'"{term}"', lang, vocabulary)
    node = terms_node(ctx, [w.stem or w.exact for w in words_of(term)])
    return Plan(lang, node or Nothing(), (), ctx.highlights)


LOOKUP_TERMS = 8  # rarest terms of a looked-up segment retrieved by (see plan_lookup)


def plan_lookup(text: str, lang: str, vocabulary: Vocabulary, max_terms: int = LOOKUP_TERMS) -> Plan:
    """A whole segment as a translation memory lookup retrieves its candidates: the `max_terms` rarest of its
    query-mode terms the index holds, any of them (OR), scored by BM25; a changed word or two leaves most of
    them to find the segment. Terms the index lacks (a new word, a changed number) cannot find anything."""
    hook = LANGUAGES[lang].query_text
    ctx = Context(lang, field_name(lang), vocabulary, Highlights(), [])
    held = []
    for term in dict.fromkeys(ctx.query_terms(hook(text) if hook else text)):
        df = vocabulary.doc_frequency(ctx.field, term)
        if df:
            held.append((df, term))
    rarest = [term for _, term in sorted(held)[:max_terms]]
    if not rarest:
        return Plan(lang, Nothing(), (), ctx.highlights)
    node = Term(ctx.field, rarest[0]) if len(rarest) == 1 else Or(tuple(Term(ctx.field, t) for t in rarest))
    return Plan(lang, node, (), ctx.highlights)


def _plan(tree, ctx: Context) -> Node | None:
    if isinstance(tree, s.Word):
        node = _hook(ctx.lang, "plan_word", default_word)(ctx, tree.text)
        if node is None:  # analysed away: a stop word, searched only inside a quoted phrase
            ctx.ignored.append(tree.text)
        return node
    if isinstance(tree, s.Quoted):
        return _hook(ctx.lang, "plan_phrase", default_phrase)(ctx, tree.text)
    if isinstance(tree, s.WordPrefix):
        return _hook(ctx.lang, "plan_prefix", default_prefix)(ctx, tree.text)
    if isinstance(tree, s.FieldValue):
        return field_filter(tree)
    if isinstance(tree, s.AnyOf):
        children = []
        for child in tree.children:
            if isinstance(child, s.Negated):
                raise QuerySyntaxError(
                    "NOT cannot be one of the choices of OR; exclude outside the OR", position=child.position
                )
            planned = _plan(child, ctx)
            if planned is not None:
                children.append(planned)
        children = list(dict.fromkeys(children))  # a choice repeated is matched once ("de la" OR "de la" ...)
        if not children:
            return None
        return children[0] if len(children) == 1 else Or(tuple(children))
    if isinstance(tree, s.Negated):
        excluded = _plan(tree.child, _silent(ctx))
        return And((), (excluded,)) if excluded is not None else None
    if isinstance(tree, s.AllOf):
        children, excluded = [], []
        for child in tree.children:
            planned = _plan(child, ctx)
            if planned is None:
                continue
            if isinstance(planned, And):
                children.extend(planned.children)
                excluded.extend(planned.excluded)
            else:
                children.append(planned)
        children, excluded = list(dict.fromkeys(children)), list(dict.fromkeys(excluded))  # each matched once
        if not children and not excluded:
            return None
        if len(children) == 1 and not excluded:
            return children[0]
        return And(tuple(children), tuple(excluded))
    raise TypeError(f"unknown syntax node {tree!r}")  # pragma: no cover


def _silent(ctx: Context) -> Context:
    """A context whose marks are thrown away: excluded words are not highlighted."""
    return Context(ctx.lang, ctx.field, ctx.vocabulary, Highlights(), [])


def field_filter(tree: s.FieldValue) -> Filter:
    """A metadata clause as a filter: symbols upper case, years as ranges, kinds checked."""
    value = tree.value.strip()
    if tree.field == "symbol":
        return Filter("symbol", (value.upper(),))
    if tree.field == "year":
        m = _YEAR.match(value)
        if not m:
            raise QuerySyntaxError("year: takes a year (2013) or a range (2010-2015)", position=tree.position)
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if low > high:
            raise QuerySyntaxError("year range is reversed", position=tree.position)
        return Filter("year", (low, high))
    if tree.field == "kind":
        if value.lower() not in KINDS:
            raise QuerySyntaxError(f"kind: takes one of {', '.join(KINDS)}", position=tree.position)
        return Filter("kind", (value.lower(),))
    if tree.field == "lang":
        return Filter("lang", (value.lower(),))
    if tree.field == "number":
        return Filter("number", _paragraph_numbers(value, tree.position))
    return Filter(tree.field, (value,))


def _paragraph_numbers(value: str, position: int) -> tuple[str, ...]:
    """number: names paragraphs by the number printed before them (operative paragraph 3, footnote 3), one or a
    range of them; a number written inside the text is found by searching it as a word (68/38)."""
    m = _NUMBERS.match(value)
    if not m:
        raise QuerySyntaxError(
            "number: takes a paragraph number (3) or a range (2-5); to find a number written in the text, "
            "search it as a word (68/38)",
            position=position,
        )
    low, high = int(m.group(1)), int(m.group(2) or m.group(1))
    if low > high or high - low >= MAX_NUMBER_RANGE:
        raise QuerySyntaxError(f"number: range must run upwards over at most {MAX_NUMBER_RANGE} numbers", position)
    return tuple(str(n) for n in range(low, high + 1))


def request_filters(symbol: str | None = None, year: str | None = None, kind: str | None = None) -> tuple[Filter, ...]:
    """Filters given beside the query (API parameters, CLI flags), validated: comma-separated symbols and
    kinds, a year or a range of years."""
    out = []
    if symbol:
        out.append(Filter("symbol", tuple(sorted({v.strip().upper() for v in symbol.split(",") if v.strip()}))))
    if kind:
        kinds = tuple(sorted({k.strip() for k in kind.split(",") if k.strip()}))
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise BadRequest(f"kind must be among {', '.join(KINDS)} (got {', '.join(bad)})")
        out.append(Filter("kind", kinds))
    if year:
        m = _YEAR.match(str(year))
        if not m:
            raise BadRequest("year must be a year (2013) or a range (2010-2015)")
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if low > high:
            raise BadRequest("year range is reversed")
        out.append(Filter("year", (low, high)))
    return tuple(out)
