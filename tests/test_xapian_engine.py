"""The Xapian engine over real UN sentences: matches, totals and facets equal counts made from the tokens."""

from __future__ import annotations

import math
import threading
import zlib
from collections import Counter
from pathlib import Path

import pytest

from indexer.analysis import LANGUAGES, tokens
from indexer.engines.base import IndexedParagraph, SearchRequest
from indexer.engines.xapian_engine import XapianKind
from indexer.engines.xapian_search import BM25
from indexer.engines.xapian_writer import PROCESS_MIN
from indexer.errors import EngineUnavailable, IndexMissing, TandemError
from indexer.query.nodes import And, Filter, Nothing, Or, Phrase, Term

xapian = pytest.importorskip("xapian")

SAMPLE = Path(__file__).parent / "data" / "unpc-sample"
FR = "text_fr"
ZH = "text_zh"


def analysed(lang: str, text: str) -> list[tuple[str, int]]:
    """(term, position) of a text, as the build indexes it."""
    return [(t.text, t.pos) for t in LANGUAGES[lang].analyzer()(text, positions=True, mode="index")]


def sample_paragraphs() -> list[IndexedParagraph]:
    """The 200 French sample sentences and the short Chinese ones, with metadata from sample.ids; years
    vary by document (the sample is all 2015) so that year filters and facets have something to split."""
    ids = (SAMPLE / "sample.ids").read_text(encoding="utf-8").splitlines()
    out = []
    for lang in ("fr", "zh"):
        lines = (SAMPLE / f"sample.{lang}").read_text(encoding="utf-8").splitlines()
        for i, (line, meta) in enumerate(zip(lines, ids)):
            if lang == "zh" and (i >= 60 or len(line) > 60):
                continue  # a few short Chinese texts keep the segmenter's work small
            path = meta.split()[0]
            body = path.split("/")[1]
            para = next(f for f in meta.split()[1:] if f.startswith(f"{lang}:")).split(":")[1]
            h = zlib.crc32(path.encode())
            year = 2013 + h % 3
            out.append(
                IndexedParagraph(
                    id=f"{lang}-{i:03d}",
                    key=len(out) * 37 % 1009 + 1,  # unique, and in another order than the ids
                    doc=f"{path}/{lang}",
                    source=f"unpc/{body}",
                    lang=lang,
                    kind=body,
                    symbol="/".join(path.split("/")[1:]).upper(),
                    year=year,
                    date=year * 10000 + 100 * (1 + h % 12) + 1,
                    number=para,
                    field=f"text_{lang}",
                    tokens=analysed(lang, line),
                )
            )
    return out


@pytest.fixture(scope="module")
def paragraphs():
    return sample_paragraphs()


def build(path: Path, paragraphs, shards: int = 1, child: bool = False):
    engine = XapianKind().create(path, ("fr", "zh"), shards=shards)
    writer = engine.writer(expected=PROCESS_MIN if child else 0)
    for p in paragraphs:
        writer.add(p)
    writer.commit()
    return engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory, paragraphs):
    engine = build(tmp_path_factory.mktemp("xapian1"), paragraphs)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def searcher(engine):
    return engine.searcher()


# ---------------------------------------------------------------- the truth, from the tokens


def matches(node, paragraphs) -> set[str]:
    """Ids of the paragraphs a node matches, by set algebra over each paragraph's tokens."""
    return {p.id for p in paragraphs if holds(node, p)}


def holds(node, p: IndexedParagraph) -> bool:
    if isinstance(node, Term):
        return p.field == node.field and any(t == node.text for t, _ in p.tokens)
    if isinstance(node, Phrase):
        if p.field != node.field:
            return False
        at = {(t, pos) for t, pos in p.tokens}
        return any(all((term, start + k) in at for k, term in enumerate(node.terms)) for _, start in p.tokens)
    if isinstance(node, Or):
        return any(holds(c, p) for c in node.children)
    if isinstance(node, And):
        return all(holds(c, p) for c in node.children) and not any(holds(c, p) for c in node.excluded)
    if isinstance(node, Filter):
        if node.field == "year":
            return node.values[0] <= p.year <= node.values[1]
        return getattr(p, node.field) in node.values
    return False


def every(searcher, node, **kw):
    """All hits of a query (limit above the total)."""
    return searcher.search(SearchRequest(node, limit=10_000, **kw))


