"""Bilingual lexicons that give the paragraph aligner lexical evidence: one file per language pair.

`indexer/data/lexicon_A_B.tsv` maps units of language A to terms of language B. A language's units are what its
registry entry's `lexicon_stems` gives (folded Snowball stems of content words) or, for a language without
(one written without spaces between words), the character bigrams of its text: no word segmentation (no pkuseg)
is needed. A term is one unit, or a word written in such characters, which occurs in a text when all its
bigrams do. The files are built by tools/build_lexicon.py: French -> Chinese from the SDG texts and a hand
list (never from the UN Parallel Corpus dev set, on which bench/align_quality.py evaluates it), every other
pair of the six languages from the dev set (bench/languages_bench.py evaluates those with lexicons learned on
other documents than the ones it aligns). A pair without a file aligns without lexical evidence.

At alignment time both sides become sets of source units (bit sets, Lexicon.mask), so comparing two paragraphs
is one AND: a text of the source language gives its units that have an entry, a text of the target language
the entries whose term occurs in it. The tables, the language registry and the stemmers load on first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from .segmenter import HAN_CLASS  # a constant: pkuseg itself is only imported by segmenter.model()

DATA = Path(__file__).parent / "data"
_FILE = re.compile(r"lexicon_([a-z]{2,3})_([a-z]{2,3})\.tsv")
_HAN = re.compile(f"[{HAN_CLASS}]+")


class Lexicon:
    """Source unit -> target terms, with the reverse index from one unit of each term."""

    def __init__(self, source: str, target: str, entries: dict[str, list[str]]):
        self.source, self.target, self.entries = source, target, entries
        self.bits = {unit: 1 << n for n, unit in enumerate(sorted(entries))}  # for mask()
        # a unit of the term -> [(the term's other units, source unit)]
        self.by_unit: dict[str, list[tuple[frozenset[str], str]]] = {}
        for key, terms in entries.items():
            for term in terms:
                parts = term_units(term)
                if parts:
                    first = min(parts)
                    self.by_unit.setdefault(first, []).append((parts - {first}, key))

    @classmethod
    def load(cls, path: Path) -> "Lexicon":
        """Read a lexicon file `lexicon_SOURCE_TARGET.tsv`: `unit<TAB>term|term...<TAB>source` lines, `#` comments."""
        named = _FILE.fullmatch(path.name)
        if not named:
            raise ValueError(f"{path.name}: a lexicon file is named lexicon_SOURCE_TARGET.tsv")
        entries: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            unit, terms, *_ = line.split("\t")
            entries[unit] = [t for t in terms.split("|") if len(t) >= 2]
        return cls(named.group(1), named.group(2), entries)

    def source_keys(self, text: str) -> frozenset[str]:
        """The units of a source-language text that the lexicon knows."""
        return frozenset(u for u in units(self.source, text) if u in self.entries)

    def target_keys(self, text: str) -> frozenset[str]:
        """The source units whose term occurs in a target-language text."""
        found = units(self.target, text)
        out = set()
        for unit in found:
            for rest, key in self.by_unit.get(unit, ()):
                if rest <= found:
                    out.add(key)
        return frozenset(out)

    def keys(self, lang: str, text: str) -> frozenset[str]:
        """The source units a text of either of the lexicon's languages gives."""
        return self.source_keys(text) if lang == self.source else self.target_keys(text)

    def mask(self, keys) -> int:
        """Units as a bit set: the aligner counts shared units with `(a & b).bit_count()`."""
        bits = self.bits
        return sum(bits[k] for k in keys)

    def translations(self, word: str) -> list[str]:
        """The target terms of a source-language word (stemmed as the lexicon keys it), or []."""
        found = lexicon_units(self.source, word)
        return list(self.entries.get(found[0], ())) if found else []


def han_bigrams(text: str) -> set[str]:
    """The overlapping Han character bigrams of a text (NFKC), as the Chinese index has them."""
    return {run[i : i + 2] for run in _HAN.findall(unicodedata.normalize("NFKC", text)) for i in range(len(run) - 1)}


def lexicon_units(lang: str, text: str) -> list[str]:
    """A text's units in order: its language's lexicon stems, or its character bigrams for a language without."""
    from .analysis import LANGUAGES  # the registry loads Whoosh: only when aligning needs it

    stems = LANGUAGES[lang].lexicon_stems
    return stems(text) if stems is not None else sorted(han_bigrams(text))


def units(lang: str, text: str) -> set[str]:
    """The set of a text's units (lexicon_units)."""
    return set(lexicon_units(lang, text))


def term_units(term: str) -> frozenset[str]:
    """What must occur for a term to: its bigrams when it is written in Han characters, else itself."""
    grams = han_bigrams(term)
    return frozenset(grams) if grams else frozenset([term])


def files() -> dict[tuple[str, str], Path]:
    """(source, target) -> the shipped lexicon file of that pair."""
    out = {}
    for path in sorted(DATA.glob("lexicon_*_*.tsv")):
        named = _FILE.fullmatch(path.name)
        if named:
            out[(named.group(1), named.group(2))] = path
    return out


def lexicon(a_lang: str, b_lang: str) -> Lexicon | None:
    """The shipped lexicon of two languages, in whichever direction its file has them, loaded once per process."""
    return _shipped(*sorted((a_lang, b_lang))) if a_lang != b_lang else None


@cache
def _shipped(a_lang: str, b_lang: str) -> Lexicon | None:
    shipped = files()
    path = shipped.get((a_lang, b_lang)) or shipped.get((b_lang, a_lang))
    return Lexicon.load(path) if path else None


def views(a_lang: str, b_lang: str, table: Lexicon | None = None):
    """Two functions text -> Lexicon.mask of its units, for texts of a_lang and of b_lang; (None, None) when no
    lexicon holds the pair. `table` replaces the shipped lexicon (the bench's held-out lexicons)."""
    table = table if table is not None else lexicon(a_lang, b_lang)
    if table is None or {a_lang, b_lang} != {table.source, table.target}:
        return None, None
    return tuple((lambda text, lang=lang: table.mask(table.keys(lang, text))) for lang in (a_lang, b_lang))
