"""The Flask API through its test client, its OpenAPI document, and `tandem serve` on a real port."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from server.app import create_app

from .conftest import CORPUS, FR_SEED, ZH_SEED


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def check(spec, name, body):
    """Validate a response body against a schema of the OpenAPI document."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_search_response_matches_openapi(client, spec):
    r = client.get("/api/search", query_string={"q": "multilatéralisme", "limit": 5})
    assert r.status_code == 200
    body = r.get_json()
    check(spec, "SearchResponse", body)
    assert body["hits"] and body["hits"][0]["translations"]
    assert set(body["facets"]) == {"year", "kind", "symbol"}


def test_every_documented_response_matches_openapi(client, spec):
    fr = (CORPUS / FR_SEED).read_text(encoding="utf-8")
    zh = (CORPUS / ZH_SEED).read_text(encoding="utf-8")
    cases = [
        ("Health", client.get("/api/health")),
        ("SearchResponse", client.get("/api/search?q=多边主义&kind=operative")),
        ("SearchResponse", client.get("/api/search?q=paix&sort=date&year=2010-2015")),
        ("DocumentsResponse", client.get("/api/documents?limit=3&offset=2")),
        ("DocumentView", client.get("/api/documents/A/RES/68/38")),
        ("DocumentView", client.get("/api/documents/A/AC.182/L.139")),
        ("DocumentView", client.get("/api/documents/A/RES/68/38?limit=2&offset=5")),
        ("Paragraph", client.get("/api/paragraphs/zh-a-res-67-38.p16")),
        ("AlignResponse", client.post("/api/align", json={"source": zh, "target": fr})),
        ("Error", client.get("/api/search?q=%22open")),
        ("Error", client.get("/api/paragraphs/nope")),
    ]
    for name, response in cases:
        check(spec, name, response.get_json())
    for path in spec["paths"]:
        assert path.startswith("/api/")


def test_align_endpoint_returns_the_cli_json(client):
    from click.testing import CliRunner

    from server.cli import cli

    fr = (CORPUS / FR_SEED).read_text(encoding="utf-8")
    zh = (CORPUS / ZH_SEED).read_text(encoding="utf-8")
    api = client.post("/api/align", json={"source": fr, "target": zh}).get_json()
    cli_out = json.loads(CliRunner().invoke(cli, ["align", str(CORPUS / FR_SEED), str(CORPUS / ZH_SEED)]).stdout)
    assert api["pairs"] == cli_out["pairs"] and api["relation"] == cli_out["relation"]


@pytest.mark.parametrize(
    "method, url, kwargs, status, code",
    [
        ("get", "/api/search", {}, 400, "bad_request"),
        ("get", "/api/terms", {}, 400, "bad_request"),
        ("get", "/api/terms?q=%20&lang=fr", {}, 400, "bad_request"),
        ("get", "/api/search?q=paix&limit=abc", {}, 400, "bad_request"),
        ("get", "/api/search?q=paix&limit=1000", {}, 400, "bad_request"),
        ("get", "/api/search?q=(paix", {}, 400, "bad_query"),
        ("get", "/api/documents/X/NOPE", {}, 404, "not_found"),
        ("get", "/api/documents/A/RES/68/38?limit=0", {}, 400, "bad_request"),
        ("get", "/api/documents/A/RES/68/38?limit=2001", {}, 400, "bad_request"),
        ("get", "/api/documents/A/RES/68/38?offset=-1", {}, 400, "bad_request"),
        ("get", "/api/nowhere", {}, 404, "not_found"),
        ("delete", "/api/search", {}, 405, "method_not_allowed"),
        ("post", "/api/align", {"data": "not json", "content_type": "application/json"}, 400, "bad_request"),
        ("post", "/api/align", {"data": '{"source": "a", "target": "b"}'}, 415, "unsupported_media_type"),
        ("post", "/api/align", {"json": {"source": 1, "target": "x"}}, 400, "bad_request"),
        ("post", "/api/align", {"json": {"source": "Bonjour", "target": "你好"}}, 400, "bad_request"),
        ("post", "/api/align", {"json": {"source": "x" * 1_100_000, "target": "y"}}, 413, "request_entity_too_large"),
    ],
)
def test_errors_are_json_with_one_shape(client, method, url, kwargs, status, code):
    r = getattr(client, method)(url, **kwargs)
    assert r.status_code == status
    assert r.is_json
    body = r.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]


def test_terms_without_a_term_is_a_400_as_search_is(client):
    for path in ("/api/terms", "/api/search"):
        body = client.get(path).get_json()
        assert body == {"error": {"code": "bad_request", "message": "parameter q is required"}}


@pytest.mark.parametrize(
    "method, path", [("get", "/api/nowhere"), ("get", "/api/"), ("post", "/x/y/z"), ("get", "/api/paragraphs/")]
)
def test_unknown_routes_are_a_json_404_naming_the_route(client, method, path):
    r = getattr(client, method)(path)
    assert r.status_code == 404 and r.mimetype == "application/json"
    assert r.get_json() == {
        "error": {
            "code": "not_found",
            "message": f"no such endpoint: {method.upper()} {path} (the API is described at /api/openapi.json)",
        }
    }


def test_query_error_carries_its_position(client):
    body = client.get("/api/search", query_string={"q": "paix)"}).get_json()
    assert body["error"]["position"] == 4


