"""The search service shared by the API and `tandem search`: one open index, pooled searchers,
hits with highlights, translations, facets and spelling suggestions."""

from __future__ import annotations

import queue
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from whoosh import collectors, sorting
from whoosh import query as wq

from indexer.analysis import LANGUAGES, detect_lang, field_name, fold
from indexer.catalog import Catalog
from indexer.config import Config
from indexer.documents import KINDS
from indexer.errors import BadRequest, NotFound
from indexer.store import CATALOG, current_generation, open_index

from .engine import TermEngine
from .facets import FacetTables
from .highlight import highlight
from .matching import CountingTopCollector, all_docs, contains, negates
from .query import Parsers, expand_prefixes, matcher_for
from .views import alignment_json, doc_summary, relation_json

MAX_OFFSET = 10_000
SORTS = ("relevance", "date")
FACETS = ("year", "kind", "symbol")
_YEAR = re.compile(r"^\s*(\d{4})\s*(?:(?:-|\.\.)\s*(\d{4})\s*)?$")


class _Generation:
    """What all readers of one index generation share, built on first use: facet arrays and the
    term engine's field lengths and postings cache."""

    def __init__(self):
        self._lock = threading.Lock()
        self._facets: FacetTables | None = None
        self._engine: TermEngine | None = None

    def facets(self, searcher) -> FacetTables:
        """The generation's facet arrays."""
        if self._facets is None:
            with self._lock:
                if self._facets is None:
                    self._facets = FacetTables(searcher.reader())
        return self._facets

    def engine(self, searcher) -> TermEngine:
        """The generation's term engine."""
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = TermEngine(searcher)
        return self._engine


@dataclass
class _Reader:
    """A searcher and a catalog connection, used by one thread at a time."""

    searcher: object
    catalog: Catalog
    generation: _Generation

    def close(self):
        """Release the searcher's files and the catalog connection."""
        self.searcher.close()
        self.catalog.close()


