"""Sentence ends: where a paragraph too long to keep whole may be cut (indexer.splitting)."""

from __future__ import annotations

import re

from .analysis import LANGUAGES, UNINDEXED

# Han script: a sentence ends after its full stop, exclamation, question mark or semicolon, and the closing
# quotes or brackets that follow, whatever comes next.
_HAN_END = re.compile(r"[。！？；]+[”’」』）》〉\"']*")
# Other scripts: after . ? ! or … and the closing quotes or brackets that follow (French sets a space before »),
# before a space and what opens a sentence (a capital, an opening quote or bracket, a digit).
_END = re.compile(r"[.?!…]+(?:\s?[\"»”’)\]])*(?=\s+[«\"“‘(\[]?\s*[0-9A-ZÀ-ÖØ-Þ])")
# Words whose period is no sentence end: "art. 5", "par. 3", "M. Dupont", "No. 1", "p. 12", single letters.
ABBREVIATIONS = frozenset(
    "art arts par paras al cf chap vol p pp M MM Mme Mmes Mlle Mlles Dr Me Mgr No Nos no nos n° S.E op cit éd"
    " Sr St Ste Jr Mr Mrs Ms vs".split()
)
_WORD_BEFORE = re.compile(r"(\S+?)[.?!…]*$")
_LETTERS = re.compile(r"[^\W\d_]{2}")


def sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the sentences of `text`, in order, without the spaces around them."""
    language = LANGUAGES.get(lang) or UNINDEXED.get(lang)
    han = language is not None and language.script == "Han"
    ends = _han_ends(text) if han else _ends(text)
    spans, start = [], 0
    for end in ends + [len(text)]:
        s, e = _trimmed(text, start, end)
        if s < e:
            spans.append((s, e))
        start = end
    return spans


def _han_ends(text: str) -> list[int]:
    return [m.end() for m in _HAN_END.finditer(text)]


def _ends(text: str) -> list[int]:
    out, start = [], 0
    for m in _END.finditer(text):
        if text[m.start()] == ".":
            word = _WORD_BEFORE.search(text, max(start, m.start() - 12), m.start() + 1)
            if word and (word.group(1) in ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        if not _LETTERS.search(text, start, m.start()):  # "1." or "a)" opening an enumeration
            continue
        out.append(m.end())
        start = m.end()
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
