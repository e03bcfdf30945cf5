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


_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_LOWER = "a-zà-öø-ÿœ"
_CLOSE_FR = "»”\"’')\\]"
_OPEN_FR = '«“"(\\['
# Abbreviations that end with a full stop inside a sentence in UN French (article, paragraph, Monsieur,
# numéro...), matched with their case: "M." is Monsieur, "m." a metre that may end a sentence.
FRENCH_ABBREVIATIONS = (
    "art arts par paras al alin M MM Mme Mmes Mlle Mlles No Nos no nos vol chap cf éd Dr Pr Prof St Ste "
    "env ex fig p pp op cit ibid Rev Corr Add Suppl sect ann annexe app"
).split()

FRENCH_SENTENCES = (
    # "art. 5", "par. 3", "M. Ban", "No. 12": an abbreviation's full stop
    SentenceRule(False, r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in FRENCH_ABBREVIATIONS) + r")\.", r"\s"),
    # initials: "J. Smith", "S. E."
    SentenceRule(False, rf"(?<![\w.])[{_UPPER}]\.", r"\s"),
    # a label opening the paragraph: "68/38.", "1.", "a.", "iv."
    SentenceRule(False, r"\A\s*(?:\d+(?:/\d+)*|[a-z]|[ivxlc]+)\.", r"\s"),
    # ... and one opening a sentence after another's end: "... saisi de la question. 2. Décide"
    SentenceRule(False, rf"(?<=[{_LOWER}0-9]{{2}}[.!?…]\s)(?:\d+|[a-z]|[ivxlc]+)\.", r"\s"),
    SentenceRule(False, r"(?<=[»”\"]\s)(?:\d+|[a-z]|[ivxlc]+)\.", r"\s"),
    SentenceRule(True, r"\n+"),
    # a full stop, question or exclamation mark or ellipsis, closing quotes (French sets a space before »),
    # then a capital, digit or opening quote
    SentenceRule(True, rf"(?:[.!?…]+(?:[ \u00a0\u202f]?[{_CLOSE_FR}])*)", rf"\s+[{_OPEN_FR}]?\s*[{_UPPER}0-9]"),
)

CHINESE_SENTENCES = (
    SentenceRule(False, r"\d\.", r"\d"),
    SentenceRule(True, r"\n+"),
    # 。！？ (and their half-width forms, and the ellipsis) with the closing quotes and brackets that follow them
    SentenceRule(True, r"(?:[。！？!?]+|……)[”’」』）)》〉]*"),
    # a Latin full stop between sentences written in Chinese (numbers and symbols aside)
    SentenceRule(True, r"(?<=[\u3400-\u9fff])\.", r"\s*[\u3400-\u9fff]"),
)
