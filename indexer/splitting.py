"""Paragraphs of bounded length: one too long is cut into pieces at sentence ends, a sentence too long at a
space (or, without one near, at a character), each piece recording that it is part k of n.

Every reader's parts pass through split_parts once, as a build reads them: what is stored, analysed, indexed
and aligned is pieces, so no paragraph costs more than max_paragraph_chars to analyse, highlight or send."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from .analysis import LANGUAGES
from .documents import Paragraph
from .readers.units import Part
from .sentences import sentence_spans


def split_text(text: str, lang: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters: whole sentences where they fit, packed in order; a
    sentence longer than `limit` cut at the last space that fits (at `limit` characters where that space is
    in the first half), its last run packed with the sentences after it."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    start = end = None  # the piece being packed
    for s, e in sentence_spans(text, lang):
        if start is not None and e - start > limit:
            pieces.append(text[start:end])
            start = None
        if e - s > limit:
            runs = _hard(text, s, e, limit)
            pieces.extend(text[a:b] for a, b in runs[:-1])
            s, e = runs[-1]
        if start is None:
            start = s
        end = e
    if start is not None:
        pieces.append(text[start:end])
    return pieces


def _hard(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The spans of text[start:end] cut at spaces into runs of at most `limit` characters."""
    runs = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit + 1)
        if cut <= start:
            cut = start + limit
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        runs.append((start, stop))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    runs.append((start, end))
    return runs


def paragraph_id(doc_id: str, position: int) -> str:
    """The id of a document's paragraph at a position (pieces included): "fr-a-res-68-38.p4"."""
    return f"{doc_id}.p{position}"


def split_parts(parts: Iterable[Part], limit: int) -> Iterator[Part]:
    """A unit's parts with each paragraph longer than `limit` characters replaced by its pieces (positions
    and ids of the paragraphs after them moved on), and each aligned row linking the pieces of its
    paragraphs as a group: rows become (a run indexes, b run indexes). `offset` and `total` still count
    the paragraphs as read."""
    added: dict[str, int] = {}  # pieces more than paragraphs so far, by document
    for part in parts:
        runs = {}
        for doc in part.documents:
            runs[doc.id] = _split_document(doc, limit, added)
        aligned = [(a, b, [(runs[a.id][i], runs[b.id][j]) for i, j in rows]) for a, b, rows in part.aligned]
        yield Part(part.documents, part.offset, part.total, aligned)


def _split_document(doc, limit: int, added: dict[str, int]) -> list[list[int]]:
    """Split a run of a document's paragraphs in place; the run indexes of each paragraph's pieces."""
    shift = added.get(doc.id, 0)
    if not shift and all(len(p.text) <= limit for p in doc.paragraphs):
        return [[i] for i in range(len(doc.paragraphs))]
    out: list[Paragraph] = []
    runs: list[list[int]] = []
    for p in doc.paragraphs:
        position = p.position + shift
        pieces = split_text(p.text, doc.lang, limit)
        runs.append(list(range(len(out), len(out) + len(pieces))))
        if len(pieces) == 1:
            p.position, p.id = position, paragraph_id(doc.id, position)
            out.append(p)
            continue
        for k, text in enumerate(pieces):
            pos = position + k
            out.append(replace(p, text=text, position=pos, id=paragraph_id(doc.id, pos), piece=(k + 1, len(pieces))))
        shift += len(pieces) - 1
    doc.paragraphs = out
    added[doc.id] = shift
    return runs


def whole_paragraphs(paragraphs: list[Paragraph], lang: str) -> tuple[list[Paragraph], list[list[int]]]:
    """Pieces joined back into the paragraphs they were cut from (for the aligner, which aligns paragraphs
    whole), with the indexes of each one's pieces."""
    join = LANGUAGES[lang].line_join if lang in LANGUAGES else " "
    wholes: list[Paragraph] = []
    groups: list[list[int]] = []
    for i, p in enumerate(paragraphs):
        if p.piece is not None and p.piece[0] > 1 and groups:
            groups[-1].append(i)
            continue
        wholes.append(p)
        groups.append([i])
    for n, group in enumerate(groups):
        if len(group) > 1:
            wholes[n] = replace(wholes[n], text=join.join(paragraphs[i].text for i in group), piece=None)
    return wholes, groups
