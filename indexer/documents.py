"""Documents and paragraphs: what readers produce and what the index and the aligner consume."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS = ("title", "preambular", "operative", "footnote", "other")


@dataclass
class Paragraph:
    """One paragraph of a document, in reading order.

    `number` is the operative paragraph number ("1", "2" ...) or the footnote number;
    `notes` lists the footnote numbers referenced from this paragraph; `source` says how its text was read:
    "text" (as written) or "ocr" (recognised from a page image, so it can be wrong); `piece` is (k, n) when
    the paragraph is part k of the n a paragraph too long was cut into (indexer.splitting).
    """

    text: str
    kind: str = "other"
    number: str | None = None
    notes: list[str] = field(default_factory=list)
    position: int = 0
    id: str = ""
    source: str = "text"
    piece: tuple[int, int] | None = None


@dataclass
class Document:
    """A document in one language, with its metadata and paragraphs."""

    lang: str
    symbol: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when known
    title: str | None = None
    source: str = ""  # corpus-relative path of the file it came from
    format: str = "un_text"
    paragraphs: list[Paragraph] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    id: str = ""

    @property
    def year(self) -> int | None:
        """Year of the document: from its date or its source, else from its symbol, else None."""
        if self.meta.get("year"):
            return int(self.meta["year"])
        if self.date:
            return int(self.date[:4])
        return symbol_year(self.symbol)

    def finalize(self) -> "Document":
        """Give the document and its paragraphs their stable ids and positions."""
        self.id = document_id(self.lang, self.symbol or self.source)
        for pos, para in enumerate(self.paragraphs):
            para.position = pos
            para.id = f"{self.id}.p{pos}"
        return self


def slug(text: str) -> str:
    """A lowercase URL-safe form of a symbol or file name: "A/RES/68/38" -> "a-res-68-38"."""
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "untitled"


def document_id(lang: str, key: str) -> str:
    """The id of a document: its language and the slug of its symbol ("fr-a-res-68-38")."""
    return f"{lang}-{slug(key)}"


_GA_RES = re.compile(r"^A/RES/(\d+)/")
_YEAR_IN_SYMBOL = re.compile(r"/((?:19|20)\d\d)/")


def symbol_year(symbol: str | None) -> int | None:
    """The year a symbol implies: GA session n of A/RES/n/... opened in 1945 + n; S/2015/305 -> 2015."""
    if not symbol:
        return None
    m = _GA_RES.match(symbol)
    if m:
        return 1945 + int(m.group(1))
    m = _YEAR_IN_SYMBOL.search(symbol + "/")
    return int(m.group(1)) if m else None
