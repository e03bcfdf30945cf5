"""How a term is translated: renderings from aligned pairs ranked by Dice, on the shipped corpus, through the
search service, the API and its OpenAPI schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from indexer import segmenter
from indexer.terms import chinese_candidates, french_candidates

REPO = Path(__file__).resolve().parent.parent


def first(result: dict) -> str:
    return result["renderings"][0]["text"]


def test_french_candidates_do_not_start_or_end_with_stop_words():
    found = french_candidates("Prie le Secrétaire général de l’Organisation, à sa 60e séance")
    assert set(found.values()) == {
        "Prie",
        "Prie le Secrétaire",
        "Secrétaire",
        "Secrétaire général",
        "général",
        "général de l’Organisation",
        "Organisation",
        "séance",
    }
    assert found["secrétaire général"] == "Secrétaire général"  # keyed by lowercase, spelt as written


def test_chinese_candidates_are_pkuseg_words_and_their_pairs_from_the_stored_cuts(service):
    with service.reader() as rd:
        (title,) = rd.catalog.paragraphs(["zh-a-res-67-38.p0"]).values()
    assert title["text"].endswith("促进裁军和不扩散领域的多边主义")
    found = chinese_candidates(title["text"], title["cuts"])
    assert "多边主义" in found and "裁军" in found and "促进裁军" in found  # a pair of adjacent words
    assert all(len(w) >= 2 for w in found) and "不扩散" not in found  # pkuseg cuts 不 | 扩散
    assert chinese_candidates(title["text"], None) == {}  # no cuts stored: nothing is guessed


def test_stored_cuts_give_back_the_words_of_every_han_run():
    text = "大会，决心促进严格遵循《联合国宪章》第1条"
    # one length a word, for each run of two or more Han characters: 大会 | 决心 促进 严格 遵循 | 联合国宪章
    spans = segmenter.stored_word_spans(text, "2" + "2222" + "5")
    assert [text[s:e] for s, e in spans] == ["大会", "决心", "促进", "严格", "遵循", "联合国宪章", "第", "条"]
    for stale in ("22225", "22222" + "51", "3" + "2222" + "5", None):  # cuts written for another text
        assert segmenter.stored_word_spans(text, stale) == []
    long = "字" * 100  # longer than a piece: stored in two
    assert segmenter.stored_word_spans(long, chr(0x30 + segmenter.MAX_PIECE) + chr(0x30 + 22)) == [(0, 100)]
    assert segmenter.stored_word_spans("字" * 78, chr(0x30 + segmenter.MAX_PIECE) + "0") == [(0, 78)]


@pytest.mark.parametrize(
    "term, lang, target, expected",
    [
        ("désarmement", "fr", "zh", "裁军"),
        ("multilatéralisme", "fr", "zh", "多边主义"),
        ("Conseil de sécurité", "fr", "zh", "安全理事会"),
        ("Secrétaire général", "fr", "zh", "秘书长"),
        ("pauvreté", "fr", "zh", "贫穷"),
        ("裁军", "zh", "fr", "désarmement"),
        ("安全理事会", "zh", "fr", "Conseil de sécurité"),
        ("秘书长", "zh", "fr", "Secrétaire général"),
    ],
)
def test_the_best_rendering_is_the_un_term(service, term, lang, target, expected):
    result = service.terms(term)
    assert (result["term"], result["lang"], result["target"]) == (term, lang, target)
    assert first(result) == expected, result["renderings"][:3]
    dices = [r["dice"] for r in result["renderings"]]
    assert dices == sorted(dices, reverse=True) and all(0 < d <= 1 for d in dices)


def test_counts_and_dice_agree_with_the_aligned_pairs(service):
    result = service.terms("裁军")
    best = result["renderings"][0]
    assert result["paragraphs"] <= 500  # all read: Dice is exact
    # counted again, independently: the term's paragraphs, and among their translations those with the word
    hits = service.search("裁军", lang="zh", limit=100)["hits"]
    assert len(hits) == result["paragraphs"]
    word = re.compile(r"(?<!\w)désarmement(?!\w)", re.I)
    both = sum(1 for h in hits if h["translations"] and word.search(h["translations"][0]["text"]))
    assert best["pairs"] == both
    assert best["dice"] == round(2 * best["pairs"] / (result["paragraphs"] + best["frequency"]), 4)
    # the example is a real aligned pair holding both
    zh = service.paragraph(best["example"]["zh"])
    assert "裁军" in zh["text"]
    assert any(t["id"] == best["example"]["fr"] and word.search(t["text"]) for t in zh["translations"])


_SERVE_AND_REPORT = """
import json, sys
from indexer import segmenter
from indexer.config import load_config
from server.app import create_app

client = create_app(load_config(None, index_dir=sys.argv[1], engine=sys.argv[2])).test_client()
answers = {}
for url in sys.argv[3:]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    answers[url] = r.get_json()
print(json.dumps({"answers": answers, "pkuseg": "pkuseg" in sys.modules, "model": segmenter._model is not None}))
"""


def test_the_server_never_loads_pkuseg(shipped_index):
    """Terms and searches in both directions, in a fresh server process: pkuseg is never imported."""
    cfg, _ = shipped_index
    urls = [
        "/api/terms?q=désarmement&lang=fr",
        "/api/terms?q=裁军&lang=zh",
        "/api/search?q=多边主义",
        "/api/search?q=désarmement nucléaire",
        "/api/paragraphs/zh-a-res-67-38.p0",
    ]
    out = subprocess.run(
        [sys.executable, "-c", _SERVE_AND_REPORT, str(cfg.index_dir), cfg.engine, *urls],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(out.stdout)
    answers = report["answers"]
    assert first(answers[urls[0]]) == "裁军" and first(answers[urls[1]]) == "désarmement"  # Chinese words were read
    assert answers[urls[2]]["total"] > 0 and answers[urls[3]]["total"] > 0
    assert report["pkuseg"] is False and report["model"] is False


def test_unknown_terms_have_no_rendering(service):
    for term in ("zzzqqq", "A/RES/99/99", "\x1c"):
        result = service.terms(term)
        assert result["renderings"] == [] and result["aligned"] == 0


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def test_terms_endpoint_matches_openapi(client, spec):
    schema = {"$ref": "#/components/schemas/TermsResponse", "components": spec["components"]}
    for q in ("désarmement", "多边主义", "droits de l'homme", "zzzqqq"):
        r = client.get("/api/terms", query_string={"q": q, "limit": 5})
        assert r.status_code == 200
        jsonschema.Draft202012Validator(schema).validate(r.get_json())
        assert len(r.get_json()["renderings"]) <= 5
    assert client.get("/api/terms?q=人权&lang=zh").get_json()["renderings"][0]["text"] == "droits de l'homme"
    error = {"$ref": "#/components/schemas/Error", "components": spec["components"]}
    for bad in ("q=%22paix%22", "q=paix&limit=0", "q=paix&limit=51", "q=paix&lang=en", "q=" + "a" * 101):
        r = client.get("/api/terms?" + bad)
        assert r.status_code == 400, bad
        jsonschema.Draft202012Validator(error).validate(r.get_json())
    assert "/api/terms" in spec["paths"]