class SearchService:
    """Opens the live index once and answers searches and lookups from it."""

    def __init__(self, config: Config):
        self.config = config
        self.languages = config.languages
        self._lock = threading.Lock()
        self._checked = 0.0
        self._open()

    def _open(self):
        old_pool = getattr(self, "_pool", None)
        self.index = open_index(self.config.index_dir)
        self._generation = _Generation()
        self.parsers = Parsers(self.index.ix.schema, self.languages)
        self._pool: queue.LifoQueue = queue.LifoQueue()
        self._pool.put(self._new_reader())  # open one now: opening costs, the first query should not pay it
        if old_pool is not None:
            _drain(old_pool)

    def _new_reader(self) -> _Reader:
        return _Reader(self.index.ix.searcher(), Catalog(self.index.generation / CATALOG, readonly=True),
                       self._generation)

    @property
    def generation(self) -> str:
        """Name of the index generation being served."""
        return self.index.generation.name

    def refresh(self):
        """Switch to a newer generation if a build has published one (checked at most once a second)."""
        now = time.monotonic()
        if now - self._checked < 1.0:
            return
        self._checked = now
        live = current_generation(self.config.index_dir)
        if live is not None and live != self.index.generation:
            with self._lock:
                if live != self.index.generation:
                    self._open()  # old readers are dropped as threads return them; their files stay valid

    @contextmanager
    def reader(self):
        """A pooled reader for the duration of one request."""
        self.refresh()
        pool = self._pool
        try:
            rd = pool.get_nowait()
        except queue.Empty:
            rd = self._new_reader()
        try:
            yield rd
        finally:
            if pool is self._pool:
                pool.put(rd)
            else:  # the index moved on to a newer generation while this request ran
                rd.close()

    # ------------------------------------------------------------ search

    def search(self, q: str, lang: str = "auto", limit: int | None = None, offset: int = 0,
               symbol: str | None = None, year: str | None = None, kind: str | None = None,
               sort: str = "relevance", facets: bool = True) -> dict:
        """Paragraphs matching a query, best first, with highlights, translations and facets."""
        started = time.perf_counter()
        limit = self.config.default_limit if limit is None else limit
        if not 1 <= limit <= self.config.max_limit:
            raise BadRequest(f"limit must be between 1 and {self.config.max_limit}")
        if not 0 <= offset <= MAX_OFFSET:
            raise BadRequest(f"offset must be between 0 and {MAX_OFFSET}")
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        if q is None or not q.strip():
            raise BadRequest("parameter q is required")
        if lang in (None, "", "auto"):
            lang = detect_lang(q, self.languages)
        elif lang not in self.languages:
            raise BadRequest(f"lang must be auto or one of {', '.join(self.languages)}")
        filters = _filters(symbol, year, kind)
        parsed = self.parsers.parse(q, lang)
        text_field = field_name(lang)
        if not _only_field(parsed, text_field):
            filters = (("lang", lang),) + filters  # field:value clauses can match the other language too
        with self.reader() as rd:
            parsed = expand_prefixes(parsed, rd.catalog)
            tables = rd.generation.facets(rd.searcher)
            build = lambda: _filter_mask(tables, filters)  # noqa: E731
            mask = tables.filter_mask(filters, build) if filters else None
            if sort == "relevance" and TermEngine.supports(parsed, text_field):
                docs, page = self._engine_search(rd, parsed, mask, offset + limit)
            else:
                allow = tables.filter_docs(filters, build) if filters else None
                docs, page = self._whoosh_search(rd, parsed, mask, allow, sort, offset + limit)
            page = page[offset:offset + limit]
            total = int(docs.size)
            facet_counts = {name: tables.counts(docs, name, self.config.facet_limit) for name in FACETS} \
                if facets else None
            matcher = matcher_for(parsed, text_field)
            hits = self._hits(rd.catalog, page, lang, matcher)
            suggestion = self._suggest(rd, q, lang) if LANGUAGES[lang].spelling else None
        return {"query": q, "lang": lang, "total": total, "offset": offset, "limit": limit,
                "took_ms": round((time.perf_counter() - started) * 1000, 2), "hits": hits,
                "facets": facet_counts, "suggestion": suggestion}

    @staticmethod
    def _engine_search(rd: _Reader, parsed, mask, n: int):
        """Every match scored at once (see server/engine.py): all matching docs and the best n (id, score)."""
        docs, scores = rd.generation.engine(rd.searcher).run(parsed, rd.searcher)
        if mask is not None:
            keep = mask[docs]
            docs, scores = docs[keep], scores[keep]
        if docs.size > n:  # the n best, then ordered as Whoosh orders: score, then document number
            best = np.argpartition(-scores, n - 1)[:n]
            cut = scores[best].min()
            best = np.flatnonzero(scores >= cut)  # keep ties at the cut so the order below decides them
        else:
            best = np.arange(docs.size)
        best = best[np.lexsort((docs[best], -scores[best]))][:n]
        stored = rd.searcher.stored_fields
        return docs, [(stored(int(docs[i]))["id"], float(scores[i])) for i in best]

    @staticmethod
    def _whoosh_search(rd: _Reader, parsed, mask, allow, sort: str, n: int):
        """Whoosh's collectors: all matching docs and the best n (id, score or None when sorted by date)."""
        if sort == "date":
            results = rd.searcher.search(parsed, limit=n, filter=allow, sortedby=[
                sorting.FieldFacet("date", reverse=True), sorting.ScoreFacet()])
            top = None
        else:
            top = CountingTopCollector(limit=n)
            collector = collectors.FilterCollector(top, allow=allow) if allow is not None else top
            rd.searcher.search_with_collector(parsed, collector)
            results = collector.results()
        if top is not None and top.complete and not negates(parsed):
            docs = np.sort(np.asarray(top.seen, dtype=np.int64))  # every match was visited for the top hits
        else:  # every match, unscored, for the exact total and the facets
            docs = all_docs(rd.searcher, parsed)
            if mask is not None:
                docs = docs[mask[docs]]
        hits = [hit for hit in results[:n] if contains(docs, hit.docnum)]  # see _all_docs on AND NOT
        page = [(hit["id"], hit.score if sort == "relevance" else None) for hit in hits]
        return docs, page

    def _hits(self, catalog: Catalog, page, lang: str, matcher) -> list[dict]:
        ids = [pid for pid, _ in page]
        paras = catalog.paragraphs(ids)
        translations = catalog.translations(ids)
        docs: dict[str, dict] = {}
        out = []
        for pid, score in page:
            p = paras.get(pid)
            if p is None:
                continue
            hit = self._paragraph_json(catalog, p, docs)
            hit["score"] = round(score, 4) if score is not None else None
            hit["highlight"] = highlight(p["text"], lang, matcher)
            hit["translations"] = self._translations_json(catalog, p, translations.get(pid, []), docs)
            out.append(hit)
        return out

    def _doc(self, catalog: Catalog, doc_id: str, cache: dict) -> dict:
        if doc_id not in cache:
            row = catalog.document(doc_id)
            cache[doc_id] = {k: row[k] for k in ("id", "symbol", "lang", "date", "year", "title")}
        return cache[doc_id]

    def _paragraph_json(self, catalog: Catalog, p: dict, docs: dict) -> dict:
        doc = self._doc(catalog, p["doc"], docs)
        return {"id": p["id"], "lang": doc["lang"], "text": p["text"], "document": doc, "kind": p["kind"],
                "number": p["number"], "position": p["position"], "notes": p["notes"]}

    def _translations_json(self, catalog: Catalog, p: dict, links: list[dict], docs: dict) -> list[dict]:
        out = []
        for link in links:
            others = link["paragraphs"]
            if not others:
                continue
            doc = self._doc(catalog, others[0]["doc"], docs)
            here = self._doc(catalog, p["doc"], docs)
            out.append({"lang": doc["lang"], "id": others[0]["id"], "ids": [o["id"] for o in others],
                        "text": "\n".join(o["text"] for o in others), "document": doc,
                        "confidence": round(link["score"], 3), "relation": relation_json(link["pair"].relation,
                                                                                         here, doc)})
        return out

    def _suggest(self, rd: _Reader, q: str, lang: str) -> str | None:
        """A did-you-mean query: each word the index lacks replaced by the nearest vocabulary word."""
        fname = field_name(lang)
        analyzer = LANGUAGES[lang].analyzer()
        out, changed = q, False
        for m in reversed(list(re.finditer(r"(?<![\w:*])[^\W\d_]{3,}(?![\w:*])", q))):
            word = m.group(0)
            if word in ("AND", "OR", "NOT"):
                continue
            terms = [t.text for t in analyzer(word, mode="query")]
            if not terms or all(rd.searcher.doc_frequency(fname, t) for t in terms):
                continue
            best = _closest(word.lower(), rd.catalog.similar_words(lang, word.lower()))
            if best:
                out = out[:m.start()] + best + out[m.end():]
                changed = True
        return out if changed else None

    # ------------------------------------------------------------ lookups

    def paragraph(self, pid: str) -> dict:
        """One paragraph with its document and translations."""
        with self.reader() as rd:
            p = rd.catalog.paragraphs([pid]).get(pid)
            if p is None:
                raise NotFound(f"no paragraph {pid}")
            docs: dict = {}
            out = self._paragraph_json(rd.catalog, p, docs)
            out["translations"] = self._translations_json(rd.catalog, p, rd.catalog.translations([pid])[pid], docs)
            return out

    def documents(self, limit: int = 50, offset: int = 0) -> dict:
        """Indexed documents, a page at a time, with the total."""
        if not 1 <= limit <= 1000 or offset < 0:
            raise BadRequest("limit must be between 1 and 1000 and offset at least 0")
        with self.reader() as rd:
            return {"total": rd.catalog.count_documents(), "offset": offset, "limit": limit,
                    "documents": [doc_summary(d) for d in rd.catalog.documents(limit, offset)]}

    def document(self, symbol: str) -> dict:
        """A symbol's documents and, for each pair they are in, their paragraphs side by side."""
        with self.reader() as rd:
            cat = rd.catalog
            docs = cat.documents(symbol=symbol)
            if not docs:
                raise NotFound(f"no document {symbol}")
            return {"symbol": docs[0]["symbol"], "documents": [doc_summary(d) for d in docs],
                    "alignments": [alignment_json(cat, pair) for pair in
                                   {p.id: p for d in docs for p in cat.pairs_of(d["id"])}.values()]}

    def close(self):
        """Close the pooled readers and the index."""
        _drain(self._pool)
        self.index.close()


