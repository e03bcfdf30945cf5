"""The match score of a stored segment against a text, as CAT tools compute fuzzy matches, and the words
that differ.

Both texts are cut into tokens: words (analysed forms: NFKC, lower case, accents folded; each Han character
one word, as Chinese has no spaces), numbers (digits with their inner separators: 67/38, 3.5, 2 000 is two),
inline tags (`<x/>`, `{1}`) and punctuation marks. Then

    fuzzy   = 100 × (1 − d / max(n_text, n_stored))    d: Levenshtein distance over the words and numbers,
                                                        each insertion, deletion or substitution costing 1
    score   = floor(fuzzy) − min(p, 3) − min(t, 2) − c
                                                        p: Levenshtein distance over the punctuation marks,
                                                        t: over the tags, c: 1 when words equal as analysed
                                                        differ as written (case, accents)
    score   = 100 only for the same normalised text (indexer.segments.normalised); any other at most 99.

A number counts as a word (as memoQ and Trados count them in a fuzzy match) and numbers that differ are
also flagged apart; punctuation and tags cost a point each, as the CAT tools' penalties do.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .analysis import fold
from .segmenter import HAN_CLASS

_TOKEN = re.compile(
    rf"(?P<tag><[^<>\s][^<>]{{0,80}}>|\{{\d+\}})"
    rf"|(?P<num>\d+(?:[.,/:-]\d+)*)"
    rf"|(?P<han>[{HAN_CLASS}])"
    rf"|(?P<word>[^\W\d_{HAN_CLASS}]+)"
    rf"|(?P<punct>[^\w\s])"
)
MAX_PUNCTUATION_PENALTY = 3
MAX_TAG_PENALTY = 2


@dataclass(frozen=True)
class Tokens:
    """A text's tokens: words and numbers (analysed forms, as written, offsets), punctuation and tags."""

    forms: tuple[str, ...]
    written: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    punctuation: tuple[str, ...]
    tags: tuple[str, ...]


@lru_cache(maxsize=262_144)
def _form(value: str) -> str:
    """A word's or number's analysed form (cached: a lookup reads the same words in every candidate)."""
    return fold(unicodedata.normalize("NFKC", value).lower())


def tokens(text: str) -> Tokens:
    """The tokens of a text (offsets into the text as given)."""
    forms, written, spans, punctuation, tags = [], [], [], [], []
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == "tag":
            tags.append(value)
        elif kind == "punct":
            punctuation.append(unicodedata.normalize("NFKC", value))
        else:
            forms.append(_form(value))
            written.append(value)
            spans.append(m.span())
    return Tokens(tuple(forms), tuple(written), tuple(spans), tuple(punctuation), tuple(tags))


_TAGS = re.compile(_TOKEN.pattern.split("|(?P<num>")[0])
_WORDS = re.compile(rf"\d+(?:[.,/:-]\d+)*|[{HAN_CLASS}]|[^\W\d_{HAN_CLASS}]+")
_PUNCT = re.compile(r"[^\w\s]")


def scoring_tokens(text: str) -> Tokens:
    """The forms, punctuation and tags of a text as `tokens` gives them, without offsets or written forms
    (`written` empty): what scoring many candidates needs, in a few passes of regular expressions."""
    tags = ()
    if "<" in text or "{" in text:
        tags = tuple(_TAGS.findall(text))
        text = _TAGS.sub(" ", text)
    words = _WORDS.findall(text)
    punctuation = _PUNCT.findall(_WORDS.sub(" ", text))
    if not text.isascii():
        punctuation = [unicodedata.normalize("NFKC", p) for p in punctuation]
    return Tokens(tuple(map(_form, words)), (), (), tuple(punctuation), tags)


def fuzzy(d: int, n_text: int, n_stored: int) -> float:
    """The word part of the score: 100 × (1 − d / the longer word count)."""
    longest = max(n_text, n_stored)
    return 100.0 if longest == 0 else 100.0 * (1 - d / longest)


def score(text: Tokens, stored: Tokens, same_text: bool, d: int | None = None) -> int:
    """The match score 0-100 (see the module); `d`: the words' distance when already computed."""
    if same_text:
        return 100
    if d is None:
        d = Levenshtein.distance(text.forms, stored.forms)
    value = math.floor(fuzzy(d, len(text.forms), len(stored.forms)) + 1e-9)
    value -= min(Levenshtein.distance(text.punctuation, stored.punctuation), MAX_PUNCTUATION_PENALTY)
    value -= min(Levenshtein.distance(text.tags, stored.tags), MAX_TAG_PENALTY)
    if d == 0 and text.written != stored.written:
        value -= 1
    return max(0, min(99, value))


@dataclass(frozen=True)
class Change:
    """Words of the stored segment (offsets into it) replaced, deleted or inserted to give the text asked."""

    op: str  # "replace", "delete" (in the stored segment only) or "insert" (in the text only)
    start: int
    end: int
    stored: str
    text: str

    def as_dict(self) -> dict:
        """The JSON form."""
        return {"op": self.op, "start": self.start, "end": self.end, "stored": self.stored, "text": self.text}


def changes(text: Tokens, stored: Tokens, text_str: str, stored_str: str) -> list[Change]:
    """What differs word by word, as offsets into the stored segment (an insertion is an empty span)."""
    out = []
    for op in Levenshtein.opcodes(stored.forms, text.forms):
        if op.tag == "equal":
            continue
        if op.src_start < op.src_end:
            start, end = stored.spans[op.src_start][0], stored.spans[op.src_end - 1][1]
        else:  # inserted before the next stored word, or after the last
            at = stored.spans[op.src_start][0] if op.src_start < len(stored.spans) else len(stored_str.rstrip())
            start = end = at
        asked = ""
        if op.dest_start < op.dest_end:
            asked = text_str[text.spans[op.dest_start][0] : text.spans[op.dest_end - 1][1]]
        out.append(Change(op.tag, start, end, stored_str[start:end], asked))
    return out


def diff_html(stored_str: str, found: list[Change]) -> str:
    """The stored segment HTML-escaped, with `<del>` around its words that differ and `<ins>` holding the
    words of the text asked in their place."""
    parts, at = [], 0
    for c in found:
        parts.append(html.escape(stored_str[at : c.start]))
        if c.end > c.start:
            parts.append(f"<del>{html.escape(c.stored)}</del>")
        if c.text:
            parts.append(f"<ins>{html.escape(c.text)}</ins>")
        at = c.end
    parts.append(html.escape(stored_str[at:]))
    return "".join(parts)
