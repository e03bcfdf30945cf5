"""Planned queries evaluated with numpy over Whoosh's postings, scored with Whoosh's own BM25F.

Whoosh scores and collects match by match in Python; here each term's postings are read block by
block into arrays and every match is scored at once, so the top hits, the exact total and the facet
input come from one pass. Scores equal Whoosh's (tests/test_whoosh_internals.py compares them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import scoring

from ...analysis import EXACT
from ...query.nodes import And, Filter, Node, Nothing, Or, Phrase, Term
from ..base import Budget
from . import internals
from .columns import Columns
from .schema import pair_field, pair_terms

CACHE_POSTINGS = 8_000_000  # cached postings across terms (~16 bytes each)
PHRASE_CHUNK = 4096  # phrase candidates checked between two looks at the clock
# A phrase's word is read whole (and cached) when its matches are over 1/WHOLE_READ of the word's documents,
# i.e. more than about one in four of its postings blocks (128 postings each) holds one; else block by block.
WHOLE_READ = 512


class Evaluator:
    """Per index generation: field lengths and a bounded cache of scored postings."""

    def __init__(self, searcher, columns: Columns):
        self.doc_count = searcher.doc_count_all()
        self.columns = columns
        self._weighting = scoring.BM25F()
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._cache: OrderedDict = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    def run(self, node: Node, searcher, clock: Budget | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Matching document numbers (ascending) and their scores. With a `clock`, phrases stop checking
        their candidates when its time is up (and set `clock.cut`): the matches are then those found."""
        if isinstance(node, Term):
            docs, scores = self._term(searcher, node.field, node.text)
            return docs, scores * node.boost if node.boost != 1 else scores
        if isinstance(node, Phrase):
            docs, scores = self._phrase(searcher, node.field, node.terms, clock)
            return docs, scores * node.boost if node.boost != 1 else scores
        if isinstance(node, Filter):
            docs = np.flatnonzero(self.columns.filter_mask((node,)))
            return docs, np.zeros(docs.size)
        if isinstance(node, And):
            return self._and(node, searcher, clock)
        if isinstance(node, Or):
            parts = [self.run(c, searcher, clock) for c in node.children]
            if not parts:
                return internals.empty()
            all_docs = np.concatenate([d for d, _ in parts])
            all_scores = np.concatenate([s for _, s in parts])
            docs, inverse = np.unique(all_docs, return_inverse=True)
            scores = np.bincount(inverse, weights=all_scores, minlength=docs.size)
            return docs, scores * node.boost if node.boost != 1 else scores
        if isinstance(node, Nothing):
            return internals.empty()
        raise TypeError(f"cannot evaluate {node!r}")

    def _and(self, node: And, searcher, clock):
        if node.children:
            docs, scores = self.run(node.children[0], searcher, clock)
            for child in node.children[1:]:
                other, other_scores = self.run(child, searcher, clock)
                docs, ia, ib = np.intersect1d(docs, other, assume_unique=True, return_indices=True)
                scores = scores[ia] + other_scores[ib]
        else:
            return internals.empty()
        for child in node.excluded:
            # an exclusion cut short would let through what it should remove: it always runs to the end
            keep = ~np.isin(docs, self.run(child, searcher)[0], assume_unique=True)
            docs, scores = docs[keep], scores[keep]
        return docs, scores

    def _phrase(self, searcher, fieldname: str, words, clock) -> tuple[np.ndarray, np.ndarray]:
        """Documents holding the words at consecutive positions. As in Whoosh, a phrase scores the sum
        of its words' scores; candidates come from the words' postings, positions are read for them only,
        a chunk of candidates at a time (in document order) while the clock allows."""
        if len(words) > 1 and all(w.startswith(EXACT) for w in words) and pair_field(fieldname) in searcher.schema:
            return self._phrase_of_pairs(searcher, fieldname, words, clock)
        return self._phrase_of_positions(searcher, fieldname, words, clock)

    def _phrase_of_positions(self, searcher, fieldname: str, words, clock) -> tuple[np.ndarray, np.ndarray]:
        """A phrase read from its words' postings and positions."""
        docs, scores = self._term(searcher, fieldname, words[0])
        frequency = {words[0]: docs.size}
        for word in words[1:]:
            other, other_scores = self._term(searcher, fieldname, word)
            frequency[word] = other.size
            docs, ia, ib = np.intersect1d(docs, other, assume_unique=True, return_indices=True)
            scores = scores[ia] + other_scores[ib]
        if not docs.size or len(words) == 1:
            return docs, scores
        # Rarest word first, each word once: a stop word's positions (most of the cost: one block decoded
        # per candidate) are then read only for the candidates the rarer words left.
        keep = self._in_sequence(searcher, fieldname, words, frequency, docs, clock)
        return docs[keep], scores[keep]

    def _phrase_of_pairs(self, searcher, fieldname: str, words, clock) -> tuple[np.ndarray, np.ndarray]:
        """A phrase of exact forms read from the word pairs (schema.word_pairs): the documents holding every
        pair, and for three words or more, pairs at consecutive positions; scored as _phrase scores it."""
        field, pairs = pair_field(fieldname), pair_terms(words)
        frequency = {}
        docs = None
        for pair in pairs:
            found = self._docs(searcher, field, pair)
            frequency[pair] = found.size
            docs = found if docs is None else np.intersect1d(docs, found, assume_unique=True)
        if len(pairs) > 1 and docs.size:
            docs = docs[self._in_sequence(searcher, field, pairs, frequency, docs, clock)]
        scores = np.zeros(docs.size)
        for word in words:  # in the phrase's order, as _phrase_of_positions adds them up
            scores = scores + self._scores_of(searcher, fieldname, word, docs)
        return docs, scores

    def _scores_of(self, searcher, fieldname: str, word: str, docs: np.ndarray) -> np.ndarray:
        """A word's scores in `docs` (all holding it): from its cached postings, else from the postings blocks
        holding those documents only (a phrase's few matches need not read a frequent word whole)."""
        hit = self._lookup((fieldname, word))
        # with a match for every few blocks of the word (matches spread out), most blocks would be decoded anyway:
        # read it whole, and keep it for the next search
        if hit is None and docs.size * WHOLE_READ > searcher.doc_frequency(fieldname, word):
            hit = self._term(searcher, fieldname, word)
        if hit is not None:
            held, scores = hit
            return scores[np.searchsorted(held, docs)]
        return self._bm25(searcher, fieldname, word, docs, internals.frequencies(searcher, fieldname, word, docs))

    def _docs(self, searcher, fieldname: str, text: str) -> np.ndarray:
        """The documents holding a term, unscored (word pairs), through the postings cache."""
        key = (fieldname, text)
        hit = self._lookup(key)
        if hit is not None:
            return hit[0]
        docs = internals.postings(searcher, fieldname, text)[0]
        self._keep(key, (docs, None))
        return docs

    def _in_sequence(self, searcher, fieldname: str, terms, frequency, docs, clock) -> np.ndarray:
        """Indexes of the candidates `docs` holding `terms` at consecutive positions, read rarest term first, a
        chunk of candidates at a time while the clock allows (`clock.cut` set when it stopped short)."""
        order = sorted(frequency, key=lambda w: (frequency[w], w))
        kept = []
        for start in range(0, docs.size, PHRASE_CHUNK):
            if clock is not None and start and clock.spent():
                clock.cut = True
                break
            kept.append(self._phrase_chunk(searcher, fieldname, terms, order, docs, start))
        return np.concatenate(kept)

    def _phrase_chunk(self, searcher, fieldname: str, words, order, docs, start: int) -> np.ndarray:
        """Indexes of the candidates docs[start:start + PHRASE_CHUNK] holding the phrase."""
        keep = np.arange(start, min(docs.size, start + PHRASE_CHUNK))
        starts: list[set[int]] | None = None
        for word in order:
            offsets = [k for k, w in enumerate(words) if w == word]
            found = internals.positions(searcher, fieldname, word, docs[keep])
            if starts is None:
                starts = [{p - k for p in at for k in offsets} for at in found]
            else:
                starts = [
                    {s for s in ss if all(s + k in at for k in offsets)} for ss, at in zip(starts, map(set, found))
                ]
            alive = [i for i, ss in enumerate(starts) if ss]
            keep, starts = keep[alive], [starts[i] for i in alive]
            if not keep.size:
                break
        return keep

    def _term(self, searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (fieldname, text)
        hit = self._lookup(key)
        if hit is not None:
            return hit
        docs, tfs = internals.postings(searcher, fieldname, text)
        result = (docs, self._bm25(searcher, fieldname, text, docs, tfs))
        self._keep(key, result)
        return result

    def _bm25(self, searcher, fieldname: str, text: str, docs: np.ndarray, tfs: np.ndarray) -> np.ndarray:
        """Whoosh's BM25F scores of a term in `docs`, given its frequencies there."""
        if not docs.size:
            return np.zeros(0)
        lengths = self._field_lengths(searcher, fieldname)[docs]
        avg = self._avg[fieldname]
        w = self._weighting
        b, k1 = w.B, w.K1
        idf = w.idf(searcher, fieldname, text)
        return idf * ((tfs * (k1 + 1)) / (tfs + k1 * ((1 - b) + b * lengths / avg)))

    def _lookup(self, key):
        """The cached postings of (field, term), marked as just used, or None."""
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
            return hit

    def _keep(self, key, result) -> None:
        """Cache postings, the least recently used leaving past CACHE_POSTINGS."""
        with self._lock:
            self._cache[key] = result
            self._cached += result[0].size
            while self._cached > CACHE_POSTINGS and len(self._cache) > 1:
                _, (old, _) = self._cache.popitem(last=False)
                self._cached -= old.size

    def _field_lengths(self, searcher, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            out = internals.field_lengths(searcher, fieldname, self.doc_count)
            with self._lock:
                self._avg[fieldname] = searcher.avg_field_length(fieldname) or 1
                self._lengths[fieldname] = out
        return self._lengths[fieldname]
