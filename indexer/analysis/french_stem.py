"""Savoy's light French stemmer ("UniNE"), as Apache Lucene ships it (FrenchLightStemmer), on folded words.

Jacques Savoy, "Light Stemming Approaches for the French, Portuguese, German and Hungarian Languages"
(ACM SAC 2006); the rules follow Lucene's FrenchLightStemmer (Apache License 2.0, BSD-licensed original
code by J. Savoy). tandem applies it to accent-folded lowercase words, so that a word typed without
accents stems like the written word; its rules that test accented letters ("ième", "ère", "ète") are
given in their folded spelling ("ère" as "iere" only: "financière" meets "financier", while
"considéré" still meets "considérée"). Words of three letters ending in "us" or "ns" also lose the "s".

Compared with Snowball over the dev set's vocabulary (bench/search_quality.py), it conflates a word's
accent-less spelling and its other grammatical number far more consistently ("transmissions" and
"transmission" meet; Snowball gives "transm" and "transmiss"), and merges fewer unrelated words.
"""

from __future__ import annotations

from functools import lru_cache


def _norm(w: str) -> str:
    """Savoy's final normalisation: doubled letters, and a trailing "ie", "r", "e", "ee"."""
    if len(w) > 4:
        out = [w[0]]
        for ch in w[1:]:
            if not (ch == out[-1] and ch.isalpha()):
                out.append(ch)
        w = "".join(out)
    if len(w) > 4 and w.endswith("ie"):
        w = w[:-2]
    if len(w) > 4:
        if w[-1] == "r":
            w = w[:-1]
        if w[-1] == "e":
            w = w[:-1]
        if w[-1] == "e":
            w = w[:-1]
        if w[-1] == w[-2] and w[-1].isalpha():
            w = w[:-1]
    return w


# Rules in Savoy's order: (words longer than, suffix, replacement); the first that applies ends stemming.
_FINAL = (
    (9, "issement", "ir"),
    (8, "issant", "ir"),
    (6, "ement", None),  # see _ement
    (11, "ficatrice", "fier"),
    (10, "ficateur", "fier"),
    (9, "catrice", "quer"),
    (8, "cateur", "quer"),
    (8, "atrice", "er"),
    (7, "ateur", "er"),
)
_MIDDLE = (  # after "trice" -> "teur"
    (5, "ieme", ""),
    (7, "teuse", "ter"),
    (6, "teur", "ter"),
    (5, "euse", "eu"),
    (8, "iere", "ier"),  # Savoy's "ère": folded, it must spare "considéré" (-> "considere"), so only "ière"
    (7, "ive", "if"),
    (4, "folle", "fou"),
    (4, "molle", "mou"),
    (9, "nnelle", "n"),
    (9, "nnel", "n"),
)
_LAST = (  # after "ete" -> "et" and the removal of "ique"
    (8, "esse", "e"),
    (7, "inage", "in"),
    (9, "isation", None),  # see below: "ualisation" -> "uel"
    (9, "isateur", ""),
    (8, "ation", ""),
    (8, "ition", ""),
)


def _rule(w: str, rules) -> str | None:
    for longer, suffix, repl in rules:
        if len(w) > longer and w.endswith(suffix):
            if suffix == "ement":
                w = w[:-4]  # keeps the "e": "activement" -> "active" -> "actif"
                return _norm(w[:-3] + "if" if len(w) > 3 and w.endswith("ive") else w)
            if suffix == "isation":
                w = w[:-7]
                return _norm(w[:-2] + "el" if len(w) > 5 and w.endswith("ual") else w)
            return _norm(w[: -len(suffix)] + repl)
    return None


@lru_cache(maxsize=100_000)
def light_stem(w: str) -> str:
    """The light stem of a lowercase accent-folded word: "integrites" -> "integrit", "nationaux" -> "national"."""
    if not w.isalpha():
        return w
    if len(w) > 5 and w[-1] == "x":
        w = w[:-3] + "al" if w.endswith("aux") and w[-4] != "e" else w[:-1]
    if len(w) > 3 and w[-1] == "x":
        w = w[:-1]
    if len(w) > 3 and w[-1] == "s":
        w = w[:-1]
    elif len(w) == 3 and w[-1] == "s" and w[1] in "nu":
        w = w[:-1]  # "ans", "vus", "lus" meet "an", "vu", "lu" (Savoy keeps words of 3 letters whole)
    done = _rule(w, _FINAL)
    if done is not None:
        return done
    if len(w) > 6 and w.endswith("trice"):
        w = w[:-5] + "teur"
    done = _rule(w, _MIDDLE)
    if done is not None:
        return done
    if len(w) > 4 and w.endswith("ete"):
        w = w[:-1]
    if len(w) > 8 and w.endswith("ique"):
        w = w[:-4]
    done = _rule(w, _LAST)
    return _norm(w) if done is None else done
