"""One huge paragraph: build peak memory, and the size and time of searches that match it.

The corpus is the UN Parallel Corpus dev set as a bitext with one more row whose French line is the dev set's
French text run together and repeated to about --mb megabytes, its Chinese line the dev set's Chinese run
together once (so the build's time goes to the French giant, not to pkuseg). The build runs as `tandem index`
in a child process, its memory (RSS, workers and writers included) sampled five times a second; searches run
in this process through Flask's test client, a page of 100 hits over the index and in the huge paragraph's
document, one at a time, then --concurrent at once.

    .venv/bin/python bench/long_paragraph_bench.py                 # 50 MB, Whoosh
    .venv/bin/python bench/long_paragraph_bench.py --mb 10 --engine xapian
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import DEVSET, ENGINES, load_devset  # noqa: E402
from bench.index_bench import _tree_memory  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
HUGE_ID = "2015/a/res/70/999 fr:1:1 zh:1:1"
HUGE_SYMBOL = "A/RES/70/999"


def make_corpus(folder: Path, mb: float) -> int:
    """The dev set bitext plus one row with a French line of about `mb` MB; returns that line's characters."""
    fr, zh = load_devset()
    ids = (DEVSET / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines()
    once = " ".join(line.strip() for line in fr if line.strip())
    repeats = max(1, round(mb * 2**20 / len(once.encode("utf-8"))))
    huge_fr = " ".join([once] * repeats)
    huge_zh = "".join(line.strip() for line in zh if line.strip())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "huge.fr").write_text("\n".join(fr + [huge_fr]) + "\n", encoding="utf-8")
    (folder / "huge.zh").write_text("\n".join(zh + [huge_zh]) + "\n", encoding="utf-8")
    (folder / "huge.ids").write_text("\n".join(ids + [HUGE_ID]) + "\n", encoding="utf-8")
    return len(huge_fr)


def build(corpus: Path, index: Path, config: Path) -> dict:
    """`tandem index --full` in a child process: seconds, peak RSS of its process tree, its report."""
    cmd = [sys.executable, "-m", "server.cli", "index", "--quiet", "--json", "--full"]
    cmd += ["--corpus", str(corpus), "--index", str(index)]
    env = dict(os.environ, TANDEM_CONFIG=str(config))
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, cwd=REPO)
    proc, peak, done = psutil.Process(child.pid), 0, threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, _tree_memory(proc, pss=False))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"index failed with status {child.returncode}")
    return {"seconds": time.perf_counter() - started, "peak_rss_mb": peak / 2**20, "report": json.loads(out)}


def search(client, q: str, symbol: str | None = None) -> dict:
    """One GET /api/search of a full page (100 hits), in one document if `symbol`: status, bytes of JSON,
    seconds, and the longest hit text and highlight."""
    started = time.perf_counter()
    args = {"q": q, "lang": "fr", "limit": 100} | ({"symbol": symbol} if symbol else {})
    response = client.get("/api/search", query_string=args)
    seconds = time.perf_counter() - started
    body = response.get_json()
    hits = body.get("hits", []) if isinstance(body, dict) else []
    return {
        "status": response.status_code,
        "bytes": len(response.data),
        "seconds": seconds,
        "total": body.get("total") if isinstance(body, dict) else None,
        "longest_text": max((len(h["text"]) for h in hits), default=0),
        "longest_highlight": max((len(h["highlight"]) for h in hits), default=0),
    }


def document_view(client, symbol: str) -> dict:
    """One GET /api/documents/<symbol> (its first page of aligned rows): status, bytes of JSON, seconds, this
    process's RSS growth, and the rows sent of the rows there are."""
    me = psutil.Process()
    before = me.memory_info().rss
    started = time.perf_counter()
    response = client.get(f"/api/documents/{symbol}")
    seconds = time.perf_counter() - started
    body = response.get_json(silent=True) or {}
    alignments = body.get("alignments", [])
    return {
        "status": response.status_code,
        "bytes": len(response.data),
        "seconds": seconds,
        "rss_growth_mb": (me.memory_info().rss - before) / 2**20,
        "paragraphs_sent": sum(
            len(side) for a in alignments for r in a["rows"] for k, side in r.items() if k in ("fr", "zh")
        ),
        "rows_total": sum(a.get("rows_total", len(a["rows"])) for a in alignments),
    }


def concurrent(app, q: str, n: int) -> dict:
    """`n` searches at once in the huge paragraph's document, each on its own test client: wall seconds and
    this process's peak RSS."""
    me, peak, done = psutil.Process(), 0, threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, me.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    threads = [threading.Thread(target=search, args=(app.test_client(), q, HUGE_SYMBOL)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50, help="size of the huge French line")
    parser.add_argument("--engine", choices=ENGINES, default="whoosh")
    parser.add_argument("--max-paragraph-chars", type=int, help="[index] max_paragraph_chars for the build")
    parser.add_argument("--concurrent", type=int, default=3, help="searches for paix run at once")
    parser.add_argument("--queries", nargs="+", default=["paix", '"de la"'])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tandem-long-") as tmp:
        tmp = Path(tmp)
        chars = make_corpus(tmp / "corpus", args.mb)
        config = tmp / "config.toml"
        lines = ["[index]", f'engine = "{args.engine}"']
        if args.max_paragraph_chars:
            lines.append(f"max_paragraph_chars = {args.max_paragraph_chars}")
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"engine {args.engine}, huge French line of {chars:,} characters", flush=True)
        built = build(tmp / "corpus", tmp / "index", config)
        stats = {row["lang"]: row["paragraphs"] for row in built["report"]["stats"]}
        print(
            f"build: {built['seconds']:.1f} s, peak RSS {built['peak_rss_mb']:,.0f} MB (process tree), "
            f"paragraphs {stats}",
            flush=True,
        )

        from indexer.config import load_config
        from server.app import create_app

        app = create_app(load_config(config, index_dir=tmp / "index"))
        client = app.test_client()
        for q in args.queries:
            for symbol in (None, HUGE_SYMBOL):
                r = search(client, q, symbol)
                print(
                    f"q={q}{' symbol=' + symbol if symbol else ''}: status {r['status']}, "
                    f"{r['bytes']:,} bytes of JSON, {r['seconds']:.2f} s, "
                    f"total {r['total']}, longest hit text {r['longest_text']:,} chars, "
                    f"highlight {r['longest_highlight']:,} chars",
                    flush=True,
                )
        d = document_view(client, HUGE_SYMBOL)
        print(
            f"GET /api/documents/{HUGE_SYMBOL}: status {d['status']}, {d['bytes']:,} bytes of JSON, "
            f"{d['seconds']:.2f} s, RSS +{d['rss_growth_mb']:,.0f} MB, {d['paragraphs_sent']:,} paragraphs sent, "
            f"rows {d['rows_total']}",
            flush=True,
        )
        if args.concurrent:
            c = concurrent(app, args.queries[0], args.concurrent)
            print(
                f"{args.concurrent} searches for {args.queries[0]} symbol={HUGE_SYMBOL} at once: "
                f"{c['seconds']:.2f} s, "
                f"peak RSS of this process {c['peak_rss_mb']:,.0f} MB",
                flush=True,
            )
        app.extensions["tandem.search"].close()


if __name__ == "__main__":
    main()