def test_highlight_escapes_html(client):
    body = client.get("/api/search", query_string={"q": "<b>paix</b>"}).get_json()
    for hit in body["hits"]:
        assert "<b>" not in hit["highlight"] and "<mark>" in hit["highlight"]


def test_cors_allowlist(client):
    allowed = client.get("/api/health", headers={"Origin": "https://portal.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://portal.example.org"
    denied = client.get("/api/health", headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in denied.headers
    preflight = client.options(
        "/api/align", headers={"Origin": "https://portal.example.org", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 204 and "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_url_prefix_behind_a_proxy(shipped_index, service):
    app = create_app(shipped_index[0].replace(url_prefix="/tandem"), service=service)
    client = app.test_client()
    assert client.get("/tandem/api/health").status_code == 200
    assert client.get("/tandem/").status_code == 200
    moved = client.get("/tandem?q=paix")
    assert moved.status_code == 308 and moved.headers["Location"] == "/tandem/?q=paix"
    spec = client.get("/tandem/api/openapi.json").get_json()
    assert spec["servers"] == [{"url": "/tandem"}]


def test_page_and_its_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert page.headers["X-Frame-Options"] == "DENY"
    html = page.get_data(as_text=True)
    # nothing inline for the CSP to refuse: no script or style element with content, no style attribute
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html) and "<style" not in html and " style=" not in html
    # widget.js first (the others use the helpers it shares), page.js last (it drives the parts before it)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == [
        "widget.js",
        "state.js",
        "hits.js",
        "languages.js",
        "lookup.js",
        "terms.js",
        "document.js",
        "page.js",
    ]
    assert 'href="page.css"' in html
    for name, mimetype in [(name, "text/javascript") for name in scripts] + [("page.css", "text/css")]:
        r = client.get("/" + name)
        assert r.status_code == 200 and r.mimetype == mimetype and r.data
    assert client.get("/widget.js").headers["Access-Control-Allow-Origin"] == "*"
    for hidden in ("/index.html", "/nope.js", "/..%2Fapi.py"):
        r = client.get(hidden)
        assert r.status_code == 404 and r.is_json


def test_api_answers_may_be_embedded_but_not_the_page(client):
    api = client.get("/api/health")
    assert "X-Frame-Options" not in api.headers and "Content-Security-Policy" not in api.headers
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_options_and_redirects_have_no_html_body(client):
    preflight = client.options("/api/search")
    assert preflight.status_code == 204 and "Content-Type" not in preflight.headers and preflight.data == b""
    assert "GET" in preflight.headers["Allow"]
    moved = client.get("/api//health")
    assert moved.status_code == 308 and moved.headers["Location"].endswith("/api/health")
    assert "Content-Type" not in moved.headers and moved.data == b""


def test_openapi_says_which_strings_may_not_be_empty(spec):
    q = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["required"] and q["schema"]["minLength"] == 1
    body = spec["components"]["schemas"]["AlignRequest"]["properties"]
    assert body["source"]["minLength"] == 1 and body["target"]["minLength"] == 1
    align = spec["paths"]["/api/align"]["post"]["responses"]
    assert {"400", "413", "503"} <= set(align) and "Retry-After" in align["503"]["headers"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_tandem_serve_answers_health_within_ten_seconds(shipped_index):
    cfg, _ = shipped_index
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--index", str(cfg.index_dir)],
        cwd=Path(__file__).parent.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    started = time.monotonic()
    try:
        body = None
        while time.monotonic() - started < 10:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as r:
                    body = json.load(r)
                    server = r.headers["Server"]
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None, "no answer from /api/health within 10 s"
        assert body["status"] == "ok" and server == "tandem"  # waitress, not Flask's development server
        url = f"http://127.0.0.1:{port}/api/search?q=%E5%A4%9A%E8%BE%B9"
        with urllib.request.urlopen(url, timeout=5) as r:
            assert json.load(r)["total"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_document_view_is_sent_a_page_of_rows_at_a_time(client):
    whole = client.get("/api/documents/A/RES/68/38").get_json()["alignments"]
    page = client.get("/api/documents/A/RES/68/38?limit=4&offset=3").get_json()["alignments"]
    assert [a["documents"] for a in page] == [a["documents"] for a in whole] and whole
    for all_rows, some in zip(whole, page):
        assert all_rows["rows_total"] == some["rows_total"] == len(all_rows["rows"]) > 7
        assert (all_rows["offset"], some["offset"]) == (0, 3) and some["rows"] == all_rows["rows"][3:7]
    past = client.get("/api/documents/A/RES/68/38?offset=1000").get_json()["alignments"]
    assert [a["rows"] for a in past] == [[] for _ in whole]


# JSON Schema patterns are ECMA regular expressions: their \s is this set, not Python's (which adds U+001C-U+001F
# and U+0085 and leaves out U+FEFF)
ECMA_SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"


def test_a_text_the_description_accepts_is_never_blank_to_the_server(client):
    from server.schema_types import NOT_SPACE

    as_ecma = NOT_SPACE.replace("\\s", ECMA_SPACE)
    blanks = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert not [c for c in blanks if re.search(as_ecma, c)] and re.search(as_ecma, "a")
    assert "\\\\S" not in client.get("/api/openapi.json").get_data(as_text=True)  # every pattern uses NOT_SPACE
    r = client.get("/api/search", query_string={"q": "\x85"})  # U+0085: text to ECMA's \S, blank to str.split
    assert r.status_code == 400 and r.get_json()["error"]["message"] == "parameter q is required"