def frequent_terms(paragraphs, field, low=5, high=40) -> list[str]:
    df = Counter(t for p in paragraphs if p.field == field for t in {t for t, _ in p.tokens})
    return sorted(t for t, n in df.items() if low <= n <= high)


# ---------------------------------------------------------------- matching and totals


def test_terms_match_and_total_exactly(searcher, paragraphs):
    terms = frequent_terms(paragraphs, FR)[:25] + frequent_terms(paragraphs, ZH, 2, 10)[:10]
    assert len(terms) == 35
    for text in terms:
        node = Term(FR if text.isascii() else ZH, text)
        truth = matches(node, paragraphs)
        result = every(searcher, node)
        assert result.total == len(truth), text
        assert {pid for pid, _ in result.hits} == truth, text
        top = searcher.search(SearchRequest(node, limit=3))
        assert top.total == len(truth) and len(top.hits) == min(3, len(truth))
        assert [pid for pid, _ in top.hits] == [pid for pid, _ in result.hits[:3]]


def test_phrases_need_consecutive_positions(searcher, paragraphs):
    fr = [p for p in paragraphs if p.field == FR]
    pairs = {(a, b) for p in fr[:40] for (a, i), (b, j) in zip(p.tokens, p.tokens[1:]) if j == i + 1 and a != b}
    checked_order = 0
    for a, b in sorted(pairs)[:60]:
        phrase, reverse = Phrase(FR, (a, b)), Phrase(FR, (b, a))
        truth = matches(phrase, paragraphs)
        assert truth and every(searcher, phrase).total == len(truth)
        assert {pid for pid, _ in every(searcher, phrase).hits} == truth
        assert {pid for pid, _ in every(searcher, reverse).hits} == matches(reverse, paragraphs)
        both = matches(And((Term(FR, a), Term(FR, b))), paragraphs)
        checked_order += len(both - truth) > 0  # paragraphs holding both words apart are not matched
    assert checked_order > 0
    # Chinese: bigrams of a run at consecutive positions
    zh = next(p for p in paragraphs if p.field == ZH and len(p.tokens) > 6)
    bigrams = [t for t, _ in sorted(zh.tokens, key=lambda x: x[1]) if len(t) == 2]
    phrase = Phrase(ZH, tuple(bigrams[:3]))
    assert zh.id in matches(phrase, paragraphs)
    assert {pid for pid, _ in every(searcher, phrase).hits} == matches(phrase, paragraphs)


def test_or_and_excluded(searcher, paragraphs):
    t = frequent_terms(paragraphs, FR, 8, 60)
    queries = [
        Or((Term(FR, t[0]), Term(FR, t[1]), Term(FR, t[2]))),
        And((Term(FR, t[3]), Or((Term(FR, t[4]), Term(FR, t[5]))))),
        And((Or((Term(FR, t[6]), Term(FR, t[7]), Term(FR, t[8]))),), excluded=(Term(FR, t[9]),)),
        And((Term(FR, "conseil"),), excluded=(Term(FR, "nation"), Phrase(FR, ("conseil", "econom")))),
        And((), excluded=(Term(FR, "nation"),)),
        Or((Term(FR, "nation"), Nothing())),
        And((Term(FR, "nation"), Nothing())),
        Or(()),
    ]
    for node in queries:
        truth = (
            matches(node, paragraphs)
            if not (isinstance(node, And) and not node.children)
            else {p.id for p in paragraphs} - matches(node.excluded[0], paragraphs)
        )
        result = every(searcher, node)
        assert result.total == len(truth), node
        assert {pid for pid, _ in result.hits} == truth, node
    assert 0 < every(searcher, queries[3]).total < every(searcher, Term(FR, "conseil")).total
    assert every(searcher, queries[6]).total == 0


