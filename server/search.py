"""The search service shared by the API and `tandem search`: the live index generation (server.live), opened
once and swapped when a build publishes a newer one; searches planned, matched by the engine, and shown."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

from indexer.analysis import LANGUAGES, detect_lang
from indexer.checks import check_document
from indexer.config import Config
from indexer.engines.base import FACETS, SORTS, SearchRequest
from indexer.errors import BadRequest, NotFound, TandemError
from indexer.exports import index_pairs, paragraph_pairs, write_pairs
from indexer.query.planner import Highlights, foreign_words, plan, query_language, request_filters
from indexer.store import current_generation

from .excerpts import DOCUMENT_ROWS, MAX_DOCUMENT_ROWS, TRANSLATION_PARAGRAPHS
from .live import LiveGeneration, Reader
from .marks import TargetMarks, TranslationMarks
from .renderings import (
    MAX_RENDERINGS,
    MAX_TERM_LENGTH,
    TERMS_LOOKUP,
    Lookup,
    TermCache,
    TermFinding,
    find_renderings,
    terms_json,
)
from .serializers import (
    Documents,
    alignment_json,
    check_json,
    doc_summary,
    hits_json,
    paragraph_json,
    translations_json,
)
from .suggestions import suggest

log = logging.getLogger("tandem")
MAX_OFFSET = 10_000
MAX_DOCUMENTS_PAGE = 1000
MAX_EXPORT_HITS = 100_000  # hits of one query whose pairs are exported


def _check_page(limit: int, offset: int, most: int) -> None:
    """BadRequest unless `limit` is from 1 to `most` and `offset` is at least 0 (within SQLite's integers)."""
    if not 1 <= limit <= most or not 0 <= offset <= 2**62:
        raise BadRequest(f"limit must be between 1 and {most} and offset at least 0")


def _foreign_notice(q: str, lang: str, languages) -> str | None:
    """Why a query found nothing when some of its words are of another language than the one searched."""
    foreign = foreign_words(q, lang, languages)
    if not foreign:
        return None
    searched = LANGUAGES[lang].name
    parts = []
    for code, words in foreign.items():
        one = len(words) == 1
        matches = "matches" if one else "match"
        parts.append(
            f"{', '.join(words)} {'is' if one else 'are'} {LANGUAGES[code].name} and {matches} no "
            f"{searched} paragraph: search {'it' if one else 'them'} apart with lang:{code}"
        )
    return f"Searched in {searched}, and a query searches one language: {'; '.join(parts)}."


class SearchService:
    """Opens the live index once and answers searches and lookups from it."""

    def __init__(self, config: Config):
        self.config = config
        self.languages = config.languages
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._live = LiveGeneration(config)
        self._term_cache = TermCache()
        self._refused = ""  # a newer generation that could not be opened (not tried again)
        self.problems: dict[str, str] = {}  # why a newer generation is not served

    @property
    def generation(self) -> str:
        """Name of the index generation being served."""
        return self._live.generation.name

    def refresh(self):
        """Switch to a newer generation if a build has published one (checked at most once a second)."""
        now = time.monotonic()
        if now - self._checked < 1.0:
            return
        self._checked = now
        live = current_generation(self.config.index_dir)
        if live is not None and live != self._live.generation and live.name != self._refused:
            with self._lock:
                if live != self._live.generation:
                    try:
                        fresh = LiveGeneration(self.config)
                    except TandemError as exc:  # damaged or half-copied: the generation served so far stays
                        log.error("not switching to index generation %s: %s", live.name, exc.message)
                        self._refused, self.problems = live.name, {live.name: exc.message}
                        return
                    old, self._live, self.problems = self._live, fresh, {}
                    old.retire()

    @contextmanager
    def reader(self):
        """The live generation's searcher and a catalog connection, for one request."""
        self.refresh()
        with self._lock:
            live = self._live
            live.enter()
        catalog = live.catalog()
        try:
            yield Reader(live.searcher, catalog, live.generation.name)
        finally:
            live.give_back(catalog)
            live.leave()

    # ------------------------------------------------------------ search

    def search(
        self,
        q: str,
        lang: str = "auto",
        limit: int | None = None,
        offset: int = 0,
        symbol: str | None = None,
        year: str | None = None,
        kind: str | None = None,
        sort: str = "relevance",
        facets: tuple[str, ...] = FACETS,
        marks: bool = True,
        exact_total: int | None = None,
        base: str = "",
        targets: tuple[str, ...] | None = None,
    ) -> dict:
        """Paragraphs matching a query, best first, with highlights, translations (into `targets`, by default
        every other indexed language; with the renderings of the query's words marked, unless `marks` is false)
        and the requested facets; the total exact up to `exact_total` matches (the config's by default),
        estimated past it. Long texts are excerpts linking to their paragraph under `base`, the app's mount point."""
        started = time.perf_counter()
        limit = self.config.default_limit if limit is None else limit
        exact_total = self.config.exact_total if exact_total is None else exact_total
        if exact_total < 0:
            raise BadRequest("exact_total must be at least 0")
        unknown = [name for name in facets if name not in FACETS]
        if unknown:
            raise BadRequest(f"unknown facet {unknown[0]!r}: expected some of {', '.join(FACETS)}")
        if not 1 <= limit <= self.config.max_limit:
            raise BadRequest(f"limit must be between 1 and {self.config.max_limit}")
        if not 0 <= offset <= MAX_OFFSET:
            raise BadRequest(f"offset must be between 0 and {MAX_OFFSET}")
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        lang = self._query_lang(q, lang)
        targets = self._targets(targets, lang)
        filters = request_filters(symbol, year, kind)
        with self.reader() as rd:
            planned = plan(q, lang, rd)
            result = rd.searcher.search(
                SearchRequest(
                    planned.query,
                    planned.filters + filters,
                    offset + limit,
                    sort,
                    tuple(dict.fromkeys(facets)),
                    self.config.facet_limit,
                    exact_total,
                    self.config.max_search_ms,
                )
            )
            page = result.hits[offset : offset + limit]
            translation_marks = None
            if marks and page and targets:
                # the query as the planner parsed it: parsing it again would cost as much
                translation_marks = TargetMarks(
                    {
                        target: TranslationMarks.for_query(planned.syntax, lang, target, rd, self.term_finding)
                        for target in targets
                    }
                )
            hits = hits_json(rd.catalog, page, lang, planned.highlights, translation_marks, targets, base)
            # did you mean: only when nothing is found; a query that finds something holds every word it needs
            # (all of them, unless OR or NOT made some optional), so a correction would not change its hits
            suggestion = (
                suggest(q, lang, rd.searcher, rd.catalog) if LANGUAGES[lang].spelling and not result.total else None
            )
        return {
            "query": q,
            "lang": lang,
            "total": result.total,
            "total_relation": result.total_relation,
            "offset": offset,
            "limit": limit,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
            "hits": hits,
            "facets": result.facets or {},
            "facets_exact": result.facets_exact,
            "suggestion": suggestion,
            "notice": _notice(
                _foreign_notice(q, lang, self.languages) if not result.total else None,
                _stop_word_notice(planned.ignored),
            ),
        }

    def _query_lang(self, q: str | None, lang: str | None) -> str:
        if q is None or not q.strip():
            raise BadRequest("parameter q is required")
        return query_language(q, lang, self.languages)

    def export(
        self,
        out,
        fmt: str,
        q: str | None = None,
        lang: str = "auto",
        limit: int = MAX_EXPORT_HITS,
        offset: int = 0,
        symbol: str | None = None,
        year: str | None = None,
        kind: str | None = None,
        sort: str = "relevance",
        include_other_years: bool = False,
        lang_tags: str = "region",
        excel: bool = False,
    ) -> int:
        """Write aligned pairs as TMX or CSV to `out`: those of a query's hits (`limit` from `offset`, in the
        order search gives them), or without a query every pair of the index passing the filters. Returns
        how many pairs were written."""
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        if not 1 <= limit <= MAX_EXPORT_HITS or not 0 <= offset <= MAX_OFFSET:
            raise BadRequest(f"limit must be between 1 and {MAX_EXPORT_HITS} and offset between 0 and {MAX_OFFSET}")
        filters = request_filters(symbol, year, kind)
        srclang = self.languages[0]
        with self.reader() as rd:
            if q is None:
                pairs = index_pairs(rd.catalog, filters, include_other_years)
            else:
                srclang = self._query_lang(q, lang)
                planned = plan(q, srclang, rd)
                found = rd.searcher.search(
                    SearchRequest(planned.query, planned.filters + filters, offset + limit, sort, (), 0)
                )
                ids = [pid for pid, _ in found.hits[offset : offset + limit]]
                pairs = paragraph_pairs(rd.catalog, ids, include_other_years)
            return write_pairs(pairs, out, fmt, lang_tags, excel, srclang)

    # ------------------------------------------------------------ lookups

    def paragraph(self, pid: str, base: str = "") -> dict:
        """One paragraph, whole, with its document and translations (each an excerpt when long, linking
        under `base`)."""
        with self.reader() as rd:
            p = rd.catalog.paragraphs([pid]).get(pid)
            if p is None:
                raise NotFound(f"no paragraph {pid}")
            docs = Documents(rd.catalog)
            out = paragraph_json(p, docs)
            links = rd.catalog.translations([pid], most=TRANSLATION_PARAGRAPHS)[pid]
            out["translations"] = translations_json(p, links, docs, base=base)
            return out

    def documents(self, limit: int = 50, offset: int = 0) -> dict:
        """Indexed documents, a page at a time, with the total."""
        _check_page(limit, offset, MAX_DOCUMENTS_PAGE)
        with self.reader() as rd:
            return {
                "total": rd.catalog.count_documents(),
                "offset": offset,
                "limit": limit,
                "documents": [doc_summary(d) for d in rd.catalog.documents(limit, offset)],
            }

    def document(self, symbol: str, offset: int = 0, limit: int = DOCUMENT_ROWS, base: str = "") -> dict:
        """A symbol's documents and, for each pair they are in, their paragraphs side by side: `limit` aligned
        rows of each pair from `offset` (each pair says its rows_total)."""
        _check_page(limit, offset, MAX_DOCUMENT_ROWS)
        with self.reader() as rd:
            cat = rd.catalog
            docs = cat.documents(symbol=symbol)
            if not docs:
                raise NotFound(f"no document {symbol}")
            return {
                "symbol": docs[0]["symbol"],
                "documents": [doc_summary(d) for d in docs],
                "alignments": [
                    alignment_json(cat, pair, offset, limit, base)
                    for pair in {p.id: p for d in docs for p in cat.pairs_of(d["id"])}.values()
                ],
            }

    def close(self):
        """Close the live generation."""
        self._live.retire()

    def check(self, symbol: str) -> dict:
        """A document's aligned paragraph pairs whose numbers, symbols or dates differ."""
        with self.reader() as rd:
            docs, compared, checks = check_document(rd.catalog, symbol)
            return check_json(rd.catalog, symbol, docs, compared, checks)

    def _targets(self, targets, lang: str) -> tuple[str, ...]:
        """The languages a hit's translations are given in: those asked for, else every other indexed one."""
        if targets is None:
            return tuple(code for code in self.languages if code != lang)
        unknown = [code for code in targets if code not in self.languages]
        if unknown:
            raise BadRequest(f"targets must be among {', '.join(self.languages)} (got {', '.join(unknown)})")
        return tuple(dict.fromkeys(code for code in targets if code != lang))

    def terms(self, term: str, lang: str = "auto", limit: int = 10, target: str | None = None) -> dict:
        """How a term is translated (into `target`, else the first other indexed language): renderings found in
        the aligned translations of the paragraphs holding it, most aligned pairs first, with examples; another
        year's translations counted apart."""
        term = " ".join((term or "").split())
        if not term:
            raise BadRequest("parameter q is required")
        if '"' in term or len(term) > MAX_TERM_LENGTH:
            raise BadRequest(f"q must be a word or phrase of 1 to {MAX_TERM_LENGTH} characters, without quotes")
        if not 1 <= limit <= MAX_RENDERINGS:
            raise BadRequest(f"limit must be between 1 and {MAX_RENDERINGS}")
        if lang in (None, "", "auto"):
            lang = detect_lang(term, self.languages)
        elif lang not in self.languages:
            raise BadRequest(f"lang must be auto or one of {', '.join(self.languages)}")
        if target in (None, ""):
            target = next(code for code in self.languages if code != lang)
        elif target not in self.languages or target == lang:
            raise BadRequest(f"target must be another of {', '.join(self.languages)} than {lang}")
        with self.reader() as rd:
            finding = self.term_finding(rd, term, lang, target)
            return terms_json(
                term,
                lang,
                target,
                finding,
                limit,
                lambda ids: {pid: p["text"] for pid, p in rd.catalog.paragraphs(ids).items()},
            )

    def term_finding(self, rd: Reader, term: str, lang: str, target: str, lookup: Lookup = TERMS_LOOKUP) -> TermFinding:
        """A term's renderings in the reader's generation, worked out once and cached; the more thorough
        finding of GET /api/terms serves any lookup."""
        if not term:
            return TermFinding(0, [], [], Highlights())
        key = (rd.generation, lang, target, term)
        found = self._term_cache.peek(key + (TERMS_LOOKUP,))
        if found is not None:
            return found
        return self._term_cache.get(key + (lookup,), lambda: find_renderings(rd, term, lang, target, lookup))


def _stop_word_notice(ignored: tuple[str, ...]) -> str | None:
    """What to tell a searcher whose bare words were left out as stop words."""
    if not ignored:
        return None
    words = ", ".join(ignored)
    return (
        f"{words}: stop word{'s' if len(ignored) > 1 else ''}, left out of the query; stop words are searched only "
        f'inside quotes, as part of a phrase ("{ignored[0]} ..." or "... {ignored[0]}")'
    )


def _notice(*notes: str | None) -> str | None:
    """The notes that apply, one after the other; None when none does."""
    said = [note for note in notes if note]
    return " ".join(said) if said else None
