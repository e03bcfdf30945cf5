"""Quality of `GET /api/terms` (how a term is translated) on the shipped corpus, judged by the hand-written UN
vocabulary tools/data/un_terms_fr_zh.tsv (French word -> Chinese terms), which is not derived from the corpus.

    .venv/bin/python bench/term_quality.py                  # indexes corpus/ into a temporary folder
    .venv/bin/python bench/term_quality.py --index var/index
    .venv/bin/python bench/term_quality.py --show           # every term and its first renderings

French -> Chinese: a term is right at rank k when one of its first k renderings is one of the listed Chinese
terms, holds one, or is held in one (the list gives words, the corpus may prefer 安理会 or 安全理事会).
Chinese -> French, from each entry's first Chinese term: right when a rendering holds the French word (or a
form of it sharing its first five letters), accents and case ignored ("Moyen-Orient" holds "Orient"). Terms
found in fewer than 3 paragraphs are left out (no evidence to rank on).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import unicodedata
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


def evaluate(service, gold, show: bool) -> None:
    """Print accuracy at ranks 1 and 3 in both directions, and the time per term."""
    for direction in ("fr->zh", "zh->fr"):
        tried = at1 = at3 = 0
        started = time.perf_counter()
        for fr, zh in gold:
            term, lang = (fr, "fr") if direction == "fr->zh" else (zh[0], "zh")
            result = service.terms(term, lang=lang, limit=6)
            if result["paragraphs"] < MIN_PARAGRAPHS:
                continue
            # the same rendering may come twice: from the same documents and from another year's version
            texts = list(dict.fromkeys(r["text"] for r in result["renderings"]))[:3]
            right = [zh_right(t, zh) if lang == "fr" else fr_right(t, fr) for t in texts]
            tried += 1
            at1 += bool(right[:1] and right[0])
            at3 += any(right)
            if show:
                print(f"  {'+' if right[:1] and right[0] else '-'} {term}: {', '.join(texts)}")
        ms = 1000 * (time.perf_counter() - started) / max(len(gold), 1)
        print(
            f"{direction}: {tried} terms; right at rank 1: {at1} ({at1 / max(tried, 1):.1%}), "
            f"in the first 3: {at3} ({at3 / max(tried, 1):.1%}); {ms:.0f} ms per term"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an index of corpus/ (default: built in a temporary folder)")
    parser.add_argument("--show", action="store_true")
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
            evaluate(service, load_gold(), args.show)
        finally:
            service.close()


if __name__ == "__main__":
    main()
