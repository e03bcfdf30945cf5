"""Chinese word segmentation with pkuseg: one lazily loaded model per process, cached by run of Han characters."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_model = None
_lock = threading.Lock()

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Only words made of Han characters are indexed, and they never span punctuation, digits or Latin
# letters: so text is segmented run of Han characters by run, and runs, which repeat across UN
# documents and years far more than whole sentences, are cached.
_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
MIN_WORD = 2  # one-character words are left to the bigrams and last characters


def model():
    """The process's pkuseg model, loaded on first use (~5 s, ~800 MB)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                import pkuseg  # heavy: numpy and the model load only here

                _model = pkuseg.pkuseg()
    return _model


@lru_cache(maxsize=500_000)
def run_word_spans(run: str) -> tuple[tuple[int, int], ...]:
    """Spans of the words of MIN_WORD or more characters that pkuseg finds in a run of Han characters."""
    spans, pos = [], 0
    for word in model().cut(run):
        start = run.find(word, pos)
        if start < 0:  # pkuseg altered the word (it should not); skip rather than misplace it
            continue
        pos = start + len(word)
        if len(word) >= MIN_WORD:
            spans.append((start, pos))
    return tuple(spans)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans in `text` of the pkuseg words of MIN_WORD or more Han characters."""
    spans = []
    for m in _HAN_RUN.finditer(text):
        if m.end() - m.start() >= MIN_WORD:
            base = m.start()
            spans.extend((base + s, base + e) for s, e in run_word_spans(m.group(0)))
    return spans
