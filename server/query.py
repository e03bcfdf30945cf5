"""Query strings to Whoosh queries: syntax checks with positions, per-language parsing, rewrites."""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import QueryParser, plugins
from whoosh.qparser.syntax import AndGroup

from indexer.analysis import LANGUAGES, field_name, fold
from indexer.errors import QuerySyntaxError

from .highlight import Matcher

MAX_QUERY_CHARS = 1000
FILTER_FIELDS = ("symbol", "kind", "year", "lang", "number")
_OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def check_syntax(q: str):
    """Raise QuerySyntaxError, with the character position, for mistakes Whoosh would silently guess at."""
    if not q.strip():
        raise QuerySyntaxError("empty query", position=0)
    if len(q) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query longer than {MAX_QUERY_CHARS} characters", position=MAX_QUERY_CHARS)
    quotes = [i for i, ch in enumerate(q) if ch == '"']
    if len(quotes) % 2:
        raise QuerySyntaxError("unclosed quotation mark", position=quotes[-1])
    opened, inside = [], False
    for i, ch in enumerate(q):
        if ch == '"':
            inside = not inside
        elif inside:
            continue
        elif ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                raise QuerySyntaxError("unmatched closing parenthesis", position=i)
            opened.pop()
    if opened:
        raise QuerySyntaxError("unclosed parenthesis", position=opened[-1])
    outside = re.sub(r'"[^"]*"', lambda m: "_" * len(m.group(0)), q)  # phrases count as terms
    ops = list(_OPERATOR.finditer(outside))
    if ops:
        head = outside[:ops[0].start()].strip(" (")
        if not head and ops[0].group(1) != "NOT":
            raise QuerySyntaxError(f"{ops[0].group(1)} needs a term before it", position=ops[0].start())
        tail = outside[ops[-1].end():].strip(" )")
        if not tail:
            raise QuerySyntaxError(f"{ops[-1].group(1)} needs a term after it", position=ops[-1].start())
    for m in re.finditer(r"(?<![\w:])(\w+):(?=\s|$)", outside):
        raise QuerySyntaxError(f"field {m.group(1)}: has no value", position=m.start())


class Parsers:
    """One query parser per language, built once: words all required, OR/NOT/-, phrases, wildcards, fields."""

    def __init__(self, schema, languages):
        self.schema = schema
        self._parsers = {}
        for lang in languages:
            parser = QueryParser(field_name(lang), schema, group=AndGroup)
            # "-word" excludes; "+" means nothing since all words are required; the hyphen inside
            # "non-prolifération" stays part of the word
            parser.add_plugin(plugins.PlusMinusPlugin(plusexpr=r"(?!)",
                                                      minusexpr=r"(?<![^\s(])-(?=\S)"))
            parser.remove_plugin_class(plugins.BoostPlugin)  # "^" is rare in queries and confuses users
            self._parsers[lang] = parser

    def parse(self, q: str, lang: str) -> wq.Query:
        """Parse and rewrite a query for a language's text field."""
        check_syntax(q)
        try:
            parsed = self._parsers[lang].parse(q)
        except Exception as exc:  # Whoosh raises assorted errors on odd input; report them as syntax errors
            raise QuerySyntaxError(f"cannot parse query: {exc}") from None
        return _rewrite(parsed, lang)


def _rewrite(q: wq.Query, lang: str) -> wq.Query:
    """Fit parsed nodes to the analysed terms: prefixes get the analyzer's form (stemmed, folded), and a
    lone Chinese character matches as a prefix of the indexed bigrams."""
    text_field = field_name(lang)
    if isinstance(q, wq.Wildcard) and q.fieldname.startswith("text_"):
        raw = q.text.rstrip("*")
        if raw and "*" not in raw and "?" not in raw:  # a plain suffix wildcard: a prefix query
            q = wq.Prefix(q.fieldname, raw, boost=q.boost)
    if isinstance(q, wq.Prefix) and q.fieldname.startswith("text_"):
        spec = LANGUAGES[q.fieldname[5:]]
        if spec.spelling:  # expanded later against the unstemmed words (see expand_prefixes)
            return WordPrefix(q.fieldname, fold(q.text.lower()), boost=q.boost)
        analysed = [t.text for t in spec.analyzer()(q.text, mode="query")]
        if not analysed:
            return wq.NullQuery
        if len(analysed) == 1:
            return wq.Prefix(q.fieldname, analysed[0], boost=q.boost)
        return wq.Phrase(q.fieldname, analysed, boost=q.boost)
    if isinstance(q, wq.Term) and q.fieldname == text_field and len(q.text) == 1 and _HAN_CHAR.match(q.text):
        return wq.Prefix(q.fieldname, q.text, boost=q.boost)
    if isinstance(q, wq.Term) and q.fieldname == "symbol":
        return wq.Term("symbol", q.text.upper(), boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _rewrite(child, lang))


class WordPrefix(wq.Prefix):
    """A prefix of unstemmed words; `expand_prefixes` turns it into the stems of the indexed words."""


MAX_PREFIX_WORDS = 512


def expand_prefixes(q: wq.Query, catalog) -> wq.Query:
    """Replace WordPrefix nodes by the stems of the vocabulary words that start with the prefix.

    A typed prefix can be longer than the stems of the words it names ("proliférat*": "prolifér"), so
    the prefix is matched against whole words, then each word is analysed.
    """
    if isinstance(q, WordPrefix):
        lang = q.fieldname[5:]
        analyzer = LANGUAGES[lang].analyzer()
        stems = set()
        for word in catalog.words_with_prefix(lang, q.text, MAX_PREFIX_WORDS):
            stems.update(t.text for t in analyzer(word, mode="query"))
        if not stems:
            return wq.NullQuery
        return wq.Or([wq.Term(q.fieldname, s) for s in sorted(stems)], boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand_prefixes(child, catalog))


def matcher_for(q: wq.Query, fieldname: str) -> Matcher:
    """What a hit's text can show as matched for a parsed query, leaving out negated parts."""
    m = Matcher()
    prefixes: list[str] = []

    def walk(node):
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if getattr(node, "fieldname", fieldname) != fieldname and node.is_leaf():
            return
        if isinstance(node, wq.Prefix):
            prefixes.append(node.text)
        elif isinstance(node, wq.Phrase):
            m.phrases.append(tuple(node.words))
        elif isinstance(node, wq.Term):
            m.terms.add(node.text)
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    m.prefixes = tuple(prefixes)
    return m
