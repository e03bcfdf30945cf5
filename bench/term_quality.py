"""Quality of `GET /api/terms` (how a term is translated) on the shipped corpus, judged by the hand-written UN
vocabulary tools/data/un_terms_fr_zh.tsv (French word -> Chinese terms), which is not derived from the corpus.

    .venv/bin/python bench/term_quality.py                  # indexes corpus/ into a temporary folder
    .venv/bin/python bench/term_quality.py --index var/index
    .venv/bin/python bench/term_quality.py --show           # every term and its first renderings
    .venv/bin/python bench/term_quality.py --marks          # and the marks in search hits' translations
    .venv/bin/python bench/term_quality.py --index bench/out/index-whoosh-20000  # a bench corpus (query_bench.py)

French -> Chinese: a term is right at rank k when one of its first k renderings is one of the listed Chinese
terms, holds one, or is held in one (the list gives words, the corpus may prefer 安理会 or 安全理事会).
Chinese -> French, from each entry's first Chinese term: right when a rendering holds the French word (or a
form of it sharing its first five letters), accents and case ignored ("Moyen-Orient" holds "Orient"). As the
list gives one Chinese term for several French words (会议: conférence, séance, réunion), at most one of them
can be right at rank 1: the share of first renderings holding any French word listed with the term is printed
too. Terms found in fewer than 3 paragraphs are left out (no evidence to rank on).

--marks measures the marks in search hits' translations (see evaluate_marks). Latency is that of each term's
first lookup, wall-clock and CPU time of this process (the machine may be shared).
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from indexer.build import build_index  # noqa: E402
from indexer.config import load_config  # noqa: E402

GOLD = REPO / "tools" / "data" / "un_terms_fr_zh.tsv"
MIN_PARAGRAPHS = 3


def fold(text: str) -> str:
    """Lowercase without accents."""
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def load_gold() -> list[tuple[str, list[str]]]:
    """(French word, [Chinese terms]) from the hand-written list."""
    out = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            fr, zh = line.split("\t")[:2]
            out.append((fr.strip(), [z.strip() for z in zh.split("|") if z.strip()]))
    return out


def zh_right(rendering: str, gold: list[str]) -> bool:
    """A Chinese rendering matching one of the listed terms."""
    return any(g == rendering or g in rendering or rendering in g for g in gold)


def fr_right(rendering: str, word: str) -> bool:
    """A French rendering holding the word or a form of it."""
    stem = fold(word)[:5]
    return any(w.startswith(stem) for w in re.split(r"[\s'’-]+", fold(rendering)))


def evaluate(service, gold, show: bool) -> list[tuple[int, float, float]]:
    """Print accuracy at ranks 1 and 3 in both directions; returns (paragraphs, wall ms, CPU ms) of each
    term's first lookup (before the service caches it)."""
    timings: dict[tuple[str, str], tuple[int, float, float]] = {}
    french_of: dict[str, list[str]] = {}
    for fr, zh in gold:
        french_of.setdefault(zh[0], []).append(fr)
    for direction in ("fr->zh", "zh->fr"):
        tried = at1 = at3 = any1 = 0
        for fr, zh in gold:
            term, lang = (fr, "fr") if direction == "fr->zh" else (zh[0], "zh")
            started, cpu = time.perf_counter(), time.process_time()
            result = service.terms(term, lang=lang, limit=6)
            wall, cpu = 1000 * (time.perf_counter() - started), 1000 * (time.process_time() - cpu)
            timings.setdefault((term, lang), (result["paragraphs"], wall, cpu))
            if result["paragraphs"] < MIN_PARAGRAPHS:
                continue
            # the same rendering may come twice: from the same documents and from another year's version
            texts = list(dict.fromkeys(r["text"] for r in result["renderings"]))[:3]
            right = [zh_right(t, zh) if lang == "fr" else fr_right(t, fr) for t in texts]
            tried += 1
            at1 += bool(right[:1] and right[0])
            at3 += any(right)
            any1 += bool(texts) and (right[0] if lang == "fr" else any(fr_right(texts[0], f) for f in french_of[term]))
            if show:
                print(f"  {'+' if right[:1] and right[0] else '-'} {term}: {', '.join(texts)}")
        print(
            f"{direction}: {tried} terms; right at rank 1: {at1} ({at1 / max(tried, 1):.1%}), "
            f"in the first 3: {at3} ({at3 / max(tried, 1):.1%})"
            + (
                f"; rank 1 holding any French word listed with the term: {any1 / max(tried, 1):.1%}"
                if lang == "zh"
                else ""
            )
        )
    return list(timings.values())


