"""Indexing benchmark: paragraphs/s, chars/s, peak memory (process tree) and index size for N paragraphs.

Memory is summed over the build process and its workers, as RSS (pages shared by forked workers
counted in each) and as PSS (shared pages divided among the processes sharing them).

    .venv/bin/python bench/index_bench.py                 # N = 10k and 100k, Whoosh
    .venv/bin/python bench/index_bench.py --sizes 10000 --workers 2
    .venv/bin/python bench/index_bench.py --sizes 100000 --engine xapian --shards 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import ENGINES, OUT, engine_tag, index_folder, make_corpus, write_config  # noqa: E402


def _tree_memory(proc: psutil.Process, pss: bool) -> int:
    """Summed RSS, or summed PSS, of a process and its children (PSS shares pages out fairly, so
    pages that forked workers share with their parent are not counted twice)."""
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_full_info().pss if pss else p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run(size: int, workers: int, procs: int, writer_mb: int, engine: str = "whoosh", shards: int = 1) -> dict:
    """Index a fresh corpus of `size` paragraphs in a child process with an engine; return the figures."""
    corpus, index = OUT / f"corpus-{size}", index_folder(size, engine, shards)
    shutil.rmtree(index, ignore_errors=True)
    counts = make_corpus(corpus, size)
    cmd = [
        sys.executable,
        "-m",
        "server.cli",
        "index",
        "--quiet",
        "--json",
        "--full",
        "--corpus",
        str(corpus),
        "--index",
        str(index),
        "--workers",
        str(workers),
    ]
    env = dict(os.environ, TANDEM_CONFIG=str(write_config(engine, shards, procs, writer_mb)))
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, cwd=Path(__file__).resolve().parent.parent)
    peak_rss = peak_pss = 0
    proc = psutil.Process(child.pid)
    done = threading.Event()

    def sample():
        # RSS five times a second; PSS, which makes the kernel walk every page of every process (a fifth
        # of a core, taken from the build, at this rate), once every two seconds.
        nonlocal peak_rss, peak_pss
        n = 0
        while not done.is_set():
            try:
                peak_rss = max(peak_rss, _tree_memory(proc, pss=False))
                if n % 10 == 0:
                    peak_pss = max(peak_pss, _tree_memory(proc, pss=True))
            except psutil.Error:
                pass
            n += 1
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    done.set()
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"index failed with status {child.returncode}")
    report = json.loads(out)
    gen = index / report["generation"]
    return {
        "paragraphs": counts["paragraphs"],
        "documents": counts["documents"],
        "seconds": seconds,
        "paragraphs_per_s": counts["paragraphs"] / seconds,
        "chars_per_s": counts["chars"] / seconds,
        "peak_rss_mb": peak_rss / 2**20,
        "peak_pss_mb": peak_pss / 2**20,
        "index_mb": _du(gen) / 2**20,
        "chars": counts["chars"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2, help="segmentation processes")
    parser.add_argument("--procs", type=int, default=2, help="Whoosh writer processes")
    parser.add_argument("--writer-mb", type=int, default=128, help="memory of each Whoosh writer process")
    parser.add_argument("--engine", choices=ENGINES, default="whoosh")
    parser.add_argument("--shards", type=int, default=1, help="Xapian databases the index is split into")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    print(f"engine {engine_tag(args.engine, args.shards)}, {args.workers} segmentation workers", flush=True)
    print(
        f"{'paragraphs':>10} {'docs':>6} {'seconds':>8} {'para/s':>8} {'chars/s':>9} {'peak RSS MB':>12} "
        f"{'peak PSS MB':>12} {'index MB':>9}"
    )
    for size in args.sizes:
        r = run(size, args.workers, args.procs, args.writer_mb, args.engine, args.shards)
        print(
            f"{r['paragraphs']:>10} {r['documents']:>6} {r['seconds']:>8.1f} {r['paragraphs_per_s']:>8.0f} "
            f"{r['chars_per_s']:>9.0f} {r['peak_rss_mb']:>12.0f} {r['peak_pss_mb']:>12.0f} {r['index_mb']:>9.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
