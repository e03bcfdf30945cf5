"""Sentence break rules, SRX style: an ordered list of (break or not, text before, text after) rules, the
first rule matching at a position deciding it. Exceptions (abbreviations, labels) come before the breaks,
as in an SRX file; a language's entry in the registry names its list."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SentenceRule:
    """Break (or, with `breaks` false, never break) where text ending with `before` meets text starting with
    `after`; both are regular expressions, `after` read as a lookahead."""

    breaks: bool
    before: str
    after: str = ""

    def pattern(self) -> re.Pattern:
        """The rule as one pattern whose match ends at the position it decides."""
        return re.compile(f"(?:{self.before})(?={self.after})" if self.after else f"(?:{self.before})", re.M)


def alphabetic_sentences(
    abbreviations: str, upper: str, lower: str, close: str, open_: str
) -> tuple[SentenceRule, ...]:
    """The rules of a language written with spaces: its abbreviations (matched with their case: "M." is Monsieur,
    "m." a metre that may end a sentence), initials and paragraph labels never end a sentence; a full stop,
    question or exclamation mark or ellipsis does, with the closing quotes after it, before a capital (`upper`;
    empty for a script without case: any letter), a digit or an opening quote or mark (`open_`)."""
    starts = upper or r"^\W\d_"
    rules = [
        # "art. 5", "par. 3", "M. Ban", "No. 12": an abbreviation's full stop
        SentenceRule(False, r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in abbreviations.split()) + r")\.", r"\s"),
        # a label opening the paragraph: "68/38.", "1.", "a.", "iv."
        SentenceRule(False, r"\A\s*(?:\d+(?:/\d+)*|[a-z]|[ivxlc]+)\.", r"\s"),
        # ... and one opening a sentence after another's end: "... saisi de la question. 2. Décide"
        SentenceRule(False, rf"(?<=[{lower}0-9]{{2}}[.!?…]\s)(?:\d{{1,3}}|[a-z]|[ivxlc]+)\.", r"\s"),
        SentenceRule(False, r"(?<=[»”\"]\s)(?:\d+|[a-z]|[ivxlc]+)\.", r"\s"),
        SentenceRule(True, r"\n+"),
        # "؟" is the Arabic question mark
        SentenceRule(True, rf"(?:[.!?؟…]+(?:[ \u00a0\u202f]?[{close}])*)", rf"\s+[{open_}]?\s*[{starts}0-9]"),
    ]
    if upper:  # initials: "J. Smith", "S. E."
        rules.insert(1, SentenceRule(False, rf"(?<!\w)[{upper}]\.", r"\s"))
    return tuple(rules)


_LATIN_UPPER, _LATIN_LOWER = "A-ZÀ-ÖØ-ÞŒ", "a-zà-öø-ÿœ"
_CLOSE = "»”\"’')\\]"
_OPEN = '«“"(\\['
# Abbreviations that end with a full stop inside a sentence in UN documents of each language.
FRENCH_ABBREVIATIONS = (
    "art arts par paras al alin M MM Mme Mmes Mlle Mlles No Nos no nos vol chap cf éd Dr Pr Prof St Ste "
    "env ex fig p pp op cit ibid Rev Corr Add Suppl sect ann annexe app"
)
ENGLISH_ABBREVIATIONS = (
    "Mr Mrs Ms Messrs Dr Prof St No Nos no nos para paras art arts vol chap cf ed eds e.g i.e viz vs "
    "fig p pp op cit ibid Rev Corr Add Suppl sect annex app Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec"
)
SPANISH_ABBREVIATIONS = (
    "Sr Sres Sra Sras Srta Dr Dra Prof No Nos núm núms art arts párr párrs vol cap cf ed p pp op cit ibid "
    "Rev Corr Add Supl secc anexo apéndice"
)
# not "г." (year): "31 декабря 2015 г." ends sentences, and within one a lowercase word follows it anyway
RUSSIAN_ABBREVIATIONS = "п пп ст Ст см См т тт стр рис им англ г-на г-же др прим"
ARABIC_ABBREVIATIONS = "ص م هـ ج"  # page, year (AD / AH), volume

FRENCH_SENTENCES = alphabetic_sentences(FRENCH_ABBREVIATIONS, _LATIN_UPPER, _LATIN_LOWER, _CLOSE, _OPEN)
ENGLISH_SENTENCES = alphabetic_sentences(ENGLISH_ABBREVIATIONS, _LATIN_UPPER, _LATIN_LOWER, _CLOSE, _OPEN)
SPANISH_SENTENCES = alphabetic_sentences(
    SPANISH_ABBREVIATIONS, _LATIN_UPPER + "Ñ", _LATIN_LOWER + "ñ", _CLOSE, _OPEN + "¿¡"
)
RUSSIAN_SENTENCES = alphabetic_sentences(RUSSIAN_ABBREVIATIONS, "А-ЯЁ", "а-яё", _CLOSE, _OPEN + "„")
ARABIC_SENTENCES = alphabetic_sentences(ARABIC_ABBREVIATIONS, "", "\u0621-\u064a", _CLOSE, _OPEN)  # no case

CHINESE_SENTENCES = (
    SentenceRule(False, r"\d\.", r"\d"),
    SentenceRule(True, r"\n+"),
    # 。！？ (and their half-width forms, and the ellipsis) with the closing quotes and brackets that follow them
    SentenceRule(True, r"(?:[。！？!?]+|……)[”’」』）)》〉]*"),
    # a Latin full stop between sentences written in Chinese (numbers and symbols aside)
    SentenceRule(True, r"(?<=[\u3400-\u9fff])\.", r"\s*[\u3400-\u9fff]"),
)
