"""Highlighting: the paragraph text, HTML-escaped, with <mark> around the words a query matched."""

from __future__ import annotations

from functools import cache
from html import escape

from indexer.analysis import LANGUAGES
from indexer.query.planner import Highlights


@cache
def _analyzer(lang: str):
    return LANGUAGES[lang].analyzer()


def match_spans(text: str, lang: str, matcher: Highlights) -> list[tuple[int, int]]:
    """Merged character spans of `text` that the matcher's terms, prefixes or whole phrases cover.

    Uses query-mode analysis: the terms a query produces, and no word segmentation needed.
    """
    toks = [
        (t.text, t.pos, t.startchar, t.endchar) for t in _analyzer(lang)(text, chars=True, positions=True, mode="query")
    ]
    raw: list[tuple[int, int]] = []
    for term, _, start, end in toks:
        if term in matcher.terms:
            raw.append((start, end))
        elif matcher.prefixes and term.startswith(matcher.prefixes):
            # mark the prefix only where the token is the text itself (a Chinese bigram), else the word
            n = max(len(p) for p in matcher.prefixes if term.startswith(p))
            raw.append((start, start + n if end - start == len(term) else end))
    exact = [p for p in matcher.phrases if any(t.startswith("=") for t in p)]
    for phrase in matcher.phrases:
        if phrase not in exact:
            n = len(phrase)
            for i in range(len(toks) - n + 1):
                if all(toks[i + k][0] == phrase[k] and toks[i + k][1] == toks[i][1] + k for k in range(n)):
                    raw.append((toks[i][2], toks[i + n - 1][3]))
    if exact and LANGUAGES[lang].warm_up is None:  # index-mode terms, where they need no segmenter
        raw.extend(_exact_phrase_spans(text, lang, exact))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(raw):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def _exact_phrase_spans(text: str, lang: str, phrases) -> list[tuple[int, int]]:
    """Spans of phrases of exact-form terms ("=de"), which only index-mode analysis produces."""
    at: dict[int, dict[str, tuple[int, int]]] = {}
    for t in _analyzer(lang)(text, chars=True, positions=True, mode="index"):
        at.setdefault(t.pos, {})[t.text] = (t.startchar, t.endchar)
    out = []
    for phrase in phrases:
        for pos in at:
            if all(phrase[k] in at.get(pos + k, ()) for k in range(len(phrase))):
                out.append((at[pos][phrase[0]][0], at[pos + len(phrase) - 1][phrase[-1]][1]))
    return out


def highlight(text: str, lang: str, matcher: Highlights) -> str:
    """`text` HTML-escaped, matched words wrapped in <mark>…</mark>."""
    return marked(text, match_spans(text, lang, matcher))


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` HTML-escaped, the character spans (merged where they touch or overlap) in <mark>…</mark>."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    out, last = [], 0
    for start, end in merged:
        out.append(escape(text[last:start], quote=False))
        out.append("<mark>" + escape(text[start:end], quote=False) + "</mark>")
        last = end
    out.append(escape(text[last:], quote=False))
    return "".join(out)