def test_filters_in_query_and_request(searcher, paragraphs):
    words = Or((Term(FR, "nation"), Term(FR, "droit"), Term(FR, "develop")))
    plain = {pid: score for pid, score in every(searcher, words).hits}
    symbols = sorted({p.symbol for p in paragraphs})[:3]
    filters = [
        Filter("kind", ("s",)),
        Filter("kind", ("a", "e")),
        Filter("symbol", tuple(symbols)),
        Filter("year", (2014, 2015)),
        Filter("year", (2013, 2013)),
        Filter("lang", ("zh",)),
        Filter("number", ("3",)),
    ]
    for f in filters:
        truth = matches(And((words, f)), paragraphs)
        assert truth or f.field in ("lang", "symbol", "number"), f
        for result in (every(searcher, words, filters=(f,)), every(searcher, And((words, f)))):
            assert result.total == len(truth), f
            assert {pid for pid, _ in result.hits} == truth, f
            # filters do not score: the same paragraphs keep their scores
            assert all(score == pytest.approx(plain[pid]) for pid, score in result.hits), f
        alone = every(searcher, f)
        assert alone.total == len(matches(f, paragraphs)) and all(s == 0 for _, s in alone.hits)
    both = every(searcher, words, filters=(filters[1], filters[3]))
    assert {pid for pid, _ in both.hits} == matches(And((words, filters[1], filters[3])), paragraphs)
    assert every(searcher, words, filters=(Filter("kind", ()),)).total == 0


def test_facets_count_every_match(searcher, paragraphs):
    node = Or((Term(FR, "nation"), Term(FR, "droit"), Term(FR, "conseil"), Term(ZH, "国际")))
    truth = [p for p in paragraphs if p.id in matches(node, paragraphs)]
    result = searcher.search(SearchRequest(node, limit=5, facet_limit=4))
    for name in ("year", "kind", "symbol"):
        counts = Counter(str(getattr(p, name)) for p in truth)
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
        assert list(result.facets[name].items()) == expected, name
    assert searcher.search(SearchRequest(node, facets=())).facets is None
    lang = searcher.search(SearchRequest(node, facets=("lang",))).facets["lang"]
    assert lang == dict(Counter(p.lang for p in truth))


def test_sort_by_date(searcher, paragraphs):
    node = Or((Term(FR, "nation"), Term(FR, "conseil")))
    dates = {p.id: p.date for p in paragraphs}
    result = searcher.search(SearchRequest(node, limit=30, sort="date"))
    by_score = {pid: s for pid, s in every(searcher, node).hits}
    assert result.total == len(by_score) and len(result.hits) == 30
    assert all(score is None for _, score in result.hits)
    keys = [(dates[pid], by_score[pid]) for pid, _ in result.hits]
    assert keys == sorted(keys, reverse=True)
    newest = max(dates[pid] for pid in by_score)
    assert dates[result.hits[0][0]] == newest


def test_scores_are_bm25_with_whoosh_idf(searcher, paragraphs, engine):
    """A term's score: Whoosh's idf, log(N / (n + 1)) + 1, times Xapian's BM25 term frequency part."""
    text = frequent_terms(paragraphs, FR)[3]
    n_docs = len(paragraphs)
    n = len(matches(Term(FR, text), paragraphs))
    avg = sum(len(p.tokens) for p in paragraphs if p.tokens) / n_docs
    k1, b = BM25["k1"], BM25["b"]
    for pid, score in every(searcher, Term(FR, text, boost=2.0)).hits:
        p = next(p for p in paragraphs if p.id == pid)
        tf = sum(1 for t, _ in p.tokens if t == text)
        norm = max((1 - b) + b * len(p.tokens) / avg, BM25["min_normlen"])
        expected = 2.0 * (math.log(n_docs / (n + 1)) + 1) * (k1 + 1) * tf / (k1 * norm + tf)
        assert score == pytest.approx(expected, rel=1e-6), pid


def test_boosts_change_order(searcher, paragraphs):
    # two frequent stems, each found in paragraphs without the other
    stems = [t for t in frequent_terms(paragraphs, FR) if not t.startswith("=")][:20]
    a, b = next(
        (a, b)
        for a in stems
        for b in stems
        if a != b
        and matches(And((Term(FR, a),), excluded=(Term(FR, b),)), paragraphs)
        and matches(And((Term(FR, b),), excluded=(Term(FR, a),)), paragraphs)
    )
    first = {}
    for boost_a, boost_b in ((10.0, 1.0), (1.0, 10.0)):
        hits = every(searcher, Or((Term(FR, a, boost=boost_a), Term(FR, b, boost=boost_b)))).hits
        first[boost_a] = hits[0][0]
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert first[10.0] in matches(Term(FR, a), paragraphs) and first[10.0] != first[1.0]
    assert first[1.0] in matches(Term(FR, b), paragraphs)
    words = tuple(tokens("fr", "Nations Unies", mode="query"))
    plain = dict(every(searcher, Phrase(FR, words)).hits)
    boosted = dict(every(searcher, Phrase(FR, words, boost=3.0)).hits)
    assert plain and all(boosted[pid] == pytest.approx(3 * s) for pid, s in plain.items())


