"""The search page and the embeddable widget in a real headless Chromium, against the real app (fixtures and
helpers in tests/browser_support.py).

Run: .venv/bin/pytest -m browser tests/test_browser.py
"""

from __future__ import annotations

import html
import json
import math
import re
import urllib.parse

import pytest

from .browser_support import (
    FR_QUERY,
    HAN,
    PREFIX,
    SCREENSHOT,
    XSS,
    ZH_QUERY,
    api_get,
    api_search,
    expect,
    search_from_box,
    wait_for_results,
    waitress_server,
)

pytestmark = pytest.mark.browser


def _query_args(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)


# ------------------------------------------------------------------ the page


def test_french_search_shows_highlights_beside_chinese_translations(page, server):
    page.goto(server + "/")
    expect(page.locator("#intro")).to_be_visible()
    search_from_box(page, FR_QUERY)
    page.wait_for_selector("#hits li.hit")
    wait_for_results(page, FR_QUERY)

    # the query is in the URL, so the results are linkable
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["q"] == [FR_QUERY]
    expected = api_search(server, q=FR_QUERY, limit=10)
    hits = page.locator("#hits li.hit")
    expect(hits).to_have_count(len(expected["hits"]))
    expect(page.locator("#summary .total")).to_have_text(str(expected["total"]))
    expect(page.locator("#summary .took")).to_have_text(re.compile(r"^[\d.]+ ms$"))

    # highlighted French paragraph (inserted as HTML: real <mark> elements)
    first = hits.first
    expect(first.locator(".source")).to_have_attribute("lang", "fr")
    marks = page.locator("#hits .source .highlight mark")
    assert marks.count() > 0
    expect(first.locator(".highlight mark").first).to_be_visible()
    assert all(t.lower().startswith("multilat") for t in marks.all_inner_texts())
    # ... the text is the paragraph's, untouched
    assert first.locator(".highlight").inner_text() == expected["hits"][0]["text"]

    # the Chinese translation in the column beside it
    translation = first.locator(".translation .text")
    expect(translation).to_have_attribute("lang", "zh-Hans")
    assert HAN.search(translation.inner_text())
    assert translation.inner_text() == expected["hits"][0]["translations"][0]["text"]
    source_box, target_box = first.locator(".source").bounding_box(), first.locator(".translations").bounding_box()
    assert target_box["x"] > source_box["x"] + source_box["width"] - 1, "translation is not beside the paragraph"
    assert abs(target_box["y"] - source_box["y"]) < 40
    expect(first.locator(".confidence")).to_have_text(re.compile(r"confidence \d+%"))

    # A/RES/68/38 is aligned with the 2012 Chinese resolution: the page must say so
    res68 = page.locator('#hits li.hit[data-symbol="A/RES/68/38"]')
    assert res68.count() > 0
    for i in range(res68.count()):
        badge = res68.nth(i).locator(".translation .relation")
        expect(badge).to_be_visible()
        expect(badge).to_contain_text("another year's version")
        expect(badge).to_contain_text("A/RES/67/38 (2012)")
        expect(badge).to_contain_text("⚠")
    # ... and only there: same-document translations carry no warning
    same = page.locator('#hits .translation[data-relation="same"] .relation')
    expect(same).to_have_count(0)

    # facets are shown as filter links
    expect(page.locator('#facets a[data-facet="year"][data-value="2013"]')).to_be_visible()
    expect(page.locator('#facets a[data-facet="kind"]').first).to_be_visible()

    page.screenshot(path=str(SCREENSHOT), full_page=False)


def test_chinese_query_from_the_url_shows_french_translations(page, server):
    # a shared link: the search runs on load
    page.goto(server + "/?q=" + urllib.parse.quote(ZH_QUERY))
    page.wait_for_selector("#hits li.hit")
    wait_for_results(page, ZH_QUERY)
    expect(page.get_by_role("searchbox", name="Search")).to_have_value(ZH_QUERY)

    expected = api_search(server, q=ZH_QUERY, limit=10)
    assert expected["lang"] == "zh"
    expect(page.locator("#hits li.hit")).to_have_count(len(expected["hits"]))
    expect(page.locator("#hits .source").first).to_have_attribute("lang", "zh-Hans")
    marks = page.locator("#hits .highlight mark").all_inner_texts()
    assert marks and all(m == ZH_QUERY for m in marks)

    fr = page.locator('#hits .translation .text[lang="fr"]')
    assert fr.count() > 0
    texts = fr.all_inner_texts()
    assert any("multilatéralisme" in t for t in texts)
    assert not any(HAN.search(t) for t in texts)
    # the 2012 Chinese resolution's paragraphs come from the 2013 French one
    badge = page.locator('#hits li.hit[data-symbol="A/RES/67/38"] .relation').first
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("A/RES/68/38 (2013), another year's version of A/RES/67/38 (2012)")


