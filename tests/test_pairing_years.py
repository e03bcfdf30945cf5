"""Year-to-year pairing: a document without a translation of its own year takes the nearest year's version
of the same recurring resolution, even one already paired, so several years may share one translation."""

from __future__ import annotations

import shutil

import pytest

from indexer.build import build_index
from indexer.catalog import Catalog
from indexer.checks import check_document
from indexer.pairing import pair_documents
from indexer.readers.un_text import parse_un_text
from indexer.store import CATALOG, current_generation

from .conftest import CORPUS, DATA, FR_SEED, ZH_SEED

NEXT_YEAR = DATA / "next-year" / "A_RES_69_38.fr.txt"  # 69/38 (2014), made from 68/38: see its README


def _doc(path, name):
    return parse_un_text(path.read_text(encoding="utf-8"), name)


def test_two_french_years_share_the_one_chinese_text():
    docs = [_doc(CORPUS / FR_SEED, FR_SEED), _doc(CORPUS / ZH_SEED, ZH_SEED), _doc(NEXT_YEAR, "69.txt")]
    pairs = pair_documents(docs, "fr", "zh")
    got = [(p.a.symbol, p.b.symbol, p.relation, p.detail["a_year"], p.detail["b_year"]) for p in pairs]
    assert sorted(got) == [
        ("A/RES/68/38", "A/RES/67/38", "other_year", 2013, 2012),
        ("A/RES/69/38", "A/RES/67/38", "other_year", 2014, 2012),
    ]


def test_the_nearest_year_is_taken_when_there_are_several():
    fr68, zh67, fr69 = _doc(CORPUS / FR_SEED, "a"), _doc(CORPUS / ZH_SEED, "b"), _doc(NEXT_YEAR, "c")
    zh68 = _doc(CORPUS / ZH_SEED, "d")  # the Chinese text under 68/38's symbol and year
    zh68.symbol, zh68.date = "A/RES/68/38", "2013-12-05"
    got = sorted((p.a.symbol, p.b.symbol, p.relation) for p in pair_documents([fr68, zh67, fr69, zh68], "fr", "zh"))
    # 68/38 has its own year's Chinese; 69/38 takes 2013's, the nearest; 67/38 in Chinese takes 68/38 in French
    assert got == [
        ("A/RES/68/38", "A/RES/67/38", "other_year"),
        ("A/RES/68/38", "A/RES/68/38", "same"),
        ("A/RES/69/38", "A/RES/68/38", "other_year"),
    ]


@pytest.fixture()
def years_corpus(tmp_path):
    corpus = tmp_path / "years"
    corpus.mkdir()
    for name in (FR_SEED, ZH_SEED):
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


def test_a_new_year_added_to_an_index_gets_last_years_translation(years_corpus, small_config, engine):
    from server.search import SearchService

    cfg = small_config.replace(corpus_dir=years_corpus)
    assert build_index(cfg).pairs_aligned == 1
    shutil.copy(NEXT_YEAR, years_corpus / "A_RES_69_38.fr.txt")
    report = build_index(cfg)
    assert report.added == ["A_RES_69_38.fr.txt"] and report.pairs_aligned == 1  # 68/38's pair is kept

    svc = SearchService(cfg)
    try:
        hits = svc.search('"soixante-dixième"', lang="fr", symbol="A/RES/69/38")["hits"]
        assert hits
        for hit in hits:
            (translation,) = hit["translations"]
            assert translation["id"].startswith("zh-a-res-67-38.")
            assert translation["relation"]["type"] == "other_year"
            assert translation["relation"]["to"] == {"symbol": "A/RES/67/38", "year": 2012}
            assert "(2012)" in translation["relation"]["label"]
        title = svc.search("multilatéralisme", lang="fr", symbol="A/RES/68/38", limit=50)["hits"]
        assert any(t["id"].startswith("zh-a-res-67-38.") for h in title for t in h["translations"])
    finally:
        svc.close()

    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    try:
        # the Chinese text's check compares each of its two pairs, 25 aligned paragraphs each
        docs, compared, checks = check_document(cat, "A/RES/67/38")
        assert compared == 50
        assert {c.pair.a for c in checks} == {"fr-a-res-68-38", "fr-a-res-69-38"}
        _, compared, checks = check_document(cat, "A/RES/69/38")
        assert compared == 25
        # the resolution recalled in 2014 and not in the 2012 text: to be added to last year's Chinese
        assert any({"68/38", "2013-12-05"} <= set(c.differences.only["fr"]) for c in checks)
    finally:
        cat.close()
