"""Did-you-mean: each query word the index lacks, replaced by the nearest word of the vocabulary; field values
(symbol:, kind:, year:, lang:, number:) are names, never corrected."""

from __future__ import annotations

import re

from indexer.analysis import LANGUAGES, field_name, fold
from indexer.query.syntax import text_spans

_WORD = re.compile(r"(?<![\w:*])[^\W\d_]{3,}(?![\w:*])")
_OPERATORS = ("AND", "OR", "NOT")


def suggest(q: str, lang: str, searcher, catalog) -> str | None:
    """The query with unknown words replaced by their nearest vocabulary words, or None if nothing changed."""
    fname = field_name(lang)
    analyzer = LANGUAGES[lang].analyzer()
    out, changed = q, False
    words = [m for start, end in text_spans(q) for m in _WORD.finditer(q, start, end)]
    for m in reversed(words):
        word = m.group(0)
        if word in _OPERATORS:
            continue
        terms = [t.text for t in analyzer(word, mode="query")]
        if not terms or all(searcher.doc_frequency(fname, t) for t in terms):
            continue
        best = closest(word.lower(), catalog.similar_words(lang, word.lower()))
        if best:
            out = out[: m.start()] + best + out[m.end() :]
            changed = True
    return out if changed else None


def closest(word: str, candidates: list[tuple[str, int]], max_distance: int = 2) -> str | None:
    """The candidate nearest to `word` by edit distance on accent-folded forms, then the most frequent."""
    target = fold(word)
    best, best_key = None, None
    for cand, freq in candidates:
        d = distance(target, fold(cand), max_distance)
        if d <= max_distance and cand != word:
            key = (d, -freq)
            if best_key is None or key < best_key:
                best, best_key = cand, key
    return best


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
