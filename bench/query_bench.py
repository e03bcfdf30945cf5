"""Query latency and throughput on the benchmark corpora (bench/corpora.py), highlights, translations and
facets included: p50/p95/p99 in-process and over HTTP (waitress), and queries/s with concurrent clients.

    .venv/bin/python bench/query_bench.py --sizes 100000 400000
    .venv/bin/python bench/query_bench.py --sizes 100000 --queries 300 --clients 8
    .venv/bin/python bench/query_bench.py --sizes 100000 --engine xapian --shards 2
    .venv/bin/python bench/query_bench.py --sizes 100000 --engine xapian --shards 2 --remote
    .venv/bin/python bench/query_bench.py --index var/index --queries 140 --no-http --marks both

With --remote, each shard is served by its own `xapian-tcpsrv` on loopback and the service queries them as
one database (the catalog stays local), as on several machines.

An index missing from bench/out is built first with `tandem index` (see bench/index_bench.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpora import ENGINES, OUT, build, engine_tag, index_folder, load_devset, make_corpus  # noqa: E402
from indexer.analysis import tokens  # noqa: E402
from indexer.config import load_config  # noqa: E402

_FR_WORD = re.compile(r"[^\W\d_]{4,}")
_ZH_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


def query_mix(n: int, seed: int = 11) -> list[tuple[str, str]]:
    """(category, query) pairs from real dev-set sentences: French and Chinese, frequent and rare single
    terms, 2-3 word queries and exact phrases."""
    fr, zh = load_devset()
    rng = random.Random(seed)
    # dict.fromkeys, not set: a set's order changes with the process's string hashing, and with it the
    # order of equally frequent words, so the mix would differ from one run to the next
    freq = Counter(w.lower() for line in fr for w in dict.fromkeys(_FR_WORD.findall(line)))
    ranked = [w for w, _ in freq.most_common() if tokens("fr", w)]
    frequent, rare = ranked[:200], [w for w in ranked if freq[w] <= 3]
    zh_freq = Counter(run[i : i + 2] for line in zh for run in _ZH_RUN.findall(line) for i in range(len(run) - 1))
    zh_frequent = [b for b, _ in zh_freq.most_common(200)]
    zh_rare = [b for b, c in zh_freq.items() if c <= 2]
    makers = {
        "fr word frequent": lambda: rng.choice(frequent),
        "fr word rare": lambda: rng.choice(rare),
        "fr 2-3 words": lambda: _fr_words(rng, fr),
        "fr phrase": lambda: _fr_phrase(rng, fr),
        "zh frequent": lambda: rng.choice(zh_frequent),
        "zh rare": lambda: rng.choice(zh_rare),
        "zh substring 4-6": lambda: _zh_substring(rng, zh),
    }
    names = list(makers)
    return [(name, makers[name]()) for name in (names[i % len(names)] for i in range(n))]


def _fr_words(rng, fr) -> str:
    """2 or 3 content words of one sentence, in any order (all must match)."""
    while True:
        words = [w for w in set(_FR_WORD.findall(rng.choice(fr))) if tokens("fr", w)]
        if len(words) >= 3:
            return " ".join(rng.sample(sorted(words), 2 + rng.randint(0, 1)))


def _fr_phrase(rng, fr) -> str:
    while True:
        words = rng.choice(fr).split()
        if len(words) >= 6:
            i = rng.randrange(len(words) - 3)
            phrase = " ".join(re.sub(r"[^\w'’-]", "", w) for w in words[i : i + 3 + rng.randint(0, 1)])
            if len(tokens("fr", phrase)) >= 2:
                return f'"{phrase}"'


def _zh_substring(rng, zh) -> str:
    while True:
        runs = _ZH_RUN.findall(rng.choice(zh))
        if runs:
            run = rng.choice(runs)
            n = min(len(run), rng.randint(4, 6))
            i = rng.randrange(len(run) - n + 1)
            return run[i : i + n]


def ensure_index(size: int, engine: str = "whoosh", shards: int = 1) -> Path:
    """The benchmark index of `size` paragraphs with an engine, built if missing."""
    index = index_folder(size, engine, shards)
    if not (index / "current").exists():
        corpus = OUT / f"corpus-{size}"
        make_corpus(corpus, size)
        build(corpus, index, engine, shards)
    return index


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of a list of milliseconds."""
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98]


def shard_servers(index: Path) -> tuple[list[subprocess.Popen], tuple[str, ...]]:
    """One `xapian-tcpsrv` per shard of the live generation, on free loopback ports, once each accepts."""
    tcpsrv = shutil.which("xapian-tcpsrv")
    if tcpsrv is None:
        raise SystemExit("--remote needs xapian-tcpsrv (Debian package xapian-tools: make xapian-tools)")
    procs, addresses = [], []
    for shard in sorted((index / "current" / "xapian").glob("shard-*")):
        port = _free_port()
        cmd = [tcpsrv, "--port", str(port), "--interface", "127.0.0.1", str(shard)]
        # a session of its own: xapian-tcpsrv signals its whole process group when it stops
        procs.append(
            subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        )
        addresses.append(f"127.0.0.1:{port}")
        _wait_for_port(port, 30, f"xapian-tcpsrv for {shard}")
    return procs, tuple(addresses)