def test_another_years_differences_are_shown_beside_the_badge(page, server):
    # operative paragraphs of A/RES/68/38, translated by the 2012 Chinese text: what to update before reuse
    page.goto(server + "/?" + urllib.parse.urlencode({"q": FR_QUERY, "symbol": "A/RES/68/38", "kind": "operative"}))
    page.wait_for_selector("#hits li.hit")
    wait_for_results(page, FR_QUERY)
    expected = api_search(server, q=FR_QUERY, symbol="A/RES/68/38", kind="operative", limit=10)
    seventh = next(h for h in expected["hits"] if h["number"] == "7")
    assert seventh["translations"][0]["differences"] == {"fr": ["67/38"], "zh": ["66/32"]}

    translation = page.locator(f'#hits li.hit[data-id="{seventh["id"]}"] .translation')
    badge, differences = translation.locator(".relation"), translation.locator(".differences")
    expect(badge).to_contain_text("another year's version")
    expect(differences).to_be_visible()
    expect(differences).to_contain_text("update before reuse")
    expect(differences.locator('li[data-lang="fr"]')).to_have_text("Français only: 67/38")
    expect(differences.locator('li[data-lang="zh"]')).to_have_text("中文 only: 66/32")
    # beside the badge: right under it, above the translated text
    badge_box, diff_box = badge.bounding_box(), differences.bounding_box()
    text_box = translation.locator(".text").bounding_box()
    assert badge_box["y"] + badge_box["height"] <= diff_box["y"] + 1 <= text_box["y"] + 1
    # every hit shows what the API sent: values to update, or that they agree
    for hit in expected["hits"]:
        diff = hit["translations"][0]["differences"]
        shown = page.locator(f'#hits li.hit[data-id="{hit["id"]}"] .translation .differences')
        if diff["fr"] or diff["zh"]:
            expect(shown.locator("code")).to_have_text(diff["fr"] + diff["zh"])
        else:
            expect(shown).to_have_text("✓ Numbers, symbols and dates agree")

    # values are text, whatever the API sends
    body = hostile_body()
    body["hits"][0]["translations"][0]["differences"] = {"fr": [XSS], "zh": []}
    answer_with(page, "**/api/search?*", body)
    page.goto(server + "/?q=paix")
    page.wait_for_selector("#hits li.hit")
    expect(page.locator("#hits .differences code")).to_have_text(XSS)
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img").count() == 0


def test_query_markup_is_shown_as_text_never_run(page, server):
    page.goto(server + "/")
    search_from_box(page, XSS)
    wait_for_results(page, XSS)
    page.wait_for_load_state("networkidle")

    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img").count() == 0
    expect(page.locator("#summary q")).to_have_text(XSS)  # literally, as text
    expected = api_search(server, q=XSS)
    if expected["suggestion"]:  # the spelling suggestion echoes the markup: it must stay text too
        expect(page.locator("#suggestion-link")).to_have_text(expected["suggestion"])
    assert not [u for u in page.requests if urllib.parse.urlsplit(u).path.endswith("/x")]
    assert page.evaluate("typeof window.__x") == "undefined"
    # and the same through a shared link
    page.goto(server + "/?q=" + urllib.parse.quote(XSS))
    wait_for_results(page, XSS)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img").count() == 0


def answer_with(page, pattern: str, body, status: int = 200, headers: dict | None = None):
    """Answer the page's requests matching `pattern` with crafted JSON: the subject under test is the page."""
    page.route(
        pattern,
        lambda route: route.fulfill(
            status=status, content_type="application/json", headers=headers, body=json.dumps(body)
        ),
    )


def widget_page(portal, server: str, name: str) -> str:
    """A portal page holding only the widget, pointed at `server`; returns its URL."""
    (portal["root"] / name).write_text(
        f'<!doctype html><meta charset="utf-8"><title>x</title><div id="w"></div>'
        f'<script src="{server}/widget.js" data-endpoint="{server}" data-target="#w"></script>',
        encoding="utf-8",
    )
    return portal["origin"] + "/" + name


def hostile_body() -> dict:
    """A search answer with markup in every field, as a compromised or buggy API could send."""
    evil = XSS
    doc = {"id": evil, "symbol": "A/RES/" + evil, "lang": "fr", "date": None, "year": 2013, "title": evil}
    return {
        "query": "paix",
        "lang": "fr",
        "total": 12,
        "took_ms": 1.0,
        "offset": 0,
        "limit": 10,
        "hits": [
            {
                "id": "h1",
                "lang": "fr",
                "text": evil,
                "kind": "operative",
                "number": evil,
                "position": 1,
                "notes": [evil],
                "score": 1.0,
                "document": doc,
                "highlight": "a <mark>paix</mark> <img src=x onerror=window.__x=1><script>window.__x=2</script>b",
                "translations": [
                    {
                        "lang": "zh",
                        "id": "t",
                        "ids": ["t"],
                        "text": evil,
                        "confidence": 0.5,
                        "document": {**doc, "lang": "zh"},
                        "relation": {"type": "other_year", "label": evil, "from": {}, "to": {}},
                    }
                ],
            }
        ],
        "facets": {"year": {evil: 1}, "kind": {evil: 1}, "symbol": {evil: 1}},
        "suggestion": evil,
    }


