"""How a term is translated: renderings from aligned pairs ranked by Dice, on the shipped corpus, through the
search service, the API and its OpenAPI schema."""

from __future__ import annotations

import re

import jsonschema
import pytest

from indexer.terms import chinese_candidates, french_candidates


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


def test_chinese_candidates_are_pkuseg_words_and_their_pairs():
    found = chinese_candidates("促进裁军和不扩散领域的多边主义")
    assert "多边主义" in found and "裁军" in found
    assert all(len(w) >= 2 for w in found)


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
