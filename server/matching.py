"""Whoosh-side matching for the queries the term engine does not take: a top-hits collector that
keeps the matches it visits, and exact match sets."""

from __future__ import annotations

import numpy as np
from whoosh import collectors
from whoosh import query as wq


class CountingTopCollector(collectors.TopCollector):
    """Top hits that also keep every match they visit. Where Whoosh skips blocks by their best
    possible score (single terms) the record is incomplete and `complete` is False; where it must
    visit every match anyway (phrases, several terms), the total and facets come for free."""

    def prepare(self, top_searcher, q, context):
        """Start a search."""
        super().prepare(top_searcher, q, context)
        self.seen: list[int] = []
        self.complete = True

    def set_subsearcher(self, subsearcher, offset):
        """Move to the next segment; note whether it will skip blocks."""
        super().set_subsearcher(subsearcher, offset)
        if self._use_block_quality():
            self.complete = False

    def _collect(self, global_docnum, score):
        self.seen.append(global_docnum)
        return super()._collect(global_docnum, score)


def negates(q: wq.Query) -> bool:
    """Whether a query has a NOT anywhere."""
    if isinstance(q, (wq.Not, wq.AndNot)):
        return True
    return not q.is_leaf() and any(negates(c) for c in q.children())


def contains(sorted_docs: np.ndarray, docnum: int) -> bool:
    """Whether a sorted array holds a document number."""
    i = int(np.searchsorted(sorted_docs, docnum))
    return i < sorted_docs.size and int(sorted_docs[i]) == docnum


def all_docs(searcher, q: wq.Query) -> np.ndarray:
    """Every document matching q, ascending. Boolean structure is resolved here with numpy because
    Whoosh's unscored matching of AND NOT can return excluded documents; leaves go to Whoosh."""
    if isinstance(q, wq.AndNot):
        return np.setdiff1d(all_docs(searcher, q.a), all_docs(searcher, q.b), assume_unique=True)
    if isinstance(q, wq.And) and type(q) is wq.And:
        positive = [c for c in q.children() if not isinstance(c, wq.Not)]
        docs = all_docs(searcher, positive[0]) if positive else np.zeros(0, dtype=np.int64)
        for child in positive[1:]:
            docs = np.intersect1d(docs, all_docs(searcher, child), assume_unique=True)
        for child in q.children():
            if isinstance(child, wq.Not):
                docs = np.setdiff1d(docs, all_docs(searcher, child.query), assume_unique=True)
        return docs
    if isinstance(q, wq.Or) and type(q) is wq.Or and not q.minmatch:
        parts = [all_docs(searcher, c) for c in q.children() if not isinstance(c, wq.Not)]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
    return np.unique(np.fromiter(searcher.docs_for_query(q), dtype=np.int64))