def test_hostile_api_data_is_never_interpreted(page, server):
    """Defence in depth: even if the API returned markup, only <mark> from `highlight` becomes HTML."""
    evil, body = XSS, hostile_body()
    answer_with(page, "**/api/search?*", body)
    page.goto(server + "/?q=paix")
    page.wait_for_selector("#hits li.hit")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img, main script").count() == 0
    expect(page.locator("#hits .highlight mark")).to_have_text("paix")
    expect(page.locator("#hits .highlight")).to_have_text("a paix b")
    expect(page.locator("#hits .translation .text")).to_have_text(evil)
    expect(page.locator("#hits .relation")).to_have_text("⚠ " + evil)
    expect(page.locator("#suggestion-link")).to_have_text(evil)

    # an error message is text as well
    page.unroute("**/api/search?*")
    answer_with(page, "**/api/search?*", {"error": {"code": "bad_query", "message": evil}}, status=400)
    page.goto(server + "/?q=guerre")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error .message")).to_have_text(evil)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img").count() == 0


def test_page_runs_under_its_strict_csp(page, server):
    """Script and styles come from files: the CSP without 'unsafe-inline' blocks nothing the page needs."""
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(server + "/?q=" + urllib.parse.quote(FR_QUERY))
    wait_for_results(page, FR_QUERY)
    expect(page.locator("#hits .highlight mark").first).to_be_visible()
    # page.css applied: the hits are cards laid out in a grid, the masthead has its background
    assert page.locator("#hits li.hit").first.evaluate("el => getComputedStyle(el).borderRadius") == "8px"
    # the renderings' share bars are sized from script (CSSOM), which the CSP allows, unlike style attributes
    bar = page.locator("#renderings .share > span").first
    expect(bar).to_be_visible()
    assert bar.evaluate("el => el.getBoundingClientRect().width") > 0
    assert page.evaluate("typeof window.TandemWidget.getJSON") == "function"
    assert page.locator(".tandem-widget").count() == 0  # widget.js is loaded as a library, draws nothing
    assert not violations, violations


def test_api_errors_are_shown(page, server):
    page.goto(server + "/?q=paix&kind=bogus")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("kind must be among")
    expect(page.locator("#hits li")).to_have_count(0)


def test_a_mixed_language_query_shows_why_it_found_nothing(page, server):
    query = "désarmement 裁军"
    notice = api_search(server, q=query)["notice"]
    assert notice and "lang:zh" in notice
    page.goto(server + "/?q=" + urllib.parse.quote(query))
    expect(page.locator("#hits li.empty")).to_have_text(notice)


@pytest.fixture(scope="session")
def estimating(shipped_index):
    """The app counting only the first 20 matches of a search one by one (estimating past them)."""
    from server.app import create_app

    app = create_app(shipped_index[0].replace(exact_total=20))
    with waitress_server(app) as origin:
        yield origin
    app.extensions["tandem.search"].close()


def _about(n: int) -> str:
    """An estimate as the page words it: two significant digits."""
    step = 10 ** max(0, len(str(n)) - 2)
    return f"about {math.floor(n / step + 0.5) * step:,}"


def test_estimated_totals_and_facets_say_so(page, estimating):
    expected = api_search(estimating, q="nations", limit=10)
    page.goto(estimating + "/?q=nations")
    wait_for_results(page, "nations")
    about = expected["total_relation"] == "about"  # with Xapian; Whoosh counts every match whatever the setting
    total = _about(expected["total"]) if about else f"{expected['total']:,}"
    expect(page.locator("#summary .total")).to_have_text(total)
    expect(page.locator("#pager .where")).to_have_text(f"1–10 of {total}")
    counts = page.locator("#facets .count").all_inner_texts()
    assert counts and all(c.startswith("≈") for c in counts) == (not expected["facets_exact"])
    assert all(not c.startswith("≈") for c in counts) == expected["facets_exact"]
    # the page asks for the facets it shows, and pages on to the last one
    asked = [_query_args(u).get("facets") for u in page.requests if "/api/search" in u]
    assert asked and all(a == ["year,kind,symbol"] for a in asked)
    # past the last match every match has been seen: the total is exact there, and its last page the last
    beyond = api_search(estimating, q="nations", limit=10, offset=10_000)
    assert beyond["hits"] == [] and beyond["total_relation"] == "eq"
    last = (beyond["total"] - 1) // 10 * 10
    page.goto(estimating + f"/?q=nations&offset={last}")
    wait_for_results(page, "nations")
    expect(page.locator("#hits li.hit")).to_have_count(beyond["total"] - last)
    expect(page.locator("#pager .next")).to_have_attribute("aria-disabled", "true")


