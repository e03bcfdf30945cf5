"""Paragraphs too long: cut at sentence ends (a sentence too long at a space, or a character) as a build reads
them, the cut recorded and shown in the API; search answers bounded by excerpts that link the whole."""

from __future__ import annotations

import shutil

import jsonschema
import pytest

from indexer.build import build_index
from indexer.catalog import Catalog
from indexer.config import load_config
from indexer.errors import ConfigError
from indexer.sentences import sentence_spans
from indexer.splitting import split_text
from indexer.store import CATALOG, current_generation
from server.app import create_app
from server.excerpts import EXCERPT_CHARS, MAX_TRANSLATIONS
from tests.conftest import CORPUS, FR_SEED, ZH_SEED

FRENCH = (
    "Le Conseil se réunit. M. Dupont prend la parole (voir art. 5 et par. 3). « Nous approuvons. » "
    "1. Décide de rester saisi de la question ; et ainsi de suite!  Fin"
)
LIMIT = 4_000  # max_paragraph_chars of the built tests: the sample's long row is cut into pieces of over 2,000


def test_french_sentence_spans_are_pinned():
    assert sentence_spans(FRENCH, "fr") == [(0, 21), (22, 72), (73, 93), (94, 155), (157, 160)]
    text = 'Voir le document No. 12. Le texte dit : "Non." Puis il ajoute... Rien? Oui.'
    assert sentence_spans(text, "fr") == [(0, 24), (25, 46), (47, 64), (65, 70), (71, 75)]
    assert sentence_spans(" Une phrase sans fin ", "fr") == [(1, 20)]
    assert sentence_spans("", "fr") == [] and sentence_spans("  ", "fr") == []


def test_chinese_sentence_spans_are_pinned():
    text = "大会决定。安理会请求！是否同意？注意；“引文。”结束"
    assert sentence_spans(text, "zh") == [(0, 5), (5, 11), (11, 16), (16, 24), (24, 26)]  # ； does not end one


def test_a_paragraph_over_the_limit_is_cut_at_sentence_ends():
    assert split_text(FRENCH, "fr", 100) == [
        "Le Conseil se réunit. M. Dupont prend la parole (voir art. 5 et par. 3). « Nous approuvons. »",
        "1. Décide de rester saisi de la question ; et ainsi de suite!  Fin",
    ]
    assert split_text(FRENCH, "fr", len(FRENCH)) == [FRENCH]
    assert split_text("大会决定。安理会请求！是否同意？", "zh", 11) == ["大会决定。安理会请求！", "是否同意？"]


def test_a_sentence_over_the_limit_is_cut_hard():
    assert split_text("a" * 250, "fr", 100) == ["a" * 100, "a" * 100, "a" * 50]
    words = " ".join(f"mot{i}" for i in range(60))  # no sentence end: cut at the last space that fits
    pieces = split_text(words, "fr", 100)
    assert all(len(p) <= 100 for p in pieces) and " ".join(pieces) == words
    assert [len(p) for p in pieces] == [97, 95, 95, 59]  # each as many words as fit
    chinese = "联合国" * 50 + "。大会决定。"
    assert split_text(chinese, "zh", 100) == ["联合国" * 33 + "联", "合国" + "联合国" * 16 + "。大会决定。"]


def test_max_paragraph_chars_is_checked():
    with pytest.raises(ConfigError, match="max_paragraph_chars must be at least 100"):
        load_config(None, max_paragraph_chars=10)


def _long_bitext(corpus):
    """long.fr / long.zh: a short row, the sample's 200 lines run together (the French ending with a word
    found nowhere else), and another short row."""
    sample = corpus / "unpc"
    fr = " ".join(sample.joinpath("sample.fr").read_text(encoding="utf-8").split("\n")) + " Zygomorphe final."
    zh = "".join(sample.joinpath("sample.zh").read_text(encoding="utf-8").split("\n"))
    (corpus / "long.fr").write_text(f"Premier paragraphe.\n{fr}\nDernier paragraphe.\n", encoding="utf-8")
    (corpus / "long.zh").write_text(f"第一段。\n{zh}\n最后一段。\n", encoding="utf-8")
    return " ".join(fr.split()), " ".join(zh.split())


