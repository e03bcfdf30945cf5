"""Query strings to a syntax tree. Only the documented syntax is live: words (all required), OR, NOT or
-word, "exact phrase", prefix*, parentheses and the metadata fields symbol:, kind:, year:, lang:, number:.
Anything else (ranges, boosts, fuzzy marks, other fields) is plain text for the analyzer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QuerySyntaxError
from .nodes import FILTER_FIELDS

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64  # words, phrases and fields in one query
MAX_DEPTH = 16  # nested parentheses and NOTs


@dataclass(frozen=True)
class Word:
    """A bare word (it may analyse into several terms: "non-prolifération")."""

    text: str
    position: int


@dataclass(frozen=True)
class Quoted:
    """A quoted phrase."""

    text: str
    position: int


@dataclass(frozen=True)
class WordPrefix:
    """A word ending in *: every indexed word that starts with it."""

    text: str
    position: int


@dataclass(frozen=True)
class FieldValue:
    """field:value on a metadata field."""

    field: str
    value: str
    position: int


@dataclass(frozen=True)
class AllOf:
    """Every child must match (the implicit operator between words, or AND)."""

    children: tuple


@dataclass(frozen=True)
class AnyOf:
    """At least one child must match (OR)."""

    children: tuple


@dataclass(frozen=True)
class Negated:
    """The child must not match (NOT word, -word)."""

    child: object
    position: int


Syntax = Word | Quoted | WordPrefix | FieldValue | AllOf | AnyOf | Negated

_FIELD = re.compile(rf"^({'|'.join(FILTER_FIELDS)}):(.*)$", re.I | re.S)
_OPERATORS = ("AND", "OR", "NOT")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, quoted, open, close, minus, AND, OR, NOT
    text: str
    position: int


def _lex(q: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = q.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed quotation mark", position=i)
            out.append(_Tok("quoted", q[i + 1 : end], i))
            i = end + 1
        elif ch in "()":
            out.append(_Tok("open" if ch == "(" else "close", ch, i))
            i += 1
        elif ch == "-" and i + 1 < n and not q[i + 1].isspace() and q[i + 1] not in "-)":
            out.append(_Tok("minus", ch, i))  # "-word" excludes; the hyphen inside a word stays a word
            i += 1
        else:
            start = i
            while i < n and not q[i].isspace() and q[i] not in '()"':
                i += 1
            word = q[start:i]
            field = _FIELD.match(word)
            if field and not field.group(2) and i < n and q[i] == '"':  # symbol:"A/RES/68/38"
                end = q.find('"', i + 1)
                if end < 0:
                    raise QuerySyntaxError("unclosed quotation mark", position=i)
                word, i = word + q[i + 1 : end], end + 1
            out.append(_Tok(word if word in _OPERATORS else "word", word, start))
    return out


class _Parser:
    def __init__(self, q: str):
        self.q = q
        self.toks = _lex(q)
        self.i = 0
        self.clauses = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Syntax:
        node = self.all_of(0)
        tok = self.peek()
        if tok is not None:  # only a stray ")" stops all_of early
            raise QuerySyntaxError("unmatched closing parenthesis", position=tok.position)
        return node

    def all_of(self, depth: int) -> Syntax:
        children = []
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "close":
                break
            if tok.kind == "AND":
                if not children:
                    raise QuerySyntaxError("AND needs a term before it", position=tok.position)
                self.take()
                if self.peek() is None or self.peek().kind in ("close", "AND", "OR"):
                    raise QuerySyntaxError("AND needs a term after it", position=tok.position)
                continue
            children.append(self.any_of(depth))
        if not children:
            tok = self.peek()
            raise QuerySyntaxError(
                "empty query" if tok is None else "empty parentheses",
                position=len(self.q) if tok is None else tok.position,
            )
        return children[0] if len(children) == 1 else AllOf(tuple(children))

    def any_of(self, depth: int) -> Syntax:
        tok = self.peek()
        if tok.kind == "OR":
            raise QuerySyntaxError("OR needs a term before it", position=tok.position)
        children = [self.unary(depth)]
        while self.peek() is not None and self.peek().kind == "OR":
            op = self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("close", "OR", "AND"):
                raise QuerySyntaxError("OR needs a term after it", position=op.position)
            children.append(self.unary(depth))
        return children[0] if len(children) == 1 else AnyOf(tuple(children))

    def unary(self, depth: int) -> Syntax:
        if depth > MAX_DEPTH:
            raise QuerySyntaxError(f"query nested deeper than {MAX_DEPTH} levels", position=self.peek().position)
        tok = self.take()
        if tok.kind in ("NOT", "minus"):
            nxt = self.peek()
            if nxt is None or nxt.kind in ("close", "OR", "AND"):
                raise QuerySyntaxError(
                    f"{'NOT' if tok.kind == 'NOT' else '-'} needs a term after it", position=tok.position
                )
            return Negated(self.unary(depth + 1), tok.position)
        if tok.kind == "open":
            if self.peek() is None:
                raise QuerySyntaxError("unclosed parenthesis", position=tok.position)
            inner = self.all_of(depth + 1)
            close = self.peek()
            if close is None:
                raise QuerySyntaxError("unclosed parenthesis", position=tok.position)
            self.take()
            return inner
        if tok.kind == "close":  # pragma: no cover - all_of stops before a ")"
            raise QuerySyntaxError("unmatched closing parenthesis", position=tok.position)
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError(f"more than {MAX_CLAUSES} words or phrases", position=tok.position)
        if tok.kind == "quoted":
            return Quoted(tok.text, tok.position)
        field = _FIELD.match(tok.text)
        if field:
            if not field.group(2).strip():
                raise QuerySyntaxError(f"field {field.group(1).lower()}: has no value", position=tok.position)
            return FieldValue(field.group(1).lower(), field.group(2), tok.position)
        if tok.text.endswith("*") and tok.text.rstrip("*"):
            return WordPrefix(tok.text.rstrip("*"), tok.position)
        return Word(tok.text, tok.position)


def text_spans(q: str) -> list[tuple[int, int]]:
    """Where a query holds text to search (bare words and quoted phrases), as (start, end) offsets: not its
    operators, prefixes or field:value clauses, whose values are names (symbols, kinds, years), not words."""
    spans = []
    for tok in _lex(q):
        if tok.kind == "quoted":
            spans.append((tok.position + 1, tok.position + 1 + len(tok.text)))
        elif tok.kind == "word" and not _FIELD.match(tok.text) and not tok.text.endswith("*"):
            spans.append((tok.position, tok.position + len(tok.text)))
    return spans


def parse(q: str) -> Syntax:
    """The syntax tree of a query string; QuerySyntaxError (with the character position) on mistakes."""
    if q is None or not q.strip():
        raise QuerySyntaxError("empty query", position=0)
    if len(q) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"query longer than {MAX_QUERY_CHARS} characters", position=MAX_QUERY_CHARS)
    # control characters separate words like spaces (and never reach an analyzer)
    return _Parser(_CONTROL.sub(" ", q)).parse()
