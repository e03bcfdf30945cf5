"""Totals exact up to exact_total and estimated past it, facets exact or estimated with them, facets only
when asked, and the time budget: one contract, on both engines."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexer.config import load_config
from indexer.engines.base import FACETS, SearchRequest
from indexer.errors import BadRequest, ConfigError
from indexer.query.planner import plan
from server.cli import cli

FREQUENT = ("nations", "développement", "联合国")  # hundreds of matches each in the shipped corpus


def ids(result):
    return [h["id"] for h in result["hits"]]


def exact(service, q, **kw):
    """The search counted to the last match."""
    r = service.search(q, exact_total=10**12, marks=False, **kw)  # more than any engine counts in
    assert r["total_relation"] == "eq" and r["facets_exact"]
    return r


@pytest.mark.parametrize("q", FREQUENT)
def test_up_to_exact_total_totals_and_facets_are_exact(service, q):
    full = exact(service, q)
    assert full["total"] > 200
    at = service.search(q, exact_total=full["total"], marks=False)
    assert (at["total"], at["total_relation"], at["facets"], at["facets_exact"]) == (
        full["total"],
        "eq",
        full["facets"],
        True,
    )
    assert sum(full["facets"]["year"].values()) <= full["total"]


@pytest.mark.parametrize("q", FREQUENT)
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_past_exact_total_the_hits_are_the_same_and_the_counts_estimated(service, engine, q, sort):
    full = exact(service, q, sort=sort, limit=30)
    past = service.search(q, exact_total=20, marks=False, sort=sort, limit=30)
    assert ids(past) == ids(full)  # the best hits never depend on counting
    if engine == "whoosh":  # counting costs nothing next to scoring there: it stays exact
        assert (past["total"], past["total_relation"], past["facets"]) == (full["total"], "eq", full["facets"])
        return
    assert past["total_relation"] in ("about", "eq") and not past["facets_exact"]
    if past["total_relation"] == "eq":
        assert past["total"] == full["total"]
    assert abs(past["total"] - full["total"]) <= 0.35 * full["total"]
    assert set(past["facets"]["year"]) <= set(full["facets"]["year"])  # fewer than facet_limit years
    top = next(iter(full["facets"]["year"]))
    assert abs(past["facets"]["year"].get(top, 0) - full["facets"]["year"][top]) <= 0.35 * full["facets"]["year"][top]


def test_pages_past_the_estimate_stay_reachable(service, engine):
    full = exact(service, "nations", limit=100)
    last = full["total"] - full["total"] % 10
    page = service.search("nations", exact_total=20, offset=last, limit=10, marks=False)
    assert ids(page) == ids(service.search("nations", offset=last, limit=10, marks=False))
    assert len(page["hits"]) == full["total"] - last
    # a page past the last match is empty, and says the total exactly: every match was seen
    beyond = service.search("nations", exact_total=20, offset=full["total"] + 10, limit=10, marks=False)
    assert beyond["hits"] == [] and (beyond["total"], beyond["total_relation"]) == (full["total"], "eq")


def test_the_config_sets_the_exact_count(shipped_index, engine):
    from server.search import SearchService

    svc = SearchService(shipped_index[0].replace(exact_total=20))
    try:
        r = svc.search("nations", marks=False)
    finally:
        svc.close()
    assert r["total_relation"] == ("eq" if engine == "whoosh" else "about")


def test_facets_only_when_asked(service, client):
    assert set(service.search("paix", marks=False)["facets"]) == set(FACETS)
    assert service.search("paix", facets=(), marks=False)["facets"] == {}
    assert set(service.search("paix", facets=("kind", "year"), marks=False)["facets"]) == {"kind", "year"}
    with pytest.raises(BadRequest, match="unknown facet 'lang'"):
        service.search("paix", facets=("lang",))
    assert set(client.get("/api/search?q=paix").get_json()["facets"]) == set(FACETS)
    assert client.get("/api/search?q=paix&facets=").get_json()["facets"] == {}
    assert set(client.get("/api/search?q=paix&facets=year,symbol").get_json()["facets"]) == {"year", "symbol"}
    bad = client.get("/api/search?q=paix&facets=year,colour")
    assert bad.status_code == 400 and "facets must be some of year, kind, symbol" in bad.get_json()["error"]["message"]


def _request(service, q, lang, **kw):
    with service.reader() as rd:
        planned = plan(q, lang, rd)
        return rd.searcher.search(SearchRequest(planned.query, planned.filters, 10, **kw)), planned


def test_out_of_time_the_answer_is_what_was_found(service, engine, monkeypatch):
    full, _ = _request(service, "nations", "fr")
    if engine == "xapian":
        # no time left once the best hits are found: the matches counted so far are the answer
        cut, _ = _request(service, "nations", "fr", exact_total=20, max_ms=0)
        assert cut.total_relation == "gte" and not cut.facets_exact
        assert 20 < cut.total <= full.total and cut.hits == full.hits
        return
    from indexer.engines.whoosh_engine import evaluator

    monkeypatch.setattr(evaluator, "PHRASE_CHUNK", 2)  # the clock is looked at every 2 candidates
    q = '"des nations unies"'
    whole, _ = _request(service, q, "fr")
    assert whole.total > 10 and whole.total_relation == "eq"
    cut, _ = _request(service, q, "fr", max_ms=0)
    assert cut.total_relation == "gte" and not cut.facets_exact
    assert 0 < cut.total < whole.total
    found = {pid for pid, _ in cut.hits}
    with service.reader() as rd:
        planned = plan(q, "fr", rd)
        all_hits = rd.searcher.search(SearchRequest(planned.query, planned.filters, whole.total)).hits
    assert found <= {pid for pid, _ in all_hits}


def test_the_api_says_how_the_total_relates(client, engine):
    body = client.get("/api/search?q=nations").get_json()
    assert body["total_relation"] == "eq" and body["facets_exact"] is True
    spec = client.get("/api/openapi.json").get_json()
    relation = spec["components"]["schemas"]["SearchResponse"]["properties"]["total_relation"]
    assert relation["enum"] == ["eq", "about", "gte"] and "estimate" in relation["description"]
    assert any(p["name"] == "facets" for p in spec["paths"]["/api/search"]["get"]["parameters"])


def test_search_command_counts_exactly_up_to_its_flag(shipped_index, engine):
    cfg, _ = shipped_index
    runner = CliRunner()
    out = runner.invoke(cli, ["search", "nations", "--exact-total", "20", "--index", str(cfg.index_dir)])
    assert out.exit_code == 0, out.output
    first = out.output.splitlines()[0]
    if engine == "xapian":
        assert first.startswith("about ") and "paragraphs match 'nations'" in first
    else:
        assert first.split()[1:3] == ["paragraphs", "match"]
    as_json = runner.invoke(cli, ["search", "nations", "--json", "--exact-total", "20", "--index", str(cfg.index_dir)])
    data = json.loads(as_json.stdout)
    assert data["total_relation"] == ("eq" if engine == "whoosh" else "about") and set(data["facets"]) == set(FACETS)
    bad = runner.invoke(cli, ["search", "nations", "--exact-total", "-1", "--index", str(cfg.index_dir)])
    assert bad.exit_code == 2


def test_config_bounds(tmp_path):
    with pytest.raises(ConfigError, match="exact_total"):
        load_config(None, exact_total=-1)
    with pytest.raises(ConfigError, match="max_search_ms"):
        load_config(None, max_search_ms=0)
    path = tmp_path / "config.toml"
    path.write_text("[server]\nexact_total = 500\nmax_search_ms = 50\n", encoding="utf-8")
    cfg = load_config(path)
    assert (cfg.exact_total, cfg.max_search_ms) == (500, 50)


# ---------------------------------------------------------------- the sample (Xapian)


def _ordered_index(path, monkeypatch=None):
    """8,000 paragraphs whose years follow their keys, as a corpus indexed year after year: 2,000 a year
    from 2000 to 2003; all hold "commun", the even keys "pair", the odd ones "impair"; a third are
    preambular."""
    from indexer.engines.base import IndexedParagraph
    from indexer.engines.xapian_engine import XapianKind

    engine = XapianKind().create(path, ("fr", "zh"))
    writer = engine.writer()
    for key in range(1, 8001):
        year = 2000 + (key - 1) // 2000
        writer.add(
            IndexedParagraph(
                id=f"fr-{key}",
                key=key,
                doc=f"doc-{(key - 1) // 40}",
                source="s",
                lang="fr",
                kind="preambular" if key % 3 == 0 else "operative",
                symbol=f"A/RES/{(key - 1) // 40}",
                year=year,
                date=year * 10000 + 101,
                number="",
                field="text_fr",
                tokens=[("commun", 0), ("impair" if key % 2 else "pair", 1)],
            )
        )
    writer.commit()
    return engine


def test_a_sample_spread_over_the_index_is_not_fooled_by_indexing_order(tmp_path):
    from indexer.query.nodes import Or, Term

    pytest.importorskip("xapian")
    engine = _ordered_index(tmp_path / "x")
    searcher = engine.searcher()
    try:
        one = SearchRequest(Term("text_fr", "commun"), facets=("year", "kind"), exact_total=500)
        r = searcher.search(one)
        # the total of one word is known from its postings; its facets are estimated
        assert (r.total, r.total_relation, r.facets_exact) == (8000, "eq", False)
        # the first 500 matches would all be of 2000: the sample sees every year as it is
        assert set(r.facets["year"]) == {"2000", "2001", "2002", "2003"}
        assert all(abs(n - 2000) <= 0.15 * 2000 for n in r.facets["year"].values()), r.facets
        assert abs(r.facets["kind"]["operative"] - 5334) <= 0.1 * 5334
        # either word: the postings only say 4,000 to 8,000, finding the best hits counts them (every match
        # weighs the same: none can be skipped), the facets come from the sample
        either = Or((Term("text_fr", "pair"), Term("text_fr", "impair")))
        both = searcher.search(SearchRequest(either, exact_total=500))
        assert (both.total, both.total_relation, both.facets_exact) == (8000, "eq", False)
        assert all(abs(n - 2000) <= 0.15 * 2000 for n in both.facets["year"].values()), both.facets
        exact = searcher.search(SearchRequest(Term("text_fr", "commun"), facets=("year",)))
        assert exact.facets_exact and exact.facets["year"] == {str(y): 2000 for y in range(2000, 2004)}
    finally:
        searcher.close()
        engine.close()


def test_an_index_without_sample_terms_counts_every_match(tmp_path, monkeypatch):
    from indexer.engines import xapian_terms
    from indexer.query.nodes import Term

    pytest.importorskip("xapian")
    monkeypatch.setattr(xapian_terms, "sample_level", lambda key: 0)  # as built before sample terms
    engine = _ordered_index(tmp_path / "x")
    searcher = engine.searcher()
    try:
        r = searcher.search(SearchRequest(Term("text_fr", "commun"), facets=("year",), exact_total=500))
        assert (r.total, r.total_relation, r.facets_exact) == (8000, "eq", True)
        assert r.facets["year"] == {str(y): 2000 for y in range(2000, 2004)}
    finally:
        searcher.close()
        engine.close()


def test_sample_levels_halve_and_ignore_key_order():
    from indexer.engines.xapian_terms import sample_level

    levels = [sample_level(key) for key in range(1, 200_001)]
    for level in (1, 3, 6):
        share = sum(lv >= level for lv in levels) / len(levels)
        assert abs(share - 2**-level) <= 0.1 * 2**-level
        first = sum(lv >= level for lv in levels[:20_000]) / 20_000  # the first keys: no more, no fewer
        assert abs(first - 2**-level) <= 0.15 * 2**-level


def test_the_compound_judge_of_the_quality_bench():
    from bench.search_quality import compound_part

    dictionary = {"欧洲": 5, "主义": 5, "发展": 5, "国家": 5, "联盟": 5}
    assert compound_part("联盟", {"欧洲联盟"}, dictionary)  # tail of 欧洲 + 联盟
    assert compound_part("恐怖", {"恐怖主义"}, dictionary)  # head of 恐怖 + 主义
    assert compound_part("联盟", {"联盟"}, dictionary)
    assert not compound_part("中国", {"发展中国家"}, dictionary)  # across an inner boundary
    assert not compound_part("联盟", {"非洲联盟"}, dictionary)  # 非洲 is not in this dictionary
