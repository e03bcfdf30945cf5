"""Full and incremental index builds: corpus files -> catalog + engine index, in a new generation.

A build streams: units are read in parts (a bitext line by line), gathered into batches of about
BATCH_PARAGRAPHS paragraphs that are stored in the catalog, analysed and added to the engine, then
dropped, so memory stays flat whatever the size of the corpus."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .align import align_paragraphs
from .analysis import LANGUAGES, field_name, vocabulary_words
from .catalog import SCHEMA_VERSION, Catalog
from .changes import Changes, Indexed, Skip, plan_changes, reopen
from .config import Config
from .documents import Document
from .engines import engine_kind
from .engines.base import IndexedParagraph
from .errors import CorpusError
from .integrity import check_complete, failure, needed_bytes, write_manifest
from .pairing import pair_detail, pair_documents, source_relation
from .preparation import analyse_batch, preparation_pool
from .readers import Part, discover
from .segments import store_segments, store_sentence_links
from .splitting import split_parts, whole_paragraphs
from .store import CATALOG, build_lock, current_generation, discard, new_generation, publish, remove_unpublished

BATCH_PARAGRAPHS = 8_000  # paragraphs read, stored and analysed together; two batches are held at a time
CHECKPOINT_PARAGRAPHS = 100_000  # engines that hold a transaction in memory make it durable this often

Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    """What a build did: file changes, skipped files with reasons, totals, time."""

    generation: str | None = None
    up_to_date: bool = False
    unchanged: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # indexed before, skipped now: unreadable or a duplicate
    skipped: list[tuple[str, str]] = field(default_factory=list)
    passed_over: list[tuple[str, str]] = field(default_factory=list)  # files read, some of their content not
    analysed_paragraphs: int = 0
    pairs_aligned: int = 0
    stats: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The report as JSON-ready data."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _noop(phase: str, done: int, total: int):
    pass


@dataclass
class UpdatePlan:
    """What updating a generation needs: the settings, the corpus as hashed, what to read and forget, and
    where to report."""

    config: Config
    hashes: dict[str, str]  # unit key -> content hash, for every unit of the corpus
    changes: Changes  # files to forget, read and skip
    report: BuildReport
    progress: Progress = _noop
    batch_paragraphs: int = BATCH_PARAGRAPHS


def build_index(
    config: Config, full: bool = False, progress: Progress = _noop, batch_paragraphs: int = BATCH_PARAGRAPHS
) -> BuildReport:
    """Bring the index in config.index_dir up to date with config.corpus_dir."""
    started = time.perf_counter()
    index_dir = Path(config.index_dir)
    report = BuildReport()
    with build_lock(index_dir):
        remove_unpublished(index_dir)
        units, report.skipped = discover(config.corpus_dir, config.languages, config.follow_external_links, config.ocr)
        live = current_generation(index_dir)
        indexed, old_skipped = {}, {}
        if live is not None and not full:
            old = Catalog(live / CATALOG, readonly=True)
            if (
                old.info("schema_version") == SCHEMA_VERSION
                and old.info("languages") == ",".join(config.languages)
                and old.info("engine") == config.engine
                and old.info("shards") == str(config.shards)
                and old.info("max_paragraph_chars") == str(config.max_paragraph_chars)
            ):
                indexed = {k: Indexed(sha, docs) for k, (sha, docs) in old.indexed_files().items()}
                old_skipped = {k: Skip(*row) for k, row in old.skipped().items()}
            else:
                full = True
            old.close()
        hashes = {}
        for i, unit in enumerate(units):
            hashes[unit.key] = unit.digest()
            progress("hashing", i + 1, len(units))
        changes = plan_changes(
            units, hashes, indexed, old_skipped, config.languages, lambda done, total: progress("opening", done, total)
        )
        report.added, report.changed, report.removed = changes.added, changes.changed, changes.removed
        report.dropped, report.unchanged = changes.dropped, changes.unchanged
        report.skipped += [(k, skip.reason) for k, skip in changes.skips.items()]
        report.skipped.sort()
        if live is not None and not full and not (changes.forget or changes.read or changes.skips != old_skipped):
            report.up_to_date = True
            report.generation = live.name
            report.stats = _stats(live)
            report.seconds = time.perf_counter() - started
            return report

        plan = UpdatePlan(config, hashes, changes, report, progress, batch_paragraphs)
        needed = needed_bytes((path for unit in changes.read for path in unit.paths), None if full else live)
        try:
            gen = new_generation(index_dir, copy=not full)
        except OSError as exc:
            raise failure(exc, index_dir, needed) or exc from exc
        try:
            _build_into(gen, plan)
            check_complete(gen, config.engine)
            write_manifest(gen)
            publish(index_dir, gen)
        except BaseException as exc:
            reported = failure(exc, index_dir, needed)  # before discarding: the space as the build left it
            discard(gen)
            if reported is not None:
                raise reported from exc
            raise
        report.generation = gen.name
    report.seconds = time.perf_counter() - started
    return report


def _stats(gen: Path) -> list[dict]:
    cat = Catalog(gen / CATALOG, readonly=True)
    try:
        return cat.stats()
    finally:
        cat.close()


def _build_into(gen: Path, plan: UpdatePlan):
    config = plan.config
    catalog = Catalog(gen / CATALOG)
    kind = engine_kind(config.engine)
    engine = kind.open(gen) if kind.exists(gen) else kind.create(gen, config.languages, config.shards)
    try:
        _update(engine, catalog, plan)
    finally:
        catalog.close()
        engine.close()


def _update(engine, catalog: Catalog, plan: UpdatePlan):
    config, report = plan.config, plan.report
    catalog.set_info("schema_version", SCHEMA_VERSION)
    catalog.set_info("languages", ",".join(config.languages))
    catalog.set_info("engine", config.engine)
    catalog.set_info("shards", str(config.shards))
    catalog.set_info("max_paragraph_chars", str(config.max_paragraph_chars))
    pairing_changed = _forget_gone(engine, catalog, plan)
    pairing_changed |= any(unit.format != "bitext" for unit in plan.changes.read)
    with preparation_pool(config, plan.changes.read) as pool:
        store = _Store(catalog)
        batches = _batches(_read_parts(catalog, plan), plan.batch_paragraphs)
        report.analysed_paragraphs = _write_batches(engine, store, batches, plan, pool)
    if pairing_changed:  # bitexts arrive paired; only documents that tandem pairs need a new pairing
        report.pairs_aligned = realign(catalog, config.languages, plan.progress)
    catalog.commit()
    report.stats = catalog.stats()


def _forget_gone(engine, catalog: Catalog, plan: UpdatePlan) -> bool:
    """Remove the documents of the files to forget and record every skipped file; True if documents that
    tandem pairs itself (not bitexts) went."""
    gone = plan.changes.forget
    removed_words: dict[str, Counter] = {}
    pairing_changed = False
    for key in gone:
        for doc_id in catalog.file_docs(key):
            row = catalog.document(doc_id)
            if row:
                pairing_changed |= row["format"] != "bitext"
                _count_words(removed_words, row["lang"], (p["text"] for p in catalog.paragraphs_of(doc_id)))
        catalog.remove_file(key)
    for lang, counts in removed_words.items():
        catalog.count_words(lang, {w: -n for w, n in counts.items()})
    catalog.clear_skipped()
    for key, skip in plan.changes.skips.items():
        catalog.set_skipped(key, skip.sha, skip.reason, skip.docs)
    if gone:
        writer = engine.writer(plan.config)
        for key in gone:
            writer.delete_source(key)
        writer.commit()
    return pairing_changed


def _read_parts(catalog: Catalog, plan: UpdatePlan) -> Iterator[Part]:
    """The parts of the units to read, in order (each was opened when the build was planned)."""
    changes = plan.changes
    for i, unit in enumerate(changes.read):
        plan.progress("reading", i + 1, len(changes.read))
        doc_ids = changes.doc_ids[unit.key]
        catalog.set_file(unit.key, plan.hashes[unit.key], doc_ids)
        try:
            stream = changes.streams.pop(unit.key) or reopen(unit, plan.config.languages, doc_ids)
            if getattr(stream, "passed_over", ""):  # e.g. translation units with one language only
                plan.report.passed_over.append((unit.key, stream.passed_over))
            yield from split_parts(stream, plan.config.max_paragraph_chars)  # every reader's, here only
        except CorpusError as exc:  # checked whole when opened: it changed since; part of it is stored
            raise CorpusError(f"{unit.key} changed while it was indexed ({exc.message}); run the build again") from None


def _batches(parts: Iterator[Part], size: int) -> Iterator[list[Part]]:
    """Parts gathered into batches of at least `size` paragraphs (the last one excepted)."""
    batch, held = [], 0
    for part in parts:
        batch.append(part)
        held += sum(len(doc.paragraphs) for doc in part.documents)
        if held >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


class _Store:
    """Stores batches of parts in the catalog: documents, bitext pairs and vocabulary when read, paragraphs
    once analysed (with the word cuts their analysis found)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.pairs: dict[tuple[str, str], int] = {}  # pairs of bitext documents read in parts, until complete

    def keys(self, batch: list[Part]) -> dict[str, int]:
        """Fresh keys for a batch's paragraphs, in reading order, by paragraph id (recorded as given with the
        paragraphs, by add_paragraphs)."""
        ids = [p.id for part in batch for doc in part.documents for p in doc.paragraphs]
        first = self.catalog.give_keys(len(ids))
        return {pid: first + i for i, pid in enumerate(ids)}

    def add(self, batch: list[Part]):
        """Store a batch's documents, pairs and vocabulary and commit (the generation is not published before
        the build ends)."""
        words: dict[str, Counter] = {}
        for part in batch:
            for doc in part.documents:
                if part.offset == 0:
                    self.catalog.add_document(doc, part.total)
                pieces = sum(1 for p in doc.paragraphs if p.piece and p.piece[0] > 1)
                if pieces:
                    self.catalog.add_pieces(doc.id, pieces)
                _count_words(words, doc.lang, (p.text for p in doc.paragraphs))
            for a, b, rows in part.aligned:
                # a row's paragraphs, or the pieces they were cut into, as one link
                links = [([a.paragraphs[i].id for i in ai], [b.paragraphs[j].id for j in bj], 1.0) for ai, bj in rows]
                key = (a.id, b.id)
                if part.offset == 0:
                    self.pairs[key] = self.catalog.add_pair(
                        a.id, b.id, source_relation(a, b), pair_detail(a, b), "bitext", links
                    )
                else:
                    self.catalog.add_links(self.pairs[key], links, start=part.offset)
                if part.offset + len(rows) >= part.total:
                    del self.pairs[key]
        for lang, counts in words.items():
            self.catalog.count_words(lang, counts)
        self.catalog.commit()

    def add_paragraphs(self, batch: list[Part], keys: dict[str, int], cuts: dict[str, str]):
        """Store an analysed batch's paragraphs with their keys and word cuts by paragraph id, and commit."""
        for part in batch:
            for doc in part.documents:
                self.catalog.add_paragraphs(doc, keys, cuts)
            whole = {d.id for a, b, _ in part.aligned for d in (a, b)}  # aligned at the source: line by line
            store_segments(self.catalog, part.documents, keys, whole)
        self.catalog.commit()


