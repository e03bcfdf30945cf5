"""The Whoosh engine's uses of Whoosh internals: pinned, and equal to what Whoosh itself computes."""

from __future__ import annotations

import re

import numpy as np
import pytest
from whoosh import query as wq
from whoosh import writing
from whoosh.filedb.structfile import BufferFile

from indexer.analysis import field_name
from indexer.build import build_index
from indexer.config import Config
from indexer.engines.base import IndexedParagraph
from indexer.engines.whoosh_engine import WhooshKind, internals
from indexer.engines.whoosh_engine.schema import pair_field
from indexer.errors import TandemError
from indexer.preparation import analyse
from indexer.query import nodes as n
from indexer.query.planner import plan
from indexer.readers import discover, read_unit
from server.search import SearchService

from .conftest import CORPUS, DATA, FR_SEED

QUERIES = [
    ("fr", "paix"),
    ("fr", "sécurité internationale"),
    ("fr", "désarmement OR terrorisme"),
    ("fr", "nations -unies"),
    ("fr", "conseil NOT sécurité"),
    ("fr", "(paix OR guerre) femmes"),
    ("zh", "裁军"),
    ("zh", "和平 OR 安全"),
    ("zh", "国际 -安全"),
    ("fr", "proliférat*"),
    ("fr", '"destruction massive"'),
    ("fr", '"Conseil de sécurité" paix'),
    ("zh", "多边主义"),
    ("zh", "不扩散核武器条约"),
    ("fr", '"armes nucléaires" OR "armes chimiques"'),
    ("zh", "安全理事会 -和平"),
    ("zh", "国"),
    ("fr", '"de la"'),
    ("fr", '"la paix et la sécurité internationales"'),
    ("fr", '"l\'Assemblée générale"'),
]


def to_whoosh(node) -> wq.Query:
    """The same query as Whoosh's own query objects."""
    if isinstance(node, n.Term):
        return wq.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, n.Phrase):
        return wq.Phrase(node.field, list(node.terms), boost=node.boost)
    if isinstance(node, n.Or):
        return wq.Or([to_whoosh(c) for c in node.children], boost=node.boost)
    if isinstance(node, n.And):
        positive = wq.And([to_whoosh(c) for c in node.children])
        if not node.excluded:
            return positive
        return wq.AndNot(positive, wq.Or([to_whoosh(c) for c in node.excluded]))
    raise AssertionError(node)


def truth(searcher, node) -> set[int]:
    """Matching documents by plain set algebra over Whoosh's own matches of each term and phrase."""
    if isinstance(node, (n.Term, n.Phrase)):
        return set(searcher.docs_for_query(to_whoosh(node)))
    if isinstance(node, n.Or):
        return set().union(*(truth(searcher, c) for c in node.children))
    if isinstance(node, n.And):
        return set.intersection(*(truth(searcher, c) for c in node.children)) - set().union(
            *(truth(searcher, c) for c in node.excluded)
        )
    raise AssertionError(node)


def compare(svc: SearchService, lang: str, q: str):
    with svc.reader() as rd:
        engine = rd.searcher
        node = plan(q, lang, rd).query
        with engine._searcher() as s:
            docs, scores = engine.evaluator.run(node, s)
            assert np.all(np.diff(docs) > 0), q
            assert docs.tolist() == sorted(truth(s, node)), q
            mine = [(int(docs[i]), scores[i]) for i in np.lexsort((docs, -scores))[:25]]
            valid = set(docs.tolist())
            whoosh = sorted(
                ((h.docnum, h.score) for h in s.search(to_whoosh(node), limit=None) if h.docnum in valid),
                key=lambda x: (-x[1], x[0]),
            )[:25]
    assert [d for d, _ in mine] == [d for d, _ in whoosh], q
    assert np.allclose([s for _, s in mine], [s for _, s in whoosh]), q


@pytest.mark.parametrize("lang, q", QUERIES)
def test_numpy_evaluation_equals_whoosh(service, lang, q):
    if service.config.engine != "whoosh":
        pytest.skip("Whoosh engine only")
    compare(service, lang, q)


def test_phrases_read_from_word_pairs_equal_phrases_read_from_positions(service):
    """Every 2- to 5-word window of the French seed, as a phrase: the word pairs give the same documents and
    the same scores as the words' positions, and the index holds the pairs."""
    if service.config.engine != "whoosh":
        pytest.skip("Whoosh engine only")
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", (CORPUS / FR_SEED).read_text(encoding="utf-8"))[:400]
    tried = found = 0
    with service.reader() as rd:
        engine = rd.searcher
        with engine._searcher() as s:
            assert pair_field(field_name("fr")) in s.schema
            for size in range(2, 6):
                for start in range(0, len(words) - size, 7):
                    phrase = plan('"' + " ".join(words[start : start + size]) + '"', "fr", rd).query
                    if not isinstance(phrase, n.Phrase):
                        continue
                    ev = engine.evaluator
                    by_pairs = ev._phrase_of_pairs(s, phrase.field, phrase.terms, None)
                    by_positions = ev._phrase_of_positions(s, phrase.field, phrase.terms, None)
                    assert by_pairs[0].tolist() == by_positions[0].tolist(), phrase
                    found += by_pairs[0].size > 0
                    assert by_pairs[1].tolist() == by_positions[1].tolist(), phrase
                    tried += 1
    assert tried > 100 and found > tried / 2  # most windows of the seed are found (some cross a number, a note, a page)


