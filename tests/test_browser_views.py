"""The widget's error messages, the page's document view, copy and export buttons, focus and layout, in a real
headless Chromium against the real app (fixtures and helpers in tests/browser_support.py)."""

from __future__ import annotations

import re
import socket
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .browser_support import api_get, api_search, expect, waitress_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def closed_server(shipped_index):
    """The real app with the default settings: no origin but its own may call the API (cors_origins = [])."""
    from server.app import create_app

    app = create_app(shipped_index[0].replace(cors_origins=()))
    with waitress_server(app) as origin:
        yield origin
    app.extensions["tandem.search"].close()


def _portal_page(portal, name: str, script_origin: str, endpoint: str) -> str:
    (portal["root"] / name).write_text(
        f'<!doctype html><meta charset="utf-8"><title>x</title><div id="w"></div>'
        f'<script src="{script_origin}/widget.js" data-endpoint="{endpoint}" data-target="#w"></script>',
        encoding="utf-8",
    )
    return portal["origin"] + "/" + name


def test_widget_tells_a_refused_origin_from_a_server_that_is_down(page, closed_server, portal):
    page.goto(_portal_page(portal, "refused.html", closed_server, closed_server))
    box = page.locator("#w").get_by_role("searchbox")
    box.fill("multilatéralisme")
    box.press("Enter")
    expect(page.locator("#w .tandem-error")).to_have_text(
        f"this portal's address ({portal['origin']}) is not in tandem's cors_origins: "
        "add it to [server] cors_origins in tandem's config.toml"
    )

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    page.goto(_portal_page(portal, "down.html", closed_server, dead))
    box = page.locator("#w").get_by_role("searchbox")
    box.fill("multilatéralisme")
    box.press("Enter")
    expect(page.locator("#w .tandem-error")).to_have_text(f"tandem is unreachable at {dead}/")


# ------------------------------------------------------------------ the page


def _search(page, server, query: str):
    page.goto(server + "/?q=" + urllib.parse.quote(query))
    page.wait_for_selector("#hits li.hit")
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")


def test_a_hits_symbol_opens_its_document_side_by_side_with_differences_marked(page, server):
    _search(page, server, "multilatéralisme")
    link = page.locator('#hits li.hit[data-symbol="A/RES/68/38"] a.symbol').first
    expect(link).to_have_text("A/RES/68/38")
    link.click()
    expect(page).to_have_url(re.compile(r"doc=A%2FRES%2F68%2F38"))
    view = page.locator("#document-view")
    expect(view).to_be_visible()
    expect(page.locator("#layout")).to_be_hidden()
    expect(page.locator("#document-title")).to_be_focused()
    document = api_get(server, "documents/A/RES/68/38")
    check = api_get(server, "documents/A/RES/68/38/check")
    (alignment,) = document["alignments"]
    table = view.locator("table.side-by-side")
    expect(table.locator("thead th")).to_have_text(["A/RES/68/38 · Français · 2013", "A/RES/67/38 · 中文 · 2012"])
    rows = table.locator("tbody tr:not(.differences-row)")
    expect(rows).to_have_count(len(alignment["rows"]))
    for i, row in enumerate(alignment["rows"][:6]):
        for column, lang in ((0, "fr"), (1, "zh")):
            cell = rows.nth(i).locator("td").nth(column)
            expect(cell).to_have_attribute("lang", {"fr": "fr", "zh": "zh-Hans"}[lang])
            for para in row[lang]:
                expect(cell.locator(f'[data-id="{para["id"]}"]')).to_contain_text(para["text"])
    expect(table.locator("tr.differs")).to_have_count(len(check["pairs"]))
    first = check["pairs"][0]
    differs = table.locator("tr.differs").first
    expect(differs.locator("mark.diff")).to_have_text(first["differences"]["fr"] + first["differences"]["zh"])
    only = first["differences"]
    expect(table.locator("tr.differences-row").first).to_have_text(
        f"⚠ Differs: Français only: {', '.join(only['fr'])} · 中文 only: {', '.join(only['zh'])}"
    )
    expect(view.locator(".relation")).to_contain_text("another year's version")
    # back to the same results
    view.get_by_role("link", name="‹ Back to the results").click()
    expect(page.locator("#hits li.hit").first).to_be_visible()
    expect(view).to_be_hidden()
    expect(page.locator("#summary q")).to_have_text("multilatéralisme")


