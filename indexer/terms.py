"""How a term is translated: the words and phrases of the aligned translations of the paragraphs holding it,
found by association (Dice's coefficient 2·both / (term paragraphs + rendering paragraphs)), then each
aligned pair given to the best-associated rendering it holds, so that renderings are counted pair by pair.

Candidate renderings are cut from the translations' own text: runs of one to three pkuseg words for Chinese
(the words the build found, stored in the catalog as cuts: pkuseg is never loaded here) holding no
one-character function word, runs of one to three words for French that neither start nor end with a stop
word. Spellings that differ only by punctuation, spacing or case are one rendering. How often a
rendering occurs in the whole index is asked of the caller (`frequency`), which counts it with the search
engine, so only the few most frequent candidates are counted.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from . import segmenter
from .analysis import FRENCH_STOPWORDS, LANGUAGES

MAX_FRENCH_WORDS = 3
MAX_CHINESE_WORDS = 3
MAX_CHINESE_CHARS = 8
CANDIDATES = 30  # most frequent candidates whose frequency in the index is counted
SAMPLE_PAIRS = 200  # pairs (the best-ranked) in which candidates are cut and the most frequent chosen
WHOLE_PHRASE = 0.9  # a phrase found with this share of the pairs of a rendering it holds stands for it
MAX_FORMS = 3  # spellings of one rendering counted together
MIN_DICE = 0.05  # renderings less associated with the term are left out (their frequency is not even counted)
_FRENCH_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # not the "e" of "60e"
_ELIDED = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.I)
_NOT_LETTER = re.compile(r"[\W_]+")
_HAN = re.compile(f"[{segmenter.HAN_CLASS}]")
# one-character words a Chinese rendering does not hold (particles, conjunctions, prepositions), or end with
_ZH_FUNCTION = frozenset("的地得了着过和与及或并在对为于以由从向将把被是其之等也都而所即各该此这那中上下内每")
_ZH_PREFIX = frozenset("不非无未")


@dataclass(frozen=True)
class Pair:
    """An aligned pair read for a term: the paragraph holding it, its translation (ids, text and word cuts)
    and how they relate ("same" document or "other_year")."""

    source: str
    target: str
    text: str
    cuts: str | None
    relation: str


@dataclass
class Rendering:
    """A translation of a term: its usual spelling and the others grouped with it, Dice coefficient, the
    term's paragraphs whose translations hold it, the paragraphs of its language holding it, and the pairs
    aligned to it (those where it is the best-associated rendering present), by relation."""

    text: str
    forms: tuple[str, ...]
    dice: float
    pairs: int
    frequency: int
    aligned: dict[str, list[Pair]] = field(default_factory=dict)


@lru_cache(maxsize=200_000)
def group_key(text: str) -> str:
    """What renderings differing only by punctuation, spacing or case share: "Moyen-Orient" = "moyen orient"."""
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKC", text).lower())


def _inside(part: str, whole: str) -> bool:
    """Whether a rendering is a piece of another: any characters of it in Chinese, whole words otherwise
    ("arme" is no piece of "désarmement")."""
    if _HAN.search(part):
        return part in whole
    return f" {_words(part)} " in f" {_words(whole)} "


def _words(text: str) -> str:
    return " ".join(_NOT_LETTER.sub(" ", text.lower()).split())


def french_candidates(text: str, stopwords=FRENCH_STOPWORDS) -> dict[str, str]:
    """Runs of one to three French words (or words of another language, with its stop words) not starting or
    ending with a stop word (elisions dropped), by their group key, each with its spelling in the text."""
    words = _FRENCH_WORD.findall(unicodedata.normalize("NFC", text))
    bare = [_ELIDED.sub("", w) for w in words]  # "l’homme" is "homme" at the start of a run, kept inside one
    lower = [w.lower() for w in bare]
    keys = [group_key(w) for w in words]  # a run's key is its words' keys end to end
    out = {}
    for i, first in enumerate(lower):
        if first in stopwords:
            continue
        for n in range(1, min(MAX_FRENCH_WORDS, len(words) - i) + 1):
            end = lower[i + n - 1]
            if end in stopwords or len(end) < 2:
                continue
            key = group_key(bare[i]) + "".join(keys[i + 1 : i + n])
            if key not in out:
                out[key] = " ".join([bare[i]] + words[i + 1 : i + n])
    return out


def chinese_candidates(text: str, cuts: str | None) -> dict[str, str]:
    """Runs of one to three pkuseg words of two to eight characters, holding no one-character function word
    and not ending with a negative prefix, from the word cuts stored with the text
    (indexer.segmenter.encode_cuts)."""
    text = _nfkc(text)
    spans = segmenter.stored_word_spans(text, cuts)
    out = {}
    for i, (start, _) in enumerate(spans):
        for j in range(i, min(i + MAX_CHINESE_WORDS, len(spans))):
            s, e = spans[j]
            if (j > i and s != spans[j - 1][1]) or e - start > MAX_CHINESE_CHARS:
                break  # another run of Han characters, or too long
            if e - s == 1 and text[s] in _ZH_FUNCTION:
                break
            if e - start >= 2 and not (e - s == 1 and text[s] in _ZH_PREFIX):
                out[text[start:e]] = text[start:e]
    return out


def candidates(text: str, cuts: str | None, lang: str) -> dict[str, str]:
    """Candidate renderings cut from a text of a language (with its stored word cuts, for Chinese): group key
    -> spelling in the text."""
    spec = LANGUAGES[lang]  # a language whose words are cut at build time is read by its cuts
    return chinese_candidates(text, cuts) if spec.cuts else french_candidates(text, spec.stopwords)


def renderings(
    term: str,
    term_frequency: int,
    pairs: list[Pair],
    lang: str,
    frequency: Callable[[tuple[str, ...]], int],
    limit: int = 10,
    min_dice: float = MIN_DICE,
    most: int = CANDIDATES,
) -> list[Rendering]:
    """The renderings of a term from its aligned pairs (translations in `lang`), most aligned pairs first,
    given how many paragraphs hold the term and a counter of the paragraphs holding any of a rendering's
    spellings. Only renderings some pair is aligned to, and whose Dice may reach `min_dice`, are given; the
    frequency of the `most` candidates found in most pairs is asked."""
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    sources: dict[str, set[str]] = defaultdict(set)
    term_key = group_key(term)
    sample = pairs[:SAMPLE_PAIRS]  # the best-ranked: enough to tell which candidates are frequent
    for pair in sample:
        for key, spelling in candidates(pair.text, pair.cuts, lang).items():
            if key != term_key:  # a name or symbol left untranslated is not a rendering
                counts = spellings[key]
                counts[spelling] = counts.get(spelling, 0) + 1
                sources[key].add(pair.source)
    minimum = 2 if len({p.source for p in pairs}) >= 4 else 1
    scale = len(pairs) / max(len(sample), 1)
    # a rendering is held where it is written, even inside a longer word ("裁军" in "核裁军"): so the pairs
    # holding it are counted on the texts of all pairs, as the index counts its frequency
    texts = [_searchable(pair.text, lang) for pair in pairs]
    counted = []
    # ties broken by the text, so that the answer does not depend on the order candidates were met in
    frequent = heapq.nsmallest(most, ((-len(v), k) for k, v in sources.items()))
    for key, n in ((k, -minus_n) for minus_n, k in frequent):
        if n < minimum or 2 * n * scale / (term_frequency + n * scale) < min_dice:
            break  # nor can any rarer candidate reach min_dice, whatever its frequency
        forms = tuple(s for s, _ in sorted(spellings[key].items(), key=lambda sc: (-sc[1], sc[0]))[:MAX_FORMS])
        needles = {_searchable(form, lang) for form in forms}
        holding = [i for i, text in enumerate(texts) if any(needle in text for needle in needles)]
        n = len({pairs[i].source for i in holding})
        f = max(frequency(forms), n)
        counted.append((set(holding), Rendering(forms[0], forms, round(2 * n / (term_frequency + f), 4), n, f)))
    # a part of a better-scored rendering is that rendering with a piece missing ("安全" of "安全理事会"); a phrase
    # holding one is it with a neighbour added, unless it comes with it nearly always ("Unies" of "Nations Unies")
    counted.sort(key=lambda hr: (-hr[1].dice, -hr[1].pairs, len(hr[1].text), hr[1].text))
    kept: list[tuple[set[int], Rendering]] = []
    for holding, r in counted:
        if any(_inside(r.text, other.text) for _, other in kept):
            continue
        inside = [i for i, (_, other) in enumerate(kept) if _inside(other.text, r.text)]
        if not inside:
            kept.append((holding, r))
        elif all(r.pairs >= WHOLE_PHRASE * kept[i][1].pairs for i in inside):
            kept[inside[0]] = (holding, r)
            kept = [hr for i, hr in enumerate(kept) if i not in inside[1:]]
    # each pair is aligned to the best-associated rendering it holds (kept is in order of association)
    for i, pair in enumerate(pairs):
        best = next((r for holding, r in kept if i in holding), None)
        if best is not None:
            best.aligned.setdefault(pair.relation, []).append(pair)
    out = [r for _, r in kept if r.aligned]
    out.sort(key=lambda r: (-sum(map(len, r.aligned.values())), -r.dice, r.text))
    return out[:limit]


def _searchable(text: str, lang: str) -> str:
    """A text as renderings are looked for in it: Chinese as it is (NFKC), other words lowercase between
    single spaces, punctuation aside, so that "droits de l’homme" holds "droits de l'homme"."""
    if LANGUAGES[lang].cuts:
        return _nfkc(text)
    return f" {_words(text)} "


def _nfkc(text: str) -> str:
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
