"""Unicode normalisation that keeps offsets into the original text, and accent folding."""

from __future__ import annotations

import re
import unicodedata


def normalize_offsets(text: str, form: str) -> tuple[str, list[int] | None]:
    """Unicode-normalise `text`; returns it and, if lengths changed, each character's source offset
    (one more entry for the end), so tokens keep offsets into the original text for highlighting."""
    if text.isascii() or unicodedata.is_normalized(form, text):
        return text, None
    if not _JOINING.search(text):
        # Without combining marks or conjoining jamo each character normalises on its own, to one or more
        # characters: the same length means one for one (full-width punctuation in Chinese, mostly).
        out = unicodedata.normalize(form, text)
        if len(out) == len(text):
            return out, None
    normed, origin = [], []
    # Normalise base character + combining marks together: "e" + U+0301 composes to "é".
    for m in _CLUSTER.finditer(text):
        norm = unicodedata.normalize(form, m.group(0))
        normed.append(norm)
        origin.extend([m.start()] * len(norm))
    out = "".join(normed)
    if len(out) == len(text):
        return out, None
    origin.append(len(text))
    return out, origin


_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe20-\ufe2f"
_CLUSTER = re.compile(rf"(?s).[{_MARKS}]*")
_JOINING = re.compile(rf"[{_MARKS}\u1100-\u11ff\u3130-\u318f]")

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "Œ": "OE", "Æ": "AE"})


def fold(text: str) -> str:
    """Remove accents and expand ligatures: "désarmement" -> "desarmement", "œuvre" -> "oeuvre"."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFD", text.translate(_LIGATURES))
    return "".join(ch for ch in text if not unicodedata.combining(ch))
