"""The widget's error messages, the page's document view, copy and export buttons, focus and layout, in a real
headless Chromium against the real app (fixtures and helpers in tests/browser_support.py)."""

from __future__ import annotations

import socket

import pytest

from .browser_support import expect, waitress_server

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
