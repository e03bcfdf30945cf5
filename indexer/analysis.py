"""Language registry: one Whoosh analysis chain per language, each `Tokenizer | Filter | ...`.

Whoosh pickles analyzers into the index schema, so every component here keeps only small,
picklable settings; heavy resources (stemmers, the pkuseg model) live at module level and are
created lazily in each process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from whoosh.analysis import Filter, LowercaseFilter, StopFilter, Token, Tokenizer

from . import segmenter
from .segmenter import HAN_CLASS

# ---------------------------------------------------------------- normalisation


def normalize_offsets(text: str, form: str) -> tuple[str, list[int] | None]:
    """Unicode-normalise `text`; returns it and, if lengths changed, each character's source offset
    (one more entry for the end), so tokens keep offsets into the original text for highlighting."""
    if text.isascii() or unicodedata.is_normalized(form, text):
        return text, None
    normed, origin = [], []
    # Normalise base character + combining marks together: "e" + U+0301 composes to "é".
    for m in _CLUSTER.finditer(text):
        norm = unicodedata.normalize(form, m.group(0))
        normed.append(norm)
        origin.extend([m.start()] * len(norm))
    out = "".join(normed)
    if len(out) == len(text):
        return out, None
    origin.append(len(text))
    return out, origin


_CLUSTER = re.compile(r"(?s).[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe20-\ufe2f]*")

# ---------------------------------------------------------------- French

ELISIONS = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
APOSTROPHES = "'’ʼ`"

# Snowball's French stop list, plus the folded spellings, minus nothing: "non" stays searchable.
FRENCH_STOPWORDS = frozenset("""
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
""".split())


class FrenchTokenizer(Tokenizer):
    """Words of letters and digits; hyphens and apostrophes split; elided articles (l’, d’, qu’) dropped."""

    _word = re.compile(rf"([^\W_]+)([{APOSTROPHES}])?")

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
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


_stemmers: dict = {}


def _stemmer(lang: str):
    stem = _stemmers.get(lang)
    if stem is None:
        import Stemmer  # PyStemmer: the C Snowball stemmers

        stem = _stemmers[lang] = Stemmer.Stemmer(lang, 50_000)
    return stem


class SnowballFilter(Filter):
    """Snowball stems through PyStemmer; the stemmer itself is per process, never pickled."""

    is_morph = True

    def __init__(self, lang: str):
        self.lang = lang

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.lang == other.lang

    def __call__(self, tokens):
        stem = _stemmer(self.lang).stemWord
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Remove accents and expand ligatures: "désarmement" -> "desarmement", "œuvre" -> "oeuvre"."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFD", text.translate(_LIGATURES))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


class FoldFilter(Filter):
    """Accent folding, so that "desarmement" finds "désarmement"."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def french_analyzer():
    """French: elision-aware words, lowercase, stopwords, Snowball stems, accents folded."""
    return (FrenchTokenizer() | LowercaseFilter()
            | StopFilter(stoplist=FRENCH_STOPWORDS, minsize=1) | SnowballFilter("french") | FoldFilter())


# ---------------------------------------------------------------- Chinese

_ZH_RUN = re.compile(rf"([{HAN_CLASS}]+)|([^\W_{HAN_CLASS}]+)")
SPANS_MARK = "\x00"  # separates a value's text from precomputed word spans (see encode_segmented)


def normalize_zh(text: str) -> tuple[str, list[int] | None]:
    """NFKC: full-width digits and letters, ideographic spaces; see normalize_offsets."""
    return normalize_offsets(text, "NFKC")


def encode_segmented(text: str) -> str:
    """A field value carrying its own pkuseg word spans, so that indexing does not segment again."""
    normed, _ = normalize_zh(text)
    spans = segmenter.long_word_spans(normed)
    return text + SPANS_MARK + ",".join(f"{s}:{e}" for s, e in spans)


def _decode_spans(value: str) -> tuple[str, list[tuple[int, int]] | None]:
    text, sep, spans = value.partition(SPANS_MARK)
    if not sep:
        return text, None
    return text, [tuple(map(int, s.split(":"))) for s in spans.split(",") if s]


class ChineseTokenizer(Tokenizer):
    """NFKC text; overlapping Han bigrams (phrase-matchable substrings), pkuseg words of 3+ characters
    at the position of their first character, and Latin/digit words.

    Index mode also emits each Han run's last character, so a one-character query can match as the
    prefix of a bigram or that final character. Query mode emits bigrams only, for phrase matching.
    """

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        text, spans = _decode_spans(value)
        normed, origin = normalize_zh(text)
        indexing = mode != "query"
        words: dict[int, list[int]] = {}
        if indexing:
            if spans is None:
                spans = segmenter.long_word_spans(normed)
            for s, e in spans:
                words.setdefault(s, []).append(e)

        def offset(i):
            return start_char + (origin[i] if origin else i)

        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        pos = start_pos
        for match in _ZH_RUN.finditer(normed):
            run_start = match.start()
            run = match.group(1)
            if run is None:  # Latin letters or digits
                t.text = match.group(2).lower()
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar, t.endchar = offset(match.start()), offset(match.end())
                pos += 1
                yield t
                continue
            n = len(run)
            last = n - 1 if n > 1 else n  # bigrams start at 0..n-2; a lone character is its own token
            for i in range(max(n - 1, 1)):
                t.text = run[i:i + 2]
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos + i
                if chars:
                    t.startchar, t.endchar = offset(run_start + i), offset(run_start + i + len(t.text))
                yield t
                for end in words.get(run_start + i, ()):
                    t.text = normed[run_start + i:end]
                    if chars:
                        t.endchar = offset(end)
                    yield t
            if indexing and n > 1:
                t.text = run[-1]
                if positions:
                    t.pos = pos + last
                if chars:
                    t.startchar, t.endchar = offset(run_start + n - 1), offset(run_start + n)
                yield t
            pos += n


def chinese_analyzer():
    """Chinese: NFKC, Han bigrams plus pkuseg words, lowercase Latin and digits."""
    return ChineseTokenizer()


# ---------------------------------------------------------------- registry

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


LANGUAGES: dict[str, Language] = {
    "fr": Language("fr", "French", french_analyzer, "A-Za-zÀ-ÖØ-öø-ÿŒœ", " ", spelling=True),
    "zh": Language("zh", "Chinese", chinese_analyzer, HAN_CLASS, "", prepare=encode_segmented,
                   warm_up=segmenter.model),
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
