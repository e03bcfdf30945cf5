"""The page's "Look up a segment" mode and the widget's lookup option, in a real headless Chromium against the
real app (fixtures and helpers in tests/browser_support.py)."""

from __future__ import annotations

import pytest

from .browser_support import expect

pytestmark = pytest.mark.browser

NEXT_TITLE = "69/38. Promotion du multilatéralisme dans le domaine du désarmement et de la non-prolifération"


def test_page_looks_a_segment_up(page, server):
    page.goto(server + "/")
    page.get_by_text("Look up a segment").click()
    page.get_by_label("Has this been translated before?").fill(NEXT_TITLE)
    page.get_by_role("button", name="Look up").click()
    first = page.locator("#lookup-matches > li").first
    expect(first).to_have_attribute("data-id", "fr-a-res-68-38.p2")
    expect(page.locator("#lookup-status")).to_contain_text("of at least 70%")
    expect(first.locator(".match-value")).to_have_text("92%")
    expect(first.locator(".match-bar")).to_have_attribute("aria-label", "match 92%")
    width = first.locator(".match-fill").evaluate("e => e.style.width")
    assert width == "92%"
    expect(first.locator(".diff del")).to_have_text("68/38")
    expect(first.locator(".diff ins")).to_have_text("69/38")
    expect(first.locator(".numbers-differ")).to_contain_text("stored 68/38, asked 69/38")
    translation = first.locator(".translation").first
    expect(translation).to_have_attribute("data-relation", "other_year")
    expect(translation).to_contain_text("another year's version")
    expect(translation.locator(".para")).to_have_text("67/38. 促进裁军和不扩散领域的多边主义")


def test_page_says_when_nothing_was_translated_before(page, server):
    page.goto(server + "/")
    page.get_by_text("Look up a segment").click()
    page.get_by_label("Has this been translated before?").fill("Zyx qwv <b>plonk</b> frobnicate")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#lookup-status")).to_have_text("Not translated before: no segment matches 70% or more.")
    expect(page.locator("#lookup-matches > li")).to_have_count(0)


def test_widget_lookup_option(page, server, portal):
    (portal["root"] / "lookup.html").write_text(
        f'<!doctype html><meta charset="utf-8"><title>x</title><div id="w"></div>'
        f'<script src="{server}/widget.js" data-endpoint="{server}" data-target="#w" data-mode="lookup"></script>',
        encoding="utf-8",
    )
    page.goto(portal["origin"] + "/lookup.html")
    widget = page.locator("#w")
    widget.get_by_role("textbox").fill(NEXT_TITLE)
    widget.get_by_role("button", name="Look up").click()
    first = widget.locator(".tandem-hit").first
    expect(first).to_have_attribute("data-id", "fr-a-res-68-38.p2")
    expect(first.locator(".tandem-match")).to_have_text("92% · ")
    expect(first.locator("del")).to_have_text("68/38")
    expect(first.locator("ins")).to_have_text("69/38")
    expect(first.locator(".tandem-relation")).to_contain_text("another year's version")
