"""Sentences of a text by its language's SRX-style rules (indexer.analysis.sentence_rules, named by the
registry): the segments a translation memory looks up."""

from __future__ import annotations

import re
from functools import cache

from .analysis import LANGUAGES

_SPACE = re.compile(r"\s")


@cache
def _compiled(lang: str) -> tuple[tuple[bool, re.Pattern], ...]:
    rules = LANGUAGES[lang].sentence_rules
    return tuple((rule.breaks, rule.pattern()) for rule in rules)


def break_positions(text: str, lang: str) -> list[int]:
    """Where a language's rules break a text, in order: the first rule matching at a position decides."""
    decided: dict[int, bool] = {}
    for breaks, pattern in _compiled(lang):
        for m in pattern.finditer(text):
            decided.setdefault(m.end(), breaks)
    return sorted(pos for pos, breaks in decided.items() if breaks and 0 < pos < len(text))


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the text's sentences in order, covering the whole text minus
    inter-sentence whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in break_positions(text, lang) + [len(text)]:
        a, b = start, end
        while a < b and _SPACE.match(text, a):
            a += 1
        while b > a and _SPACE.match(text, b - 1):
            b -= 1
        if a < b:
            spans.append((a, b))
        start = end
    return spans


def sentences(text: str, lang: str) -> list[str]:
    """The text of each sentence (see sentence_spans)."""
    return [text[a:b] for a, b in sentence_spans(text, lang)]
