"""The engine interface: what tandem asks of a full-text engine, and nothing more.

An engine stores one entry per paragraph: its id, the metadata that filters and facets need, and the
analysed terms of its text with their positions (produced by `indexer.analysis`, so every engine
indexes the same terms). It answers a planned query (`indexer.query.nodes`) with filters: the best
`limit` paragraph ids with scores, the total (exact up to `exact_total` matches, estimated beyond), and facet
counts (exact when the total is, estimated from a sample of the matches otherwise), within a time budget.
Paragraph text, documents and alignments live in the catalog, above the engine, the same for every engine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..query.nodes import Filter, Node

FACETS = ("year", "kind", "symbol")
SORTS = ("relevance", "date")
# How a total relates to the number of matches: "eq" exact; "about" an estimate (more matches than were
# counted exactly); "gte" at least this many (the time budget ran out before every match was seen).
RELATIONS = ("eq", "about", "gte")


@dataclass
class IndexedParagraph:
    """What an engine stores for one paragraph."""

    id: str
    key: int  # the catalog's number of the paragraph (Catalog.give_keys): unique in the index, from 1
    doc: str
    source: str  # corpus unit key: a changed or removed file deletes its paragraphs by source
    lang: str
    kind: str
    symbol: str  # upper case, as UN symbols are written; "" when unknown
    year: int  # 0 when unknown
    date: int  # yyyymmdd (year * 10000 when only the year is known), for sorting by date
    number: str
    field: str  # the text field of its language (indexer.analysis.field_name)
    tokens: list[tuple[str, int]] = field(default_factory=list)  # (term, position), several per position allowed


@dataclass(frozen=True)
class SearchRequest:
    """A planned query and how to answer it."""

    query: Node
    filters: tuple[Filter, ...] = ()
    limit: int = 10  # best hits wanted, from the first (the caller slices its page off)
    sort: str = "relevance"  # or "date": newest first, then by score
    facets: tuple[str, ...] = FACETS  # empty: no facet counts
    facet_limit: int = 20
    exact_total: int | None = None  # matches counted exactly (facets with them), past it estimated; None: all
    max_ms: float | None = None  # time budget of the match, past it the answer is what was found; None: none


@dataclass
class SearchResult:
    """The answer: the total and how it relates to the matches (RELATIONS), best hits as (paragraph id,
    score or None), facet counts and whether they are exact. Equal scores (or dates) come in an order the
    build fixed: document numbers (Xapian's are the catalog's keys). The best hits are the true best of all
    matches unless the time budget ran out (`total_relation` "gte"): then they are the best of those found."""

    total: int
    hits: list[tuple[str, float | None]]
    facets: dict[str, dict[str, int]] | None = None
    total_relation: str = "eq"
    facets_exact: bool = True


class Budget:
    """The time a search may spend matching, counted from its start; `cut` records that some work was left
    undone for want of it."""

    def __init__(self, max_ms: float | None):
        self._end = None if max_ms is None else time.perf_counter() + max_ms / 1000
        self.cut = False

    def left(self) -> float:
        """Seconds left, at least a millisecond; 0 without a budget (as Xapian reads a time limit)."""
        return 0.0 if self._end is None else max(0.001, self._end - time.perf_counter())

    def spent(self) -> bool:
        """Whether the time is up."""
        return self._end is not None and time.perf_counter() >= self._end


class EngineWriter(Protocol):
    """Adds and deletes paragraphs; nothing is visible until commit."""

    def add(self, paragraph: IndexedParagraph) -> None:
        """Add one paragraph."""

    def delete_source(self, source: str) -> None:
        """Delete every paragraph read from a corpus unit."""

    def commit(self) -> None:
        """Make the changes durable and visible to readers opened afterwards."""

    def cancel(self) -> None:
        """Drop the changes (and stop any helper processes)."""


class EngineSearcher(Protocol):
    """Answers searches over one opened state of an index; safe to share between threads."""

    def search(self, request: SearchRequest) -> SearchResult:
        """Match, score, count and facet a planned query."""

    def doc_frequency(self, field: str, term: str) -> int:
        """How many paragraphs hold a term (0 when none)."""

    def terms_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Up to `limit` + 1 indexed terms of a field starting with `prefix`, in order (one more than the
        limit tells the caller the prefix has too many)."""

    def close(self) -> None:
        """Release files and connections."""


class Engine(Protocol):
    """One index of one engine kind, in a generation folder."""

    name: str

    def writer(self, build_settings, expected: int = 0, checkpoint: int = 0) -> EngineWriter:
        """A writer; `build_settings` is the Config (memory, processes), `expected` the paragraphs to come;
        `checkpoint` > 0 lets the engine make progress durable (not visible) every that many paragraphs."""

    def searcher(self) -> EngineSearcher:
        """A searcher over the committed state."""

    def count(self) -> int:
        """Paragraphs the committed index holds (a build checks it against the catalog before publishing)."""

    def close(self) -> None:
        """Release the index."""


class EngineKind(Protocol):
    """Creates and opens indexes of one engine."""

    name: str

    def exists(self, path: Path) -> bool:
        """Whether `path` holds an index of this engine."""

    def create(self, path: Path, languages: tuple[str, ...], shards: int = 1) -> Engine:
        """A new empty index in `path`."""

    def open(self, path: Path, paragraph_ids=None) -> Engine:
        """The index in `path`; `paragraph_ids` (keys -> ids, Catalog.paragraph_ids) serves engines that
        return hits by the paragraphs' keys rather than read each hit's id from the index."""
