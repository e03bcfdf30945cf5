"""How a term is translated: the words and phrases that the aligned translations of the paragraphs holding it
hold too, ranked by Dice's association coefficient 2·both / (term paragraphs + rendering paragraphs).

Candidate renderings are cut from the translations' own text: pkuseg words and pairs of adjacent words for
Chinese (the words the build found, stored in the catalog as cuts: pkuseg is never loaded here), runs of one
to three words for French that neither start nor end with a stop word. How often a
candidate occurs in the whole index is asked of the caller (`frequency`), which counts it with the search
engine, so only the few most frequent candidates are counted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from . import segmenter
from .analysis import FRENCH_STOPWORDS

MAX_FRENCH_WORDS = 3
CANDIDATES = 30  # most frequent candidates whose frequency in the index is counted
WHOLE_PHRASE = 0.9  # a phrase found with this share of the pairs of a rendering it holds stands for it
_FRENCH_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # not the "e" of "60e"
_ELIDED = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.I)


@dataclass(frozen=True)
class Rendering:
    """A candidate translation of a term: its text, Dice coefficient, the aligned pairs holding both, the
    paragraphs of its language holding it, and one aligned pair where both occur (source id, target id)."""

    text: str
    dice: float
    pairs: int
    frequency: int
    example: tuple[str, str]


def french_candidates(text: str) -> dict[str, str]:
    """Runs of one to three French words not starting or ending with a stop word (elisions dropped), by their
    lowercase form, each with its spelling in the text."""
    words = _FRENCH_WORD.findall(unicodedata.normalize("NFC", text))
    bare = [_ELIDED.sub("", w) for w in words]  # "l’homme" is "homme" at the start of a run, kept inside one
    out = {}
    for i in range(len(words)):
        for n in range(1, MAX_FRENCH_WORDS + 1):
            if i + n > len(words):
                break
            start, end = bare[i].lower(), bare[i + n - 1].lower()
            if start in FRENCH_STOPWORDS or end in FRENCH_STOPWORDS or len(end) < 2:
                continue
            spelling = " ".join([bare[i]] + words[i + 1 : i + n])
            out.setdefault(spelling.lower(), spelling)
    return out


def chinese_candidates(text: str, cuts: str | None) -> dict[str, str]:
    """pkuseg words of two characters or more, and pairs of adjacent words (each its own key), from the word
    cuts stored with the text (indexer.segmenter.encode_cuts)."""
    text = unicodedata.normalize("NFKC", text)
    spans = [(s, e) for s, e in segmenter.stored_word_spans(text, cuts) if e - s >= segmenter.MIN_WORD]
    out = {text[s:e] for s, e in spans}
    out.update(text[a[0] : b[1]] for a, b in zip(spans, spans[1:], strict=False) if a[1] == b[0])
    return {w: w for w in out}


def candidates(text: str, cuts: str | None, lang: str) -> dict[str, str]:
    """Candidate renderings cut from a text of a language (with its stored word cuts, for Chinese): key
    (lowercase) -> spelling in the text."""
    return chinese_candidates(text, cuts) if lang == "zh" else french_candidates(text)


def renderings(
    term: str,
    term_frequency: int,
    pairs: list[tuple[str, str, str, str | None]],
    lang: str,
    frequency: Callable[[str], int],
    limit: int = 10,
) -> list[Rendering]:
    """The best renderings of a term from its aligned pairs [(source id, target id, target text, its cuts)] in
    `lang`,
    given how many paragraphs hold the term and a counter of paragraphs holding a candidate."""
    both: Counter = Counter()
    spellings: dict[str, Counter] = {}
    example: dict[str, tuple[str, str]] = {}
    folded_term = term.lower()
    for source_id, target_id, text, cuts in pairs:
        for key, spelling in candidates(text, cuts, lang).items():
            if key != folded_term:  # a name or symbol left untranslated is not a rendering
                both[key] += 1
                spellings.setdefault(key, Counter())[spelling] += 1
                example.setdefault(key, (source_id, target_id))
    minimum = 2 if len(pairs) >= 4 else 1
    counted = []
    for key, n in both.most_common(CANDIDATES):
        if n < minimum:
            break
        f = max(frequency(key), n)
        text = spellings[key].most_common(1)[0][0]
        counted.append(Rendering(text, round(2 * n / (term_frequency + f), 4), n, f, example[key]))
    # a part of a better-scored rendering is that rendering with a piece missing ("安全" of "安全理事会"); a phrase
    # holding one is it with a neighbour added, unless it comes with it nearly always ("Unies" of "Nations Unies")
    counted.sort(key=lambda r: (-r.dice, -r.pairs, len(r.text)))
    out: list[Rendering] = []
    for r in counted:
        low = r.text.lower()
        if any(low in kept.text.lower() for kept in out):
            continue
        held = [i for i, kept in enumerate(out) if kept.text.lower() in low]
        if not held:
            out.append(r)
        elif all(r.pairs >= WHOLE_PHRASE * out[i].pairs for i in held):
            out[held[0]] = r
            out = [kept for i, kept in enumerate(out) if i not in held[1:]]
    out.sort(key=lambda r: (-r.dice, -r.pairs, len(r.text)))
    return out[:limit]