def _closest(word: str, candidates: list[tuple[str, int]], max_distance: int = 2) -> str | None:
    """The candidate nearest to `word` by edit distance on accent-folded forms, then the most frequent."""
    target = fold(word)
    best, best_key = None, None
    for cand, freq in candidates:
        d = _distance(target, fold(cand), max_distance)
        if d <= max_distance and cand != word:
            key = (d, -freq)
            if best_key is None or key < best_key:
                best, best_key = cand, key
    return best


def _distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _drain(pool: queue.LifoQueue):
    while True:
        try:
            pool.get_nowait().close()
        except queue.Empty:
            return


def _filters(symbol, year, kind) -> tuple:
    """Validated filters as hashable (field, values) pairs."""
    out = []
    if symbol:
        out.append(("symbol", tuple(sorted({s.strip().upper() for s in symbol.split(",") if s.strip()}))))
    if kind:
        kinds = tuple(sorted({k.strip() for k in kind.split(",") if k.strip()}))
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise BadRequest(f"kind must be among {', '.join(KINDS)} (got {', '.join(bad)})")
        out.append(("kind", kinds))
    if year:
        m = _YEAR.match(str(year))
        if not m:
            raise BadRequest("year must be a year (2013) or a range (2010-2015)")
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if low > high:
            raise BadRequest("year range is reversed")
        out.append(("year", (low, high)))
    return tuple(out)


def _filter_mask(tables: FacetTables, filters: tuple) -> np.ndarray:
    mask = np.ones(tables.size, dtype=bool)
    for name, values in filters:
        if name == "year":
            mask &= tables.year_mask(*values)
        else:
            mask &= tables.mask(name, (values,) if isinstance(values, str) else values)
    return mask


def _only_field(q: wq.Query, fieldname: str) -> bool:
    """Whether every term of a query is in `fieldname` (so it cannot match another language)."""
    if q.is_leaf():
        return getattr(q, "fieldname", fieldname) == fieldname
    return all(_only_field(child, fieldname) for child in q.children())
