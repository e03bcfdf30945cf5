"""The numpy term engine gives exactly Whoosh's matches, scores and order."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.build import build_index
from server.engine import TermEngine
from server.search import SearchService

from .conftest import FR_SEED

QUERIES = [("fr", "paix"), ("fr", "sécurité internationale"), ("fr", "désarmement OR terrorisme"),
           ("fr", "nations -unies"), ("fr", "conseil NOT sécurité"), ("fr", "(paix OR guerre) femmes"),
           ("zh", "裁军"), ("zh", "和平 OR 安全"), ("zh", "国际 -安全"), ("fr", "proliférat*"),
           ("fr", '"destruction massive"'), ("fr", '"Conseil de sécurité" paix'), ("zh", "多边主义"),
           ("zh", "不扩散核武器条约"), ("fr", '"armes nucléaires" OR "armes chimiques"'), ("zh", "安全理事会 -和平")]


def _compare(svc: SearchService, lang: str, q: str):
    from server.query import expand_prefixes

    with svc.reader() as rd:
        parsed = expand_prefixes(svc.parsers.parse(q, lang), rd.catalog)
        assert TermEngine.supports(parsed, f"text_{lang}"), q
        docs, scores = TermEngine(rd.searcher).run(parsed, rd.searcher)
        assert np.all(np.diff(docs) > 0), q
        assert docs.tolist() == _truth(rd.searcher, parsed), q
        # Whoosh's scores and order (score, then document number) over the same documents
        mine = [(int(docs[i]), scores[i]) for i in np.lexsort((docs, -scores))[:25]]
        valid = set(docs.tolist())
        whoosh = sorted(((h.docnum, h.score) for h in rd.searcher.search(parsed, limit=None) if h.docnum in valid),
                        key=lambda x: (-x[1], x[0]))[:25]
        assert [d for d, _ in mine] == [d for d, _ in whoosh], q
        assert np.allclose([s for _, s in mine], [s for _, s in whoosh]), q


def _truth(searcher, q) -> list[int]:
    """Matching documents by plain set algebra over each term's documents."""
    from whoosh import query as wq

    def docs(node) -> set[int]:
        if isinstance(node, (wq.Term, wq.Phrase)):
            return set(searcher.docs_for_query(node))
        if isinstance(node, wq.AndNot):
            return docs(node.a) - docs(node.b)
        if isinstance(node, wq.And):
            pos = [docs(c) for c in node.children() if not isinstance(c, wq.Not)]
            neg = [docs(c.query) for c in node.children() if isinstance(c, wq.Not)]
            return set.intersection(*pos) - set().union(*neg)
        if isinstance(node, wq.Or):
            return set().union(*(docs(c) for c in node.children()))
        raise AssertionError(node)

    return sorted(docs(q))


@pytest.mark.parametrize("lang, q", QUERIES)
def test_engine_matches_whoosh(service, lang, q):
    _compare(service, lang, q)


def test_engine_leaves_out_deleted_documents(small_config, small_corpus):
    build_index(small_config)
    fr = small_corpus / FR_SEED
    fr.write_text(fr.read_text(encoding="utf-8").replace("Prend acte", "Prend note"), encoding="utf-8")
    build_index(small_config)  # the old version's paragraphs are deleted from their segment
    svc = SearchService(small_config)
    try:
        for q in ("multilatéralisme", "prend acte", "désarmement OR paix"):
            _compare(svc, "fr", q)
        assert svc.search("prend note", symbol="A/RES/68/38")["total"] == 1
    finally:
        svc.close()


def test_totals_of_negations_are_exact(service):
    # Whoosh's own AND NOT can let an excluded document through; totals follow set algebra
    with service.reader() as rd:
        nations = set(rd.searcher.docs_for_query(service.parsers.parse("nations", "fr")))
        unies = set(rd.searcher.docs_for_query(service.parsers.parse("unies", "fr")))
        paix = set(rd.searcher.docs_for_query(service.parsers.parse("paix", "fr")))
        phrase = set(rd.searcher.docs_for_query(service.parsers.parse('"Nations Unies"', "fr")))
    assert service.search("nations -unies", limit=100)["total"] == len(nations - unies)
    assert service.search('"Nations Unies" -paix', limit=100)["total"] == len(phrase - paix)


@pytest.mark.parametrize("lang, q", [("zh", "国"), ("fr", "kind:title paix"), ("fr", "symbol:A/RES/68/38")])
def test_other_queries_go_to_whoosh(service, lang, q):
    parsed = service.parsers.parse(q, lang)
    assert not TermEngine.supports(parsed, f"text_{lang}")