def test_a_mostly_new_shard_is_compacted_and_a_small_update_is_not(tmp_path, paragraphs, searcher):
    """Compaction rewrites a shard through a sibling folder swapped in: a new folder after a full write, the
    same folder after an update smaller than the shard, and the same answers either way."""
    engine = XapianKind().create(tmp_path, ("fr", "zh"))
    shard = engine.shards[0].path
    created = shard.stat().st_ino
    writer = engine.writer()
    for p in paragraphs[:-1]:
        writer.add(p)
    writer.commit()
    compacted = shard.stat().st_ino
    assert compacted != created
    assert sorted(d.name for d in (tmp_path / "xapian").iterdir()) == ["manifest.json", "shard-00"]
    writer = engine.writer()
    writer.add(paragraphs[-1])
    writer.commit()
    assert shard.stat().st_ino == compacted  # one paragraph did not rewrite the shard
    assert xapian.Database(str(shard)).get_doccount() == len(paragraphs)
    mine = engine.searcher()
    for text in frequent_terms(paragraphs, FR)[:10]:
        request = SearchRequest(Term(FR, text), limit=10)
        a, b = mine.search(request), searcher.search(request)
        assert (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets), text
    engine.close()


def test_two_shards_answer_as_one(tmp_path, paragraphs, searcher):
    engine = build(tmp_path, paragraphs, shards=2)
    assert sorted(d.name for d in (tmp_path / "xapian").iterdir()) == ["manifest.json", "shard-00", "shard-01"]
    sharded = engine.searcher()
    sizes = [xapian.Database(str(s.path)).get_doccount() for s in engine.shards]
    assert all(sizes) and sum(sizes) == len(paragraphs)
    t = frequent_terms(paragraphs, FR, 3, 80)
    queries = [Term(FR, x) for x in t[:15]] + [Or((Term(FR, x), Term(FR, y))) for x, y in zip(t[15:30], t[30:45])]
    queries += [Phrase(FR, ("nation", "uni")), And((Term(FR, "nation"),), excluded=(Term(FR, "uni"),))]
    for node in queries:
        for kw in ({}, {"sort": "date"}, {"filters": (Filter("year", (2014, 2015)),)}):
            one, two = (
                searcher.search(SearchRequest(node, limit=15, **kw)),
                sharded.search(SearchRequest(node, limit=15, **kw)),
            )
            assert (two.total, two.facets) == (one.total, one.facets), node
            assert [pid for pid, _ in two.hits] == [pid for pid, _ in one.hits], node
            assert [s for _, s in two.hits] == pytest.approx([s for _, s in one.hits]), node
    assert sharded.terms_with_prefix(FR, "secr", 5) == searcher.terms_with_prefix(FR, "secr", 5)
    # every match scores 0: the tie reaches past any cut, and the keys (the order of indexing) decide which
    # paragraphs come first, whatever the number of shards
    french = Filter("lang", ("fr",))
    ids = [p.id for p in sorted(paragraphs, key=lambda p: p.key) if p.lang == "fr"]
    for limit in (1, 7, 25, 40, len(ids)):
        for s in (searcher, sharded):
            assert [pid for pid, _ in s.search(SearchRequest(french, limit=limit)).hits] == ids[:limit]
    engine.close()


# ---------------------------------------------------------------- writing


@pytest.fixture(params=["here", "child"])
def expected(request) -> int:
    """Paragraphs a writer is told to expect: enough for Xapian to write in a child process, or not."""
    return PROCESS_MIN if request.param == "child" else 0


