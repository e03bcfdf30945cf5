"""Language registry: one Whoosh analysis chain per language, each `Tokenizer | Filter | ...`.

Whoosh pickles analyzers into the index schema, so every component here keeps only small,
picklable settings; heavy resources (the pkuseg model, OpenCC) live at module level and are
created lazily in each process. French lives in `french` (stemmer in `french_stem`), Chinese in
`chinese`; this module re-exports their public names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .. import segmenter
from ..segmenter import HAN_CLASS
from . import planning
from .chinese import SPANS_MARK, ChineseTokenizer, chinese_analyzer, encode_segmented, normalize_zh, to_simplified
from .french import (APOSTROPHES, ELISIONS, EXACT, FRENCH_STOPWORDS, FrenchFormsFilter, FrenchTokenizer, QueryWord,
                     _stemmer, french_analyzer, french_query_words, french_stem)
from .french_stem import light_stem
from .normalize import fold, normalize_offsets

__all__ = ["LANGUAGES", "Language", "field_name", "detect_lang", "fold", "tokens", "vocabulary_words",
           "normalize_offsets", "FRENCH_STOPWORDS", "ELISIONS", "APOSTROPHES", "EXACT", "QueryWord", "query_words",
           "french_analyzer", "french_stem", "light_stem", "french_query_words", "FrenchTokenizer",
           "FrenchFormsFilter", "chinese_analyzer", "ChineseTokenizer", "encode_segmented", "normalize_zh",
           "SPANS_MARK", "to_simplified", "_stemmer"]


@dataclass(frozen=True)
class Language:
    """A language tandem indexes: its analysis chain and how it behaves in text."""

    code: str
    name: str
    analyzer: Callable
    scripts: str  # regex character class of the letters that identify it
    line_join: str  # what joins wrapped lines: a space, or nothing for Chinese
    spelling: bool = False  # keep a vocabulary of words: did-you-mean suggestions and prefix expansion
    prepare: Callable | None = None  # costly per-text work done in build workers (field value -> value)
    warm_up: Callable | None = None  # loads what `prepare` needs, once per worker
    query_words: Callable | None = None  # query text -> [QueryWord]: stems and exact forms word by word
    query_text: Callable | None = None  # query text -> the spelling the index uses (Chinese: simplified)
    plan_word: Callable | None = None  # planner hooks (indexer.query.planner): (context, text) -> node
    plan_phrase: Callable | None = None
    plan_prefix: Callable | None = None


LANGUAGES: dict[str, Language] = {
    "fr": Language("fr", "French", french_analyzer, "A-Za-zÀ-ÖØ-öø-ÿŒœ", " ", spelling=True,
                   query_words=french_query_words, plan_word=planning.french_word,
                   plan_phrase=planning.french_phrase),
    "zh": Language("zh", "Chinese", chinese_analyzer, HAN_CLASS, "", prepare=encode_segmented,
                   warm_up=segmenter.model, query_text=to_simplified, plan_word=planning.chinese_word,
                   plan_phrase=planning.chinese_word, plan_prefix=planning.chinese_prefix),
}


def field_name(lang: str) -> str:
    """The index field holding the analysed text of a language."""
    return f"text_{lang}"


def detect_lang(text: str, langs=("fr", "zh")) -> str:
    """The language of a query or text, by script: the registered script with the most characters."""
    best, best_count = langs[0], 0
    for code in langs:
        count = len(re.findall(f"[{LANGUAGES[code].scripts}]", text))
        if count > best_count:
            best, best_count = code, count
    return best


_VOCAB_WORD = re.compile(r"[^\W\d_]{2,}")


def vocabulary_words(text: str) -> list[str]:
    """The lowercase words of a text as written (accents kept), for the spelling vocabulary."""
    text, _ = normalize_offsets(text, "NFC")
    return [w.lower() for w in _VOCAB_WORD.findall(text)]


def tokens(lang: str, text: str, mode: str = "index") -> list[str]:
    """The index terms of a text, in order (for tests, debugging and highlighting)."""
    return [t.text for t in LANGUAGES[lang].analyzer()(text, mode=mode)]


def query_words(lang: str, text: str) -> list[QueryWord]:
    """The words of a query string with their stems and exact forms, for languages that have them."""
    hook = LANGUAGES[lang].query_words
    if hook is None:
        raise ValueError(f"no query words for language {lang!r}")
    return hook(text)