def test_lengths_read_at_once_equal_lengths_read_one_by_one(service):
    """The field-length columns' bytes read at once give what iterating Whoosh's column reader gives."""
    if service.config.engine != "whoosh":
        pytest.skip("Whoosh engine only")
    with service.reader() as rd:
        with rd.searcher._searcher() as s:
            tried = 0
            for leaf, _ in internals.leaves(s):
                for lang in service.languages:
                    column = leaf._perdoc._cached_reader(
                        internals._lenfield(field_name(lang)), internals.LENGTHS_COLUMN
                    )
                    if column is None:
                        continue
                    n = leaf.doc_count_all()
                    fast = internals.length_bytes(column, n)
                    assert fast.tolist() == list(column) and fast.size == n and fast.any()
                    tried += 1
    assert tried >= 2


def test_deleted_documents_are_left_out(small_config, small_corpus):
    if small_config.engine != "whoosh":
        pytest.skip("Whoosh engine only")
    build_index(small_config)
    fr = small_corpus / FR_SEED
    fr.write_text(fr.read_text(encoding="utf-8").replace("Prend acte", "Prend note"), encoding="utf-8")
    build_index(small_config)  # the old version's paragraphs are deleted from their segment
    svc = SearchService(small_config)
    try:
        for q in ("multilatéralisme", "prend acte", "désarmement OR paix"):
            compare(svc, "fr", q)
        assert svc.search("prend note", symbol="A/RES/68/38")["total"] == 1
    finally:
        svc.close()


def test_the_pinned_version_is_installed():
    internals.check()


def test_another_version_fails_loudly(monkeypatch):
    monkeypatch.setattr(internals, "version", lambda name: "2.7.6")
    with pytest.raises(TandemError, match="2.7.6 is installed"):
        internals.check()


def test_missing_internals_fail_loudly(monkeypatch):
    from whoosh.codec.whoosh3 import W3LeafMatcher

    monkeypatch.delattr(W3LeafMatcher, "_read_ids")
    with pytest.raises(TandemError, match="W3LeafMatcher._read_ids"):
        internals.check()


def _build(folder, docs):
    engine = WhooshKind().create(folder, ("fr", "zh"))
    w = engine.writer(Config())
    keys = []
    for d in docs:
        for p in d.paragraphs:
            keys.append(p.id)
            w.add(
                IndexedParagraph(
                    id=p.id,
                    key=len(keys) + 1,
                    doc=d.id,
                    source=d.source,
                    lang=d.lang,
                    kind=p.kind,
                    symbol=d.symbol or "",
                    year=2015,
                    date=20150101,
                    number=p.number or "",
                    field=f"text_{d.lang}",
                    tokens=analyse(d.lang, p.text),
                )
            )
    w.commit()
    return engine.ix


def _dump(ix):
    out = []
    with ix.reader() as r:
        for fieldname, term in r.all_terms():
            m = r.postings(fieldname, term)
            while m.is_active():
                out.append(
                    (
                        fieldname,
                        term,
                        m.id(),
                        m.weight(),
                        m.block_min_length(),
                        m.block_max_length(),
                        m.block_max_weight(),
                    )
                )
                m.next()
    return out


def test_fast_flush_writes_what_whoosh_writes(tmp_path, monkeypatch):
    units, _ = discover(DATA / "unpc-sample")
    docs = read_unit(units[0]).documents
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.setattr(internals, "install_fast_flush", lambda: None)  # each build picks its flush here
    monkeypatch.setattr(writing.SegmentWriter, "_flush_segment", internals.fast_flush_segment)
    fast = _dump(_build(tmp_path / "a", docs))
    monkeypatch.setattr(writing.SegmentWriter, "_flush_segment", internals.whoosh_flush_segment)
    slow = _dump(_build(tmp_path / "b", docs))
    assert len(fast) > 10_000 and fast == slow


def test_segments_are_plain_files_read_in_place(tmp_path):
    # Whoosh copies a file of a compound segment into memory each time a searcher opens it
    units, _ = discover(DATA / "unpc-sample")
    ix = _build(tmp_path, read_unit(units[0]).documents)
    names = [p.name for p in tmp_path.iterdir()]
    assert any(n.endswith(".pst") for n in names) and not any(n.endswith(".seg") for n in names), names
    with ix.searcher() as s:
        for leaf, _ in s.reader().leaf_readers():
            assert not isinstance(leaf._terms._postfile, BufferFile)  # a file on disk, not a copy
