"""Quality of `tandem check` (numbers, symbols and dates that do not agree) on the UN Parallel Corpus dev set,
where line n of the French file translates line n of the Chinese one.

    .venv/bin/python bench/check_quality.py            # false alarms, recall, speed
    .venv/bin/python bench/check_quality.py --show     # also print every reported pair

False alarms: every reported line is looked up in tools/data/check_devset_review.tsv, where each was read by
hand; those marked `false`, and any reported line the review does not list, count as false alarms (per 1,000
pairs). Lines marked error, omitted or corrupt are real differences between the two texts. The SDG goals,
targets and indicators (tools/data/sdg, 455 pairs, not used while writing the rules) are checked the same way
against tools/data/check_sdg_review.tsv (numbered in key order).

Recall: in pairs where nothing is reported, one value written with digits (number, symbol, date, time,
percentage) on one side, picked at random (seeded), has one of its digits changed; the pair must then be
reported.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpora import load_devset  # noqa: E402
from indexer.checks import differences, values  # noqa: E402
from tools.build_lexicon import sdg_pairs  # noqa: E402

REVIEW = REPO / "tools" / "data" / "check_devset_review.tsv"
SDG_REVIEW = REPO / "tools" / "data" / "check_sdg_review.tsv"


def load_review(path: Path) -> dict[str, str]:
    """Pair -> verdict, from a hand review."""
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return {r["line"]: r["verdict"] for r in rows}


def kind_of(value) -> str:
    """What a value is, from its first key."""
    return {
        "n": "number",
        "d": "number",
        "s": "symbol",
        "t": "date",
        "y": "date",
        "p": "date",
        "h": "time",
        "%": "percent",
    }[value.keys[0].split(":", 1)[0]]


def mutate(text: str, value, rng: random.Random) -> str | None:
    """The text with one digit of a value changed, or None if the value has no digit."""
    digits = [i for i in range(value.start, value.end) if text[i].isdigit() and text[i].isascii()]
    if not digits:
        return None
    i = rng.choice(digits)
    first = i == value.start or not text[i - 1].isdigit()
    choices = [d for d in "0123456789" if d != text[i] and not (first and d == "0")]
    return text[:i] + rng.choice(choices) + text[i + 1 :]


def symbols_of_lines() -> list[str | None]:
    """Each dev set line's document symbol, from the .ids file ("2015/a/ac_182/l_139" -> "A/AC.182/L.139")."""
    out = []
    for line in (REPO / "corpus" / "unpc-devset" / "UNv1.0.devset.ids").read_text(encoding="utf-8").splitlines():
        path = line.split(" ", 1)[0].split("/", 1)[1]
        if "__" in path:
            out.append(None)
            continue
        parts = [p.strip("_").replace("_", ".") for p in path.split("/")]
        out.append("/".join(p.capitalize() if p[:3] in ("add", "cor", "rev") else p.upper() for p in parts))
    return out


def report(name: str, pairs: list[tuple[str, str]], review: dict, show: bool) -> set:
    """Check every pair; print how many are reported and how the review judged them; the reported keys."""
    started = time.perf_counter()
    reported = {}
    for key, (a, b) in pairs:
        found = differences(a, b)
        if found:
            reported[key] = found
    seconds = time.perf_counter() - started
    verdicts = Counter(review.get(str(k), "unreviewed") for k in reported)
    false_alarms = verdicts["false"] + verdicts["unreviewed"]
    n = len(pairs)
    print(f"{name}: {n} pairs; reported: {len(reported)} ({1000 * len(reported) / n:.1f} per 1,000)")
    print("  by hand review: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print(f"  false alarms: {false_alarms} = {1000 * false_alarms / n:.2f} per 1,000 pairs (target <= 5)")
    print(f"  speed: {1000 * seconds / n:.3f} ms per pair")
    if show:
        for key, found in reported.items():
            print("   ", key, review.get(str(key), "unreviewed"), found.as_dict())
    return set(reported)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="print every reported line")
    args = parser.parse_args()
    fr, zh = load_devset()
    fr = [unicodedata.normalize("NFC", t) for t in fr]
    zh = [unicodedata.normalize("NFC", t) for t in zh]
    reported = report("UNPC dev set", list(enumerate(zip(fr, zh, strict=True), 1)), load_review(REVIEW), args.show)
    report("SDG goals, targets, indicators", list(enumerate(sdg_pairs(), 1)), load_review(SDG_REVIEW), args.show)

    rng = random.Random(args.seed)
    tried, caught, by_kind, missed = 0, 0, Counter(), []
    for n, (a, b) in enumerate(zip(fr, zh, strict=True), 1):
        if n in reported:
            continue
        side = rng.choice(("fr", "zh"))
        text = a if side == "fr" else b
        candidates = [v for v in values(text, side) if v.strong and re.search(r"\d", text[v.start : v.end])]
        if not candidates:
            continue
        value = rng.choice(candidates)
        changed = mutate(text, value, rng)
        if changed is None:
            continue
        found = differences(changed, b) if side == "fr" else differences(a, changed)
        tried += 1
        kind = kind_of(value)
        by_kind[kind, "tried"] += 1
        if found:
            caught += 1
            by_kind[kind, "caught"] += 1
        else:
            missed.append((n, side, text[value.start : value.end], changed[value.start : value.end]))
    print(
        f"recall, one value changed in an unreported dev set pair: {caught}/{tried} = "
        f"{caught / max(tried, 1):.3f} (target >= 0.95)"
    )
    for kind in sorted({k for k, _ in by_kind}):
        print(f"  {kind:<8} {by_kind[kind, 'caught']}/{by_kind[kind, 'tried']}")
    for n, side, before, after in missed[:10]:
        print(f"  missed: line {n} {side}: {before!r} -> {after!r}")
    symbol_recall(fr, zh, reported, rng)


def symbol_recall(fr: list[str], zh: list[str], reported: set, rng: random.Random):
    """The dev set's sentences cite no symbol: each unreported pair gets its own document's symbol cited on
    both sides (must stay unreported), then one digit of it changed on one side (must be reported)."""
    symbols = symbols_of_lines()
    tried = caught = alarms = 0
    for n, (a, b) in enumerate(zip(fr, zh, strict=True), 1):
        symbol = symbols[n - 1]
        if n in reported or not symbol or not re.search(r"\d", symbol):
            continue
        a, b = f"{a} (voir {symbol})", f"{b}（见{symbol}）"
        if differences(a, b):
            alarms += 1
            continue
        side = rng.choice(("fr", "zh"))
        text = a if side == "fr" else b
        value = next(v for v in values(text, side) if v.shown == symbol)
        changed = mutate(text, value, rng)
        tried += 1
        caught += bool(differences(changed, b) if side == "fr" else differences(a, changed))
    print(
        f"symbols cited on both sides: {alarms} false alarms in {tried + alarms} pairs; recall with one digit "
        f"changed: {caught}/{tried} = {caught / max(tried, 1):.3f}"
    )


if __name__ == "__main__":
    main()