def _count_words(counts: dict[str, Counter], lang: str, texts):
    """Add the vocabulary words of texts to a language's counts, for languages that keep a vocabulary."""
    if LANGUAGES[lang].spelling:
        target = counts.setdefault(lang, Counter())
        for text in texts:
            target.update(vocabulary_words(text))


def _write_batches(engine, store: _Store, batches: Iterator[list[Part]], plan: UpdatePlan, pool) -> int:
    """Store each batch in the catalog, analyse its paragraphs (in worker processes when there is enough
    text) and add them to the index and, with their word cuts, to the catalog, one batch being analysed
    while the one before is written; returns how many paragraphs were added."""
    writer, pending, read, written = None, None, 0, 0
    try:
        for batch in batches:
            store.add(batch)
            read += sum(len(doc.paragraphs) for part in batch for doc in part.documents)
            analysed = analyse_batch(batch, pool)
            if pending is not None:
                # more than one batch: at least `read` paragraphs, enough to tell the writer to use its processes
                writer = writer or engine.writer(plan.config, expected=read, checkpoint=CHECKPOINT_PARAGRAPHS)
                written = _add_batch(writer, store, *pending, written, read, plan.progress)
            pending = (batch, analysed)
        if pool is not None:
            pool.close()  # workers exit when done, freeing their segmenter models while writing goes on
        if pending is not None:
            writer = writer or engine.writer(plan.config, expected=read, checkpoint=CHECKPOINT_PARAGRAPHS)
            written = _add_batch(writer, store, *pending, written, read, plan.progress)
    except BaseException:
        if writer is not None:
            writer.cancel()  # stops writer subprocesses too; the generation is discarded by the caller
        raise
    if writer is not None:
        plan.progress("committing", 0, 1)
        writer.commit()
        plan.progress("committing", 1, 1)
    return written