def test_facets_pagination_suggestion_and_history(page, server):
    expected = api_search(server, q=FR_QUERY, limit=10)
    assert expected["total"] > 10, "the shipped corpus should give more than a page of results"
    page.goto(server + "/?q=" + urllib.parse.quote(FR_QUERY))
    wait_for_results(page, FR_QUERY)

    # next page
    page.locator("#pager a.next").click()
    page.wait_for_url(re.compile(r"[?&]offset=10(&|$)"))
    expect(page.locator("#pager .where")).to_have_text(re.compile(rf"^11–\d+ of {expected['total']}$"))
    second = api_search(server, q=FR_QUERY, limit=10, offset=10)
    expect(page.locator("#hits li.hit").first).to_have_attribute("data-id", second["hits"][0]["id"])

    # a facet filters (and starts again at the first page); its chip removes it
    page.locator('#facets a[data-facet="year"][data-value="2013"]').click()
    page.wait_for_url(re.compile(r"[?&]year=2013(&|$)"))
    filtered = api_search(server, q=FR_QUERY, limit=10, year="2013")
    expect(page.locator("#summary .total")).to_have_text(str(filtered["total"]))
    assert "offset=" not in page.url
    expect(page.locator("#active-filters .chip")).to_have_text(re.compile(r"Year: 2013"))
    years = page.locator("#hits .hit-head .year").all_inner_texts()
    assert years and all(y.startswith("2013") for y in years)

    # the kind select filters too
    page.get_by_label("Kind", exact=True).select_option("operative")
    page.wait_for_url(re.compile(r"[?&]kind=operative(&|$)"))
    operative = api_search(server, q=FR_QUERY, limit=10, year="2013", kind="operative")
    expect(page.locator("#summary .total")).to_have_text(str(operative["total"]))
    kinds = page.locator("#hits .hit-head .kind").all_inner_texts()
    assert kinds and set(kinds) == {"Operative"}

    # back twice: the second page of the unfiltered search again
    page.go_back()
    page.go_back()
    page.wait_for_url(re.compile(r"[?&]offset=10(&|$)"))
    expect(page.locator("#hits li.hit").first).to_have_attribute("data-id", second["hits"][0]["id"])
    expect(page.get_by_label("Kind", exact=True)).to_have_value("")

    # did you mean: a misspelt word gets a suggestion link that searches it
    typo = "désarmemant"
    suggestion = api_search(server, q=typo)["suggestion"]
    assert suggestion
    search_from_box(page, typo)
    link = page.locator("#suggestion-link")
    expect(link).to_have_text(suggestion)
    link.click()
    wait_for_results(page, suggestion)
    expect(page.get_by_role("searchbox", name="Search")).to_have_value(suggestion)
    expect(page.locator("#hits li.hit").first).to_be_visible()


@pytest.mark.parametrize("mode", ["waitress", "proxy"])
@pytest.mark.parametrize("slash", ["/", ""], ids=["slash", "no-slash"])
def test_page_under_a_url_prefix(page, prefixed, mode, slash):
    page.goto(prefixed[mode] + PREFIX + slash)
    expect(page.locator("#intro")).to_be_visible()
    assert urllib.parse.urlsplit(page.url).path == PREFIX + "/"  # redirected, or fixed up by the page
    search_from_box(page, FR_QUERY)
    page.wait_for_selector("#hits li.hit")
    wait_for_results(page, FR_QUERY)
    parts = urllib.parse.urlsplit(page.url)
    assert parts.path == PREFIX + "/"
    assert urllib.parse.parse_qs(parts.query)["q"] == [FR_QUERY]
    expect(page.get_by_role("region", name="Translated as")).to_be_visible()
    api_calls = [urllib.parse.urlsplit(u).path for u in page.requests if "/api/" in u]
    # the indexed languages come from health, under the prefix too
    assert set(api_calls) == {PREFIX + "/api/search", PREFIX + "/api/terms", PREFIX + "/api/health"}
    expect(page.locator("#hits .highlight mark").first).to_be_visible()
    expect(page.locator("#hits .translation .text").first).to_have_attribute("lang", "zh-Hans")
    # the linkable URL runs the search again on load, still under the prefix
    page.reload()
    wait_for_results(page, FR_QUERY)
    expect(page.locator("#hits li.hit").first).to_be_visible()
    # and the page's own links stay under it
    href = page.get_by_role("link", name="OpenAPI description").evaluate("a => a.href")
    assert urllib.parse.urlsplit(href).path == PREFIX + "/api/openapi.json"


# ------------------------------------------------------------------ renderings of the query, marks in translations

TERM = "désarmement"
LANG_TAG = {"fr": "fr", "zh": "zh-Hans"}


def figures(rendering: dict, seen: int | None) -> str:
    """What the panel shows for a rendering's count and share, in either answer shape."""
    count = rendering.get("count", rendering.get("pairs"))
    share = rendering.get("share", count / seen if seen else None)
    shown = [f"{count} {'pair' if count == 1 else 'pairs'}"]
    if share is not None:
        shown.append(f"{math.floor(share * 100 + 0.5)}%")  # JavaScript's Math.round
    return " · ".join(shown)


