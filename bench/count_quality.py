"""Estimated totals and facets against exact counts, over the query mix of bench/query_bench.py: for each
query whose count is estimated at `--exact-total`, the same search counted to the last match.

    .venv/bin/python bench/count_quality.py --index bench/out/index-xapian-1000000
    .venv/bin/python bench/count_quality.py --index bench/out/index-xapian-100000 --exact-total 1000

Per facet: the share of estimated queries whose first 5 values come in the exact order; in that order but
for values whose exact counts are within 10% of each other (near ties, which no sample separates); and whose
first 5 values' estimated counts are each within 10% of the exact count. Totals: median and p95 relative error of
"about" totals. A Xapian index built without sample terms estimates from its first matches in document
order instead: run this on one to see the bias the spread sample avoids.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.query_bench import query_mix  # noqa: E402
from indexer.config import load_config  # noqa: E402
from indexer.engines.base import FACETS  # noqa: E402

TOP = 5


def first_values(counts: dict[str, int]) -> list[str]:
    """The first TOP values of a facet as the API orders them."""
    return list(counts)[:TOP]


def misordered(estimate: dict[str, int], exact: dict[str, int], share: float = 0.1) -> bool:
    """Whether the estimate's first values put one before (or instead of) another whose exact count is larger
    by more than `share`; values nearly tied may come in either order, as no sample can tell them apart."""
    shown = first_values(estimate)
    left_out = [v for v in first_values(exact) if v not in shown]
    return any(
        exact.get(b, 0) > (1 + share) * exact.get(a, 0) for i, a in enumerate(shown) for b in shown[i + 1 :] + left_out
    )


def within(estimate: dict[str, int], exact: dict[str, int], share: float = 0.1) -> bool:
    """Whether each of the exact first values is estimated within `share` of its count."""
    return all(abs(estimate.get(v, 0) - exact[v]) <= share * exact[v] for v in first_values(exact))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=int, default=420)
    ap.add_argument("--exact-total", type=int, help="the count past which totals are estimated (config's default)")
    args = ap.parse_args()
    from server.search import SearchService

    svc = SearchService(load_config(None, index_dir=args.index).replace(max_search_ms=60_000))
    estimated, errors, took = [], [], {"estimated": [], "exact": []}
    order = {name: 0 for name in FACETS}
    close = {name: 0 for name in FACETS}
    loose = {name: 0 for name in FACETS}
    for _, q in query_mix(args.queries):
        t = time.perf_counter()
        fast = svc.search(q, exact_total=args.exact_total, marks=False)
        took["estimated"].append((time.perf_counter() - t) * 1000)
        if fast["facets_exact"]:
            continue
        t = time.perf_counter()
        full = svc.search(q, exact_total=10**12, marks=False)
        took["exact"].append((time.perf_counter() - t) * 1000)
        estimated.append(q)
        if fast["total_relation"] == "about":
            errors.append(abs(fast["total"] - full["total"]) / full["total"])
        for name in FACETS:
            order[name] += first_values(fast["facets"][name]) == first_values(full["facets"][name])
            close[name] += within(fast["facets"][name], full["facets"][name])
            loose[name] += not misordered(fast["facets"][name], full["facets"][name])
    svc.close()
    n = len(estimated)
    limit = args.exact_total or "of the config"
    print(f"{args.index}: {n} of {args.queries} queries with estimated facets (exact_total {limit})")
    if not n:
        return
    for name in FACETS:
        print(
            f"  {name:<7} first {TOP} in exact order {order[name] / n:.3f}, in order but for ties within 10% "
            f"{loose[name] / n:.3f}, each within 10% {close[name] / n:.3f}"
        )
    if errors:
        errors.sort()
        p95 = errors[min(len(errors) - 1, round(0.95 * (len(errors) - 1)))]
        print(f"  'about' totals: {len(errors)}, relative error median {statistics.median(errors):.3f}, p95 {p95:.3f}")
    print(
        f"  these queries: p50 {statistics.median(took['exact']):.1f} ms counted exactly, all queries p50 "
        f"{statistics.median(took['estimated']):.1f} ms as served"
    )


if __name__ == "__main__":
    main()
