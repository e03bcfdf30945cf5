"""A small French -> Chinese lexicon that gives the paragraph aligner lexical evidence.

The lexicon (indexer/data/lexicon_fr_zh.tsv) maps French stems to Chinese terms; the stems are those of the
French registry entry's `lexicon_stems` (folded Snowball stems, indexer.analysis.snowball). It is built by
tools/build_lexicon.py from the SDG goals, targets and indicators in French and Chinese (tools/data/sdg/,
open-sdg/sdg-translations, MIT) and a short hand-written list of UN vocabulary (tools/data/un_terms_fr_zh.tsv);
never from the UN Parallel Corpus dev set, which the alignment bench evaluates on.

At alignment time both sides become sets of French stems (bit sets, Lexicon.mask), so comparing two
paragraphs is one AND: a French paragraph gives its stems that have an entry, a Chinese one the stems whose
Chinese term occurs in it. A Chinese term "occurs" when all its character bigrams occur in the text:
no word segmentation (no pkuseg) is needed. The table, the language registry and the stemmer load on first use.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .segmenter import HAN_CLASS  # a constant: pkuseg itself is only imported by segmenter.model()

LEXICON_PATH = Path(__file__).parent / "data" / "lexicon_fr_zh.tsv"
SOURCE, TARGET = LEXICON_PATH.stem.split("_")[1:3]  # the file's languages, by its name: source stems -> target terms
_HAN = re.compile(f"[{HAN_CLASS}]+")

_table: "Lexicon | None" = None


class Lexicon:
    """Stem -> Chinese terms, with the reverse index from a term's first bigram."""

    def __init__(self, entries: dict[str, list[str]]):
        self.entries = entries
        self.bits = {stem: 1 << n for n, stem in enumerate(sorted(entries))}  # for mask()
        # first bigram -> [(other bigrams of the term, stem)]
        self.by_bigram: dict[str, list[tuple[frozenset[str], str]]] = {}
        for stem, terms in entries.items():
            for term in terms:
                grams = han_bigrams(term)
                first = min(grams, key=term.find) if grams else None
                if first:
                    self.by_bigram.setdefault(first, []).append((frozenset(grams - {first}), stem))

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> "Lexicon":
        """Read a lexicon file: `stem<TAB>term|term...<TAB>source` lines, `#` comments."""
        entries: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            stem, terms, *_ = line.split("\t")
            entries[stem] = [t for t in terms.split("|") if len(t) >= 2]
        return cls(entries)

    def french(self, text: str) -> frozenset[str]:
        """The stems of a French text that the lexicon knows."""
        return frozenset(s for s in french_stems(text) if s in self.entries)

    def chinese(self, text: str) -> frozenset[str]:
        """The French stems whose Chinese term occurs in a Chinese text."""
        grams = han_bigrams(text)
        out = set()
        for gram in grams:
            for rest, stem in self.by_bigram.get(gram, ()):
                if rest <= grams:
                    out.add(stem)
        return frozenset(out)

    def mask(self, stems) -> int:
        """Stems as a bit set: the aligner counts shared stems with `(a & b).bit_count()`."""
        bits = self.bits
        return sum(bits[s] for s in stems)

    def translations(self, word: str) -> list[str]:
        """The Chinese terms of a French word (stemmed like the index does), or []."""
        stems = french_stems(word)
        return list(self.entries.get(stems[0], ())) if stems else []


def han_bigrams(text: str) -> set[str]:
    """The overlapping Han character bigrams of a text (NFKC), as the Chinese index has them."""
    return {run[i : i + 2] for run in _HAN.findall(unicodedata.normalize("NFKC", text)) for i in range(len(run) - 1)}


def french_stems(text: str) -> list[str]:
    """The stems of a French text as the lexicon keys them: the French registry entry's lexicon_stems."""
    from .analysis import LANGUAGES  # the registry loads Whoosh: only when aligning needs it

    return LANGUAGES[SOURCE].lexicon_stems(text)


def views(a_lang: str, b_lang: str):
    """For the lexicon's languages (fr/zh) in either order, two functions text -> Lexicon.mask of its stems;
    else (None, None)."""
    if {a_lang, b_lang} != {SOURCE, TARGET}:
        return None, None
    table = lexicon()
    side = {SOURCE: table.french, TARGET: table.chinese}
    return tuple((lambda text, view=side[lang]: table.mask(view(text))) for lang in (a_lang, b_lang))


def lexicon() -> Lexicon:
    """The package's lexicon, loaded once per process."""
    global _table
    if _table is None:
        _table = Lexicon.load()
    return _table
