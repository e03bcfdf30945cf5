"""Hostile clients against a real server: generated requests from the OpenAPI description (schemathesis),
generated query strings (hypothesis), heavy alignments, oversized bodies and malformed parameters.

Servers are real: waitress (set up by server.serving, as `tandem serve` does) on free loopback ports over
the shipped corpus's index, and one `tandem serve` subprocess for the body limits.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis not installed: pip install -e '.[test]'")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis not installed: pip install -e '.[test]'")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from .conftest import CORPUS, FR_SEED, ZH_SEED  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HANG_GUARD_S = 20  # a generous bound: any answer slower than this is a stall, not a slow query


@contextmanager
def live_server(app, max_request_bytes: int, threads: int = 8):
    """Serve `app` with tandem's waitress set-up on a free loopback port in a thread; yields the origin."""
    from server.serving import create_server

    srv = create_server(app, "127.0.0.1", 0, threads, max_request_bytes, ident="tandem")
    thread = threading.Thread(target=srv.run, name="waitress-hostile", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        srv.close()
        srv.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=5)


def fetch(url: str, data: bytes | None = None, timeout: float = HANG_GUARD_S, **headers):
    """(status, headers, body bytes) of one request, errors included."""
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def assert_json_error(status, headers, body, code: str | None = None):
    """The one error shape, as JSON."""
    assert headers["Content-Type"].startswith("application/json"), (status, headers["Content-Type"], body[:200])
    error = json.loads(body)["error"]
    assert set(error) >= {"code", "message"} and error["message"]
    if code:
        assert error["code"] == code, error


@pytest.fixture(scope="module")
def origin(app):
    """The session's app (shipped index) on a real port."""
    with live_server(app, app.extensions["tandem.config"].max_request_bytes) as url:
        yield url


# ------------------------------------------------------------------ schemathesis against the live description


# Schema-valid searches the API may still refuse with 400: the query language is richer than a JSON schema
# ("(" is a string but not a query), and a year range may be written backwards. (Aligned texts are refused on
# their content, e.g. two texts in one language: any 400 there is expected.)
ACCEPTED_REFUSALS = ("bad_query", "year range is reversed")
# a term's target must differ from the language its text is recognised in, which a schema cannot say
ACCEPTED_REFUSAL_STARTS = ("target must be another of ",)


def test_api_conforms_to_its_openapi_description(origin):
    """Every operation of the description the server publishes, with generated requests: schema-valid ones get
    documented statuses, types and bodies (a 400 only for the reasons above); schema-invalid ones a 4xx in JSON."""
    api_schema = schemathesis.openapi.from_url(origin + "/api/openapi.json")
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 6  # every API route (the description itself may be left out)
    for operation in operations:
        valid, invalid = _conformance_checks(operation, origin)
        valid()
        if operation.path in ("/api/search", "/api/documents", "/api/align"):  # the others take any string
            invalid()


