"""Term lookup latency (GET /api/terms) on any index: first lookups of terms held by 150-900 paragraphs.

French terms are vocabulary words of four letters or more; Chinese terms are substrings (2-4 characters) of
the index's Chinese paragraphs. Each term is looked up once, so nothing comes from the service's cache.

    python bench/term_latency.py --index bench/out/index-whoosh-100000
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.catalog import Catalog  # noqa: E402
from indexer.config import load_config  # noqa: E402
from indexer.store import CATALOG, current_generation  # noqa: E402
from server.search import SearchService  # noqa: E402

LOW, HIGH = 150, 900  # paragraphs holding a term: "a few hundred occurrences"
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def french_terms(catalog: Catalog, rng: random.Random, n: int) -> list[str]:
    """Vocabulary words of four letters or more held by LOW-HIGH paragraphs."""
    rows = catalog.db.execute(
        "SELECT word FROM vocab WHERE lang='fr' AND freq BETWEEN ? AND ? AND length(word) >= 4", (LOW, HIGH)
    ).fetchall()
    words = sorted(row[0] for row in rows)
    return rng.sample(words, min(n, len(words)))


def chinese_terms(catalog: Catalog, svc: SearchService, rng: random.Random, n: int) -> list[str]:
    """Substrings of Chinese paragraphs that LOW-HIGH paragraphs hold."""
    texts = [row[0] for row in catalog.db.execute("SELECT text FROM paragraphs WHERE id LIKE 'zh-%' LIMIT 5000")]
    out, seen = [], set()
    for _ in range(20 * n):
        if len(out) >= n or not texts:
            break
        runs = _HAN_RUN.findall(rng.choice(texts))
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(2, min(4, len(run)))
        start = rng.randrange(len(run) - size + 1)
        word = run[start : start + size]
        if word not in seen:
            seen.add(word)
            if LOW <= svc.search(word, lang="zh", limit=1)["total"] <= HIGH:
                out.append(word)
    return out


def main():
    """Pick the terms, look each up once, print the percentiles."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--terms", type=int, default=60, help="terms per language")
    args = ap.parse_args()
    svc = SearchService(load_config(None, index_dir=args.index))
    catalog = Catalog(current_generation(args.index) / CATALOG, readonly=True)
    rng = random.Random(5)
    for lang, terms in (
        ("fr", french_terms(catalog, rng, args.terms)),
        ("zh", chinese_terms(catalog, svc, rng, args.terms)),
    ):
        if len(terms) < 2:
            print(f"{lang}: too few terms held by {LOW}-{HIGH} paragraphs")
            continue
        wall, paragraphs = [], []
        for term in terms:
            started = time.perf_counter()
            paragraphs.append(svc.terms(term, lang=lang)["paragraphs"])
            wall.append((time.perf_counter() - started) * 1000)
        q = statistics.quantiles(wall, n=100)
        print(
            f"{lang}: {len(terms)} terms (median {statistics.median(paragraphs):.0f} paragraphs), first lookup "
            f"p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, max {max(wall):.0f} ms"
        )
    catalog.close()
    svc.close()


if __name__ == "__main__":
    main()
