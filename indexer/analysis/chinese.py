"""Chinese analysis: NFKC text, overlapping Han bigrams, pkuseg words marked as exact forms, Latin words.

Index mode emits, for every run of Han characters, its overlapping bigrams (any substring of two or more
characters is a phrase of bigrams), the run's last character (so a one-character query matches as the
prefix of a bigram or that character), and "=" + each pkuseg word of two or more characters at its first
character's position, so a query for a word can rank paragraphs where it is a word above those where
it is only part of a longer one. Query mode emits bigrams only.
"""

from __future__ import annotations

import re
import threading

from whoosh.analysis import Token, Tokenizer

from .. import segmenter
from ..segmenter import HAN_CLASS
from .french import EXACT
from .normalize import normalize_offsets

_ZH_RUN = re.compile(rf"([{HAN_CLASS}]+)|([^\W_{HAN_CLASS}]+)")


def normalize_zh(text: str) -> tuple[str, list[int] | None]:
    """NFKC: full-width digits and letters, ideographic spaces; see normalize_offsets."""
    return normalize_offsets(text, "NFKC")


class ChineseTokenizer(Tokenizer):
    """NFKC text; Han bigrams, pkuseg words as "=" + word (index mode), Latin/digit words (see the module)."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        normed, origin = normalize_zh(value)
        indexing = mode != "query"
        words: dict[int, int] = {}
        if indexing:
            words = dict(segmenter.word_spans(normed))  # a word's start -> its end (pkuseg words do not overlap)

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
                t.text = run[i : i + 2]
                if keeporiginal:
                    t.original = t.text
                if positions:
                    t.pos = pos + i
                if chars:
                    t.startchar, t.endchar = offset(run_start + i), offset(run_start + i + len(t.text))
                yield t
                end = words.get(run_start + i)
                if end is not None:
                    t.text = EXACT + normed[run_start + i : end]
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
    """Chinese: NFKC, Han bigrams plus marked pkuseg words, lowercase Latin and digits."""
    return ChineseTokenizer()


_converter = None
_converter_lock = threading.Lock()


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified (OpenCC t2s), as the UN's Chinese texts are written."""
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc  # loads its dictionaries: only when a query needs it

                _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)