def _conformance_checks(operation, origin: str):
    """Two hypothesis tests for one operation: schema-valid requests, and schema-invalid ones."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

    @given(case=operation.as_strategy(GenerationMode.POSITIVE))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def valid(case):
        response = case.call(base_url=origin, timeout=HANG_GUARD_S)
        case.validate_response(response, excluded_checks=[positive_data_acceptance, negative_data_rejection])
        if response.status_code == 400 and operation.path != "/api/align":
            error = response.json()["error"]
            accepted = error["code"] in ACCEPTED_REFUSALS or error["message"] in ACCEPTED_REFUSALS
            assert accepted or error["message"].startswith(ACCEPTED_REFUSAL_STARTS), error

    @given(case=operation.as_strategy(GenerationMode.NEGATIVE))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def invalid(case):
        response = case.call(base_url=origin, timeout=HANG_GUARD_S)
        case.validate_response(response, checks=[not_a_server_error])
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
        assert str(content_type).count("application/json"), content_type
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"code", "message"}

    return valid, invalid


# ------------------------------------------------------------------ generated query strings

WORDS = [
    "paix",
    "désarmement",
    "multilatéralisme",
    "non-prolifération",
    "Assemblée",
    "l’Assemblée",
    "多边主义",
    "裁军",
    "和平",
    "大会",
    "мир",
    "سلام",
    "שלום",
    "平和",
    "ñandú",
    "ÉTATS",
    "A/RES/68/38",
    "2013",
    "e",
]
OPERATORS = [
    "OR",
    "AND",
    "NOT",
    "-",
    "*",
    "?",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    '"',
    ":",
    "^2",
    "~",
    "\\",
    "/",
    "symbol:",
    "kind:",
    "year:",
    "lang:",
    "title:",
    "zh:",
    "*:*",
    "TO",
    "+",
    "&&",
    "||",
]
CONTROL = ["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\u200b", "\ufeff", "\u202e", "\ud7ff", "\U0001f600"]


@st.composite
def queries(draw):
    """Query strings built the way users and scripts write them, and the ways they go wrong."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(WORDS),
                st.sampled_from(OPERATORS),
                st.sampled_from(WORDS).map(lambda w: w + "*"),
                st.sampled_from(WORDS).map(lambda w: "-" + w),
                st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(lambda ws: '"' + " ".join(ws) + '"'),
                st.tuples(
                    st.sampled_from(["symbol", "kind", "year", "lang"]), st.sampled_from(WORDS + ["operative"])
                ).map(lambda t: f"{t[0]}:{t[1]}"),
                st.sampled_from(CONTROL),
                st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
                st.text(alphabet="多边主义裁军和平发展人权安全理事会", min_size=1, max_size=30),
            ),
            min_size=1,
            max_size=12,
        )
    )
    joiner = draw(st.sampled_from([" ", "", "  ", "\u3000"]))
    return joiner.join(parts)[: draw(st.sampled_from([30, 200, 2000]))]


@given(q=queries(), lang=st.sampled_from(["auto", "fr", "zh"]))
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_query_gets_json_and_no_server_error(client, q, lang):
    started = time.monotonic()
    r = client.get("/api/search", query_string={"q": q, "lang": lang, "limit": 5})
    assert time.monotonic() - started < HANG_GUARD_S, f"query {q!r} took too long"
    assert 200 <= r.status_code < 500, (q, r.status_code, r.data[:300])
    assert r.is_json and (r.status_code == 200) == ("error" not in r.get_json()), (q, r.data[:300])


RANGES = ["{a TO}", "[TO]", "id:[a TO]", "[a TO z]", "{TO b}", "year:[2000 TO]", "symbol:{A TO}"]


@pytest.mark.parametrize("q", RANGES)
def test_range_syntax_is_not_a_live_expansion(origin, q):
    """Ranges are not in the documented syntax: they are read as words, never expanded over the index."""
    status, headers, body = fetch(origin + "/api/search?" + urllib.parse.urlencode({"q": q}), timeout=HANG_GUARD_S)
    assert status < 500 and headers["Content-Type"].startswith("application/json")


# ------------------------------------------------------------------ parameters and bodies


@pytest.mark.parametrize(
    "value",
    [
        "٣",
        "５",
        "5_0",
        "+5",
        "",
        " 5",
        "5 ",
        "-1",
        "0x10",
        "1e3",
        "5.0",
        "9223372036854775808",
        "99999999999999999999999",
        "1000000001",
    ],
)
@pytest.mark.parametrize(
    "path, name",
    [
        ("/api/documents", "offset"),
        ("/api/documents", "limit"),
        ("/api/search?q=paix", "offset"),
        ("/api/search?q=paix", "limit"),
    ],
)
def test_integer_parameters_are_ascii_digits_in_range(client, path, name, value):
    sep = "&" if "?" in path else "?"
    r = client.get(path + sep + urllib.parse.urlencode({name: value}))
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_request", (value, r.data[:200])


def test_largest_documents_offset_is_an_empty_page(client):
    body = client.get("/api/documents?offset=1000000000").get_json()
    assert body["documents"] == [] and body["offset"] == 1_000_000_000


