"""The page and the widget over an index of more than two languages, in a real headless Chromium against the
real app: the "Translated as" panel in the reader's chosen translation languages (switched among, the choice
remembered, Arabic right to left), the widget's data-lang and data-targets (fixtures and helpers in
tests/browser_support.py).

Run: .venv/bin/pytest -m browser tests/test_browser_languages.py
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from indexer.build import build_index
from indexer.config import load_config

from .browser_support import api_get, api_search, expect, wait_for_results, waitress_server

pytestmark = pytest.mark.browser

LANGUAGES = ("fr", "zh", "en", "ar")
TAG = {"fr": "fr", "zh": "zh-Hans", "en": "en", "ar": "ar"}
NAME = {"zh": "中文", "en": "English", "ar": "العربية"}
# One bitext, line by line the same paragraphs in four languages; "désarmement" is in three of them.
LINES = {
    "fr": [
        "Le désarmement nucléaire reste une priorité pour la communauté internationale.",
        "Les États parties soutiennent le désarmement général et complet.",
        "Le Conseil de sécurité examine la situation au Mali et la protection des civils.",
        "L'Assemblée générale salue les progrès du désarmement régional.",
        "Il prie le Secrétaire général de lui faire rapport sur la question.",
    ],
    "zh": [
        "核裁军仍然是国际社会的优先事项。",
        "缔约国支持全面彻底裁军。",
        "安全理事会审议马里局势和保护平民问题。",
        "大会欢迎区域裁军取得的进展。",
        "请秘书长就此问题向其提出报告。",
    ],
    "en": [
        "Nuclear disarmament remains a priority for the international community.",
        "The States parties support general and complete disarmament.",
        "The Security Council considers the situation in Mali and the protection of civilians.",
        "The General Assembly welcomes the progress of regional disarmament.",
        "It requests the Secretary-General to report to it on the question.",
    ],
    "ar": [
        "يظل نزع السلاح النووي أولوية للمجتمع الدولي.",
        "تؤيد الدول الأطراف نزع السلاح العام الكامل.",
        "ينظر مجلس الأمن في الحالة في مالي وحماية المدنيين.",
        "ترحب الجمعية العامة بالتقدم المحرز في نزع السلاح الإقليمي.",
        "يطلب إلى الأمين العام أن يقدم إليه تقريرا عن هذه المسألة.",
    ],
}
TERM = "désarmement"


@pytest.fixture(scope="module")
def polyglot(tmp_path_factory, engine, portal):
    """The real app over a four-language index built from the bitext above; CORS allows the portal."""
    from server.app import create_app

    root = tmp_path_factory.mktemp(f"polyglot-{engine}")
    corpus = root / "corpus"
    corpus.mkdir()
    for lang, lines in LINES.items():
        (corpus / f"council.{lang}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the UN Parallel Corpus's ids: every line is paragraph n of S/RES/2250 in each language
    ids = ["2015/s/res/2250 " + " ".join(f"{lang}:{n}:1" for lang in LANGUAGES) for n in range(1, 6)]
    (corpus / "council.ids").write_text("\n".join(ids) + "\n", encoding="utf-8")
    cfg = load_config(None, corpus_dir=corpus, index_dir=root / "index", languages=LANGUAGES, engine=engine)
    assert build_index(cfg).skipped == []
    app = create_app(cfg.replace(cors_origins=(portal["origin"],)))
    with waitress_server(app) as origin:
        yield origin
    app.extensions["tandem.search"].close()


def terms_asked(page) -> list[dict]:
    """The query strings of the page's calls to /api/terms, in order."""
    return [urllib.parse.parse_qs(urllib.parse.urlsplit(u).query) for u in page.requests if "/api/terms?" in u]


def renderings(base: str, target: str) -> list[str]:
    """The renderings of TERM into target, as the API gives them."""
    found = [r["text"] for r in api_get(base, "terms", q=TERM, lang="fr", target=target, limit=5)["renderings"]]
    assert found, f"the bitext should give renderings of {TERM} in {target}"
    return found