def test_delete_source_and_cancel(tmp_path, paragraphs, monkeypatch, expected):
    engine = build(tmp_path, paragraphs, shards=2)
    before = engine.searcher(pool_size=1)  # its one database stays at the state it opened
    gone = {p.id for p in paragraphs if p.source == "unpc/s"}
    assert gone
    writer = engine.writer(expected=expected)
    writer.delete_source("unpc/s")
    writer.cancel()
    assert engine.searcher().search(SearchRequest(Filter("kind", ("s",)))).total == len(gone)
    writer = engine.writer(expected=expected)
    writer.delete_source("unpc/s")
    writer.commit()
    after = engine.searcher()
    assert after.search(SearchRequest(Filter("kind", ("s",)))).total == 0
    node = Term(FR, "conseil")
    assert {pid for pid, _ in every(after, node).hits} == matches(node, paragraphs) - gone
    # the searcher opened before keeps its state
    assert before.search(SearchRequest(Filter("kind", ("s",)))).total == len(gone)
    # cancel drops adds, even past Xapian's flush threshold (written to disk, never committed)
    monkeypatch.setenv("XAPIAN_FLUSH_THRESHOLD", "500")
    writer = engine.writer(expected=expected)
    extra = [
        IndexedParagraph(**{**p.__dict__, "id": f"x{i}-{p.id}", "key": 10_000 * (i + 1) + p.key, "source": "extra"})
        for i in range(60)
        for p in paragraphs
        if p.source == "unpc/s"
    ]
    for p in extra:
        writer.add(p)
    assert len(extra) > 2 * 500
    writer.cancel()
    reopened = XapianKind().open(tmp_path).searcher()
    assert reopened.search(SearchRequest(Term(FR, "conseil"))).total == len(matches(node, paragraphs) - gone)
    assert reopened.doc_frequency("source", "extra") == 0
    with pytest.raises(TandemError):
        writer.add(paragraphs[0])
    engine.close()


def test_terms_ids_and_prefixes(searcher, paragraphs, tmp_path):
    assert searcher.doc_frequency("id", paragraphs[5].id) == 1
    text = frequent_terms(paragraphs, FR)[0]
    assert searcher.doc_frequency(FR, text) == len(matches(Term(FR, text), paragraphs))
    assert searcher.doc_frequency(FR, "zzzz") == 0
    vocab = sorted({t for p in paragraphs if p.field == FR for t, _ in p.tokens if t.startswith("con")})
    assert searcher.terms_with_prefix(FR, "con", 1000) == vocab
    assert searcher.terms_with_prefix(FR, "con", 3) == vocab[:4]
    # terms past Xapian's 245 bytes are left out of the index, and a query for one matches nothing
    long_word = "é" * 130
    p = IndexedParagraph(
        id="long",
        key=5000,
        doc="d",
        source="s",
        lang="fr",
        kind="k",
        symbol="",
        year=0,
        date=0,
        number="",
        field=FR,
        tokens=[(long_word, 0), ("court", 1)],
    )
    engine = build(tmp_path, [p, *paragraphs[:3]])
    small = engine.searcher()
    assert small.search(SearchRequest(Term(FR, "court"))).hits[0][0] == "long"
    assert small.search(SearchRequest(Term(FR, long_word))).total == 0
    assert small.search(SearchRequest(Phrase(FR, (long_word, "court")))).total == 0
    assert "" not in small.search(SearchRequest(Term(FR, "court"))).facets["symbol"]
    assert "0" not in small.search(SearchRequest(Term(FR, "court"))).facets["year"]
    engine.close()


def test_open_create_and_missing(tmp_path, paragraphs):
    kind = XapianKind()
    assert not kind.exists(tmp_path)
    with pytest.raises(IndexMissing):
        kind.open(tmp_path)
    build(tmp_path, paragraphs[:10], shards=3).close()
    assert kind.exists(tmp_path)
    engine = kind.open(tmp_path)
    assert len(engine.shards) == 3 and engine.languages == ("fr", "zh")
    assert engine.searcher().search(SearchRequest(Filter("lang", ("fr",)))).total == 10
    with pytest.raises(TandemError):
        kind.create(tmp_path, ("fr",))
    engine.close()


def test_shared_between_threads(engine, paragraphs):
    searcher = engine.searcher(pool_size=2)
    t = frequent_terms(paragraphs, FR, 3, 80)
    nodes = [Or((Term(FR, x), Term(FR, y))) for x, y in zip(t[:20], t[20:40])]
    expected = [searcher.search(SearchRequest(n, limit=5)) for n in nodes]
    errors, results = [], {}

    def run(k):
        try:
            results[k] = [searcher.search(SearchRequest(n, limit=5)) for n in nodes]
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors and len(results) == 12
    assert all(r == expected for r in results.values())
    assert searcher._pool._made <= 2  # never more opened databases than the pool holds
    searcher.close()