def example_texts(base: str, rendering: dict, lang: str, target: str) -> tuple[str, str]:
    """A rendering's example pair (source text, translation text): given in the answer, or its paragraphs'."""
    if "examples" in rendering:
        example = rendering["examples"][0]
        return example["text"], example["translation"]["text"]
    source, translated = rendering["example"][lang], rendering["example"][target]
    paragraph = api_get(base, "paragraphs/" + urllib.parse.quote(source, safe=""))
    return paragraph["text"], next(t["text"] for t in paragraph["translations"] if translated in t["ids"])


def terms_requests(page) -> list[dict]:
    """The query strings of the page's calls to /api/terms, in order."""
    return [urllib.parse.parse_qs(urllib.parse.urlsplit(u).query) for u in page.requests if "/api/terms?" in u]


def test_terms_panel_shows_renderings_and_searches_the_other_language(page, server):
    expected = api_get(server, "terms", q=TERM, lang="auto", limit=5)
    renderings = expected["renderings"]
    assert renderings, f"the shipped corpus should give renderings of {TERM}"
    lang = expected["lang"]
    target = next(code for code in LANG_TAG if code != lang)
    seen = expected.get("pairs_seen", expected.get("aligned"))
    page.goto(server + "/?q=" + urllib.parse.quote(TERM))
    wait_for_results(page, TERM)

    panel = page.get_by_role("region", name="Translated as")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text("Translated as")
    items = panel.get_by_role("listitem")
    expect(items).to_have_count(len(renderings))
    expect(panel.locator(".rendering .term")).to_have_text([r["text"] for r in renderings])
    expect(panel.locator(".rendering .term").first).to_have_attribute("lang", LANG_TAG[target])
    expect(panel.locator(".rendering .figures")).to_have_text([figures(r, seen) for r in renderings])
    # one other language indexed: nothing to choose, and the API's choice asked for
    expect(panel.get_by_role("group", name="Renderings in")).to_be_hidden()
    assert terms_requests(page)[-1] == {"q": [TERM], "lang": ["auto"], "limit": ["5"]}

    # the first rendering's example, folded until opened: the source paragraph and its translation, marked
    example = items.first.locator("details.example")
    expect(example).not_to_have_attribute("open", "")
    example.locator("summary").click()
    source, translation = example_texts(server, renderings[0], lang, target)
    expect(example.locator(".source-text")).to_have_text(source)
    expect(example.locator(".source-text")).to_have_attribute("lang", LANG_TAG[lang])
    expect(example.locator(".target-text")).to_have_text(translation)
    expect(example.locator(".target-text mark").first).to_have_text(renderings[0]["text"])

    # on a narrow screen the panel fits the width
    page.set_viewport_size({"width": 375, "height": 800})
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # choosing a rendering searches it in the other language, which shows its own renderings
    text = renderings[0]["text"]
    back = api_get(server, "terms", q=text, lang=target, limit=5)
    hits = api_search(server, q=text, lang=target, limit=10)
    assert back["renderings"] and hits["total"]
    # the first link: a rendering found in same-document and in other-year translations is listed for each
    panel.get_by_role("link", name=text, exact=True).first.click()
    page.wait_for_url(re.compile(rf"[?&]lang={target}(&|$)"))
    wait_for_results(page, text)
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query) == {"q": [text], "lang": [target]}
    expect(page.get_by_role("searchbox", name="Search")).to_have_value(text)
    expect(page.get_by_label("Language")).to_have_value(target)
    expect(page.locator("#summary .total")).to_have_text(str(hits["total"]))
    expect(page.locator("#hits .source").first).to_have_attribute("lang", LANG_TAG[target])
    expect(panel.locator(".rendering .term")).to_have_text([r["text"] for r in back["renderings"]])
    assert terms_requests(page)[-1] == {"q": [text], "lang": [target], "limit": ["5"]}

    # back: the first search and its panel again
    page.go_back()
    wait_for_results(page, TERM)
    expect(panel.locator(".rendering .term")).to_have_text([r["text"] for r in renderings])


