"""Chinese word segmentation with pkuseg: one lazily loaded model per process, cached by run of Han characters.

Only index builds load the model. The words a build finds are stored in the catalog as compact *cuts*
(`encode_cuts`), from which the server reads them back (`stored_word_spans`) without pkuseg.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_model = None
_lock = threading.Lock()

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
# Only words made of Han characters are indexed, and they never span punctuation, digits or Latin
# letters: so text is segmented run of Han characters by run, and runs, which repeat across UN
# documents and years far more than whole sentences, are cached.
_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
MIN_WORD = 2  # one-character words are left to the bigrams and last characters
# A stored cut is one printable ASCII character per word, its length: chr(_ZERO + n). A word of MAX_PIECE
# characters or more (never seen) takes several: MAX_PIECE for each full piece, then the rest (maybe 0).
_ZERO = 0x30
MAX_PIECE = 0x7E - _ZERO


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
def run_word_lengths(run: str) -> tuple[int, ...]:
    """The lengths of the words pkuseg cuts a run of Han characters into, covering the run whole."""
    lengths, pos = [], 0
    for word in model().cut(run):
        start = run.find(word, pos)
        if start < 0:  # pkuseg altered the word (it should not); skip rather than misplace it
            continue
        if start > pos:  # characters pkuseg left out stand as one word
            lengths.append(start - pos)
        lengths.append(len(word))
        pos = start + len(word)
    if pos < len(run):
        lengths.append(len(run) - pos)
    return tuple(lengths)


def run_word_spans(run: str) -> tuple[tuple[int, int], ...]:
    """Spans of the words of MIN_WORD or more characters that pkuseg finds in a run of Han characters."""
    spans, pos = [], 0
    for n in run_word_lengths(run):
        if n >= MIN_WORD:
            spans.append((pos, pos + n))
        pos += n
    return tuple(spans)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans in `text` of the pkuseg words of MIN_WORD or more Han characters."""
    spans = []
    for m in _HAN_RUN.finditer(text):
        if m.end() - m.start() >= MIN_WORD:
            base = m.start()
            spans.extend((base + s, base + e) for s, e in run_word_spans(m.group(0)))
    return spans


def encode_cuts(text: str) -> str:
    """The word cuts of a text (its NFKC form) as stored in the catalog: for each run of two or more Han
    characters in turn, one character per pkuseg word giving its length. Index time only: loads pkuseg."""
    out = []
    for m in _HAN_RUN.finditer(unicodedata.normalize("NFKC", text)):
        if m.end() - m.start() >= 2:
            for n in run_word_lengths(m.group(0)):
                while n >= MAX_PIECE:
                    out.append(chr(_ZERO + MAX_PIECE))
                    n -= MAX_PIECE
                out.append(chr(_ZERO + n))
    return "".join(out)


def stored_word_spans(normed: str, cuts: str | None) -> list[tuple[int, int]]:
    """Spans of every word (one character or more) of Han runs in an NFKC text, from its stored cuts;
    a lone Han character is a word. [] when the cuts are missing or do not fit the text (written by
    another version). Needs no model."""
    if cuts is None or not cuts.isascii():
        return []
    lengths = [c - _ZERO for c in cuts.encode("ascii")]
    spans, k = [], 0
    for m in _HAN_RUN.finditer(normed):
        start, end = m.span()
        if end - start == 1:
            spans.append((start, end))
            continue
        pos = start
        while pos < end:
            n = 0
            while k < len(lengths) and lengths[k] == MAX_PIECE:  # a long word, in pieces
                n += MAX_PIECE
                k += 1
            if k >= len(lengths) or not 0 <= lengths[k] < MAX_PIECE:
                return []
            n += lengths[k]
            k += 1
            if n < 1 or pos + n > end:
                return []
            spans.append((pos, pos + n))
            pos += n
    return spans if k == len(lengths) else []
