"""The index generation being served: opened once, its catalog connections pooled, closed once a newer one
has replaced it and its last request has finished; and what one request reads from it."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

from indexer.catalog import Catalog
from indexer.config import Config
from indexer.store import CATALOG, open_index


class LiveGeneration:
    """One opened generation: its engine searcher and a pool of catalog connections. Closed once it has
    been replaced and the last request using it has finished."""

    def __init__(self, config: Config):
        self.index = open_index(config.index_dir, config.remote_shards)
        self.searcher = self.index.engine.searcher(config.searchers)
        self._catalogs: queue.LifoQueue = queue.LifoQueue()
        self._lock = threading.Lock()
        self._users = 0
        self._retired = False

    @property
    def generation(self):
        """The generation folder."""
        return self.index.generation

    def enter(self):
        """A request starts using this generation."""
        with self._lock:
            self._users += 1

    def leave(self):
        """A request is done with it; the last one out of a retired generation closes it."""
        with self._lock:
            self._users -= 1
            close = self._retired and self._users == 0
        if close:
            self.close()

    def retire(self):
        """A newer generation took over: close now if idle, else when the last request leaves."""
        with self._lock:
            self._retired = True
            close = self._users == 0
        if close:
            self.close()

    def catalog(self) -> Catalog:
        """A catalog connection for one request."""
        try:
            return self._catalogs.get_nowait()
        except queue.Empty:
            return Catalog(self.generation / CATALOG, readonly=True)

    def give_back(self, catalog: Catalog):
        """Return a catalog connection to the pool."""
        self._catalogs.put(catalog)

    def close(self):
        """Close the searcher, the catalogs and the index."""
        self.searcher.close()
        while True:
            try:
                self._catalogs.get_nowait().close()
            except queue.Empty:
                break
        self.index.close()


@dataclass
class Reader:
    """What one request reads from: the engine searcher and a catalog connection of one generation."""

    searcher: object
    catalog: Catalog
    generation: str = ""

    def doc_frequency(self, field: str, term: str) -> int:
        """Paragraphs holding a term (planning vocabulary)."""
        return self.searcher.doc_frequency(field, term)

    def terms_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Indexed terms starting with a prefix (planning vocabulary)."""
        return self.searcher.terms_with_prefix(field, prefix, limit)

    def unavailable(self) -> dict[str, str]:
        """Parts of the index known to be unreadable now (down shards), with why."""
        known = getattr(self.searcher, "unavailable", None)
        return known() if known is not None else {}

    def words_with_prefix(self, lang: str, prefix: str, limit: int) -> list[str]:
        """Written words starting with a prefix (planning vocabulary)."""
        return self.catalog.words_with_prefix(lang, prefix, limit + 1)
