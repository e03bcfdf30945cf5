"""Which language a text is in: by the letters of its script, then by its function words.

The functions take the registry's entries (indexer.analysis.LANGUAGES and UNINDEXED) as arguments; the
registry passes them itself (indexer.analysis.detect_lang and guess_document_language), so a language
added to it is recognised at once and this module never imports it back.
"""

from __future__ import annotations

import re
from functools import lru_cache

SAME_SCRIPT = 0.8  # a language whose letters cover this share of the leading language's shares its script
_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=64)
def _letters(char_class: str) -> re.Pattern:
    return re.compile(f"[{char_class}]")


def script_rivals(text: str, langs) -> tuple[list, int]:
    """The languages written in the text's main script, and how many letters of that script it has. The
    language with the most letters (the first of equals) comes first; then, in the given order, those whose
    letters cover most of its letters too (French and English both cover "peace"): its rivals."""
    counts = [(len(_letters(lang.letters).findall(text)), n, lang) for n, lang in enumerate(langs)]
    if not counts:
        return [], 0
    top, _, best = max(counts, key=lambda c: (c[0], -c[1]))
    if not top:
        return [], 0
    script = "".join(_letters(best.letters).findall(text))
    rivals = [best] + [
        lang
        for _, _, lang in counts
        if lang is not best and len(_letters(lang.letters).findall(script)) >= SAME_SCRIPT * top
    ]
    return rivals, top


def word_scores(text: str, langs) -> tuple[dict[str, int], int]:
    """How many words of the text are function words of each language, and how many words it has."""
    words = _WORDS.findall(text.lower())
    return {lang.code: sum(1 for w in words if w in lang.words) for lang in langs}, len(words)


def detect_among(text: str, langs: list) -> str:
    """The code of the language of a query or text among the given entries: most letters of its script, then
    most function words among the languages of that script; the first one when nothing tells."""
    rivals, _ = script_rivals(text, langs)
    if not rivals:
        return langs[0].code
    if len(rivals) == 1:
        return rivals[0].code
    scores, _ = word_scores(text, rivals)
    return max(rivals, key=lambda lang: scores[lang.code]).code  # max keeps the first of equals


def guess_among(text: str, known: list):
    """(Language or None, script name, letters): what a document looks like among the given entries, and how
    many letters of its script it has; None when its function words are too few to decide (a language alone
    in its script needs none)."""
    rivals, letters = script_rivals(text, known)
    if not rivals:
        return None, None, 0
    script = rivals[0].script
    if len(rivals) == 1:
        return rivals[0], script, letters
    scores, n_words = word_scores(text, rivals)
    best = max(rivals, key=lambda lang: scores[lang.code])
    # A few function words in a long text are chance; demand a real share of them.
    return (best if scores[best.code] >= max(3, 0.08 * n_words) else None), script, letters