def test_terms_panel_shows_and_switches_the_chosen_translation_languages(page, polyglot):
    expected = {target: renderings(polyglot, target) for target in ("zh", "en", "ar")}
    page.goto(polyglot + "/?q=" + urllib.parse.quote(TERM))
    wait_for_results(page, TERM)
    panel = page.get_by_role("region", name="Translated as")
    choice = panel.get_by_role("group", name="Renderings in")
    terms = panel.locator(".rendering .term")

    # the reader reads Chinese and English, not Arabic: the panel offers those two, the first shown
    translations = page.get_by_role("group", name="Translations")
    translations.get_by_label("العربية").uncheck()
    expect(choice.get_by_role("button")).to_have_text([NAME["zh"], NAME["en"]])
    expect(choice.get_by_role("button", name=NAME["zh"])).to_have_attribute("aria-pressed", "true")
    expect(terms).to_have_text(expected["zh"])
    expect(terms.first).to_have_attribute("lang", TAG["zh"])
    expect(page.locator("#terms-about")).to_contain_text("in 中文")

    # switching asks again into that language; its renderings link to their search in it
    asked = len(terms_asked(page))
    choice.get_by_role("button", name=NAME["en"]).click()
    expect(terms).to_have_text(expected["en"])
    expect(choice.get_by_role("button", name=NAME["en"])).to_have_attribute("aria-pressed", "true")
    expect(choice.get_by_role("button", name=NAME["zh"])).to_have_attribute("aria-pressed", "false")
    assert terms_asked(page)[asked:] == [{"q": [TERM], "lang": ["fr"], "limit": ["5"], "target": ["en"]}]
    expect(terms.first).to_have_attribute("lang", TAG["en"])
    href = urllib.parse.parse_qs(urllib.parse.urlsplit(terms.first.get_attribute("href")).query)
    assert href == {"q": [expected["en"][0]], "lang": ["en"]}

    # the choice survives a reload: the panel comes back in English
    asked = len(terms_asked(page))
    page.reload()
    wait_for_results(page, TERM)
    expect(terms).to_have_text(expected["en"])
    expect(choice.get_by_role("button", name=NAME["en"])).to_have_attribute("aria-pressed", "true")
    assert terms_asked(page)[-1]["target"] == ["en"]
    assert all(a.get("target") != ["ar"] for a in terms_asked(page)[asked:])

    # Arabic chosen too: its renderings read right to left in the Arabic fonts; the search in French asks once
    translations.get_by_label("العربية").check()
    expect(choice.get_by_role("button")).to_have_text([NAME["zh"], NAME["en"], NAME["ar"]])
    choice.get_by_role("button", name=NAME["ar"]).click()
    expect(terms).to_have_text(expected["ar"])
    expect(terms.first).to_have_attribute("lang", "ar")
    expect(terms.first).to_have_attribute("dir", "rtl")
    assert "Noto Naskh Arabic" in terms.first.evaluate("el => getComputedStyle(el).fontFamily")
    asked = len(terms_asked(page))
    page.goto(polyglot + "/?lang=fr&q=" + urllib.parse.quote(TERM))
    wait_for_results(page, TERM)
    expect(terms).to_have_text(expected["ar"])
    assert terms_asked(page)[asked:] == [{"q": [TERM], "lang": ["fr"], "limit": ["5"], "target": ["ar"]}]


def test_the_page_names_the_indexed_languages(page, polyglot):
    """The introduction and the title name the languages the index holds, from api/health."""
    page.goto(polyglot + "/")
    intro = page.locator("#indexed-names")
    intro.wait_for()
    page.wait_for_function("document.getElementById('indexed-names').textContent.indexOf('English') >= 0")
    assert intro.text_content() == "French, Chinese, English or Arabic"
    assert page.title() == "tandem · French ⇄ Chinese ⇄ English ⇄ Arabic search in UN documents"


def test_a_document_in_several_languages_shows_one_pair_chosen_in_a_menu(page, polyglot):
    """S/RES/2250 in four languages: one table side by side, first the pair of the language searched in, and a
    menu of the six pairs; choosing English and Arabic shows those, the Arabic right to left."""
    page.goto(polyglot + "/?lang=fr&doc=" + urllib.parse.quote("S/RES/2250"))
    menu = page.get_by_label("Side by side:")
    menu.wait_for()
    options = menu.locator("option").all_inner_texts()
    assert len(options) == 6 and all(" ⇄ " in o for o in options)
    tables = page.locator("#document-view table.side-by-side")
    expect(tables).to_have_count(1)
    shown = tables.first.locator("thead th").all_inner_texts()
    assert any("Français" in th for th in shown), shown  # a pair with the language searched in
    expect(tables.first.locator("tbody td").first).to_contain_text(LINES["fr"][0])

    english_arabic = next(o for o in options if "English" in o and "العربية" in o)
    menu.select_option(label=english_arabic)
    expect(tables).to_have_count(1)
    cells = tables.first.locator("tbody tr").first.locator("td")
    expect(cells).to_have_count(2)
    expect(cells.nth(0)).to_contain_text(LINES["en"][0])
    expect(cells.nth(1)).to_contain_text(LINES["ar"][0])
    arabic = tables.first.locator("tbody td[lang=ar]").first
    assert arabic.get_attribute("dir") == "rtl"


