"""Load on a tandem server: N client threads for a bounded time, loopback only.

Either starts `tandem serve` on a free loopback port over an index folder, or loads a given loopback URL.
Prints requests/s, latency percentiles, errors, and the server's resident memory before and after.

    python bench/load_bench.py --index /tmp/idx                # starts tandem serve
    python bench/load_bench.py --url http://127.0.0.1:8000     # a running server (RSS only with --pid)
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# A mix of what the page and the widget ask: French and Chinese words, phrases, filters, pages, documents.
QUERIES = [
    "paix",
    "désarmement",
    "multilatéralisme",
    "non-prolifération",
    '"Assemblée générale"',
    "droit*",
    "多边主义",
    "裁军",
    "和平",
    "大会",
    "安全 理事会",
    "paix -guerre",
    "kind:operative désarmement",
]
MAX_SECONDS = 600  # the loop stops by itself whatever is asked


def requests_mix(rng: random.Random, symbols: list[str]) -> str:
    """One request path, drawn from the mix; documents are opened by the symbols the index holds."""
    roll = rng.random()
    if roll < 0.75:
        params = {"q": rng.choice(QUERIES), "limit": 10}
        if rng.random() < 0.2:
            params["offset"] = 10
        if rng.random() < 0.1:
            params["year"] = "2010-2015"
        return "/api/search?" + urllib.parse.urlencode(params)
    if roll < 0.85:
        return "/api/documents?limit=20"
    if roll < 0.95:
        return "/api/documents/" + urllib.parse.quote(rng.choice(symbols))
    return "/api/health"


def client(base: str, deadline: float, seed: int, latencies: list, errors: list, symbols: list[str]):
    """Send requests back to back until the deadline; record each latency or error."""
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        path = requests_mix(rng, symbols)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as r:
                r.read()
            latencies.append(time.monotonic() - started)
        except (urllib.error.URLError, OSError) as exc:
            errors.append(f"{path}: {exc}")


def document_symbols(base: str) -> list[str]:
    """Symbols of documents the server holds, for the document requests of the mix."""
    with urllib.request.urlopen(base + "/api/documents?limit=50", timeout=30) as r:
        symbols = [d["symbol"] for d in json.load(r)["documents"] if d.get("symbol")]
    if not symbols:
        raise SystemExit("the index holds no document with a symbol")
    return symbols


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process and its children, in MB (None without psutil or a pid)."""
    if pid is None:
        return None
    try:
        import psutil
    except ImportError:
        return None
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 1e6


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: Path, threads: int | None, config: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`tandem serve` over `index` (with settings from `config`, if given) on a free loopback port, once it
    answers."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--index",
        str(index),
    ]
    if threads:
        cmd += ["--threads", str(threads)]
    proc = subprocess.Popen(cmd, cwd=REPO, env=_env(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=1) as r:
                json.load(r)
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("tandem serve exited before answering") from None
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("tandem serve did not answer within 60 s")


def _env(config: Path | None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if config is not None:
        env["TANDEM_CONFIG"] = str(config)
    return env


def check_loopback(url: str):
    """Refuse any target that is not this machine."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host != "localhost":
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            pass
        raise SystemExit(f"{url}: only loopback addresses (127.0.0.0/8, ::1, localhost) may be loaded")


def main():
    """Parse arguments, run the load, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--index", type=Path, help="index folder: start `tandem serve` over it")
    target.add_argument("--url", help="a running server on this machine, e.g. http://127.0.0.1:8000")
    ap.add_argument("--pid", type=int, help="with --url: the server's process id, for its memory")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, help="waitress threads of the started server")
    args = ap.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)

    proc = None
    if args.index:
        proc, base = start_server(args.index, args.threads)
        pid = proc.pid
    else:
        check_loopback(args.url)
        base, pid = args.url.rstrip("/"), args.pid
    try:
        symbols = document_symbols(base)
        # one warm-up pass so the figures are of a server that has loaded what it needs
        for i in range(len(QUERIES)):
            client(base, time.monotonic() + 0.5, i, [], [], symbols)
        before = rss_mb(pid)
        latencies: list[float] = []
        errors: list[str] = []
        deadline = time.monotonic() + seconds
        started = time.monotonic()
        workers = [
            threading.Thread(target=client, args=(base, deadline, i, latencies, errors, symbols))
            for i in range(args.clients)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started
        after = rss_mb(pid)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)

    done = len(latencies)
    print(f"{args.clients} clients, {elapsed:.1f} s against {base}")
    print(f"requests: {done} ok, {len(errors)} errors, {done / elapsed:.1f} requests/s")
    if done:
        print(
            "latency ms: p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  max {:.1f}".format(
                *(percentile(latencies, p) * 1000 for p in (50, 95, 99, 100))
            )
        )
    if before is not None:
        print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after")
    for line in errors[:5]:
        print("  error:", line)


if __name__ == "__main__":
    main()
