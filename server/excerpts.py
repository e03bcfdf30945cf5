"""Bounded answers: a hit or translation longer than EXCERPT_CHARS is sent as an excerpt around its marks,
with the address of the whole paragraph, and marks are looked for in its first HIGHLIGHT_CHARS only; a document
view sends a page of aligned rows, each side's paragraphs counted and cut likewise."""

from __future__ import annotations

from urllib.parse import quote

from indexer.splitting import paragraph_id

from .highlight import marked

EXCERPT_CHARS = 2_000  # characters of a hit's or a translation's text sent in a search answer
HIGHLIGHT_CHARS = 20_000  # characters of a hit's paragraph in which marks are looked for
TRANSLATION_SCAN = 2 * EXCERPT_CHARS  # characters of a translation in which marks are looked for
MAX_TRANSLATIONS = 10  # translations of one hit in a search answer (GET /api/paragraphs/<id> lists all)
TRANSLATION_PARAGRAPHS = 8  # paragraphs of one translation read (pieces of a long paragraph, merged ones)
DOCUMENT_ROWS = 500  # aligned rows of each pair in a document view: a long UN report has a few hundred paragraphs
MAX_DOCUMENT_ROWS = 2_000
SIDE_PARAGRAPHS = 20  # paragraphs of one side of a document view's row (the pieces of a very long one, merged ones)
_CONTEXT = EXCERPT_CHARS // 4  # characters kept before the first mark
_BOUNDARY = 40  # how far an excerpt's ends move to fall between words


def scanned(text: str) -> str:
    """The part of `text` in which marks are looked for."""
    return text[:HIGHLIGHT_CHARS]


def excerpt_spans(text: str, find) -> list[tuple[int, int]]:
    """The spans `find` (text -> spans) gives in `text`, looked for only where an excerpt can show them: in
    the whole of a short text; in a long one EXCERPT_CHARS at a time (cut between words) from its start, until
    the run after the first span found, within its first HIGHLIGHT_CHARS. (Analysing a text to highlight it
    costs about 8 µs a character: a page of 100 hits of 10,000 characters took 16 s.)"""
    if len(text) <= EXCERPT_CHARS:
        return find(text)
    spans: list[tuple[int, int]] = []
    start, stop = 0, min(len(text), HIGHLIGHT_CHARS)
    while start < stop:
        end = min(stop, start + EXCERPT_CHARS)
        if end < stop:
            space = text.rfind(" ", start + EXCERPT_CHARS // 2, end)
            end = space if space > start else end
        found = [(s + start, e + start) for s, e in find(text[start:end])]
        if spans or found:
            spans.extend(found)
            if spans and end >= spans[0][0] + EXCERPT_CHARS - _CONTEXT:  # the excerpt's end is covered
                break
        start = end
    return spans


def paragraph_url(base: str, pid: str) -> str:
    """The address of GET /api/paragraphs/<id>, under the app's mount point `base`."""
    return f"{base}/api/paragraphs/{quote(pid, safe='')}"


def window(text: str, spans: list[tuple[int, int]], size: int = EXCERPT_CHARS) -> tuple[int, int]:
    """(start, end) of at most `size` characters of `text`: from a little before its first span (from the
    start without one), moved to fall between words where a space is near."""
    if len(text) <= size:
        return 0, len(text)
    start = max(0, spans[0][0] - _CONTEXT) if spans else 0
    start = min(start, len(text) - size)
    end = start + size
    if start > 0:
        space = text.find(" ", start, start + _BOUNDARY)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", end - _BOUNDARY, end)
        end = space if space > start else end
    return start, end


def bounded(text: str, spans: list[tuple[int, int]], url: str, more: bool = False) -> dict:
    """`text` and its `highlight` (the spans marked), or an excerpt of them with `truncated`, `excerpt`
    (offsets in the whole text) and the `url` of the whole when it is longer than EXCERPT_CHARS or `more`
    is left unread."""
    start, end = window(text, spans)
    if start == 0 and end == len(text) and not more:
        return {"text": text, "highlight": marked(text, spans), "truncated": False}
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    return {
        "text": text[start:end],
        "highlight": marked(text[start:end], inside),
        "truncated": True,
        "excerpt": {"start": start, "end": end},
        "url": url,
    }


def part_json(p: dict) -> dict | None:
    """Where a piece of a paragraph cut for length stands: part `index` of `of`, its neighbours' ids."""
    if not p.get("piece"):
        return None
    index, of = p["piece"]
    return {
        "index": index,
        "of": of,
        "previous": paragraph_id(p["doc"], p["position"] - 1) if index > 1 else None,
        "next": paragraph_id(p["doc"], p["position"] + 1) if index < of else None,
    }
