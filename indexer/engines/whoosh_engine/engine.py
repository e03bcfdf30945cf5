"""Whoosh behind the engine interface: an embedded index in the generation folder."""

from __future__ import annotations

import logging
import queue
import signal
import threading
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from ...errors import BuildError, IndexDamaged, TandemError
from ..base import Budget, IndexedParagraph, SearchRequest, SearchResult
from . import internals
from .columns import Columns
from .evaluator import Evaluator
from .schema import build_schema, encode_tokens, pair_field, word_pairs

MP_WRITER_MIN_DOCS = 5_000  # below this, starting writer processes costs more than it saves
log = logging.getLogger("tandem")
CHECK_EVERY = 100  # paragraphs added between two looks at the writer processes (Whoosh hands them 100 at a time)


class WhooshKind:
    """Creates and opens Whoosh indexes."""

    name = "whoosh"

    def exists(self, path: Path) -> bool:
        """Whether `path` holds a Whoosh index."""
        return whoosh_index.exists_in(path)

    def create(self, path: Path, languages: tuple[str, ...], shards: int = 1) -> "WhooshEngine":
        """A new empty index (Whoosh indexes are not sharded: `shards` must be 1)."""
        if shards != 1:
            from ...errors import ConfigError

            raise ConfigError('the whoosh engine keeps one index; shards need engine = "xapian"')
        internals.check()
        return WhooshEngine(whoosh_index.create_in(path, build_schema(languages)))

    def open(self, path: Path, paragraph_ids=None) -> "WhooshEngine":
        """The index in `path` (paragraph ids are stored in it: `paragraph_ids` is not needed)."""
        internals.check()
        return WhooshEngine(whoosh_index.open_dir(path))


class WhooshEngine:
    """One opened Whoosh index."""

    name = "whoosh"

    def __init__(self, ix):
        self.ix = ix

    def writer(self, settings, expected: int = 0, checkpoint: int = 0) -> "WhooshWriter":
        """A writer: several processes when `expected` paragraphs make them pay. Whoosh spills to disk as it
        goes (`limitmb`), so `checkpoint` is not needed."""
        return WhooshWriter(self.ix, settings, expected)

    def searcher(self, readers: int = 2) -> "WhooshSearcher":
        """A searcher sharing at most `readers` Whoosh searchers between threads."""
        return WhooshSearcher(self.ix, readers)

    def count(self) -> int:
        """Paragraphs the committed index holds."""
        return self.ix.doc_count()

    def close(self):
        """Release the index."""
        self.ix.close()


class WhooshWriter:
    """Adds and deletes paragraphs in one Whoosh transaction."""

    def __init__(self, ix, settings, expected: int):
        internals.install_fast_flush()
        self._ix, self._settings, self._expected = ix, settings, expected
        self._writer = None
        self._added = 0

    def _open(self):
        if self._writer is None:
            s = self._settings
            # Segments stay separate files: Whoosh opens a file inside a compound segment by copying it into
            # memory, once per searcher (3.2 GB for one searcher at 1M paragraphs), where a plain file is read
            # in place.
            kwargs = {"limitmb": s.writer_memory_mb, "compound": False}
            if self._expected >= MP_WRITER_MIN_DOCS and s.writer_procs > 1:
                self._writer = self._ix.writer(procs=s.writer_procs, multisegment=True, **kwargs)
            else:
                self._writer = self._ix.writer(**kwargs)
        return self._writer

    def add(self, p: IndexedParagraph):
        """Add one paragraph."""
        self._added += 1
        pairs = pair_field(p.field)
        # an index made before pair fields existed has none: its phrases read positions
        extra = {pairs: encode_tokens(word_pairs(p.tokens))} if pairs in self._ix.schema else {}
        if self._added % CHECK_EVERY == 0:
            self._check_processes()  # before Whoosh blocks handing work to processes that are gone
        self._open().add_document(
            id=p.id,
            doc=p.doc,
            source=p.source,
            lang=p.lang,
            kind=p.kind,
            symbol=p.symbol,
            year=p.year,
            date=p.date,
            number=p.number,
            **{p.field: encode_tokens(p.tokens)},
            **extra,
        )

    def delete_source(self, source: str):
        """Delete the paragraphs of a corpus unit."""
        self._open().delete_by_term("source", source)

    def commit(self):
        """Write the segments; BuildError if a writer process died (Whoosh would commit without its part)."""
        if self._writer is not None:
            self._check_processes()
            writer, self._writer = self._writer, None
            writer.commit()
            self._check_processes(writer)

    def _check_processes(self, writer=None):
        writer = writer or self._writer
        for process in internals.writer_processes(writer) if writer is not None else ():
            code = process.exitcode
            if code not in (None, 0):
                how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
                if self._writer is not None:
                    self.cancel()
                raise BuildError(f"Whoosh writer process {process.pid} {how}; its paragraphs were not written")

    def cancel(self):
        """Drop the changes; stops writer subprocesses too (Whoosh only flags them, in this process: a process
        waiting for work would wait for ever)."""
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.cancel()
            finally:
                for process in internals.writer_processes(writer):
                    if process.is_alive():
                        process.kill()
                    process.join()