def test_a_long_document_is_shown_a_page_of_rows_at_a_time(page, server):
    (alignment,) = api_get(server, "documents/A/RES/68/38")["alignments"]
    total = alignment["rows_total"]
    assert total == len(alignment["rows"]) > 20
    page.goto(server + "/?doc=" + urllib.parse.quote("A/RES/68/38", safe="") + "&rows=10")
    rows = page.locator("#document-view table.side-by-side tbody tr:not(.differences-row)")
    expect(rows).to_have_count(10)
    more = page.get_by_role("button", name=re.compile(r"^Show more rows"))
    expect(more).to_have_text(f"Show more rows (10 of {total} shown)")
    more.click()
    expect(rows).to_have_count(20)
    expect(more).to_have_text(f"Show more rows (20 of {total} shown)")
    while more.count():
        more.click()
        expect(page.locator("#document-view .more-rows .status")).to_have_text("")
    expect(rows).to_have_count(total)  # every row once, in order
    ids = [row["fr"][0]["id"] if row["fr"] else row["zh"][0]["id"] for row in alignment["rows"]]
    shown = rows.evaluate_all("rows => rows.map(r => r.querySelector('[data-id]').dataset.id)")
    assert shown == ids
    summary = page.locator("#document-view .check-summary")
    pairs = len(api_get(server, "documents/A/RES/68/38/check")["pairs"])
    expect(summary).to_have_text(
        f"{pairs} aligned pair{'s' if pairs != 1 else ''} differ in numbers, symbols or dates (marked)"
    )


def test_copy_buttons_copy_a_hits_text_and_its_translation(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    try:
        _search(page, server, "multilatéralisme")
        hit = api_search(server, q="multilatéralisme", limit=10)["hits"][0]
        first = page.locator("#hits li.hit").first
        first.locator(".source").get_by_role("button", name=re.compile("^Copy the Français text")).click()
        expect(first.locator(".source button.copy")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == hit["text"]
        first.locator(".translation button.copy").first.click()
        assert page.evaluate("navigator.clipboard.readText()") == hit["translations"][0]["text"]
    finally:
        context.close()


def test_the_pairs_shown_export_as_tmx_and_csv(page, server):
    page.goto(server + "/?q=d%C3%A9sarmement&offset=10")
    page.wait_for_selector("#hits li.hit")
    tmx = page.locator("#summary a.export-tmx")
    href = tmx.get_attribute("href")
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
    assert params == {"q": ["désarmement"], "lang": ["auto"], "limit": ["10"], "offset": ["10"], "format": ["tmx"]}
    with page.expect_download() as download:
        tmx.click()
    body = Path(download.value.path()).read_text(encoding="utf-8")
    direct = urllib.request.urlopen(server + "/" + href, timeout=30).read().decode("utf-8")
    assert body == direct and body.count("<tu>") > 0
    shown = {h.get_attribute("data-id") for h in page.locator("#hits li.hit").all()}
    with page.expect_download() as download:
        page.locator("#summary a.export-csv").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("relation,confidence,a_lang")
    csv_ids = {line.split(",")[6] for line in rows[1:] if line.count(",") > 6 and line.split(",")[6].startswith("fr-")}
    assert csv_ids and csv_ids <= shown


def test_the_search_box_has_the_focus_on_arrival(page, server):
    page.goto(server + "/")
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()
    _search(page, server, "multilatéralisme")
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()


def test_a_quoted_query_is_quoted_once_in_the_summary(page, server):
    _search(page, server, '"non-prolifération"')
    expect(page.locator("#summary q")).to_have_text("non-prolifération")
    shown = page.locator("#summary").inner_text()
    assert "non-prolifération" in shown and '"' not in shown  # the quotation marks are the <q>'s own
    _search(page, server, '"non-prolifération" nucléaire')
    expect(page.locator("#summary q")).to_have_text('"non-prolifération" nucléaire')


def _tab_order(page, limit: int = 120) -> list[str]:
    """What Tab reaches from the search box on: 'hit' for a hit's symbol link, 'facet' for a facet link."""
    page.get_by_role("searchbox", name="Search").focus()
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => { const a = document.activeElement;"
                " return a.closest('aside.facets') ? 'facet' : a.matches('#hits a.symbol') ? 'hit' : a.tagName }"
            )
        )
        if seen[-1] == "facet":
            break
    return seen


def test_facets_follow_the_results_beside_them_when_wide(page, server):
    _search(page, server, "multilatéralisme")
    results = page.locator("#results").bounding_box()
    facets = page.locator("aside.facets")
    expect(facets).to_be_visible()
    expect(page.locator("#filters-toggle")).to_be_hidden()
    box = facets.bounding_box()
    assert box["x"] >= results["x"] + results["width"] and box["y"] < results["y"] + 50  # beside, at the top
    order = _tab_order(page)
    assert order[-1] == "facet" and "hit" in order  # every hit's link before the first facet
    assert order.count("hit") == page.locator("#hits a.symbol").count()


def test_facets_wait_behind_a_filters_button_when_narrow(page, server):
    page.set_viewport_size({"width": 600, "height": 1000})
    _search(page, server, "multilatéralisme")
    toggle = page.get_by_role("button", name="Filters")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("aside.facets")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    facets = page.locator("aside.facets")
    expect(facets).to_be_visible()
    expect(facets.locator("a").first).to_be_focused()
    button, box, results = toggle.bounding_box(), facets.bounding_box(), page.locator("#hits").bounding_box()
    assert button["y"] + button["height"] <= box["y"] < results["y"]  # below the button, above the hits
    # widening the window puts them beside the results, the button gone
    page.set_viewport_size({"width": 1280, "height": 1000})
    expect(toggle).to_be_hidden()
    expect(facets).to_be_visible()
    toggle_again = facets.bounding_box()
    assert toggle_again["x"] > page.locator("#results").bounding_box()["x"]