def test_checkpoints_make_progress_durable_and_cancel_drops_the_rest(tmp_path, paragraphs, expected):
    engine = XapianKind().create(tmp_path, ("fr", "zh"))
    writer = engine.writer(checkpoint=50, expected=expected)
    for p in paragraphs[:120]:
        writer.add(p)
    writer.cancel()
    assert every(engine.searcher(), Filter("lang", ("fr", "zh"))).total == 100


def test_a_child_process_writes_the_same_index(tmp_path, paragraphs, searcher):
    sharded = build(tmp_path / "here", paragraphs, shards=2).searcher()
    child = build(tmp_path / "child", paragraphs, shards=2, child=True).searcher()
    t = frequent_terms(paragraphs, FR, 3, 80)
    first = next(p for p in paragraphs if p.field == FR and len(p.tokens) > 8)
    exact = {pos: term for term, pos in first.tokens if term.startswith("=")}  # one at every position
    phrase = Phrase(FR, (exact[2], exact[3], exact[4]))
    for node in [Term(FR, x) for x in t[:10]] + [phrase, Filter("kind", ("s",))]:
        a, b = sharded.search(SearchRequest(node, limit=15)), child.search(SearchRequest(node, limit=15))
        assert (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets), node
    assert first.id in {pid for pid, _ in child.search(SearchRequest(phrase, limit=50)).hits}  # positions too


def test_a_write_that_fails_in_the_child_fails_the_commit(tmp_path, paragraphs):
    engine = XapianKind().create(tmp_path, ("fr", "zh"))
    writer = engine.writer(expected=PROCESS_MIN)
    writer.add(paragraphs[0])
    writer._shards.add([(7, 1, xapian.Document())])  # no shard 7: the child's add fails, as a full disk would
    writer.add(paragraphs[1])
    with pytest.raises(TandemError, match="IndexError"):
        writer.commit()
    writer.cancel()
    assert xapian.Database(str(engine.shards[0].path)).get_doccount() == 0
    engine.close()


def test_a_killed_writer_process_is_an_error_not_a_hang(tmp_path, paragraphs):
    engine = XapianKind().create(tmp_path, ("fr", "zh"))
    writer = engine.writer(expected=PROCESS_MIN)
    writer.add(paragraphs[0])
    writer._shards._child.kill()
    with pytest.raises(TandemError, match="ended unexpectedly"):
        writer.commit()
    writer.cancel()
    assert xapian.Database(str(engine.shards[0].path)).get_doccount() == 0
    engine.close()


@pytest.mark.parametrize("shards", [1, 3])
def test_hits_by_key_are_the_hits_read_from_the_documents(tmp_path, paragraphs, shards):
    build(tmp_path, paragraphs, shards=shards).close()
    by_key = {p.key: p.id for p in paragraphs}
    from_documents = XapianKind().open(tmp_path).searcher()
    from_keys = XapianKind().open(tmp_path, paragraph_ids=lambda keys: [by_key.get(k) for k in keys]).searcher()
    t = frequent_terms(paragraphs, FR, 3, 80)
    for node in [Term(FR, x) for x in t[:10]] + [Filter("kind", ("s",)), Filter("lang", ("zh",))]:
        for sort in ("relevance", "date"):
            request = SearchRequest(node, limit=15, sort=sort)
            a, b = from_documents.search(request), from_keys.search(request)
            assert a.hits and (a.total, a.hits) == (b.total, b.hits), (node, sort)
    partial = {k: v for k, v in by_key.items() if k % 2}
    other_build = XapianKind().open(tmp_path, paragraph_ids=lambda keys: [partial.get(k) for k in keys]).searcher()
    with pytest.raises(EngineUnavailable, match="the shards and the catalog come from different builds"):
        other_build.search(SearchRequest(Filter("lang", ("fr",)), limit=20))


def test_a_paragraph_without_a_key_is_refused(tmp_path, paragraphs):
    writer = XapianKind().create(tmp_path, ("fr", "zh")).writer()
    with pytest.raises(TandemError, match="has no key"):
        writer.add(IndexedParagraph(**{**paragraphs[0].__dict__, "key": 0}))
    writer.cancel()
