"""The faster segment flush writes exactly what Whoosh's own writes, block statistics included."""

from __future__ import annotations

from whoosh import index as whoosh_index
from whoosh import writing

from indexer import whoosh_speedups
from indexer.analysis import field_name
from indexer.readers import discover, read_unit
from indexer.schema import build_schema

from .conftest import DATA


def _build(folder, docs):
    ix = whoosh_index.create_in(folder, build_schema())
    w = ix.writer()
    for d in docs:
        for p in d.paragraphs:
            w.add_document(id=p.id, doc=d.id, source=d.source, lang=d.lang, kind=p.kind, symbol=d.symbol or "",
                           number=p.number or "", year=2015, date=20150101, **{field_name(d.lang): p.text})
    w.commit()
    return ix


def _dump(ix):
    out = []
    with ix.reader() as r:
        for fieldname, term in r.all_terms():
            m = r.postings(fieldname, term)
            while m.is_active():
                out.append((fieldname, term, m.id(), m.weight(), m.block_min_length(), m.block_max_length(),
                            m.block_max_weight()))
                m.next()
    return out


def test_same_postings_and_block_stats(tmp_path, monkeypatch):
    units, _ = discover(DATA / "unpc-sample")
    docs = read_unit(units[0]).documents
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.setattr(writing.SegmentWriter, "_flush_segment", whoosh_speedups._flush_segment)
    fast = _dump(_build(tmp_path / "a", docs))
    monkeypatch.setattr(writing.SegmentWriter, "_flush_segment", whoosh_speedups.whoosh_flush_segment)
    slow = _dump(_build(tmp_path / "b", docs))
    assert len(fast) > 10_000 and fast == slow
