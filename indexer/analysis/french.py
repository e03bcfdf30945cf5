"""French analysis: elision-aware words, accent folding, Savoy's light stems, and exact forms.

Every word is folded (accents and ligatures removed, lowercase) before anything else, so a word typed
without accents gives the same terms as the written word. At each word's position the index holds its
light stem (not for stop words) and its exact form, "=" + the folded word (stop words too, so phrases
can include them and positions have no holes). Queries produce stems only; `query_words` gives the
planner both, word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from .french_stem import light_stem
from .normalize import fold, normalize_offsets

EXACT = "="  # marks an exact-form term: "=presentation" (a stem never starts with it)

ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
APOSTROPHES = "'’ʼ`"

# Snowball's French stop list, plus the folded spellings, minus nothing: "non" stays searchable.
FRENCH_STOPWORDS = frozenset(
    """
au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi
mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes
sont serai seras sera serons serez seront serais serait serions seriez seraient étais était étions
étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions
fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura
aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes
eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent
a ete meme etee etees etes etant etante etants etantes etais etait etions etiez etaient fumes futes
fut eumes eutes eut
""".split()
)
_FOLDED_STOPWORDS = frozenset(fold(w) for w in FRENCH_STOPWORDS)


class FrenchTokenizer(Tokenizer):
    """Words of letters and digits; hyphens and apostrophes split; elided articles (l’, d’, qu’) dropped."""

    _word = re.compile(rf"([^\W_]+)([{APOSTROPHES}])?")

    def __eq__(self, other):
        return self.__class__ is other.__class__

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
        pos = start_pos
        # NFC: decomposed accents (e + U+0301, common in extracted text) would split words apart
        value, origin = normalize_offsets(value, "NFC")
        for match in self._word.finditer(value):
            word = match.group(1)
            if match.group(2) and word.lower() in ELISIONS:
                continue
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            pos += 1
            if chars:
                start, end = match.start(1), match.end(1)
                if origin:
                    start, end = origin[start], origin[end]
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


@lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> tuple[str, str | None]:
    """A lowercase word's folded form and its stem (None for a stop word)."""
    # Remembered: UN text repeats a small vocabulary, and folding and stemming cost more than the lookup
    # in indexing and in highlighting every hit.
    folded = fold(word)
    return folded, None if folded in _FOLDED_STOPWORDS else light_stem(folded)


def french_stem(word: str) -> str | None:
    """The stem the index holds for a lowercase word, or None for a stop word."""
    return word_forms(word)[1]


class FrenchFormsFilter(Filter):
    """Lowercase words to stems and, in index mode, exact forms at the same position."""

    is_morph = True

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            folded, stem = word_forms(t.text)
            if stem is not None:
                t.text = stem
                yield t
            if t.mode != "query":
                t.text = EXACT + folded
                yield t


def french_analyzer():
    """French: elision-aware words, lowercase, accents folded, light stems, exact forms when indexing."""
    return FrenchTokenizer() | LowercaseFilter() | FrenchFormsFilter()


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: its stem (None for a stop word), its exact-form term, its position."""

    stem: str | None
    exact: str
    position: int


def french_query_words(text: str) -> list[QueryWord]:
    """The words of a French query string, as the index holds them at consecutive positions."""
    out = []
    for n, t in enumerate(FrenchTokenizer()(text, positions=True, mode="query")):
        folded, stem = word_forms(t.text.lower())
        out.append(QueryWord(stem, EXACT + folded, n))
    return out


_stemmers: dict = {}


def _stemmer(lang: str):
    """A PyStemmer Snowball stemmer, one per process (the aligner's lexicon is keyed by Snowball stems)."""
    stem = _stemmers.get(lang)
    if stem is None:
        import Stemmer  # PyStemmer: the C Snowball stemmers

        stem = _stemmers[lang] = Stemmer.Stemmer(lang, 50_000)
    return stem