def test_terms_panel_only_for_plain_words_and_hidden_without_renderings(page, server):
    for query in [f'"{TERM}"', f"{TERM} OR paix", f"{TERM} -paix", "désarm*", f"kind:operative {TERM}"]:
        page.goto(server + "/?q=" + urllib.parse.quote(query))
        wait_for_results(page, query)
        expect(page.locator("#hits li.hit").first).to_be_visible()
        expect(page.locator("#terms")).to_be_hidden()
    assert terms_requests(page) == []

    # a word the index does not hold: asked, nothing to show
    unknown = "zqxjwv"
    assert api_get(server, "terms", q=unknown)["renderings"] == []
    with page.expect_response("**/api/terms?*"):
        page.goto(server + "/?q=" + unknown)
    wait_for_results(page, unknown)
    expect(page.locator("#terms")).to_be_hidden()

    # a failed request hides the panel and leaves the results alone
    answer_with(page, "**/api/terms?*", {"error": {"code": "internal_error", "message": XSS}}, status=500)
    with page.expect_response("**/api/terms?*"):
        page.goto(server + "/?q=" + urllib.parse.quote(TERM))
    wait_for_results(page, TERM)
    expect(page.locator("#hits li.hit").first).to_be_visible()
    expect(page.locator("#terms")).to_be_hidden()
    expect(page.locator("#error")).to_be_hidden()
    page.unroute("**/api/terms?*")

    # another page or a filter of the same query keeps the panel without asking again
    page.goto(server + "/?q=" + urllib.parse.quote(TERM))
    expect(page.locator("#renderings li").first).to_be_visible()
    asked = len(terms_requests(page))
    page.locator("#pager a.next").click()
    page.wait_for_url(re.compile(r"[?&]offset=10(&|$)"))
    page.locator('#facets a[data-facet="kind"]').first.click()
    page.wait_for_url(re.compile(r"[?&]kind="))
    wait_for_results(page, TERM)
    expect(page.locator("#renderings li").first).to_be_visible()
    assert len(terms_requests(page)) == asked


def test_terms_panel_reads_both_answer_shapes_as_text(page, server):
    hit = api_search(server, q=TERM, lang="fr", limit=1)["hits"][0]
    translation = hit["translations"][0]
    answer = {
        "query": TERM,
        "lang": "fr",
        "pairs_seen": 5,
        "renderings": [
            {
                "text": XSS,
                "count": 3,
                "share": 0.6,
                "relation": {"type": "other_year", "label": XSS},
                "examples": [{"id": "e1", "text": f"a {XSS} b", "translation": {"id": "e2", "text": f"c {XSS}"}}],
            },
            {"text": "裁军", "count": 2, "share": 0.4, "examples": []},
        ],
    }
    answer_with(page, "**/api/terms?*", answer)
    page.goto(server + "/?q=" + urllib.parse.quote(TERM))
    panel = page.locator("#terms")
    expect(panel.locator(".rendering .term")).to_have_text([XSS, "裁军"])
    expect(panel.locator(".rendering .figures")).to_have_text(["3 pairs · 60%", "2 pairs · 40%"])
    expect(panel.locator(".terms-about")).to_have_text(f"{TERM} in 中文, from 5 aligned pairs")
    first = panel.locator(".rendering").first
    expect(first.locator(".rendering-head + .relation")).to_have_text("⚠ " + XSS)
    first.locator("summary").click()
    expect(first.locator(".source-text")).to_have_text(f"a {XSS} b")
    expect(first.locator(".target-text")).to_have_text(f"c {XSS}")
    expect(first.locator(".target-text mark")).to_have_text(XSS)
    expect(panel.locator(".rendering").nth(1).locator("details")).to_have_count(0)  # no example, none shown
    href = first.locator(".term").get_attribute("href")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query) == {"q": [XSS], "lang": ["zh"]}
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img, main script").count() == 0

    # the earlier shape: pairs and Dice, an example by paragraph ids whose texts are fetched when opened
    earlier = {
        "term": TERM,
        "lang": "fr",
        "target": "zh",
        "paragraphs": 12,
        "aligned": 10,
        "renderings": [
            {
                "text": "裁军",
                "dice": 0.5,
                "pairs": 4,
                "frequency": 6,
                "example": {"fr": hit["id"], "zh": translation["id"]},
            },
            {"text": XSS, "dice": 0.1, "pairs": 1, "frequency": 9, "example": {"fr": "../../x", "zh": "y"}},
        ],
    }
    page.unroute("**/api/terms?*")
    answer_with(page, "**/api/terms?*", earlier)
    page.goto(server + "/?q=" + urllib.parse.quote(TERM))
    expect(panel.locator(".rendering .term")).to_have_text(["裁军", XSS])
    expect(panel.locator(".rendering .figures")).to_have_text(["4 pairs · 40%", "1 pair · 10%"])
    first.locator("summary").click()
    expect(first.locator(".source-text")).to_have_text(hit["text"])
    expect(first.locator(".target-text")).to_have_text(translation["text"])
    expect(panel.locator(".rendering").nth(1).locator("details")).to_have_count(0)  # an id that is no id
    page.wait_for_load_state("networkidle")
    paths = [urllib.parse.urlsplit(u).path for u in page.requests]
    assert "/api/paragraphs/" + urllib.parse.quote(hit["id"], safe="") in paths
    assert not [p for p in paths if p.endswith("/x") or p == "/api/"]
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img, main script").count() == 0


TRANSLATION_MARKS = "和平 <mark>裁军</mark> &lt;img src=x onerror=window.__x=1&gt; <img src=x onerror=window.__x=3>"