def _add_batch(writer, store: _Store, batch: list[Part], analysed, written: int, read: int, progress: Progress) -> int:
    paragraphs = ((doc, p) for part in batch for doc in part.documents for p in doc.paragraphs)
    keys, cuts = store.keys(batch), {}
    for (doc, p), (tokens, cut) in zip(paragraphs, analysed, strict=True):
        writer.add(_indexed(doc, p, tokens, keys[p.id]))
        if cut is not None:
            cuts[p.id] = cut
        written += 1
        if written % 500 == 0:
            progress("writing", written, read)
    store.add_paragraphs(batch, keys, cuts)
    progress("writing", written, read)
    return written


def _indexed(doc: Document, p, tokens: list[tuple[str, int]], key: int) -> IndexedParagraph:
    date = int(doc.date.replace("-", "")) if doc.date else (doc.year or 0) * 10000
    return IndexedParagraph(
        id=p.id,
        key=key,
        doc=doc.id,
        source=doc.source,
        lang=doc.lang,
        kind=p.kind,
        symbol=(doc.symbol or "").upper(),
        year=doc.year or 0,
        date=date,
        number=p.number or "",
        field=field_name(doc.lang),
        tokens=tokens,
    )


def realign(catalog: Catalog, languages, progress: Progress = _noop) -> int:
    """Pair documents across each two indexed languages and align the pairs that are new; returns how many were
    aligned.

    Pairs whose documents are unchanged keep their links: reindexing a document re-aligns its pair only.
    """
    if len(languages) < 2:
        return 0
    # Documents that arrive aligned at the source (bitexts, TMX, linked UN Parallel Corpus XML) keep that pairing.
    paired_at_source = {doc for p in catalog.pairs() if p.method == "bitext" for doc in (p.a, p.b)}
    rows = [row for row in catalog.documents() if row["format"] != "bitext" and row["id"] not in paired_at_source]
    loaded = {row["id"]: catalog.load_document(row["id"]) for row in rows if row["lang"] in languages}
    wanted = {}
    for a_lang, b_lang in itertools.combinations(languages, 2):
        docs = [doc for doc in loaded.values() if doc.lang in (a_lang, b_lang)]
        wanted.update({(dp.a.id, dp.b.id, dp.relation): dp for dp in pair_documents(docs, a_lang, b_lang)})
    existing = {(p.a, p.b, p.relation): p for p in catalog.pairs() if p.method == "aligned"}
    for key, pair in existing.items():
        if key not in wanted:
            catalog.delete_pair(pair.id)
    new = [dp for key, dp in wanted.items() if key not in existing]
    for i, dp in enumerate(new):
        progress("aligning", i + 1, len(new))
        # paragraphs cut into pieces are aligned whole, and linked with all their pieces
        a_whole, a_pieces = whole_paragraphs(dp.a.paragraphs, dp.a.lang)
        b_whole, b_pieces = whole_paragraphs(dp.b.paragraphs, dp.b.lang)
        links = align_paragraphs(a_whole, b_whole, dp.a.lang, dp.b.lang)
        pair_id = catalog.add_pair(
            dp.a.id,
            dp.b.id,
            dp.relation,
            dp.detail,
            "aligned",
            [
                (
                    [dp.a.paragraphs[k].id for i in link.a for k in a_pieces[i]],
                    [dp.b.paragraphs[k].id for j in link.b for k in b_pieces[j]],
                    link.score,
                )
                for link in links
            ],
        )
        # sentences are aligned inside one-to-one links of paragraphs that were not cut into pieces
        one_to_one = [
            (dp.a.paragraphs[a_pieces[link.a[0]][0]].id, dp.b.paragraphs[b_pieces[link.b[0]][0]].id)
            for link in links
            if len(link.a) == 1 and len(link.b) == 1 and len(a_pieces[link.a[0]]) == len(b_pieces[link.b[0]]) == 1
        ]
        store_sentence_links(catalog, pair_id, one_to_one)
    return len(new)
