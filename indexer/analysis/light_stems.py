"""Light stemmers for Spanish, Russian and Arabic, ports of Lucene's (SpanishLightStemmer, RussianLightStemmer,
ArabicStemmer: Larkey's light10): they strip inflections only, where Snowball also strips derivations. Each
takes a word already folded by its language (indexer.analysis.spanish, russian, arabic)."""

from __future__ import annotations


def spanish_light(word: str) -> str:
    """Gender and number endings of a folded Spanish word ("resoluciones" -> "resolucion"); from four letters,
    not Lucene's five, so that "isla" and "islas" agree (bench/languages_bench.py --part stems)."""
    n = len(word)
    if n < 4:
        return word
    if n == 4:
        if word[-1] in "oae":
            return word[:-1]
        return word[:-2] if word[-1] == "s" and word[-2] in "oae" else word
    last = word[-1]
    if last in "oae":
        return word[:-1]
    if last == "s":
        if word.endswith("eses"):
            return word[:-2]
        if word.endswith("ces"):
            return word[:-3] + "z"
        if word[-2] in "oae":
            return word[:-2]
    return word


_RU_4 = ("иями", "оями")
_RU_3 = tuple("иям иях оях ями оям оьв ами его ему ери ими ого ому ыми оев".split())
_RU_2 = tuple("ая яя ях юю ах ею их ия ию ьв ою ую ям ых ея ам ем ей ём ев ий им ое ой ом ов ые ый ым ми".split())
_RU_1 = tuple("аеийоуыья")


def russian_light(word: str) -> str:
    """Case endings of a Russian word, then a final soft sign, и or doubled н."""
    n = len(word)
    if n > 6 and word.endswith(_RU_4):
        word = word[:-4]
    elif n > 5 and word.endswith(_RU_3):
        word = word[:-3]
    elif n > 4 and word.endswith(_RU_2):
        word = word[:-2]
    elif n > 3 and word.endswith(_RU_1):
        word = word[:-1]
    if len(word) > 3 and (word[-1] in "ьи" or word.endswith("нн")):
        word = word[:-1]
    return word


# After folding (indexer.analysis.arabic.fold_arabic) taa marbuta is haa: the suffixes are written folded;
# the dual of a feminine noun ("منظمتان", "منظمتين") is stripped whole, not left with its taa.
_AR_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
_AR_SUFFIXES = ("ها", "تان", "تين", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def arabic_light(word: str) -> str:
    """Larkey's light10: one article or conjunction prefix, then each suffix once, leaving two letters or more."""
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) >= len(prefix) + 2 and (len(prefix) > 1 or len(word) > 3):
            word = word[len(prefix) :]
            break
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            word = word[: -len(suffix)]
    return word


def english_minimal(word: str) -> str:
    """Plural "-s" of an English word ("resolutions" -> "resolution", "activities" -> "activity")."""
    n = len(word)
    if n < 3 or word[-1] != "s" or word[-2] in "us":
        return word
    if word[-2] == "e":
        if n > 3 and word[-3] == "i" and word[-4] not in "ae":
            return word[:-3] + "y"
        if word[-3] in "iaoe":
            return word
    return word[:-1]