@pytest.fixture()
def long_index(small_config, small_corpus):
    fr, zh = _long_bitext(small_corpus)
    cfg = small_config.replace(max_paragraph_chars=LIMIT)
    build_index(cfg)
    return cfg, fr, zh


def test_a_long_bitext_row_is_stored_in_pieces_linked_as_one_row(long_index):
    cfg, fr, zh = long_index
    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    try:
        for doc_id, text in (("fr-long", fr), ("zh-long", zh)):
            paras = cat.paragraphs_of(doc_id)
            assert [p["position"] for p in paras] == list(range(len(paras)))
            assert [p["id"] for p in paras] == [f"{doc_id}.p{i}" for i in range(len(paras))]
            pieces = paras[1:-1]
            assert len(pieces) > 1 and all(len(p["text"]) <= LIMIT for p in pieces)
            n = len(pieces)
            assert [p["piece"] for p in paras] == [None] + [[k, n] for k in range(1, n + 1)] + [None]
            if doc_id.startswith("fr"):  # nothing lost but the spaces where it was cut
                assert " ".join(p["text"] for p in pieces) == text
            else:
                assert "".join(p["text"] for p in pieces).replace(" ", "") == text.replace(" ", "")
            assert cat.document(doc_id)["paragraphs"] == len(paras)  # pieces counted as the paragraphs they are
        pair = next(p for p in cat.pairs() if p.a == "fr-long")
        links = cat.links(pair.id)
        fr_ids = [p["id"] for p in cat.paragraphs_of("fr-long")]
        zh_ids = [p["id"] for p in cat.paragraphs_of("zh-long")]
        assert [(link["a"], link["b"]) for link in links] == [
            ([fr_ids[0]], [zh_ids[0]]),
            (fr_ids[1:-1], zh_ids[1:-1]),  # the row's pieces, as a group, on each side
            ([fr_ids[-1]], [zh_ids[-1]]),
        ]
    finally:
        cat.close()


def test_search_finds_the_end_of_a_long_paragraph_and_sends_an_excerpt_linking_the_whole(long_index):
    cfg, fr, _ = long_index
    app = create_app(cfg)
    client = app.test_client()
    try:
        body = client.get("/api/search", query_string={"q": "zygomorphe"}).get_json()
        assert body["total"] == 1
        hit = body["hits"][0]
        n = hit["part"]["of"]
        assert hit["id"] == f"fr-long.p{n}"
        assert hit["part"] == {"index": n, "of": n, "previous": f"fr-long.p{n - 1}", "next": None}
        assert hit["truncated"] is True and hit["url"] == f"/api/paragraphs/fr-long.p{n}"
        assert len(hit["text"]) <= EXCERPT_CHARS and hit["text"].endswith("Zygomorphe final.")
        assert "<mark>Zygomorphe</mark>" in hit["highlight"]
        start, end = hit["excerpt"]["start"], hit["excerpt"]["end"]
        whole = client.get(hit["url"]).get_json()
        assert len(whole["text"]) > EXCERPT_CHARS and whole["text"][start:end] == hit["text"]
        assert whole["part"] == hit["part"]
        assert fr.endswith(whole["text"])
        (translation,) = hit["translations"]
        assert translation["truncated"] is True and len(translation["text"]) <= EXCERPT_CHARS
        assert translation["id"] == "zh-long.p1" and translation["url"] == "/api/paragraphs/zh-long.p1"
        spec = client.get("/api/openapi.json").get_json()
        schema = {"$ref": "#/components/schemas/SearchResponse", "components": spec["components"]}
        jsonschema.Draft202012Validator(schema).validate(body)
        paragraph = {"$ref": "#/components/schemas/Paragraph", "components": spec["components"]}
        jsonschema.Draft202012Validator(paragraph).validate(whole)
    finally:
        app.extensions["tandem.search"].close()


