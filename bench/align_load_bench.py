"""Search under alignment load: 8 big POST /api/align at once against `tandem serve`, health and search timed.

Starts `tandem serve` over an index folder on a free loopback port with room for big alignments, posts
`--aligners` alignments of about `--paragraphs` paragraphs a side at once (the shipped seed pair, bodies
repeated), and meanwhile calls /api/health and /api/search in a loop. Prints the alignments' statuses and the
health and search latencies while they ran.

    python bench/align_load_bench.py --index /tmp/idx
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.load_bench import percentile, start_server  # noqa: E402

SEEDS = ("000_0156113a91954281.txt", "002_9173574a0d462b55.txt")  # A/RES/68/38 fr, A/RES/67/38 zh


def big_pair(paragraphs: int) -> tuple[str, str]:
    """A French and a Chinese text of about `paragraphs` paragraphs each: the seed pair, bodies repeated."""
    texts = []
    for name in SEEDS:
        text = (REPO / "corpus" / name).read_text(encoding="utf-8")
        body = text.partition("\n\n")[2]
        texts.append(text + ("\n\n" + body) * (paragraphs // max(1, body.count("\n\n"))))
    return texts[0], texts[1]


def call(url: str, data: bytes | None = None, timeout: float = 120) -> tuple[int, float]:
    """Status and seconds of one request."""
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return status, time.monotonic() - started


def main():
    """Parse arguments, run the alignments, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True, help="index folder to serve")
    ap.add_argument("--aligners", type=int, default=8, help="alignments posted at once")
    ap.add_argument("--paragraphs", type=int, default=3000, help="paragraphs per side of each alignment")
    ap.add_argument("--concurrency", type=int, default=1, help="the server's align_concurrency")
    args = ap.parse_args()

    fr, zh = big_pair(args.paragraphs)
    body = json.dumps({"source": fr, "target": zh}).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text(
            f"[server]\nmax_align_paragraphs = {args.paragraphs * 2}\nmax_request_bytes = {len(body) * 2}\n"
            f"align_concurrency = {args.concurrency}\n",
            encoding="utf-8",
        )
        proc, base = start_server(args.index, None, config)
        try:
            call(base + "/api/search?q=paix&limit=3")
            results: list[tuple[int, float]] = []
            threads = [
                threading.Thread(target=lambda: results.append(call(base + "/api/align", body)))
                for _ in range(args.aligners)
            ]
            started = time.monotonic()
            for t in threads:
                t.start()
            health, search = [], []
            while any(t.is_alive() for t in threads):
                health.append(call(base + "/api/health", timeout=60)[1])
                search.append(call(base + "/api/search?q=paix&limit=3", timeout=60)[1])
                time.sleep(0.05)
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    statuses = sorted(status for status, _ in results)
    aligned = [seconds for status, seconds in results if status == 200]
    print(f"{args.aligners} alignments of {args.paragraphs} paragraphs a side ({len(body) / 1e6:.2f} MB each)")
    print(f"statuses: {statuses}; aligned in {max(aligned, default=0):.1f} s; all done in {elapsed:.1f} s")
    for name, values in (("health", health), ("search", search)):
        print(
            f"{name} while aligning: {len(values)} calls, p50 {percentile(values, 50) * 1000:.1f} ms, "
            f"p95 {percentile(values, 95) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
