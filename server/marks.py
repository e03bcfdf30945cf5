"""Marks in the translations of search hits: where a translation holds the rendering of a word or phrase the
query matched in the hit, found by the machinery of GET /api/terms (server.renderings) and only where the
alignment is confident, for no marks are better than wrong ones.

Each word and quoted phrase of a query is looked up as a term (cached per index generation). A pair of the
term's aligned pairs is marked with the rendering it was aligned to; a pair that was not read (the term has
more paragraphs than are read) with the best associated rendering it holds. Either way the rendering must be
strongly associated with the term (Dice), seen in enough pairs and carry a fair share of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.analysis import normalize_zh
from indexer.query import syntax as s
from indexer.query.planner import Highlights
from indexer.segmenter import HAN_CLASS
from indexer.terms import Rendering

from .highlight import match_spans
from .renderings import MAX_TERM_LENGTH, Lookup, TermFinding

MAX_UNITS = 4  # words and phrases of a query whose renderings are marked
MIN_DICE = 0.4  # association of term and rendering
MIN_PAIRS = 3  # term paragraphs whose translations hold the rendering
MIN_SHARE = 0.1  # of the pairs read, those aligned to the rendering
# each word or phrase of a query looked up from its best 25 paragraphs (GET /api/terms: 500), only for its
# renderings that may be marked
MARKS_LOOKUP = Lookup(paragraphs=25, min_dice=MIN_DICE, counted=10)
_HAN = re.compile(f"[{HAN_CLASS}]")


def query_units(q) -> list[str]:
    """The words and quoted phrases a query (a string, or as parsed by the planner) looks for (not those it
    excludes), in order, at most MAX_UNITS, each of at most MAX_TERM_LENGTH characters."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, s.Word | s.Quoted):
            text = " ".join(node.text.split())
            if text and len(text) <= MAX_TERM_LENGTH and text not in out:
                out.append(text)
        elif isinstance(node, s.AllOf | s.AnyOf):
            for child in node.children:
                walk(child)

    walk(s.parse(q) if isinstance(q, str) else q)
    return out[:MAX_UNITS]


@dataclass
class _Unit:
    """One word or phrase of the query: what marks it in a hit, the paragraphs read to find its renderings,
    its confident renderings (best associated first) and the one each pair read was aligned to."""

    highlights: Highlights
    sources: set[str]
    renderings: list[Rendering]
    aligned: dict[tuple[str, str], Rendering]


def confident(finding: TermFinding) -> list[Rendering]:
    """A term's renderings that may be marked, best associated first."""
    read = len(finding.pairs)
    sure = [
        r
        for r in finding.renderings
        if r.dice >= MIN_DICE and r.pairs >= MIN_PAIRS and sum(map(len, r.aligned.values())) >= MIN_SHARE * read
    ]
    return sorted(sure, key=lambda r: -r.dice)


class TranslationMarks:
    """The spans to mark in the translations of a page of hits, for one query."""

    def __init__(self, lang: str, target: str, units: list[_Unit]):
        self.lang = lang
        self.target = target
        self.units = units

    @classmethod
    def for_query(cls, q, lang: str, target: str, reader, find) -> "TranslationMarks":
        """Look up each word and phrase of a query (a string, or parsed: see query_units) with
        `find(reader, term, lang, target, lookup)` (cached)."""
        units = []
        for term in query_units(q):
            finding = find(reader, term, lang, target, MARKS_LOOKUP)
            sure = confident(finding)
            if sure:
                aligned = {(p.source, p.target): r for r in sure for pairs in r.aligned.values() for p in pairs}
                units.append(_Unit(finding.highlights, {p.source for p in finding.pairs}, sure, aligned))
        return cls(lang, target, units)

    def spans(self, source: dict, translation_id: str, lang: str, text: str) -> list[tuple[int, int]]:
        """Spans of `text`, a translation in `lang` of the hit paragraph `source`, that render the query's
        words."""
        out = []
        if lang != self.target:
            return out
        for unit in self.units:
            key = (source["id"], translation_id)
            if key in unit.aligned:
                choices = [unit.aligned[key]]
            elif source["id"] in unit.sources:
                continue  # read, and aligned to no confident rendering
            elif match_spans(source["text"], self.lang, unit.highlights):
                choices = unit.renderings  # not read: the best associated rendering it holds
            else:
                continue  # the hit matched the query without this word (OR)
            for rendering in choices:
                found = rendering_spans(text, rendering.forms)
                if found:
                    out.extend(found)
                    break
        return out


def rendering_spans(text: str, forms) -> list[tuple[int, int]]:
    """Where a text holds any spelling of a rendering: Chinese anywhere (NFKC), other words whole, case and
    the punctuation or spacing between them aside."""
    out = []
    for form in forms:
        if _HAN.search(form):
            normed, origin = normalize_zh(text)
            form = unicodedata.normalize("NFKC", form)
            start = normed.find(form)
            while start >= 0:
                end = start + len(form)
                out.append((origin[start], origin[end]) if origin else (start, end))
                start = normed.find(form, end)
        else:
            words = re.findall(r"[^\W_]+", form)
            if words:
                pattern = r"(?<![^\W_])" + r"[\W_]*".join(map(re.escape, words)) + r"(?![^\W_])"
                out.extend(m.span() for m in re.finditer(pattern, text, re.I))
    return out


class TargetMarks:
    """The marks of translations into several languages: each language's TranslationMarks."""

    def __init__(self, by_lang: dict[str, TranslationMarks]):
        self.by_lang = by_lang

    def spans(self, source: dict, translation_id: str, lang: str, text: str) -> list[tuple[int, int]]:
        """Where a translation holds the renderings of the query's words (see TranslationMarks.spans)."""
        marks = self.by_lang.get(lang)
        return marks.spans(source, translation_id, lang, text) if marks else []
