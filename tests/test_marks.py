"""Marks in the translations of search hits: the renderings of the words the query matched, only where the
alignment is confident, through the search service and the API, on the shipped corpus and both engines."""

from __future__ import annotations

import html
import re

import jsonschema
import pytest

from server.marks import TranslationMarks, query_units

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def marks(translation: dict) -> list[str]:
    """The marked spans of a translation's highlight, as text."""
    return [html.unescape(m) for m in _MARK.findall(translation["highlight"])]


def translations(result: dict, lang: str) -> list[dict]:
    return [t for hit in result["hits"] for t in hit["translations"] if t["lang"] == lang]


def test_the_highlight_is_the_escaped_text_with_marks(service):
    for q in ("désarmement", "可持续发展", "Conseil de sécurité", "<b>paix</b>"):
        for hit in service.search(q, limit=20)["hits"]:
            for t in hit["translations"]:
                plain = t["highlight"].replace("<mark>", "").replace("</mark>", "")
                assert "<" not in plain and html.unescape(plain) == t["text"]


@pytest.mark.parametrize(
    "q, lang, target, rendering",
    [
        ("désarmement", "fr", "zh", "裁军"),
        ("Conseil de sécurité", "fr", "zh", "安全理事会"),
        ('"droits de l’homme"', "fr", "zh", "人权"),
        ("可持续发展", "zh", "fr", "développement durable"),
        ("裁军", "zh", "fr", "désarmement"),
    ],
)
def test_translations_mark_the_renderings_of_the_query_words(service, q, lang, target, rendering):
    result = service.search(q, lang=lang, limit=20)
    found = translations(result, target)
    holding = [t for t in found if rendering.lower() in t["text"].lower()]
    marked = [t for t in found if marks(t)]
    assert len(holding) >= 5 and len(marked) >= 0.8 * len(holding)
    assert all(m.lower() == rendering.lower() for t in marked for m in marks(t)), [marks(t) for t in marked]


def test_another_years_translation_is_marked_too(service):
    hits = service.search("multilatéralisme", limit=20)["hits"]
    title = next(h for h in hits if h["text"].startswith("68/38. Promotion du multilatéralisme"))
    (translation,) = title["translations"]
    assert translation["relation"]["type"] == "other_year" and marks(translation) == ["多边主义"]


def test_no_marks_rather_than_wrong_marks(service):
    # a word of two paragraphs: too little evidence to align it; its hits' translations stay unmarked
    rare = service.search("Dacca", lang="fr")
    assert 1 <= rare["total"] < 3 and translations(rare, "zh")
    assert all(t["highlight"] == html.escape(t["text"], quote=False) for t in translations(rare, "zh"))
    # the words of an OR are marked only in the hits that hold them
    either = service.search("désarmement OR pauvreté", lang="fr", limit=50)
    for hit in either["hits"]:
        found = {m for t in hit["translations"] for m in marks(t)}
        if "désarm" not in hit["text"].lower():
            assert "裁军" not in found
        if "pauvret" not in hit["text"].lower():
            assert not found & {"贫穷", "贫困"}
    assert any(marks(t) for t in translations(either, "zh"))


def test_a_hit_without_the_word_gets_no_mark_for_it(service):
    """A paragraph not read when the word was looked up is marked only if it holds the word."""
    with service.reader() as rd:
        found = TranslationMarks.for_query("désarmement", "fr", "zh", rd, service.term_finding)
        text = "核裁军仍然紧迫。"
        holding = found.spans(
            {"id": "fr-x.p0", "text": "Le désarmement nucléaire reste urgent."}, "zh-x.p0", "zh", text
        )
        lacking = found.spans({"id": "fr-x.p0", "text": "La pauvreté reste urgente."}, "zh-x.p0", "zh", text)
        other_language = found.spans({"id": "fr-x.p0", "text": "Le désarmement."}, "en-x.p0", "en", text)
    assert (holding, lacking, other_language) == ([(1, 3)], [], [])


def test_search_without_marks_leaves_translations_as_they_are(service):
    hit = service.search("désarmement", marks=False)["hits"][0]
    assert "highlight" not in hit["translations"][0]


def test_query_units_are_its_words_and_phrases_not_its_exclusions():
    assert query_units('désarmement "droits de l’homme" -paix (armes OR nucléaire) symbol:A/RES/68/38') == [
        "désarmement",
        "droits de l’homme",
        "armes",
        "nucléaire",
    ]


def test_search_hits_match_openapi_with_translation_highlights(client):
    spec = client.get("/api/openapi.json").get_json()
    schema = {"$ref": "#/components/schemas/SearchResponse", "components": spec["components"]}
    for q in ("désarmement nucléaire", "可持续发展", "multilatéralisme"):
        body = client.get("/api/search", query_string={"q": q, "limit": 10}).get_json()
        jsonschema.Draft202012Validator(schema).validate(body)
        assert any("<mark>" in t["highlight"] for hit in body["hits"] for t in hit["translations"])
    bare = {"$ref": "#/components/schemas/HitTranslation", "components": spec["components"]}
    with pytest.raises(jsonschema.ValidationError):  # the schema does require it
        translation = dict(body["hits"][0]["translations"][0])
        del translation["highlight"]
        jsonschema.Draft202012Validator(bare).validate(translation)
