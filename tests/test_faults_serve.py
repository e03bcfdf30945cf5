"""The server against a failing network: a shard's `xapian-tcpsrv` frozen with SIGSTOP under concurrent searches,
hundreds of slow sockets, a remote shard list that does not match the index. Real servers on loopback ports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from indexer.build import build_index
from indexer.config import load_config
from indexer.errors import ConfigError
from indexer.store import current_generation

from .conftest import CORPUS, FR_SEED, ZH_SEED
from .test_hostile import fetch, live_server

BUDGET_S = 5.0  # the documented timeout of a shard, for the whole request
SLACK_S = 1.5  # the machine is shared: scheduling, the HTTP round trip


@pytest.fixture(scope="module")
def two_shards(tmp_path_factory):
    """The two sample resolutions in a two-shard Xapian index: its config."""
    pytest.importorskip("xapian")
    root = tmp_path_factory.mktemp("shards")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in (FR_SEED, ZH_SEED):
        shutil.copy(CORPUS / name, corpus / name)
    cfg = load_config(None, corpus_dir=corpus, index_dir=root / "index", engine="xapian", shards=2)
    build_index(cfg)
    return cfg


@pytest.fixture()
def tcpsrv(two_shards):
    """Each shard served by its own xapian-tcpsrv: (processes, addresses)."""
    from .test_xapian_remote import TCPSRV, serve, stop

    if TCPSRV is None:
        pytest.skip("xapian-tcpsrv not installed (Debian package xapian-tools; `make test` installs it as root)")
    root = current_generation(two_shards.index_dir) / "xapian"
    servers = [serve(root / f"shard-0{i}") for i in range(2)]
    yield [p for p, _ in servers], [a for _, a in servers]
    for proc, _ in servers:
        stop(proc)


def _app(cfg):
    from server.app import create_app

    return create_app(cfg)


def test_a_frozen_shard_is_a_503_within_the_budget_for_every_concurrent_search(two_shards, tcpsrv):
    procs, addresses = tcpsrv
    app = _app(two_shards.replace(remote_shards=tuple(addresses)))
    with live_server(app, two_shards.max_request_bytes, threads=8) as origin:
        assert fetch(origin + "/api/search?q=paix")[0] == 200
        os.killpg(procs[1].pid, signal.SIGSTOP)
        try:

            def search(i):
                start = time.monotonic()
                status, headers, body = fetch(origin + f"/api/search?q=paix&offset={i}", timeout=60)
                return time.monotonic() - start, status, headers.get("Retry-After"), json.loads(body)

            with ThreadPoolExecutor(16) as pool:
                answers = list(pool.map(search, range(16)))
            slowest = max(seconds for seconds, *_ in answers)
            assert slowest < BUDGET_S + SLACK_S, str(
                [(round(s, 1), st, b["error"]["message"][:80]) for s, st, _, b in answers]
            )
            for _, status, retry_after, body in answers:
                assert status == 503 and body["error"]["code"] == "shard_unavailable", body
                assert body["error"]["shard"] == addresses[1] and addresses[1] in body["error"]["message"]
                assert retry_after is not None and 1 <= int(retry_after) <= 5
            start = time.monotonic()
            status, _, body = fetch(origin + "/api/health", timeout=60)
            assert time.monotonic() - start < 1 and status == 200
            health = json.loads(body)
            assert health["status"] == "degraded" and list(health["unavailable"]) == [addresses[1]]
            start = time.monotonic()
            assert fetch(origin + "/api/search?q=conseil")[0] == 503
            assert time.monotonic() - start < 0.5, "a shard known down fails fast"
        finally:
            os.killpg(procs[1].pid, signal.SIGCONT)
        deadline = time.monotonic() + 15
        while fetch(origin + "/api/search?q=paix")[0] != 200:
            assert time.monotonic() < deadline, "no recovery once the shard answers again"
            time.sleep(0.5)
        assert json.loads(fetch(origin + "/api/health")[2])["status"] == "ok"


def test_health_is_answered_while_every_worker_thread_waits_on_a_frozen_shard(two_shards, tcpsrv):
    procs, addresses = tcpsrv
    app = _app(two_shards.replace(remote_shards=tuple(addresses)))
    with live_server(app, two_shards.max_request_bytes, threads=2) as origin:
        assert fetch(origin + "/api/search?q=paix")[0] == 200
        os.killpg(procs[0].pid, signal.SIGSTOP)
        try:
            with ThreadPoolExecutor(4) as pool:
                searches = [pool.submit(fetch, origin + f"/api/search?q=paix&offset={i}", None, 60) for i in range(4)]
                time.sleep(0.5)  # both worker threads now wait on the frozen shard
                start = time.monotonic()
                status, _, body = fetch(origin + "/api/health", timeout=60)
                took = time.monotonic() - start
                assert [f.result()[0] for f in searches] == [503] * 4
            assert status == 200 and took < 1.0, took
        finally:
            os.killpg(procs[0].pid, signal.SIGCONT)


def test_a_remote_shard_list_that_does_not_match_the_index_is_refused(two_shards, tcpsrv):
    from server.search import SearchService

    _, addresses = tcpsrv
    for given in ([addresses[0]], addresses * 2, [addresses[0], addresses[0]]):
        with pytest.raises(ConfigError) as err:
            SearchService(two_shards.replace(remote_shards=tuple(given)))
        assert "built with 2 shards (shard-00, shard-01)" in err.value.message, err.value.message
    # shards given in the wrong order hold other documents than the catalog expects there
    with pytest.raises(ConfigError, match=r"shard-00 is expected at .*, which holds \d+ paragraphs where shard-00"):
        SearchService(two_shards.replace(remote_shards=tuple(reversed(addresses))))


# ------------------------------------------------------------------ slow sockets


def test_the_server_answers_while_500_slow_sockets_hold_connections(shipped_index, service):
    from server.app import create_app

    app = create_app(shipped_index[0], service=service)
    from server.serving import create_server

    srv = create_server(app, "127.0.0.1", 0, 4, 1_000_000, ident="tandem", idle_seconds=3)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    port = srv.effective_port
    slow = []
    try:
        for _ in range(500):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
            slow.append(sock)
        times = []
        ends = time.monotonic() + 8
        while time.monotonic() < ends:  # a header line a second from every slow socket, and normal requests
            for sock in slow:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    pass
            start = time.monotonic()
            status = fetch(f"http://127.0.0.1:{port}/api/search?q=paix", timeout=20)[0]
            times.append((round(time.monotonic() - start, 2), status))
            time.sleep(0.5)
        assert all(status == 200 for _, status in times), times
        assert max(t for t, _ in times) < 2, times
        closed = 0
        for sock in slow:  # a head still incomplete after idle_seconds is dropped by the server
            try:
                sock.settimeout(0.5)
                closed += sock.recv(1) == b""
            except OSError:
                closed += 1
        assert closed == len(slow)
    finally:
        for sock in slow:
            sock.close()
        srv.close()
        srv.task_dispatcher.shutdown(timeout=5)
        thread.join(timeout=5)
