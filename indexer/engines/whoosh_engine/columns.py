"""Per-generation arrays of column values: filters, facet counts and date order with numpy.

Counting facets inside Whoosh's collector visits every match with Python calls per document and
field; instead the matching document numbers are counted with numpy against arrays of each
document's values, read once per index generation.
"""

from __future__ import annotations

import threading

import numpy as np

from ...query.nodes import Filter
from . import internals

COLUMNS = ("lang", "year", "kind", "symbol", "number")
MAX_CACHED_MASKS = 256


class Columns:
    """For each filter or facet field, the value code of every document number and the codes' labels;
    the live (not deleted) documents; dates for sorting."""

    def __init__(self, reader):
        self.size = reader.doc_count_all()
        self.codes: dict[str, np.ndarray] = {}
        self.labels: dict[str, list] = {}
        empty = self.size == 0  # an index of no paragraph: Whoosh's reader of no segment has no columns
        for name in COLUMNS:
            index: dict = {}
            column = () if empty else reader.column_reader(name)
            self.codes[name] = np.fromiter(
                (index.setdefault(v, len(index)) for v in column), dtype=np.int32, count=self.size
            )
            self.labels[name] = list(index)
        self.dates = np.fromiter(() if empty else reader.column_reader("date"), dtype=np.int64, count=self.size)
        self.live = np.ones(self.size, dtype=bool)
        if not empty:
            self.live[internals.deleted_docs(reader)] = False
        self._masks: dict = {}
        self._lock = threading.Lock()

    def filter_mask(self, filters: tuple[Filter, ...]) -> np.ndarray:
        """Boolean array over document numbers: live documents passing every filter (cached)."""
        with self._lock:
            found = self._masks.get(filters)
        if found is None:
            found = self.live.copy()
            for f in filters:
                found &= self._year_mask(*f.values) if f.field == "year" else self._mask(f.field, f.values)
            with self._lock:
                if len(self._masks) >= MAX_CACHED_MASKS:
                    self._masks.clear()
                self._masks[filters] = found
        return found

    def _mask(self, name: str, values) -> np.ndarray:
        wanted = [i for i, label in enumerate(self.labels[name]) if label in values]
        return np.isin(self.codes[name], np.asarray(wanted, dtype=np.int32))

    def _year_mask(self, low: int, high: int) -> np.ndarray:
        years = np.asarray([y if isinstance(y, int) else 0 for y in self.labels["year"]], dtype=np.int64)
        return (years[self.codes["year"]] >= low) & (years[self.codes["year"]] <= high)

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