class WhooshSearcher:
    """Searches with a bounded pool of Whoosh searchers (each holds file handles and caches, so their
    number, not the number of concurrent requests, sets memory) and per-index numpy arrays."""

    def __init__(self, ix, readers: int):
        self._ix = ix
        self._slots = threading.BoundedSemaphore(readers)
        self._pool: queue.LifoQueue = queue.LifoQueue()
        with self._reading():
            first = ix.searcher()
            self._pool.put(first)
            self.columns = Columns(first.reader())
            self.evaluator = Evaluator(first, self.columns)

    @contextmanager
    def _searcher(self):
        with self._slots:
            try:
                s = self._pool.get_nowait()
            except queue.Empty:
                s = self._ix.searcher()
            try:
                yield s
            finally:
                self._pool.put(s)

    @contextmanager
    def _reading(self):
        """Errors reading the index files (damaged, truncated) as IndexDamaged naming the generation."""
        try:
            yield
        except TandemError:
            raise
        except Exception as exc:  # Whoosh checks little and raises bare Exception ("Block tag error") too
            folder = Path(getattr(self._ix.storage, "folder", "") or ".")
            log.exception("reading the Whoosh index in %s failed", folder)
            raise IndexDamaged(
                f"index generation {folder.name} cannot be read ({type(exc).__name__}: {exc}); check it with "
                "`tandem verify`, rebuild it with `tandem index --full`",
                generation=folder.name,
            ) from exc

    def search(self, request: SearchRequest) -> SearchResult:
        """Every match scored at once; the best `limit`, the total and facet counts. Counting costs little
        next to scoring here, so totals and facets are exact whatever `exact_total`, unless the time budget
        cut a phrase's checking short: then they count the matches found ("gte")."""
        with self._reading():
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchResult:
        clock = Budget(request.max_ms)
        with self._searcher() as s:
            docs, scores = self.evaluator.run(request.query, s, clock)
            keep = self.columns.filter_mask(tuple(request.filters))[docs]
            docs, scores = docs[keep], scores[keep]
            best = _best(docs, scores, self.columns.dates if request.sort == "date" else None, request.limit)
            stored = s.stored_fields
            hits = [(stored(int(docs[i]))["id"], None if request.sort == "date" else float(scores[i])) for i in best]
        facets = (
            {name: self.columns.counts(docs, name, request.facet_limit) for name in request.facets}
            if request.facets
            else None
        )
        if clock.cut:
            return SearchResult(int(docs.size), hits, facets, total_relation="gte", facets_exact=False)
        return SearchResult(total=int(docs.size), hits=hits, facets=facets)

    def doc_frequency(self, field: str, term: str) -> int:
        """Paragraphs holding a term."""
        with self._reading(), self._searcher() as s:
            return s.doc_frequency(field, term)

    def terms_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Up to limit + 1 indexed terms starting with prefix."""
        with self._reading(), self._searcher() as s:
            terms = islice(s.reader().expand_prefix(field, prefix), limit + 1)
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in terms]

    def close(self):
        """Close the pooled Whoosh searchers."""
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return


def _best(docs: np.ndarray, scores: np.ndarray, dates: np.ndarray | None, n: int) -> np.ndarray:
    """Indexes of the n best matches: by score (then document number), or newest first (then score)."""
    if dates is not None:
        return np.lexsort((docs, -scores, -dates[docs]))[:n]
    if docs.size > n:
        best = np.argpartition(-scores, n - 1)[:n]
        cut = scores[best].min()
        best = np.flatnonzero(scores >= cut)  # keep ties at the cut so the order below decides them
    else:
        best = np.arange(docs.size)
    return best[np.lexsort((docs[best], -scores[best]))][:n]