@pytest.mark.parametrize(
    "body",
    [
        "[" * 1000 + "]" * 1000,
        '{"source": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"source": ' + '{"a":' * 5000 + "1" + "}" * 5000 + ', "target": "x"}',
    ],
)
def test_deeply_nested_json_is_a_bad_request(client, body):
    r = client.post("/api/align", data=body, content_type="application/json")
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "bad_request"


def _big_pair(paragraphs: int) -> tuple[str, str]:
    """A French and a Chinese text of about `paragraphs` paragraphs each: the shipped pair, bodies repeated."""
    texts = []
    for name in (FR_SEED, ZH_SEED):
        text = (CORPUS / name).read_text(encoding="utf-8")
        body = text.partition("\n\n")[2]
        per_copy = max(1, body.count("\n\n"))
        texts.append(text + ("\n\n" + body) * (paragraphs // per_copy))
    return texts[0], texts[1]


def test_paragraph_limit_refuses_big_texts(shipped_index, service):
    from server.app import create_app

    app = create_app(shipped_index[0].replace(max_align_paragraphs=100, max_request_bytes=5_000_000), service=service)
    fr, zh = _big_pair(300)
    r = app.test_client().post("/api/align", json={"source": fr, "target": zh})
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_many_paragraphs"
    small = (CORPUS / FR_SEED).read_text(encoding="utf-8"), (CORPUS / ZH_SEED).read_text(encoding="utf-8")
    assert app.test_client().post("/api/align", json={"source": small[0], "target": small[1]}).status_code == 200


def test_search_keeps_answering_while_heavy_alignments_run(shipped_index, tmp_path):
    """Eight big alignments at once against `tandem serve`: one runs (in a worker process), the others are told
    to come back, and health and search keep answering meanwhile. bench/align_load_bench.py measures how fast."""
    fr, zh = _big_pair(3000)
    body = json.dumps({"source": fr, "target": zh}).encode("utf-8")
    assert len(body) > 700_000
    settings_ = "max_align_paragraphs = 20000\nmax_request_bytes = 4000000\nalign_concurrency = 1\n"
    with tandem_serve(shipped_index[0].index_dir, tmp_path, settings_) as port:
        url = f"http://127.0.0.1:{port}"
        results: list = []

        def align():
            results.append(fetch(url + "/api/align", data=body, timeout=120, **{"Content-Type": "application/json"}))

        threads = [threading.Thread(target=align) for _ in range(8)]
        for t in threads:
            t.start()
        latencies = []
        while any(t.is_alive() for t in threads):
            started = time.monotonic()
            status, _, _ = fetch(url + "/api/health", timeout=HANG_GUARD_S)
            latencies.append(time.monotonic() - started)
            assert status == 200
            status, _, found = fetch(url + "/api/search?q=paix&limit=3", timeout=HANG_GUARD_S)
            assert status == 200 and json.loads(found)["total"] > 0
            time.sleep(0.05)
        for t in threads:
            t.join()
    statuses = sorted(status for status, _, _ in results)
    assert statuses.count(200) >= 1 and statuses.count(503) >= 1 and set(statuses) == {200, 503}, statuses
    for status, headers, answer in results:
        if status == 503:
            assert_json_error(status, headers, answer, "busy")
            assert int(headers["Retry-After"]) > 0
        else:
            assert len(json.loads(answer)["pairs"]) > 1000
    print(f"health under alignment load: {len(latencies)} calls, max {max(latencies) * 1000:.0f} ms")
    assert len(latencies) >= 5, "the alignments ended before search was measured under load"


# ------------------------------------------------------------------ `tandem serve`: body limits at waitress level


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raw(port: int, head: bytes, body: bytes = b"") -> tuple[int, dict, bytes]:
    """Send raw bytes, read the whole answer (the server closes after an error): status, headers, body.
    A server that closes with bytes of ours unread resets the connection: send no more than it reads."""
    with socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD_S) as s:
        s.sendall(head + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    header_block, _, answer = data.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, answer


def _descendants(pid: int) -> set[int]:
    """Every living process below `pid`, read from /proc."""
    from indexer.processes import parent_pid

    found, frontier = set(), {pid}
    while frontier:
        children = {int(d) for d in os.listdir("/proc") if d.isdigit() and parent_pid(int(d)) in frontier}
        frontier = children - found
        found |= children
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_alignment_workers_die_with_a_killed_server(shipped_index, tmp_path):
    """kill -9 of `tandem serve` leaves no alignment worker (nor its forkserver) behind."""
    from indexer.processes import process_alive

    fr, zh = _big_pair(30)
    body = json.dumps({"source": fr, "target": zh}).encode("utf-8")
    settings_ = "max_request_bytes = 4000000\n"
    with tandem_serve_process(shipped_index[0].index_dir, tmp_path, settings_) as (port, proc):
        url = f"http://127.0.0.1:{port}/api/align"
        status, _, _ = fetch(url, data=body, timeout=HANG_GUARD_S, **{"Content-Type": "application/json"})
        assert status == 200
        server = proc.pid
        workers = _descendants(server)
        assert workers, "the alignment ran in no worker process"
        os.kill(server, 9)
        deadline = time.monotonic() + HANG_GUARD_S
        while time.monotonic() < deadline and any(process_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not [pid for pid in workers if process_alive(pid)], "alignment workers outlived the server"


@contextmanager
def tandem_serve(index_dir: Path, config_dir: Path, server_settings: str):
    """`tandem serve` in a subprocess over `index_dir` with the given [server] settings; yields its port."""
    with tandem_serve_process(index_dir, config_dir, server_settings) as (port, _):
        yield port


@contextmanager
def tandem_serve_process(index_dir: Path, config_dir: Path, server_settings: str):
    """`tandem serve` as tandem_serve starts it; yields its port and its process."""
    config = config_dir / "config.toml"
    config.write_text("[server]\n" + server_settings, encoding="utf-8")
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", TANDEM_CONFIG=str(config))
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--index", str(index_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                fetch(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(shipped_index, tmp_path_factory):
    """`tandem serve` with max_request_bytes = 200000; yields its port."""
    with tandem_serve(
        shipped_index[0].index_dir, tmp_path_factory.mktemp("serve"), "max_request_bytes = 200000\n"
    ) as port:
        yield port


def _post_head(length: int, chunked: bool = False) -> bytes:
    size = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: %d" % length
    return (
        b"POST /api/align HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
        + size
        + b"\r\n\r\n"
    )


def test_body_over_the_limit_is_refused_in_json_before_it_is_read(served):
    # declared 2 GiB: answered from the headers alone, nothing buffered
    status, headers, body = _raw(served, _post_head(2 * 1024**3))
    assert status == 413 and headers["Server"] == "tandem"
    assert_json_error(status, headers, body, "request_entity_too_large")
    assert "200000 bytes" in json.loads(body)["error"]["message"]
    # one byte over
    status, headers, body = _raw(served, _post_head(200_001))
    assert status == 413
    assert_json_error(status, headers, body, "request_entity_too_large")
    # chunked, growing past the limit: two chunks with their framing are just over it (and all read)
    chunk = b"%x\r\n%s\r\n" % (100_000, b" " * 100_000)
    status, headers, body = _raw(served, _post_head(0, chunked=True), chunk * 2)
    assert status == 413
    assert_json_error(status, headers, body, "request_entity_too_large")


def test_body_at_the_limit_reaches_the_app(served):
    payload = json.dumps({"source": "x", "target": "y"}).encode()
    payload += b" " * (200_000 - len(payload))
    status, headers, body = _raw(served, _post_head(len(payload)), payload)
    assert status == 400  # the app read it: a one-language pair, refused by the aligner
    assert_json_error(status, headers, body, "bad_request")


def test_malformed_requests_get_json_errors_from_waitress(served):
    status, headers, body = _raw(served, b"GARBAGE\r\n\r\n")
    assert status == 400
    assert_json_error(status, headers, body, "bad_request")
    status, headers, body = _raw(served, b"GET /api/health HTTP/1.1\r\nHost: x\r\nBad\x01Header: 1\r\n\r\n")
    assert status == 400
    assert_json_error(status, headers, body, "bad_request")


def test_serve_warns_when_open_to_the_network(shipped_index):
    """The warning comes before the socket is bound: a held loopback port makes the bind fail, so nothing
    listens on the network."""
    from click.testing import CliRunner

    from server.cli import cli
    from server.serving import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("192.0.2.1")
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--host", "0.0.0.0", "--port", str(port), "--index", str(shipped_index[0].index_dir)]
        )
    assert result.exit_code != 0  # the port is taken
    assert "open to the network" in result.output


# ------------------------------------------------------------------ text that is not text, small ones


@pytest.mark.parametrize(
    "body",
    [
        '{"source": "\\ud800", "target": "\u4f60\u597d"}',
        '{"source": "R\u00e9solution 1.", "target": "\\udfff\u4f60\u597d"}',
        '{"source": "R\u00e9solution 1.", "target": "\u4f60\u597d", "\\ud83d": 1}',
    ],
)
def test_lone_surrogates_in_a_posted_alignment_are_a_400(client, body):
    r = client.post("/api/align", data=body.encode("utf-8"), content_type="application/json")
    assert r.status_code == 400, r.data[:300]
    assert r.get_json()["error"]["code"] == "bad_request" and "lone surrogate" in r.get_json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/search?q=%E9t%E9",  # latin-1 escapes
        "/api/search?q=%ED%A0%80",  # a surrogate in UTF-8 form
        "/api/search?q=paix%ZZ",
        "/api/search?q=paix%2",
        "/api/search?q=paix&symbol=%FF",
        "/api/terms?q=%C3",
        "/api/documents/%ED%B0%80",
        "/api/paragraphs/%FF",
    ],
)
def test_escapes_that_are_not_utf8_text_are_a_400(client, path):
    r = client.get(path)
    assert r.status_code == 400, (path, r.status_code, r.data[:200])
    assert_json_error(r.status_code, r.headers, r.data, "bad_request")


