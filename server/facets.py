"""Facet counts and filters from per-generation arrays of column values.

Counting facets inside Whoosh's collector visits every match with Python calls per document and
field; instead, the matching document numbers are gathered once, unscored, and counted with numpy
against arrays of each document's facet values, read once per index generation.
"""

from __future__ import annotations

import threading

import numpy as np

FACET_FIELDS = ("lang", "year", "kind", "symbol")


class FacetTables:
    """For each facet field, the value code of every document number, and the labels of the codes."""

    def __init__(self, reader, fields=FACET_FIELDS):
        self.size = reader.doc_count_all()
        self.codes: dict[str, np.ndarray] = {}
        self.labels: dict[str, list] = {}
        for name in fields:
            index: dict = {}
            column = reader.column_reader(name)
            codes = np.fromiter((index.setdefault(v, len(index)) for v in column), dtype=np.int32, count=self.size)
            self.codes[name] = codes
            self.labels[name] = list(index)
        self._masks: dict = {}
        self._lock = threading.Lock()

    def mask(self, name: str, values) -> np.ndarray:
        """Boolean array: documents whose `name` value is among `values`."""
        wanted = [i for i, label in enumerate(self.labels[name]) if label in values]
        return np.isin(self.codes[name], np.asarray(wanted, dtype=np.int32))

    def year_mask(self, low: int, high: int) -> np.ndarray:
        """Boolean array: documents whose year lies in [low, high]."""
        years = np.asarray([y if isinstance(y, int) else 0 for y in self.labels["year"]], dtype=np.int64)
        return (years[self.codes["year"]] >= low) & (years[self.codes["year"]] <= high)

    def filter_mask(self, key, build) -> np.ndarray:
        """A cached filter's boolean mask over document numbers; `build` makes it on first use."""
        with self._lock:
            found = self._masks.get(key)
        if found is None:
            found = [build(), None]
            with self._lock:
                if len(self._masks) > 256:
                    self._masks.clear()
                self._masks[key] = found
        return found[0]

    def filter_docs(self, key, build) -> set:
        """The same filter as the set of allowed document numbers, the form Whoosh's collectors take;
        made only for queries Whoosh evaluates."""
        mask = self.filter_mask(key, build)
        with self._lock:
            found = self._masks.get(key)
        if found is None:  # evicted meanwhile
            return set(np.flatnonzero(mask).tolist())
        if found[1] is None:
            found[1] = set(np.flatnonzero(mask).tolist())
        return found[1]

    def counts(self, docs: np.ndarray, name: str, limit: int) -> dict[str, int]:
        """The `limit` most frequent values of a field among `docs`, with their counts."""
        counts = np.bincount(self.codes[name][docs], minlength=len(self.labels[name]))
        order = np.argsort(-counts, kind="stable")
        out = {}
        for code in order:
            n = int(counts[code])
            if n == 0 or len(out) >= limit:
                break
            label = self.labels[name][code]
            if label in (None, "", 0):
                continue
            out[str(label)] = n
        return out
