"""Segment lookup, as a translation memory answers "was this translated before?": the stored segments most
similar to a text, each with its CAT match score, the words that differ and the numbers that differ.

Candidates come two ways: the paragraphs holding a segment of the same normalised text (the segments table's
hash: the 100% matches), and the best paragraphs by BM25 over the rarest of the text's terms (the planner's
lookup plan, matched by whichever engine serves the index). Every segment of those paragraphs (and a
paragraph of several segments whole, for a text of several sentences) is then scored by word edit distance
in RapidFuzz (indexer.lookup_score); each paragraph keeps its best segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .analysis import LANGUAGES
from .checks import values
from .engines.base import SearchRequest
from .errors import BadRequest
from .lookup_score import Change, Tokens, changes, fuzzy, score, scoring_tokens, tokens
from .numbers import Value
from .query.planner import plan_lookup
from .segments import normalised, segments_of, with_hash

CANDIDATES = 20  # paragraphs retrieved by BM25 and scored
MAX_LOOKUP_CHARS = 5000  # one segment, or a paragraph of a few: longer texts are a document (use --file)


@dataclass
class SegmentMatch:
    """A stored segment similar to the text looked up."""

    paragraph: str  # its paragraph's id
    seq: int | None  # its place among the paragraph's segments; None: the paragraph whole
    segments: int  # how many segments the paragraph holds
    start: int  # offsets into the paragraph's text
    end: int
    text: str
    score: int
    changes: list[Change] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)  # values written in one only: only_stored, only_text


# What JSON Schema's (ECMAScript's) \s matches: a text of these only is empty, as the OpenAPI description says.
_BLANK = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*")


def check_text(text: str) -> str:
    """The text of a lookup, stripped; BadRequest when empty or too long."""
    if not text or _BLANK.fullmatch(text):
        raise BadRequest("text is required: the segment to look up")
    text = text.strip() or text  # control characters Python counts as spaces and JSON Schema does not
    if len(text) > MAX_LOOKUP_CHARS:
        raise BadRequest(f"text must be at most {MAX_LOOKUP_CHARS} characters: look a document up segment by segment")
    return text


def candidates(searcher, catalog, text: str, lang: str, count: int = CANDIDATES) -> list[str]:
    """Paragraph ids worth scoring: those holding the text's exact segment first, then the best by BM25."""
    exact = with_hash(catalog, text, lang)
    planned = plan_lookup(text, lang, searcher)
    found = searcher.search(SearchRequest(planned.query, planned.filters, count, facets=(), exact_total=0))
    return list(dict.fromkeys(exact + [pid for pid, _ in found.hits]))


def _units(
    ids: list[str], paras: dict, segs: dict, size: int, min_score: int
) -> list[tuple[str, int | None, int, int]]:
    """The segments worth scoring (and paragraphs of several whole) as (paragraph, seq, start, end). A unit
    whose length in characters is off the text's by more than 1.5 × 100 / min_score times is left out: its
    word count would be off by about as much, and a word count off by 100 / min_score times cannot score
    min_score."""
    ratio = 1.5 * 100 / min_score if min_score > 0 else float("inf")
    out = []
    for pid in ids:
        if pid not in paras:
            continue
        spans = segs.get(pid) or []
        units = [(pid, seq, a, b) for seq, (a, b) in enumerate(spans)]
        if len(spans) > 1:  # a text of several sentences may match the paragraph whole
            units.append((pid, None, spans[0][0], spans[-1][1]))
        out.extend(u for u in units if max(u[3] - u[2], size) <= ratio * max(1, min(u[3] - u[2], size)))
    return out


def number_differences(text: str, stored: str, lang: str) -> dict:
    """Numbers, symbols, dates written in the stored segment and not in the text (only_stored) and the other
    way round (only_text), read as `tandem check` reads them."""

    def only(mine: list[Value], theirs: list[Value]) -> list[str]:
        keys = {k for v in theirs for k in v.keys}
        out: list[str] = []
        for v in mine:
            if v.strong and v.shown not in out and not any(k in keys for k in v.wants):
                out.append(v.shown)
        return out

    asked, held = values(text, lang), values(stored, lang)
    return {"only_stored": only(held, asked), "only_text": only(asked, held)}


def find_matches(
    searcher, catalog, text: str, lang: str, min_score: int = 70, limit: int = 10, count: int = CANDIDATES
) -> list[SegmentMatch]:
    """The stored segments of a language scoring at least `min_score` against a text, best first (equal
    scores in the order retrieval ranked their paragraphs), one per paragraph, at most `limit`."""
    if lang not in LANGUAGES:
        raise BadRequest(f"lang must be auto or one of {', '.join(LANGUAGES)}")
    text = check_text(text)
    ids = candidates(searcher, catalog, text, lang, count)
    paras = catalog.paragraphs(ids)
    segs = segments_of(catalog, ids)
    units = _units(ids, paras, segs, len(text), min_score)
    if not units:
        return []
    asked = tokens(text)
    unit_text = [paras[pid]["text"][a:b] for pid, _, a, b in units]
    unit_tokens = [scoring_tokens(t) for t in unit_text]
    distances = process.cdist([asked.forms], [t.forms for t in unit_tokens], scorer=Levenshtein.distance)[0]
    same = normalised(text)
    best: dict[str, tuple[int, int]] = {}  # paragraph -> (score, unit index)
    for i, (pid, *_rest) in enumerate(units):
        d = int(distances[i])
        if fuzzy(d, len(asked.forms), len(unit_tokens[i].forms)) < min_score:
            continue  # penalties only lower a score
        if d == 0:  # the same words: whether they are written alike, and the same text
            unit_tokens[i] = tokens(unit_text[i])
        value = score(asked, unit_tokens[i], d == 0 and normalised(unit_text[i]) == same, d)
        if value >= min_score and (pid not in best or value > best[pid][0]):
            best[pid] = (value, i)
    order = {pid: rank for rank, pid in enumerate(ids)}
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], order[item[0]]))[:limit]
    out = []
    for pid, (value, i) in ranked:
        _, seq, a, b = units[i]
        out.append(_match(pid, seq, a, b, value, text, asked, unit_text[i], tokens(unit_text[i]), lang, len(segs[pid])))
    return out


def _match(pid, seq, a, b, value, text: str, asked: Tokens, stored: str, stored_tokens: Tokens, lang, segments: int):
    return SegmentMatch(
        paragraph=pid,
        seq=seq,
        segments=segments,
        start=a,
        end=b,
        text=stored,
        score=value,
        changes=changes(asked, stored_tokens, text, stored),
        numbers=number_differences(text, stored, lang),
    )
