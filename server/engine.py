"""Boolean term queries evaluated with numpy over Whoosh's postings, with Whoosh's own BM25F scores.

Whoosh scores and collects match by match in Python; for queries made only of terms of one text
field joined by AND, OR and NOT (most queries: words, and Chinese two-character queries), this reads
each term's postings block by block into arrays, scores every match at once, and gives the top hits,
the exact total and the facet input in one pass. Phrases, prefixes and other fields go to Whoosh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from math import log

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F defaults, the weighting the index is searched with
_BYTE_LENGTH = np.asarray([byte_to_length(i) for i in range(256)], dtype=np.float64)
CACHE_POSTINGS = 8_000_000  # cached postings across terms (~16 bytes each)


class TermEngine:
    """Per index generation: field lengths and a bounded cache of decoded postings."""

    def __init__(self, searcher):
        self.doc_count = searcher.doc_count_all()
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._cache: OrderedDict = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    @staticmethod
    def supports(q: wq.Query, fieldname: str) -> bool:
        """Whether the query is made only of plain terms of `fieldname` under And, Or and Not."""
        if isinstance(q, wq.Term):
            return q.fieldname == fieldname and q.boost == 1 and type(q) is wq.Term
        if type(q) is wq.Phrase:
            return q.fieldname == fieldname and q.boost == 1 and q.slop == 1 and len(q.words) > 1
        if isinstance(q, (wq.And, wq.Or, wq.AndNot, wq.Not)) and type(q) in (wq.And, wq.Or, wq.AndNot, wq.Not):
            if isinstance(q, wq.Or) and (q.scale or q.minmatch):
                return False
            return q.boost == 1 and all(TermEngine.supports(c, fieldname) for c in q.children())
        return False

    def run(self, q: wq.Query, searcher) -> tuple[np.ndarray, np.ndarray]:
        """Matching document numbers (ascending) and their scores, for a query `supports` accepts."""
        return self._eval(q, searcher)

    def _eval(self, q, searcher):
        if isinstance(q, wq.Term):
            return self._term(searcher, q.fieldname, q.text)
        if isinstance(q, wq.Phrase):
            return self._phrase(searcher, q.fieldname, q.words)
        if isinstance(q, wq.AndNot):
            docs, scores = self._eval(q.a, searcher)
            keep = ~np.isin(docs, self._eval(q.b, searcher)[0], assume_unique=True)
            return docs[keep], scores[keep]
        if isinstance(q, wq.And):
            positive = [c for c in q.children() if not isinstance(c, wq.Not)]
            if not positive:
                return _empty()
            docs, scores = self._eval(positive[0], searcher)
            for child in positive[1:]:
                other, other_scores = self._eval(child, searcher)
                docs, ia, ib = np.intersect1d(docs, other, assume_unique=True, return_indices=True)
                scores = scores[ia] + other_scores[ib]
            for child in q.children():
                if isinstance(child, wq.Not):
                    keep = ~np.isin(docs, self._eval(child.query, searcher)[0], assume_unique=True)
                    # Whoosh's inverse matcher adds its weight, 1, to every document it lets through
                    docs, scores = docs[keep], scores[keep] + 1.0
            return docs, scores
        if isinstance(q, wq.Or):
            parts = [self._eval(c, searcher) for c in q.children() if not isinstance(c, wq.Not)]
            if not parts:
                return _empty()
            all_docs = np.concatenate([d for d, _ in parts])
            all_scores = np.concatenate([s for _, s in parts])
            docs, inverse = np.unique(all_docs, return_inverse=True)
            return docs, np.bincount(inverse, weights=all_scores, minlength=docs.size)
        return _empty()  # a bare Not matches nothing to score, as in Whoosh

    def _phrase(self, searcher, fieldname: str, words) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding the words at consecutive positions. As in Whoosh, a phrase scores the sum
        of its words' scores; candidates come from the words' postings, positions are read for them only."""
        docs, scores = self._term(searcher, fieldname, words[0])
        for word in words[1:]:
            other, other_scores = self._term(searcher, fieldname, word)
            docs, ia, ib = np.intersect1d(docs, other, assume_unique=True, return_indices=True)
            scores = scores[ia] + other_scores[ib]
        if not docs.size:
            return docs, scores
        positions = [_positions(searcher, fieldname, word, docs) for word in words]
        keep = np.fromiter((_consecutive([p[i] for p in positions]) for i in range(docs.size)), dtype=bool,
                           count=docs.size)
        return docs[keep], scores[keep]

    def _term(self, searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (fieldname, text)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        docs, tfs = _postings(searcher, fieldname, text)
        if docs.size:
            lengths = self._field_lengths(searcher, fieldname)[docs]
            avg = self._avg[fieldname]
            idf = log(self.doc_count / (searcher.doc_frequency(fieldname, text) + 1)) + 1
            scores = idf * ((tfs * (K1 + 1)) / (tfs + K1 * ((1 - B) + B * lengths / avg)))
        else:
            scores = np.zeros(0)
        result = (docs, scores)
        with self._lock:
            self._cache[key] = result
            self._cached += docs.size
            while self._cached > CACHE_POSTINGS and len(self._cache) > 1:
                _, (old, _) = self._cache.popitem(last=False)
                self._cached -= old.size
        return result

    def _field_lengths(self, searcher, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            out = np.zeros(self.doc_count, dtype=np.float64)
            for leaf, offset in _leaves(searcher):
                perdoc = leaf._perdoc
                column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if column is not None:
                    n = leaf.doc_count_all()
                    out[offset:offset + n] = _BYTE_LENGTH[np.fromiter(column, dtype=np.int64, count=n)]
            with self._lock:
                self._avg[fieldname] = searcher.avg_field_length(fieldname) or 1
                self._lengths[fieldname] = out
        return self._lengths[fieldname]


def _empty():
    return np.zeros(0, dtype=np.int64), np.zeros(0)


def _leaves(searcher):
    reader = searcher.reader()
    return reader.leaf_readers()


def _postings(searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """All (document number, term frequency) of a term, deleted documents left out."""
    all_docs, all_tfs = [], []
    for leaf, offset in _leaves(searcher):
        if (fieldname, text) not in leaf:
            continue
        m = leaf.postings(fieldname, text)
        deleted = None
        if isinstance(m, FilterMatcher):  # the segment has deletions
            deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
            m = m.child
        docs, tfs = _read_all(m)
        if deleted is not None and deleted.size:
            keep = ~np.isin(docs, deleted)
            docs, tfs = docs[keep], tfs[keep]
        all_docs.append(docs + offset)
        all_tfs.append(tfs)
    if not all_docs:
        return _empty()
    return np.concatenate(all_docs), np.concatenate(all_tfs)


def _consecutive(positions: list[list[int]]) -> bool:
    """Whether some start p has word k at position p + k for every word k."""
    later = [set(p) for p in positions[1:]]
    return any(all(start + k in later[k - 1] for k in range(1, len(positions))) for start in positions[0])


def _positions(searcher, fieldname: str, word: str, docs: np.ndarray) -> list[list[int]]:
    """The positions of a word in each of `docs` (global numbers, all known to contain it)."""
    fmt = searcher.schema[fieldname].format
    out: list[list[int]] = [[] for _ in range(docs.size)]
    for leaf, offset in _leaves(searcher):
        lo, hi = np.searchsorted(docs, [offset, offset + leaf.doc_count_all()])
        if lo == hi or (fieldname, word) not in leaf:
            continue
        wanted = docs[lo:hi] - offset
        m = leaf.postings(fieldname, word)
        if isinstance(m, FilterMatcher):
            m = m.child
        if not isinstance(m, W3LeafMatcher):
            while m.is_active():
                i = int(np.searchsorted(wanted, m.id()))
                if i < wanted.size and wanted[i] == m.id():
                    out[lo + i] = m.value_as("positions")
                m.next()
            continue
        while not m._atend:
            m._read_ids()
            ids = np.asarray(m._ids, dtype=np.int64)
            first, last = np.searchsorted(wanted, [ids[0], ids[-1] + 1])
            if first < last:
                m._read_values()
                at = np.searchsorted(ids, wanted[first:last])
                for k, j in enumerate(at):
                    out[lo + first + k] = fmt.decode_positions(m._values[j])
            m._next_block()
    return out


def _read_all(m) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(m, W3LeafMatcher):  # whole blocks at a time
        ids, weights = [], []
        while not m._atend:
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float64))
            m._next_block()
        if not ids:
            return _empty()
        return np.concatenate(ids), np.concatenate(weights)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