def in_process(
    index: Path, mix, marks: bool = True, remote_shards: tuple[str, ...] = (), facets=None, **counting
) -> dict[str, list[float]]:
    """Latency of SearchService.search, by category (ms), with or without the marks in translations (each
    query's first search: the renderings of its words are not cached yet, but for the warm-up queries)."""
    from server.search import SearchService

    svc = SearchService(load_config(None, index_dir=index).replace(remote_shards=remote_shards, **counting))
    asked = {} if facets is None else {"facets": facets}
    for _, q in mix[:20]:  # warm the searcher's caches as a running server would be
        svc.search(q, marks=marks, **asked)
    out = defaultdict(list)
    cpu = []
    for name, q in mix:
        t, c = time.perf_counter(), time.process_time()
        svc.search(q, marks=marks, **asked)
        out[name].append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    svc.close()
    out["all, CPU time"] = cpu  # this process's: what other jobs on the machine do not inflate
    return out


def _wait_for_port(port: int, seconds: float, what: str) -> None:
    """Return once something accepts connections on a loopback port; exit saying `what` did not start."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start on port {port}") from None
            time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def over_http(index: Path, mix, clients: int, remote_shards: tuple[str, ...] = ()) -> tuple[dict, float]:
    """Latency over HTTP with one client, then queries/s with `clients` concurrent keep-alive clients."""
    port = _free_port()
    cmd = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--threads", str(max(clients, 4))]
    cmd += ["--index", str(index)] + [arg for address in remote_shards for arg in ("--remote-shard", address)]
    server = subprocess.Popen(
        cmd,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, 60, "tandem serve")

        def get(conn, q):
            conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q}))
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise SystemExit(f"HTTP {resp.status} for {q!r}: {body[:200]!r}")
            return json.loads(body)

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _, q in mix[:20]:
            get(conn, q)
        lat = defaultdict(list)
        for name, q in mix:
            t = time.perf_counter()
            get(conn, q)
            lat[name].append((time.perf_counter() - t) * 1000)
        conn.close()

        queue = list(mix) * 2
        lock = threading.Lock()
        done = [0]

        def client():
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while True:
                with lock:
                    if not queue:
                        break
                    _, q = queue.pop()
                get(c, q)
                with lock:
                    done[0] += 1
            c.close()

        threads = [threading.Thread(target=client) for _ in range(clients)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        qps = done[0] / (time.perf_counter() - t)
        return lat, qps
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(title: str, lat: dict[str, list[float]]):
    """Print p50/p95/p99 per category and overall."""
    print(f"  {title}")
    print(f"    {'category':<20} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    cpu = lat.pop("all, CPU time", None)
    rows = list(lat.items()) + [("all", [v for vs in lat.values() for v in vs])]
    if cpu:
        rows.append(("all, CPU time", cpu))
    for name, values in rows:
        p50, p95, p99 = percentiles(values)
        print(f"    {name:<20} {len(values):>4} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 400_000])
    parser.add_argument("--queries", type=int, default=420)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--engine", choices=ENGINES, default="whoosh")
    parser.add_argument("--shards", type=int, default=1, help="Xapian databases the index is split into")
    parser.add_argument("--remote", action="store_true", help="Xapian: serve each shard with xapian-tcpsrv")
    parser.add_argument("--index", type=Path, help="an existing index to query instead (e.g. of corpus/)")
    parser.add_argument(
        "--marks",
        choices=("on", "off", "both"),
        default="on",
        help="marks in the translations (in-process figures only; HTTP always marks)",
    )
    parser.add_argument(
        "--exact-total",
        type=int,
        help="matches counted exactly (in-process figures; e.g. 1000 at 100k counts the share 10,000 counts at 1M)",
    )
    parser.add_argument(
        "--facets",
        help="the facets asked (in-process figures): e.g. --facets year,kind, or --facets '' for none (default all)",
    )
    args = parser.parse_args()
    counting = {} if args.exact_total is None else {"exact_total": args.exact_total}
    if args.facets is not None:
        counting["facets"] = tuple(f for f in args.facets.split(",") if f)
    if args.remote and args.engine != "xapian":
        parser.error("--remote needs --engine xapian")
    mix = query_mix(args.queries)
    settings = {"on": [True], "off": [False], "both": [False, True]}[args.marks]
    if args.index is not None:
        print(f"{args.index} ({args.queries} queries)", flush=True)
        for marks in settings:
            report(
                f"in-process (SearchService.search), marks {'on' if marks else 'off'}",
                in_process(args.index, mix, marks, **counting),
            )
        if not args.no_http:
            lat, qps = over_http(args.index, mix, args.clients)
            report("over HTTP, one client", lat)
            print(f"  throughput, {args.clients} concurrent clients: {qps:.0f} queries/s", flush=True)
        return
    for size in args.sizes:
        index = ensure_index(size, args.engine, args.shards)
        procs, remote = shard_servers(index) if args.remote else ([], ())
        where = f", shards on {', '.join(remote)}" if remote else ""
        print(
            f"{size} paragraphs, engine {engine_tag(args.engine, args.shards)}{where} ({args.queries} queries)",
            flush=True,
        )
        try:
            for marks in settings:
                report(
                    f"in-process (SearchService.search), marks {'on' if marks else 'off'}",
                    in_process(index, mix, marks, remote, **counting),
                )
            if not args.no_http:
                lat, qps = over_http(index, mix, args.clients, remote)
                report("over HTTP, one client", lat)
                print(f"  throughput, {args.clients} concurrent clients: {qps:.0f} queries/s", flush=True)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