def test_every_hit_and_translation_of_a_page_is_bounded(long_index):
    cfg, _, _ = long_index
    app = create_app(cfg)
    try:
        response = app.test_client().get("/api/search", query_string={"q": "nations", "limit": 100})
        hits = response.get_json()["hits"]
        assert any(h["truncated"] for h in hits) and any(not h["truncated"] for h in hits)
        for hit in hits:
            assert len(hit["text"]) <= EXCERPT_CHARS and len(hit["translations"]) <= MAX_TRANSLATIONS
            assert all(len(t["text"]) <= EXCERPT_CHARS for t in hit["translations"])
            assert ("url" in hit) == hit["truncated"]
        # the documented bound: limit x (1 + MAX_TRANSLATIONS) texts of EXCERPT_CHARS, each once more marked
        assert len(response.data) < 100 * (1 + MAX_TRANSLATIONS) * EXCERPT_CHARS * 2 * 3
    finally:
        app.extensions["tandem.search"].close()


def _whole_links(cfg) -> list:
    """The seeds' links as (whole paragraph indexes of each side, score): pieces counted as their paragraph."""
    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    try:
        whole = {}
        for doc in ("fr-a-res-68-38", "zh-a-res-67-38"):
            n = -1
            for p in cat.paragraphs_of(doc):
                n += p["piece"] is None or p["piece"][0] == 1
                whole[p["id"]] = n
        (pair,) = cat.pairs()
        out = []
        for link in cat.links(pair.id):
            a, b = [whole[i] for i in link["a"]], [whole[i] for i in link["b"]]
            assert a == sorted(a) and b == sorted(b)
            out.append((sorted(set(a)), sorted(set(b)), round(link["score"], 6)))
        return out
    finally:
        cat.close()


def test_aligned_documents_align_their_paragraphs_whole_whatever_the_cuts(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in (FR_SEED, ZH_SEED):
        shutil.copy(CORPUS / name, corpus / name)
    whole = load_config(None, corpus_dir=corpus, index_dir=tmp_path / "whole")
    cut = whole.replace(index_dir=tmp_path / "cut", max_paragraph_chars=100)
    build_index(whole)
    build_index(cut)
    cat = Catalog(current_generation(cut.index_dir) / CATALOG, readonly=True)
    try:
        pieces = [p for doc in ("fr-a-res-68-38", "zh-a-res-67-38") for p in cat.paragraphs_of(doc) if p["piece"]]
    finally:
        cat.close()
    assert len(pieces) > 20  # many paragraphs of both seeds were cut
    assert _whole_links(cut) == _whole_links(whole)


def test_changing_max_paragraph_chars_rebuilds_everything(small_config, small_corpus):
    _long_bitext(small_corpus)
    build_index(small_config)
    report = build_index(small_config.replace(max_paragraph_chars=LIMIT))
    assert not report.up_to_date and report.unchanged == 0


def test_a_document_view_sends_a_page_of_rows_each_side_counted_and_cut(long_index, monkeypatch):
    from server import serializers

    cfg, fr, _ = long_index
    monkeypatch.setattr(serializers, "SIDE_PARAGRAPHS", 3)  # the long row has about ten pieces a side
    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    try:
        pair = next(p for p in cat.pairs() if p.a == "fr-long")
        whole = serializers.alignment_json(cat, pair, base="/tandem")
        page = serializers.alignment_json(cat, pair, offset=1, limit=1, base="/tandem")
        pieces = [p["id"] for p in cat.paragraphs_of("fr-long")][1:-1]
    finally:
        cat.close()
    assert (whole["rows_total"], len(whole["rows"]), page["rows_total"], page["offset"]) == (3, 3, 3, 1)
    [row] = page["rows"]
    assert row == whole["rows"][1]
    assert [p["id"] for p in row["fr"]] == pieces[:3] and row["more"]["fr"] == len(pieces) - 3
    for side in row["fr"]:  # each piece is over EXCERPT_CHARS: its start, and where the whole is
        assert side["truncated"] and len(side["text"]) <= EXCERPT_CHARS and side["text"][:100] in fr
        assert side["url"] == f"/tandem/api/paragraphs/{side['id']}"
    assert "more" not in whole["rows"][0] and whole["rows"][0]["fr"][0]["truncated"] is False