def marked_translations_body() -> dict:
    """The hostile answer, its hit with two translations: one whose `highlight` carries marks and markup, one
    without a highlight (its text shown as is)."""
    body = hostile_body()
    translations = body["hits"][0]["translations"]
    translations.append({**translations[0], "id": "t2"})
    translations[0]["highlight"] = TRANSLATION_MARKS + "<script>window.__x=2</script>b"
    return body


def expect_marked_translations(texts):
    """The translations of marked_translations_body() as shown: only <mark> became markup."""
    expect(texts.first.locator("mark")).to_have_text("裁军")
    expect(texts.first).to_have_text(f"和平 裁军 {XSS} b")
    expect(texts.nth(1)).to_have_text(XSS)
    expect(texts.nth(1).locator("mark")).to_have_count(0)


def test_a_paragraph_read_by_ocr_is_tagged(page, server):
    """A hit whose text came from a scanned page says so (the API's `source: "ocr"`); the others do not."""
    real = api_search(server, q=FR_QUERY, limit=10)
    assert len(real["hits"]) >= 2 and all(hit["source"] != "ocr" for hit in real["hits"])
    real["hits"][1]["source"] = "ocr"
    answer_with(page, "**/api/search?*", real)
    page.goto(server + "/?q=" + urllib.parse.quote(FR_QUERY))
    wait_for_results(page, FR_QUERY)
    tags = page.locator("#hits li.hit .tag.ocr")
    expect(tags).to_have_count(1)
    expect(page.locator("#hits li.hit").nth(1).locator(".tag.ocr")).to_have_text("OCR")
    assert "scanned page" in tags.first.get_attribute("title")
    page.unroute("**/api/search?*")


def test_translation_marks_are_shown_and_never_interpreted(page, server):
    # the real answer, with each translation marked where it holds the Chinese term, as the API marks a hit
    real = api_search(server, q=FR_QUERY, limit=10)
    translations = [tr for hit in real["hits"] for tr in hit["translations"]]
    for tr in translations:
        tr["highlight"] = html.escape(tr["text"], quote=False).replace(ZH_QUERY, f"<mark>{ZH_QUERY}</mark>")
    marked = sum(tr["text"].count(ZH_QUERY) for tr in translations)
    assert marked, "the translations of the French query should hold the Chinese term"
    answer_with(page, "**/api/search?*", real)
    page.goto(server + "/?q=" + urllib.parse.quote(FR_QUERY))
    wait_for_results(page, FR_QUERY)
    texts = page.locator("#hits .translation .text")
    expect(texts).to_have_text([tr["text"] for tr in translations])
    marks = page.locator("#hits .translation .text mark")
    expect(marks).to_have_count(marked)
    assert set(marks.all_inner_texts()) == {ZH_QUERY}
    assert texts.first.evaluate("el => getComputedStyle(el.querySelector('mark')).backgroundColor") == page.locator(
        "#hits .source .highlight mark"
    ).first.evaluate("el => getComputedStyle(el).backgroundColor")

    # only <mark> becomes markup: escaped markup stays text, raw markup is dropped, nothing runs
    page.unroute("**/api/search?*")
    answer_with(page, "**/api/search?*", marked_translations_body())
    page.goto(server + "/?q=paix")
    page.wait_for_selector("#hits li.hit")
    page.wait_for_load_state("networkidle")
    texts = page.locator("#hits .translation .text")
    expect_marked_translations(texts)
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("main img, main script").count() == 0


# ------------------------------------------------------------------ the widget

PORTAL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A portal</title>
<style>li {{ color: rgb(255, 0, 0) !important; }} mark {{ display: none; }} input {{ display: none; }}</style>
<script>window.__before = Object.keys(window);</script>
</head><body>
<h1>A portal embedding tandem</h1>
<div id="first-box">
  <script id="first" src="{server}/widget.js" data-endpoint="{server}" data-lang="auto" data-limit="3"></script>
  <p id="after-first">Portal text after the widget.</p>
