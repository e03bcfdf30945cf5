"""Alignment quality on the UN Parallel Corpus dev set: precision, recall and F1 of paragraph links.

Partial documents are rebuilt from UNv1.0.devset.ids (sentences grouped by document and paragraph);
the gold links are the (fr, zh) paragraph pairs that share a sentence.

    .venv/bin/python bench/align_quality.py              # quality table
    .venv/bin/python bench/align_quality.py --calibrate  # length-ratio constants for indexer/align.py
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import DEVSET  # noqa: E402
from indexer.align import align_paragraphs, text_length  # noqa: E402
from indexer.documents import Paragraph  # noqa: E402

JOINER = {"fr": " ", "zh": ""}


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file without their line ends."""
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.exists() else []


def load_devset(root: Path, stem: str = "UNv1.0.devset", langs=("fr", "zh")) -> dict:
    """Documents rebuilt from a line-parallel set: {doc: {lang: [paragraph text]}, "gold": {(i, j)}}."""
    texts = {lang: read_lines(root / f"{stem}.{lang}") for lang in langs}
    rows = defaultdict(list)
    for k, line in enumerate(read_lines(root / f"{stem}.ids")):
        doc, *fields = line.split()
        where = {f.split(":")[0]: tuple(int(x) for x in f.split(":")[1:]) for f in fields}
        rows[doc].append((k, where))
    docs = {}
    for doc, items in rows.items():
        paras = {}
        for lang in langs:
            by_par = defaultdict(list)
            for k, where in items:
                by_par[where[lang][0]].append((where[lang][1], texts[lang][k]))
            order = sorted(by_par)
            paras[lang] = (
                [JOINER.get(lang, " ").join(t for _, t in sorted(by_par[p])) for p in order],
                {p: n for n, p in enumerate(order)},
            )
        a, b = langs
        gold = {(paras[a][1][w[a][0]], paras[b][1][w[b][0]]) for _, w in items}
        docs[doc] = {a: paras[a][0], b: paras[b][0], "gold": gold}
    return docs


def delete_one(doc: dict, rng: random.Random, langs=("fr", "zh")) -> dict:
    """A copy of the document with one random paragraph removed from one random side."""
    side = rng.randrange(2)
    lang = langs[side]
    gone = rng.randrange(len(doc[lang]))
    out = dict(doc)
    out[lang] = doc[lang][:gone] + doc[lang][gone + 1 :]
    gold = set()
    for pair in doc["gold"]:
        if pair[side] == gone:
            continue
        pair = list(pair)
        pair[side] -= pair[side] > gone
        gold.add(tuple(pair))
    out["gold"] = gold
    return out


def evaluate(docs: list[dict], langs=("fr", "zh"), lexicon=None) -> dict:
    """Micro precision, recall and F1 of align_paragraphs on documents with gold links (`lexicon`: instead of
    the pair's shipped one)."""
    tp = n_pred = n_gold = 0
    start = time.perf_counter()
    for doc in docs:
        a = [Paragraph(t) for t in doc[langs[0]]]
        b = [Paragraph(t) for t in doc[langs[1]]]
        pred = {(i, j) for link in align_paragraphs(a, b, *langs, lexicon=lexicon) for i in link.a for j in link.b}
        tp += len(pred & doc["gold"])
        n_pred += len(pred)
        n_gold += len(doc["gold"])
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "docs": len(docs),
        "gold": n_gold,
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "tp": tp,
        "predicted": n_pred,
        "time": time.perf_counter() - start,
    }


def long_document(root: Path, n: int, drop: float, rng: random.Random) -> dict:
    """One long document of the first n dev-set lines (a line a paragraph), some dropped on each side."""
    fr, zh = read_lines(root / "UNv1.0.devset.fr")[:n], read_lines(root / "UNv1.0.devset.zh")[:n]
    keep_fr = [k for k in range(len(fr)) if rng.random() >= drop]
    keep_zh = [k for k in range(len(zh)) if rng.random() >= drop]
    pos_zh = {k: j for j, k in enumerate(keep_zh)}
    gold = {(i, pos_zh[k]) for i, k in enumerate(keep_fr) if k in pos_zh}
    return {"fr": [fr[k] for k in keep_fr], "zh": [zh[k] for k in keep_zh], "gold": gold}


def calibrate(root: Path) -> None:
    """Print the fr/zh length model (ratio c and variance s2) that indexer/align.py uses."""
    fr = [text_length(x) for x in read_lines(root / "UNv1.0.devset.fr")]
    zh = [text_length(x) for x in read_lines(root / "UNv1.0.devset.zh")]
    pairs = [(f, z) for f, z in zip(fr, zh) if f and z]
    c = sum(f for f, _ in pairs) / sum(z for _, z in pairs)
    ratios = [f / z for f, z in pairs]
    # Gale-Church: the residual's variance grows with length, so s2 is the variance per unit of length.
    s2 = sum((f - c * z) ** 2 for f, z in pairs) / sum((f / c + z) / 2 for f, z in pairs)
    zs = sorted(abs(f - c * z) / math.sqrt(s2 * (f / c + z) / 2) for f, z in pairs)
    print(f"line pairs          {len(pairs)}")
    print(f"chars fr / chars zh {c:.4f}  (text_length: no spaces, no digits; LENGTH_RATIO c)")
    print(f"per-line ratio      mean {statistics.mean(ratios):.4f}  variance {statistics.pvariance(ratios):.4f}")
    print(f"s2 (Gale-Church)    {s2:.2f}  (variance of fr - c*zh per unit of length)")
    print(
        f"|z| quantiles       50% {zs[len(zs) // 2]:.2f}  90% {zs[int(len(zs) * 0.9)]:.2f}  "
        f"99% {zs[int(len(zs) * 0.99)]:.2f}"
    )


def main(argv=None) -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", type=Path, default=DEVSET, help="folder holding UNv1.0.devset.*")
    ap.add_argument("--seed", type=int, default=13, help="seed of the random deletions")
    ap.add_argument("--long", type=int, default=2000, help="paragraphs in the long-document run (0: skip)")
    ap.add_argument("--calibrate", action="store_true", help="print the length-ratio constants and stop")
    args = ap.parse_args(argv)
    if not (args.devset / "UNv1.0.devset.ids").exists():
        print(f"dev set not found in {args.devset}", file=sys.stderr)
        return 2
    if args.calibrate:
        calibrate(args.devset)
        return 0
    docs = list(load_devset(args.devset).values())
    rng = random.Random(args.seed)
    deleted = [delete_one(d, rng) for d in docs if min(len(d["fr"]), len(d["zh"])) >= 3]
    rows = [
        ("dev set documents as given", evaluate(docs)),
        ("one paragraph deleted (docs >= 3 paras)", evaluate(deleted)),
    ]
    if args.long:
        rows.append((f"one document of {args.long} lines", evaluate([long_document(args.devset, args.long, 0, rng)])))
        rows.append(
            (f"{args.long} lines, 2% dropped per side", evaluate([long_document(args.devset, args.long, 0.02, rng)]))
        )
    print(f"{'condition':42} {'docs':>5} {'gold':>6} {'P':>7} {'R':>7} {'F1':>7} {'time s':>7}")
    for name, r in rows:
        print(f"{name:42} {r['docs']:5d} {r['gold']:6d} {r['P']:7.4f} {r['R']:7.4f} {r['F1']:7.4f} {r['time']:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
