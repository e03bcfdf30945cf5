"""Fixtures and helpers of the browser tests (tests/test_browser*.py), loaded by conftest.py: the search page
and the embeddable widget in a real headless Chromium, against the real app.

Everything is real: the shipped corpus is indexed into a temporary folder (the session's `shipped_index`),
the Flask app is served by waitress on a free loopback port, and Debian's Chromium is driven through
Playwright (never `playwright install`: the system browser is launched by path). A second waitress server
mounts the app under /tandem, as behind a reverse proxy, and a third tiny HTTP server plays a portal on
another origin that embeds the widget.

Run: .venv/bin/pytest -m browser tests/test_browser.py
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path("/tmp/tandem-page.png")
PREFIX = "/tandem"
TIMEOUT_MS = 15_000
HAN = re.compile(r"[\u4e00-\u9fff]")
FR_QUERY = "multilatéralisme"
ZH_QUERY = "多边主义"
XSS = "<img src=x onerror=window.__x=1>"


def chromium_path() -> str | None:
    """Debian's Chromium, where it is installed."""
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


# ------------------------------------------------------------------ servers


@contextmanager
def waitress_server(app, url_prefix: str = ""):
    """Serve a WSGI app with waitress on a free loopback port in a background thread; yields the origin."""
    from waitress.server import create_server

    srv = create_server(app, host="127.0.0.1", port=0, threads=4, url_prefix=url_prefix, ident="tandem-test")
    thread = threading.Thread(target=srv.run, name="waitress-test", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()
        srv.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """Another origin (a plain static HTTP server) where test pages embedding the widget are written."""
    root = tmp_path_factory.mktemp("portal")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, name="portal", daemon=True)
    thread.start()
    yield {"root": root, "origin": f"http://127.0.0.1:{httpd.server_address[1]}"}
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def server(shipped_index, portal):
    """The real app over the shipped corpus's index, at the root of its origin; CORS allows the portal."""
    from server.app import create_app

    cfg = shipped_index[0].replace(cors_origins=(portal["origin"],))
    app = create_app(cfg)
    with waitress_server(app) as origin:
        yield origin
    app.extensions["tandem.search"].close()


@pytest.fixture(scope="session")
def prefixed(shipped_index, portal):
    """The app configured with url_prefix=/tandem, served two ways: "waitress" (waitress strips the prefix,
    as `tandem serve --url-prefix` does) and "proxy" (the full path reaches the app, as from a reverse
    proxy that does not strip it). Yields {mode: origin}; the page is at origin + /tandem/."""
    from server.app import create_app

    cfg = shipped_index[0].replace(url_prefix=PREFIX, cors_origins=(portal["origin"],))
    app = create_app(cfg)
    with waitress_server(app, url_prefix=PREFIX) as stripped, waitress_server(app) as full:
        yield {"waitress": stripped, "proxy": full}
    app.extensions["tandem.search"].close()


def api_search(base: str, **params) -> dict:
    """The JSON the page gets for the same parameters, fetched directly (to compare against the page)."""
    return api_get(base, "search", **params)


def api_get(base: str, endpoint: str, **params) -> dict:
    """An API answer fetched directly: /api/<endpoint>?params."""
    url = f"{base}/api/{endpoint}?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


# ------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session, launched from the system install."""
    exe = chromium_path()
    if exe is None:
        pytest.skip("Chromium not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[test]'")
    pw = sync_api.sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:  # a broken install: say why instead of erroring every test
        pw.stop()
        pytest.skip(f"Chromium at {exe} does not start under Playwright: {exc}")
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture()
def page(browser):
    """A fresh browser context and page; JavaScript errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("request", lambda req: requests.append(req.url))
    pg.js_errors = errors
    pg.requests = requests
    yield pg
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def expect(target):
    from playwright.sync_api import expect as _expect

    # assertions on the page wait as long as actions do: a loaded machine answers slowly, never wrongly
    _expect.set_options(timeout=TIMEOUT_MS)

    return _expect(target)


def search_from_box(page, query: str):
    """Type a query into the page's search box and submit it with Enter."""
    box = page.get_by_role("searchbox", name="Search")
    box.fill(query)
    box.press("Enter")


def wait_for_results(page, query: str):
    """Wait until the results for `query` are rendered (not those of an earlier search)."""
    # a query that is one quoted phrase is shown inside the summary's quotation marks without its own
    shown = query[1:-1] if re.fullmatch(r'"[^"]*"', query) else query
    expect(page.locator("#summary q")).to_have_text(shown)
    expect(page.locator("#results")).not_to_have_attribute("aria-busy", "true")