</div>
<script id="second" src="{prefixed}{prefix}/widget.js" data-target="#slot" data-limit="2" data-lang="zh"></script>
<section><h2>Under a prefix, endpoint from the script's URL</h2><div id="slot"></div></section>
</body></html>
"""


def test_widget_embedded_in_another_site(page, server, prefixed, portal):
    html = PORTAL_PAGE.format(server=server, prefixed=prefixed["waitress"], prefix=PREFIX)
    (portal["root"] / "portal.html").write_text(html, encoding="utf-8")
    page.goto(portal["origin"] + "/portal.html")

    # inserted right after its own script tag
    first = page.locator("#first + .tandem-host")
    expect(first.locator(".tandem-input")).to_be_visible()
    first.get_by_role("searchbox").fill(FR_QUERY)
    first.get_by_role("button", name="Search").click()
    hits = first.locator(".tandem-hit")
    page.wait_for_selector("#first + .tandem-host .tandem-hit")
    expect(hits).to_have_count(3)  # data-limit
    expected = api_search(server, q=FR_QUERY, limit=3)
    for i, hit in enumerate(expected["hits"]):
        item = hits.nth(i)
        expect(item.locator(".tandem-highlight")).to_have_text(hit["text"])
        expect(item.locator(".tandem-highlight mark").first).to_be_visible()
        text = item.locator(".tandem-translation .tandem-text")
        expect(text.first).to_have_text(hit["translations"][0]["text"])
        expect(text.first).to_have_attribute("lang", "zh-Hans")
        if hit["document"]["symbol"] == "A/RES/68/38":
            expect(item.locator(".tandem-relation")).to_be_visible()
            expect(item.locator(".tandem-relation")).to_contain_text("another year's version")
    more = first.locator(".tandem-more")
    expect(more).to_have_attribute("href", f"{server}/?q={urllib.parse.quote(FR_QUERY, safe='')}")

    # the portal's styles do not reach into the widget, and it defines one global at most
    color = hits.first.evaluate("el => getComputedStyle(el).color")
    assert color != "rgb(255, 0, 0)"
    new_globals = page.evaluate("Object.keys(window).filter(k => !window.__before.includes(k) && k !== '__before')")
    assert set(new_globals) <= {"TandemWidget"}

    # second widget: into data-target, endpoint derived from its script's URL (under /tandem)
    second = page.locator("#slot")
    second.get_by_role("searchbox").fill(ZH_QUERY)
    second.get_by_role("searchbox").press("Enter")
    page.wait_for_selector("#slot .tandem-hit")
    expect(second.locator(".tandem-hit")).to_have_count(2)
    expect(second.locator(".tandem-highlight mark").first).to_have_text(ZH_QUERY)
    fr = second.locator('.tandem-text[lang="fr"]').first
    expect(fr).to_be_visible()
    assert not HAN.search(fr.inner_text())
    api_paths = {urllib.parse.urlsplit(u).path for u in page.requests if "/api/" in u}
    assert api_paths == {"/api/search", PREFIX + "/api/search"}
    # the widget shows no facets and asks for none
    asked = [_query_args(u).get("facets") for u in page.requests if "/api/search" in u]
    assert asked and all(a == [""] for a in asked)
    # still just one copy of the widget in each place
    expect(page.locator(".tandem-host")).to_have_count(1)
    expect(page.locator(".tandem-widget")).to_have_count(2)


def test_widget_shows_query_markup_as_text(page, server, portal):
    url = widget_page(portal, server, "xss.html")
    page.goto(url)
    box = page.locator("#w").get_by_role("searchbox")
    box.fill(XSS)
    box.press("Enter")
    expect(page.locator("#w .tandem-status")).to_contain_text("No paragraph matches")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("#w img").count() == 0


def test_widget_never_interprets_hostile_api_data(page, server, portal):
    url = widget_page(portal, server, "hostile.html")
    answer_with(page, server + "/api/search?*", hostile_body(), headers={"Access-Control-Allow-Origin": "*"})
    page.goto(url)
    box = page.locator("#w").get_by_role("searchbox")
    box.fill("paix")
    box.press("Enter")
    page.wait_for_selector("#w .tandem-hit")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("#w img, #w script").count() == 0
    expect(page.locator("#w .tandem-highlight mark")).to_have_text("paix")
    expect(page.locator("#w .tandem-highlight")).to_have_text("a paix b")
    expect(page.locator("#w .tandem-text")).to_have_text(XSS)
    expect(page.locator("#w .tandem-relation")).to_have_text("⚠ " + XSS)
    expect(page.locator("#w .tandem-symbol")).to_have_text("A/RES/" + XSS)

    # an error message from the API is text too
    page.unroute(server + "/api/search?*")
    answer_with(
        page,
        server + "/api/search?*",
        {"error": {"code": "bad_query", "message": XSS}},
        status=400,
        headers={"Access-Control-Allow-Origin": "*"},
    )
    box.fill("guerre")
    box.press("Enter")
    expect(page.locator("#w .tandem-error")).to_have_text(XSS)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("#w img").count() == 0


def test_widget_shows_translation_marks_as_text(page, server, portal):
    url = widget_page(portal, server, "marks.html")
    answer_with(
        page, server + "/api/search?*", marked_translations_body(), headers={"Access-Control-Allow-Origin": "*"}
    )
    page.goto(url)
    box = page.locator("#w").get_by_role("searchbox")
    box.fill("paix")
    box.press("Enter")
    page.wait_for_selector("#w .tandem-hit")
    page.wait_for_load_state("networkidle")
    texts = page.locator("#w .tandem-translation .tandem-text")
    expect_marked_translations(texts)
    expect(page.locator("#w .tandem-highlight mark")).to_have_text("paix")
    assert page.evaluate("typeof window.__x") == "undefined"
    assert page.locator("#w img, #w script").count() == 0