def test_well_formed_escapes_still_search(client):
    r = client.get("/api/search?q=%C3%A9tats+%2B%25")
    assert r.status_code == 200 and r.get_json()["query"] == "états +%"


def test_align_requires_a_json_body_type(client):
    body = json.dumps({"source": "Résolution", "target": "决议"})
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None):
        r = client.post("/api/align", data=body, content_type=kind)
        assert r.status_code == 415, (kind, r.status_code)
        assert_json_error(r.status_code, r.headers, r.data, "unsupported_media_type")


def test_options_has_no_body_and_no_type(client):
    r = client.options("/api/search")
    assert r.status_code == 204 and r.data == b"" and "Content-Type" not in r.headers
    assert "GET" in r.headers["Allow"]


def test_a_bare_stop_word_says_stop_words_are_searched_in_quotes(client):
    bare = client.get("/api/search?q=la").get_json()
    assert bare["total"] == 0
    assert bare["notice"].startswith("la: stop word, left out of the query") and "inside quotes" in bare["notice"]
    assert client.get("/api/search?q=paix").get_json()["notice"] is None
    quoted = client.get('/api/search?q="de la paix"').get_json()
    assert quoted["total"] > 0 and quoted["notice"] is None


@pytest.mark.parametrize(
    "repeated, once",
    [
        (" OR ".join(['"de la"'] * 64), '"de la"'),
        (" OR ".join(['"de la"', "paix"] * 32), '"de la" OR paix'),
        (" ".join(["conseil", "-guerre"] * 32), "conseil -guerre"),
        ("(paix OR sécurité) " * 30, "paix OR sécurité"),
    ],
)
def test_identical_sub_queries_are_planned_once(service, repeated, once):
    from indexer.query.planner import plan

    with service.reader() as rd:
        assert plan(repeated, "fr", rd).query == plan(once, "fr", rd).query
    a = service.search(repeated, facets=(), marks=False)
    b = service.search(once, facets=(), marks=False)
    assert a["total"] == b["total"] and [h["id"] for h in a["hits"]] == [h["id"] for h in b["hits"]]
