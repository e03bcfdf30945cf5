"""Both engines agree on the shipped corpus; Xapian shards served by xapian-tcpsrv answer as the local index
through the service and the API (503 naming a shard that is down); `tandem serve --workers` shares one port."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from indexer.build import build_index
from indexer.config import load_config
from server.app import create_app
from server.search import SearchService

from .conftest import CORPUS
from .test_xapian_remote import free_port, serve, stop

QUERIES = [
    ("fr", "paix"),
    ("fr", "sécurité internationale"),
    ("fr", "désarmement OR terrorisme"),
    ("fr", "nations -unies"),
    ("fr", '"Conseil de sécurité"'),
    ("fr", "proliférat*"),
    ("fr", "presentation"),
    ("fr", '"internationale pour"'),
    ("fr", "kind:operative multilatéralisme"),
    ("zh", "裁军"),
    ("zh", "和平 OR 安全"),
    ("zh", "国"),
    ("zh", "中国"),
    ("zh", "聯合國"),
    ("zh", "安全理事会 -和平"),
]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """The shipped corpus indexed by each engine (Xapian in two shards)."""
    out = {}
    for engine, shards in (("whoosh", 1), ("xapian", 2)):
        cfg = load_config(
            None, corpus_dir=CORPUS, index_dir=tmp_path_factory.mktemp(engine) / "index", engine=engine, shards=shards
        )
        build_index(cfg)
        out[engine] = SearchService(cfg)
    yield out
    for svc in out.values():
        svc.close()


@pytest.mark.parametrize("lang, q", QUERIES)
def test_engines_give_the_same_totals_and_nearly_the_same_top_ten(both, lang, q):
    w = both["whoosh"].search(q, lang=lang, limit=10)
    x = both["xapian"].search(q, lang=lang, limit=10)
    assert w["total"] == x["total"] > 0, q
    for name, counts in w["facets"].items():  # values tied at the cut may be listed in another order
        other = x["facets"][name]
        assert sorted(counts.values()) == sorted(other.values()), (q, name)
        cut = min(counts.values(), default=0)
        assert {k: v for k, v in counts.items() if v > cut} == {k: v for k, v in other.items() if v > cut}, q
    # UN texts repeat word for word (agenda items, recurring paragraphs): equal texts tie, so compare texts
    top_w = {h["text"] for h in w["hits"]}
    top_x = {h["text"] for h in both["xapian"].search(q, lang=lang, limit=20)["hits"]}
    assert len(top_w & top_x) >= 0.7 * len(top_w), q


TCPSRV = shutil.which("xapian-tcpsrv")
needs_tcpsrv = pytest.mark.skipif(
    TCPSRV is None,
    reason="xapian-tcpsrv not installed (Debian package xapian-tools; `make test` installs it when run as root)",
)


@needs_tcpsrv
def test_remote_shards_answer_as_the_local_index_and_a_down_shard_is_a_503(both):
    local = both["xapian"]
    gen = local._live.generation
    servers = [serve(shard) for shard in sorted((gen / "xapian").glob("shard-*"))]
    try:
        cfg = local.config.replace(remote_shards=tuple(address for _, address in servers))
        remote = SearchService(cfg)
        try:
            for lang, q in QUERIES[:6]:
                a, b = local.search(q, lang=lang, limit=10), remote.search(q, lang=lang, limit=10)
                assert (a["total"], [h["id"] for h in a["hits"]]) == (b["total"], [h["id"] for h in b["hits"]]), q
            client = create_app(cfg, service=remote).test_client()
            assert client.get("/api/search?q=paix").status_code == 200
            stop(servers[1][0])
            started = time.monotonic()
            r = client.get("/api/search?q=paix")
            assert time.monotonic() - started < 10
            assert r.status_code == 503
            error = r.get_json()["error"]
            assert error["code"] == "shard_unavailable" and servers[1][1] in error["message"]
        finally:
            remote.close()
    finally:
        for proc, _ in servers:
            stop(proc)


def test_serve_workers_share_one_port_and_stop_with_the_parent(shipped_index):
    cfg, _ = shipped_index
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--index",
            str(cfg.index_dir),
        ],
        cwd=Path(__file__).parent.parent,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, body = time.monotonic() + 30, None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=paix", timeout=2) as r:
                    body = json.load(r)
            except OSError:
                time.sleep(0.2)
        assert body is not None and body["total"] > 0
        children = psutil.Process(proc.pid).children()
        assert len(children) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive
