"""How a term is translated: renderings from aligned pairs ranked by Dice, on the shipped corpus, through the
search service, the API and its OpenAPI schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import jsonschema
import pytest

from indexer import segmenter
from indexer.errors import BadRequest
from indexer.terms import chinese_candidates, french_candidates, group_key

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
    assert found["secrétairegénéral"] == "Secrétaire général"  # keyed by group_key, spelt as written


def test_chinese_candidates_are_runs_of_pkuseg_words_from_the_stored_cuts(service):
    with service.reader() as rd:
        (title,) = rd.catalog.paragraphs(["zh-a-res-67-38.p0"]).values()
    assert title["text"].endswith("促进裁军和不扩散领域的多边主义")  # pkuseg: 促进 裁军 和 不 扩散 领域 的 多边主义
    found = chinese_candidates(title["text"], title["cuts"])
    assert set(found) == {"促进", "裁军", "促进裁军", "不扩散", "扩散", "不扩散领域", "扩散领域", "领域", "多边主义"}
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


def holds(text: str, rendering: str) -> bool:
    """A rendering written in a text: Chinese anywhere, French as whole words, case and punctuation aside."""
    if re.search(f"[{segmenter.HAN_CLASS}]", rendering):
        return rendering in text
    words = r"\W+".join(re.escape(w) for w in re.findall(r"\w+", rendering))
    return re.search(rf"(?<!\w){words}(?!\w)", text, re.I) is not None


@pytest.mark.parametrize(
    "term, lang, target, expected",
    [
        ("désarmement", "fr", "zh", "裁军"),
        ("multilatéralisme", "fr", "zh", "多边主义"),
        ("Conseil de sécurité", "fr", "zh", "安全理事会"),
        ("Secrétaire général", "fr", "zh", "秘书长"),
        ("pauvreté", "fr", "zh", "贫穷"),
        ("non-prolifération", "fr", "zh", "不扩散"),  # a run of pkuseg words: 不 | 扩散
        ("désarmement nucléaire", "fr", "zh", "核裁军"),
        ("裁军", "zh", "fr", "désarmement"),
        ("安全理事会", "zh", "fr", "Conseil de sécurité"),
        ("秘书长", "zh", "fr", "Secrétaire général"),
        ("可持续发展", "zh", "fr", "développement durable"),
    ],
)
def test_the_best_rendering_is_the_un_term(service, term, lang, target, expected):
    result = service.terms(term)
    assert (result["query"], result["lang"], result["target"]) == (term, lang, target)
    assert first(result) == expected, result["renderings"][:3]
    rows = result["renderings"]
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    assert sum(result["pairs_by_relation"].values()) == result["pairs_seen"] <= 2 * result["paragraphs"]
    assert len({r["text"] for r in rows}) == len(rows)  # one row per rendering, whatever the relations
    for row in rows:
        assert row["share"] == round(row["count"] / result["pairs_seen"], 4)
        assert row["count"] == sum(by["count"] for by in row["by_relation"].values())
        for relation, by in row["by_relation"].items():
            seen = result["pairs_by_relation"][relation]
            assert by["share"] == (round(by["count"] / seen, 4) if seen else 0.0)
        assert row["relation"]["type"] == ("same" if row["by_relation"]["same"]["count"] else "other_year")
        assert 0 < row["dice"] <= 1 and row["count"] <= row["pairs"] <= row["frequency"]
        assert 1 <= len(row["examples"]) <= 3
        for example in row["examples"]:  # real aligned pairs: the term on one side, the rendering on the other
            assert example["id"].startswith(lang) and example["translation"]["id"].startswith(target)
            assert holds(example["translation"]["text"], row["text"])
            translations = service.paragraph(example["id"])["translations"]
            assert any(
                t["id"] == example["translation"]["id"] and t["relation"]["type"] == example["relation"]["type"]
                for t in translations
            )
    assert holds(rows[0]["examples"][0]["text"], term) or lang == "fr"  # French matches every form of the words


def test_counts_and_dice_agree_with_the_aligned_pairs(service):
    result = service.terms("裁军")
    best = result["renderings"][0]
    assert result["paragraphs"] <= 500  # all read: Dice is exact
    assert best["dice"] == max(r["dice"] for r in result["renderings"])  # so every pair holding it is its own
    # counted again, independently: the term's paragraphs, their first translation of each relation, and the
    # pairs whose translation holds the word
    hits = service.search("裁军", lang="zh", limit=100)["hits"]
    with service.reader() as rd:  # those where it is a word, as pkuseg cut the text (not 核裁军)
        rows = rd.catalog.paragraphs([h["id"] for h in hits])
    hits = [h for h in hits if "裁军" in _words(rows[h["id"]])]
    assert 0 < len(hits) == result["paragraphs"]
    pairs = []
    for hit in hits:
        firsts = {}
        for t in hit["translations"]:
            if t["lang"] == "fr":
                firsts.setdefault(t["relation"]["type"], t)
        pairs += [(hit["id"], relation, t["text"]) for relation, t in firsts.items()]
    assert result["pairs_seen"] == len(pairs)
    holding = [(pid, relation) for pid, relation, text in pairs if holds(text, "désarmement")]
    assert best["pairs"] == len({pid for pid, _ in holding})
    assert best["count"] == len(holding)
    for relation, by in best["by_relation"].items():
        assert by["count"] == sum(1 for _, r in holding if r == relation)
    assert best["dice"] == round(2 * best["pairs"] / (result["paragraphs"] + best["frequency"]), 4)


def _words(row: dict) -> set[str]:
    text = unicodedata.normalize("NFKC", row["text"])
    return {text[a:b] for a, b in segmenter.stored_word_spans(text, row["cuts"])}


def test_another_years_translations_are_counted_apart_inside_one_row(service):
    """A/RES/68/38 (French, 2013) is translated by A/RES/67/38 (Chinese, 2012), the dev set by itself."""
    result = service.terms("multilatéralisme")
    (row,) = [r for r in result["renderings"] if r["text"] == "多边主义"]
    same, other = row["by_relation"]["same"], row["by_relation"]["other_year"]
    assert result["pairs_by_relation"]["other_year"] >= other["count"] > same["count"] > 0
    assert row["count"] == same["count"] + other["count"] <= result["pairs_seen"]
    assert row["relation"] == {"type": "same", "label": "same document"}
    # examples from the same document first, then another year's, each saying which
    relations = [e["relation"]["type"] for e in row["examples"]]
    assert relations == sorted(relations, key=lambda r: r != "same") and relations[0] == "same"
    for e in row["examples"]:
        from_68_38 = e["id"].startswith("fr-a-res-68-38.") and e["translation"]["id"].startswith("zh-a-res-67-38.")
        assert from_68_38 == (e["relation"]["type"] == "other_year")


def test_a_chinese_term_is_looked_up_where_it_is_a_word(service):
    """中国 inside 发展中国家 (developing countries) is no occurrence of 中国 (China)."""
    result = service.terms("中国")
    assert [r["text"] for r in result["renderings"]][:1] == ["Chine"]
    assert "pays en développement" not in [r["text"] for r in result["renderings"]]
    for row in result["renderings"]:
        assert all(
            "发展中国家" not in e["text"] or "中国" in e["text"].replace("发展中国家", "") for e in row["examples"]
        )
    # a term that is no word of the index is still found inside the words holding it
    assert service.terms("展中")["paragraphs"] > 0


def test_a_rendering_comes_once_with_its_counts_by_relation(service):
    result = service.terms("裁军")
    texts = [r["text"] for r in result["renderings"]]
    assert texts.count("désarmement") == 1
    best = result["renderings"][0]
    assert best["text"] == "désarmement"
    assert best["by_relation"]["same"]["count"] > 0 and best["by_relation"]["other_year"]["count"] > 0


def test_renderings_differing_by_punctuation_or_spacing_are_one():
    assert group_key("Moyen-Orient") == group_key("MoyenOrient") == group_key("moyen orient")
    assert group_key("droits de l’homme") == group_key("droits de l'homme")
    assert group_key("désarmement") != group_key("desarmement")  # accents are not punctuation


def test_a_rendering_groups_its_spellings(service):
    rows = service.terms("中东")["renderings"]
    assert rows[0]["text"] == "Moyen-Orient" and "MoyenOrient" in rows[0]["forms"]  # both written in the corpus
    assert len({r["text"] for r in rows if group_key(r["text"]) == group_key("Moyen-Orient")}) == 1


def test_french_terms_match_every_form_of_their_words(service):
    """As search does: accents, number, apostrophes and case aside, words in order."""
    typed = service.terms("droits de l'homme")
    assert typed["paragraphs"] > 50 and first(typed) == "人权"
    for variant in ("droit de l’homme", "DROITS DE L'HOMME", "Droits de l’Homme"):
        again = service.terms(variant)
        assert (again["paragraphs"], first(again)) == (typed["paragraphs"], "人权"), variant
    assert service.terms("homme de droits")["paragraphs"] < typed["paragraphs"]  # words in order
    plain = service.terms("desarmement nucleaire")
    assert (plain["paragraphs"], first(plain)) == (service.terms("désarmement nucléaire")["paragraphs"], "核裁军")


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
    for term in ("zzzqqq", "A/RES/99/99"):
        result = service.terms(term)
        assert result["renderings"] == [] and result["pairs_seen"] == 0
    for blank in ("", " ", "\x1c"):  # nothing to look up, as search says of an empty query
        with pytest.raises(BadRequest, match="parameter q is required"):
            service.terms(blank)


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def test_terms_endpoint_matches_openapi(client, spec):
    schema = {"$ref": "#/components/schemas/TermsResponse", "components": spec["components"]}
    for q in ("désarmement nucléaire", "multilatéralisme", "可持续发展", "droits de l'homme", "zzzqqq"):
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
