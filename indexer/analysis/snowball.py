"""French Snowball stems of content words: the keys of the aligner's French -> Chinese lexicon (indexer.lexicon).

Not the index's stems (french_stem.light_stem): the lexicon was learned with Snowball's, which merge more
forms of a word, and a lexicon needs recall more than precision. PyStemmer loads on first use.
"""

from __future__ import annotations

import re
import unicodedata

from .french import APOSTROPHES, ELISIONS, FRENCH_STOPWORDS, _stemmer
from .normalize import fold

_WORD = re.compile(rf"([^\W_]+)([{APOSTROPHES}])?")  # as FrenchTokenizer
_stems: dict[str, str] = {}  # lowercase word -> folded stem, "" when not a content word
MAX_CACHED = 200_000


def french_lexicon_stems(text: str) -> list[str]:
    """Folded Snowball stems of the words of a French text, without elided articles, stop words and digits.

    The text is NFC-normalised first: some UN text comes with decomposed accents that would split words."""
    if len(_stems) > MAX_CACHED:
        _stems.clear()
    out = []
    for match in _WORD.finditer(unicodedata.normalize("NFC", text)):
        word = match.group(1).lower()
        if match.group(2) and word in ELISIONS:
            continue
        s = _stems.get(word)
        if s is None:  # "" for stop words and words with digits (those are the aligner's anchors)
            content = word not in FRENCH_STOPWORDS and word.isalpha()
            s = _stems[word] = fold(_stemmer("french").stemWord(word)) if content else ""
        if s:
            out.append(s)
    return out
