"""Chinese word segmentation with pkuseg: one lazily loaded model per process, cached by sentence."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_model = None
_lock = threading.Lock()

# Sentences repeat across UN documents and years, so segmentation is cached per sentence.
_SENTENCE = re.compile(r"[^。；！？;!?]*[。；！？;!?]?")
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_ALL_HAN = re.compile(f"[{HAN_CLASS}]+")
LONG_WORD = 3  # shorter words are already indexed as character bigrams


def model():
    """The process's pkuseg model, loaded on first use (~5 s, ~800 MB)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import pkuseg  # heavy: numpy and the model load only here

                _model = pkuseg.pkuseg()
    return _model


def loaded() -> bool:
    """Whether this process has loaded the pkuseg model."""
    return _model is not None


@lru_cache(maxsize=200_000)
def cut_sentence(sentence: str) -> tuple[str, ...]:
    """pkuseg's words for one sentence (cached)."""
    return tuple(model().cut(sentence))


def words(text: str) -> list[str]:
    """pkuseg's words for a text, segmented sentence by sentence."""
    out: list[str] = []
    for m in _SENTENCE.finditer(text):
        if m.group(0).strip():
            out.extend(cut_sentence(m.group(0)))
    return out


def long_word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans in `text` of the pkuseg words of LONG_WORD or more Han characters."""
    spans = []
    pos = 0
    for word in words(text):
        start = text.find(word, pos)
        if start < 0:  # pkuseg altered the word (it should not); skip rather than misplace it
            continue
        pos = start + len(word)
        if len(word) >= LONG_WORD and _ALL_HAN.fullmatch(word):
            spans.append((start, pos))
    return spans
