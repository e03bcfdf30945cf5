"""Shards served by real `xapian-tcpsrv` processes: the same answers as the local index, and a 503 naming
the shard, without hanging, when one stops."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from indexer.engines.base import SearchRequest
from indexer.engines.xapian_engine import XapianKind
from indexer.errors import EngineUnavailable
from indexer.query.nodes import And, Filter, Or, Phrase, Term

from .test_xapian_engine import FR, build, frequent_terms, sample_paragraphs

pytest.importorskip("xapian")
TCPSRV = shutil.which("xapian-tcpsrv")
pytestmark = pytest.mark.skipif(
    TCPSRV is None,
    reason="xapian-tcpsrv not installed (Debian package xapian-tools; `make test` installs it when run as root)",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(shard) -> tuple[subprocess.Popen, str]:
    """A xapian-tcpsrv serving one shard folder on a free loopback port, once it accepts connections."""
    port = free_port()
    proc = subprocess.Popen(
        [TCPSRV, "--port", str(port), "--interface", "127.0.0.1", str(shard)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"127.0.0.1:{port}"
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    proc.kill()
    pytest.fail(f"xapian-tcpsrv did not start on port {port}")


def stop(proc: subprocess.Popen) -> None:
    """Kill a server and the processes it forked for its connections (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGCONT)
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(5)


@pytest.fixture()
def cluster(tmp_path):
    """A two-shard index, its local engine, and a server per shard: (local engine, servers, addresses)."""
    paragraphs = sample_paragraphs()
    local = build(tmp_path, paragraphs, shards=2)
    servers = [serve(s.path) for s in local.shards]
    yield local, paragraphs, [p for p, _ in servers], [a for _, a in servers]
    for proc, _ in servers:
        stop(proc)
    local.close()


def test_remote_shards_answer_as_the_local_index(cluster):
    local, paragraphs, _, addresses = cluster
    remote = XapianKind().open_remote(addresses, timeout_ms=2000)
    by_key = {p.key: p.id for p in paragraphs}
    keyed = XapianKind().open_remote(addresses, timeout_ms=2000, paragraph_ids=lambda ks: [by_key.get(k) for k in ks])
    near, far, far_by_key = local.searcher(), remote.searcher(pool_size=2), keyed.searcher(pool_size=1)
    t = frequent_terms(paragraphs, FR, 3, 80)
    queries = [Term(FR, x) for x in t[:10]] + [
        Or((Term(FR, x), Term(FR, y, boost=2.0))) for x, y in zip(t[10:20], t[20:30])
    ]
    queries += [
        Phrase(FR, ("nation", "uni")),
        And((Term(FR, "conseil"),), excluded=(Term(FR, "nation"),)),
        Filter("kind", ("s",)),
    ]
    for node in queries:
        for kw in ({}, {"sort": "date"}, {"filters": (Filter("year", (2014, 2015)),)}):
            want = near.search(SearchRequest(node, limit=12, **kw))
            got = far.search(SearchRequest(node, limit=12, **kw))
            assert (got.total, got.facets) == (want.total, want.facets), node
            assert [pid for pid, _ in got.hits] == [pid for pid, _ in want.hits], node
            assert [s for _, s in got.hits] == pytest.approx([s for _, s in want.hits]), node
            assert far_by_key.search(SearchRequest(node, limit=12, **kw)).hits == got.hits, node
    assert far.doc_frequency(FR, "conseil") == near.doc_frequency(FR, "conseil") > 0
    assert far.terms_with_prefix(FR, "con", 5) == near.terms_with_prefix(FR, "con", 5)
    remote.close()
    keyed.close()


def test_a_stopped_shard_is_named_without_hanging(cluster):
    _, _, procs, addresses = cluster
    remote = XapianKind().open_remote(addresses, timeout_ms=1000)
    searcher = remote.searcher(pool_size=2)
    request = SearchRequest(Term(FR, "conseil"))
    assert searcher.search(request).total > 0
    stop(procs[1])
    for _ in range(2):  # the pooled connection fails, then so does opening a new one
        start = time.monotonic()
        with pytest.raises(EngineUnavailable) as err:
            searcher.search(request)
        assert time.monotonic() - start < 3
        assert err.value.shard == addresses[1] and addresses[1] in err.value.message
        assert (err.value.status, err.value.code) == (503, "shard_unavailable")
    # a server that stops answering (but keeps its port) fails on the timeout, naming it
    os.killpg(procs[0].pid, signal.SIGSTOP)
    lone = XapianKind().open_remote(addresses[:1], timeout_ms=1000).searcher()
    start = time.monotonic()
    with pytest.raises(EngineUnavailable) as err:
        lone.search(request)
    assert time.monotonic() - start < 5
    assert err.value.shard == addresses[0]
    remote.close()


def test_bad_addresses_are_refused():
    from indexer.errors import ConfigError

    for bad in (["localhost"], ["host:port"], [":80"], []):
        with pytest.raises(ConfigError):
            XapianKind().open_remote(bad)
    with pytest.raises(ConfigError):
        XapianKind().open_remote(["127.0.0.1:1"]).writer()
