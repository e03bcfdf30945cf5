"""Subsegment matches, for a text no stored segment matches well: its longest runs of words found verbatim
(as analysed) in the stored paragraphs its lookup retrieves, as memoQ's longest substring concordance
finds them."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .analysis import LANGUAGES
from .lookup import candidates, check_text
from .lookup_score import scoring_tokens, tokens

MIN_RUN_WORDS = 3  # words of a run; in a language written without spaces, each character is a word:
MIN_RUN_CHARACTERS = 4
MAX_RUNS = 5


@dataclass(frozen=True)
class Run:
    """Words of the text (offsets into it) found verbatim in a stored paragraph (offsets into its text)."""

    start: int
    end: int
    words: int
    paragraph: str
    found_start: int
    found_end: int


def min_run(lang: str) -> int:
    """The shortest run reported: 3 words, or 4 characters in a language written without spaces."""
    return MIN_RUN_CHARACTERS if LANGUAGES[lang].line_join == "" else MIN_RUN_WORDS


def verbatim_runs(searcher, catalog, text: str, lang: str, limit: int = MAX_RUNS) -> list[Run]:
    """The longest runs of the text found in the paragraphs its lookup retrieves, longest first, not
    overlapping in the text, each with the first paragraph holding it (in retrieval order)."""
    text = check_text(text)
    asked = tokens(text)
    shortest = min_run(lang)
    ids = candidates(searcher, catalog, text, lang)
    paras = catalog.paragraphs(ids)
    found: dict[tuple[int, int], tuple[str, int, int]] = {}  # run (word offsets in the text) -> where found
    for pid in ids:
        if pid not in paras:
            continue
        forms = scoring_tokens(paras[pid]["text"]).forms
        matcher = SequenceMatcher(None, asked.forms, forms, autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.size >= shortest:
                found.setdefault((block.a, block.a + block.size), (pid, block.b, block.b + block.size))
    taken: list[tuple[int, int]] = []
    runs = []
    for (a, b), (pid, fa, fb) in sorted(found.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])):
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        spans = tokens(paras[pid]["text"]).spans
        runs.append(Run(asked.spans[a][0], asked.spans[b - 1][1], b - a, pid, spans[fa][0], spans[fb - 1][1]))
        if len(runs) == limit:
            break
    return runs
