"""Analysis of the alphabetic languages other than French (English, Spanish, Russian, Arabic), built as French's:
words folded the way the language needs, then stemmed (not stop words), plus the exact folded form "=" + word
at every position, stop words included, so phrases keep them and the form typed ranks first.

Whoosh pickles analyzers into the schema: the tokenizer and filter keep only the language code and find its
`WordRules` in RULES, which each language's module fills when the registry is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

from whoosh.analysis import Filter, Token, Tokenizer

from .french import EXACT, QueryWord
from .normalize import normalize_offsets


@dataclass(frozen=True)
class WordRules:
    """How one alphabetic language's words become index terms."""

    code: str
    fold: Callable[[str], str]  # a lowercase word -> the spelling the index holds (accents, letter variants)
    stem: Callable[[str], str]  # a folded word -> its stem
    stopwords: frozenset[str]  # folded: given an exact form only
    word: str = r"[^\W_]+"  # a word, as a regex (Arabic: vowel marks and tatweel inside words)
    drop: str = ""  # a regex after a word that is read as part of it and dropped (English "'s")


RULES: dict[str, WordRules] = {}


def register(rules: WordRules) -> Callable:
    """Make a language's rules known (to analyzers unpickled from an index too); returns its analyzer factory."""
    RULES[rules.code] = rules
    return partial(words_analyzer, rules.code)


@lru_cache(maxsize=16)
def _pattern(code: str) -> re.Pattern:
    rules = RULES[code]
    return re.compile(f"({rules.word})(?:{rules.drop})?" if rules.drop else f"({rules.word})")


class WordsTokenizer(Tokenizer):
    """Words of letters and digits as the language writes them (NFC text, offsets into the original)."""

    def __init__(self, code: str):
        self.code = code

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.code == other.code

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        value, origin = normalize_offsets(value, "NFC")
        for n, match in enumerate(_pattern(self.code).finditer(value)):
            t.text = match.group(1)
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + n
            if chars:
                start, end = match.start(1), match.end(1)
                if origin:
                    start, end = origin[start], origin[end]
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


@lru_cache(maxsize=1 << 16)
def word_forms(code: str, word: str) -> tuple[str, str | None]:
    """A word's folded form and its stem (None for a stop word), in a language of RULES."""
    rules = RULES[code]
    folded = rules.fold(word.lower())
    return folded, None if folded in rules.stopwords or not folded else rules.stem(folded)


class WordsFormsFilter(Filter):
    """Words to stems and, in index mode, exact forms at the same position."""

    is_morph = True

    def __init__(self, code: str):
        self.code = code

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.code == other.code

    def __call__(self, tokens):
        for t in tokens:
            folded, stem = word_forms(self.code, t.text)
            if stem:
                t.text = stem
                yield t
            if t.mode != "query" and folded:
                t.text = EXACT + folded
                yield t


def words_analyzer(code: str):
    """Words, folded, stemmed, with exact forms when indexing."""
    return WordsTokenizer(code) | WordsFormsFilter(code)


def query_words(code: str, text: str) -> list[QueryWord]:
    """The words of a query string, as the index holds them at consecutive positions."""
    out = []
    for n, t in enumerate(WordsTokenizer(code)(text, mode="query")):
        folded, stem = word_forms(code, t.text)
        if folded:
            out.append(QueryWord(stem, EXACT + folded, n))
    return out


def stems_of(code: str, text: str) -> list[str]:
    """The stems of a text's content words (not stop words, not digits), for the aligner's lexicon."""
    out = []
    for t in WordsTokenizer(code)(text):
        _, stem = word_forms(code, t.text)
        if stem and not any(ch.isdigit() for ch in stem):
            out.append(stem)
    return out
