"""English words: lowercase, accents folded, possessive "'s" dropped, stems and exact forms (see alphabetic)."""

from __future__ import annotations

from .alphabetic import WordRules, register
from .french import _stemmer
from .normalize import fold

# Snowball's English stop list, but for the negations ("no", "not", "nor" stay searchable).
ENGLISH_STOPWORDS = frozenset(
    """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
it its itself they them their theirs themselves what which who whom this that these those am is are was were be
been being have has had having do does did doing a an the and but if or because as until while of at by for
with about against between into through during before after above below to from up down in out on off over
under again further then once here there when where why how all any both each few more most other some such
only own same so than too very s t can will just should now
""".split()
)


def english_stem(word: str) -> str:
    """Snowball's English (Porter2) stem of a folded word."""
    return _stemmer("english").stemWord(word)


english_analyzer = register(WordRules("en", fold, english_stem, ENGLISH_STOPWORDS, drop=r"[’'ʼ]s(?![^\W_])"))