def print_latency(timings: list[tuple[int, float, float]]) -> None:
    """p50/p95 of first lookups, for all terms and by how many paragraphs hold them: wall-clock time, and the
    CPU time of this process (what other jobs on the machine do not inflate)."""
    bands = [("all terms", 0, 10**9), ("< 100 paragraphs", 0, 99), ("100-999 paragraphs", 100, 999)]
    bands.append(("1000+ paragraphs", 1000, 10**9))
    for name, low, high in bands:
        rows = [(wall, cpu) for n, wall, cpu in timings if low <= n <= high]
        if len(rows) >= 2:
            (w50, w95), (c50, c95) = (_p50_p95([row[k] for row in rows]) for k in (0, 1))
            print(
                f"  latency, {name}: {len(rows)} lookups, wall p50 {w50:.0f} ms, p95 {w95:.0f} ms; "
                f"CPU p50 {c50:.0f} ms, p95 {c95:.0f} ms"
            )


def _p50_p95(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94]


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def evaluate_marks(service, gold, show: bool, limit: int = 10) -> None:
    """Marks in search hits' translations, each gold term used once as a query: the share of marked spans that
    are a rendering the list gives for it (precision), and of the translations holding one, the share marked.
    A Chinese term is judged by every French word listed with it (会议: conférence, séance, réunion, session)."""
    french_of: dict[str, list[str]] = {}
    chinese_of: dict[str, list[str]] = {}
    for fr, zh in gold:
        chinese_of.setdefault(fr, []).extend(zh)
        french_of.setdefault(zh[0], []).append(fr)
    for direction, queries in (("fr->zh", chinese_of), ("zh->fr", french_of)):
        lang = direction[:2]
        spans = right = holding = marked = 0
        wrong: Counter = Counter()
        for q, renderings in queries.items():
            if lang == "fr":
                judge = lambda text, zh=renderings: zh_right(text, zh)  # noqa: E731
                gold_in = lambda text, zh=renderings: any(g in text for g in zh)  # noqa: E731
            else:
                judge = gold_in = lambda text, frs=renderings: any(fr_right(text, fr) for fr in frs)  # noqa: E731
            for hit in service.search(q, lang=lang, limit=limit, facets=())["hits"]:
                for tr in hit["translations"]:
                    if tr["lang"] == lang:
                        continue
                    found = [html.unescape(m) for m in _MARK.findall(tr["highlight"])]
                    ok = [judge(m) for m in found]
                    spans += len(found)
                    right += sum(ok)
                    wrong.update(m for m, good in zip(found, ok, strict=True) if not good)
                    if gold_in(tr["text"]):
                        holding += 1
                        marked += any(ok)
        print(
            f"marks {direction}: {len(queries)} queries, {spans} marked spans, precision {right / max(spans, 1):.1%}; "
            f"of {holding} translations holding a listed rendering, {marked / max(holding, 1):.1%} marked"
        )
        if show and wrong:
            print("  marked, not listed: " + ", ".join(f"{m} ({n})" for m, n in wrong.most_common(30)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--index",
        type=Path,
        help="an index of corpus/ or of a bench corpus (default: corpus/ indexed in a temporary folder)",
    )
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--marks", action="store_true", help="also measure the marks in search hits' translations")
    args = parser.parse_args()
    from server.search import SearchService

    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or Path(tmp) / "index"
        cfg = load_config(None, corpus_dir=REPO / "corpus", index_dir=index)
        if args.index is None:
            build_index(cfg)
        service = SearchService(cfg)
        try:
            service.terms("paix")  # opens the searcher and warms the caches, outside the timings
            print_latency(evaluate(service, load_gold(), args.show))
        finally:
            service.close()
        if args.marks:  # a service of its own: the searches look their words up as a server would, uncached
            service = SearchService(cfg)
            try:
                evaluate_marks(service, load_gold(), args.show)
            finally:
                service.close()


if __name__ == "__main__":
    main()