def test_a_language_switched_to_without_renderings_says_so_beside_the_choice(page, polyglot):
    # the page is the subject: the API answers that the term has no rendering in Arabic
    page.route(
        "**/api/terms?*target=ar*",
        lambda route: route.fulfill(
            content_type="application/json",
            body=json.dumps({"query": TERM, "lang": "fr", "target": "ar", "pairs_seen": 0, "renderings": []}),
        ),
    )
    page.goto(polyglot + "/?lang=fr&q=" + urllib.parse.quote(TERM))
    wait_for_results(page, TERM)
    choice = page.get_by_role("group", name="Renderings in")
    choice.get_by_role("button", name=NAME["ar"]).click()
    expect(page.locator("#renderings li")).to_have_text(["No rendering found in العربية."])
    expect(choice.get_by_role("button", name=NAME["ar"])).to_have_attribute("aria-pressed", "true")
    # back to a language with renderings
    choice.get_by_role("button", name=NAME["zh"]).click()
    expect(page.locator("#renderings .rendering .term")).to_have_text(renderings(polyglot, "zh"))

    # a first answer without renderings hides the panel, whatever the choice
    choice.get_by_role("button", name=NAME["ar"]).click()
    expect(page.locator("#renderings li.none")).to_be_visible()
    with page.expect_response("**/api/terms?*target=ar*"):
        page.reload()
    wait_for_results(page, TERM)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#terms")).to_be_hidden()


# ------------------------------------------------------------------ the widget

WIDGETS = """<!doctype html><html><head><meta charset="utf-8"><title>Portal</title></head><body>
<div id="to-en"></div><div id="all"></div><div id="from-code"></div><div id="unknown"></div>
<script src="{server}/widget.js" data-endpoint="{server}" data-target="#to-en" data-lang="fr"
        data-targets="en" data-query="{term}"></script>
<script src="{server}/widget.js" data-endpoint="{server}" data-target="#all" data-lang="en"
        data-query="disarmament"></script>
<script src="{server}/widget.js" data-endpoint="{server}" data-target="#unknown" data-lang="de"
        data-query="Abrüstung"></script>
<script src="code.js"></script>
</body></html>
"""
FROM_CODE = """TandemWidget.mount(document.getElementById("from-code"),
  {{endpoint: "{server}", lang: "fr", targets: ["zh", "ar"], query: "{term}"}});
"""


def test_widget_searches_any_indexed_language_and_shows_the_translations_chosen(page, polyglot, portal):
    (portal["root"] / "widgets.html").write_text(WIDGETS.format(server=polyglot, term=TERM), encoding="utf-8")
    (portal["root"] / "code.js").write_text(FROM_CODE.format(server=polyglot, term=TERM), encoding="utf-8")
    page.goto(portal["origin"] + "/widgets.html")

    def shown(slot: str, targets: tuple[str, ...], **params):
        expected = api_search(polyglot, limit=5, targets=",".join(targets), **params)
        hits = page.locator(f"#{slot} .tandem-hit")
        expect(hits).to_have_count(len(expected["hits"]))
        assert expected["hits"]
        for i, hit in enumerate(expected["hits"]):
            texts = hits.nth(i).locator(".tandem-translation .tandem-text")
            assert sorted(t["lang"] for t in hit["translations"]) == sorted(targets)
            expect(texts).to_have_text([t["text"] for t in hit["translations"]])
            for k, tr in enumerate(hit["translations"]):
                expect(texts.nth(k)).to_have_attribute("lang", TAG[tr["lang"]])

    # data-targets="en": only the English translations of French hits
    shown("to-en", ("en",), q=TERM, lang="fr")
    # no data-targets: an English search shows every other language, Arabic right to left
    shown("all", ("fr", "zh", "ar"), q="disarmament", lang="en")
    expect(page.locator('#all .tandem-text[lang="ar"]').first).to_have_attribute("dir", "rtl")
    # TandemWidget.mount with a list of targets
    shown("from-code", ("zh", "ar"), q=TERM, lang="fr")
    # a language the index does not hold: the API's refusal, shown
    expect(page.locator("#unknown .tandem-error")).to_contain_text("lang must be auto or one of fr, zh, en, ar")

    asked = {
        (q["lang"][0], q.get("targets", [""])[0])
        for q in (urllib.parse.parse_qs(urllib.parse.urlsplit(u).query) for u in page.requests if "/api/search?" in u)
    }
    assert asked == {("fr", "en"), ("en", ""), ("fr", "zh,ar"), ("de", "")}
