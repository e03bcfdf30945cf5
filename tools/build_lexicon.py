"""Build indexer/data/lexicon_fr_zh.tsv, the French -> Chinese lexicon of the paragraph aligner.

Sources, both in the repository so the file can be rebuilt exactly:
- tools/data/sdg/{fr,zh-Hans}/global_{goals,targets,indicators}.yml: the SDG goals, targets and
  indicators (official UN texts of A/RES/70/1 and its indicator framework) from open-sdg/sdg-translations
  (MIT). Items with the same key are translations of each other: 455 aligned French/Chinese pairs.
- tools/data/un_terms_fr_zh.tsv: a short hand-written list of frequent UN words.
The UN Parallel Corpus dev set, on which bench/align_quality.py evaluates, is not used.

Method: each SDG pair becomes a set of French stems (indexer.lexicon.french_stems: the French registry
entry's lexicon_stems, folded Snowball stems) and a set of Chinese character bigrams. For every stem and
bigram seen together in at least MIN_JOINT pairs, a 2x2 contingency table over the pairs gives Dunning's
log-likelihood ratio G2 and the Dice coefficient; a stem keeps up to MAX_TERMS bigrams with G2 >= MIN_G2
and Dice >= MIN_DICE, best G2 first. The hand list is stemmed the same way and merged in.

    .venv/bin/python tools/build_lexicon.py           # rewrite indexer/data/lexicon_fr_zh.tsv
    .venv/bin/python tools/build_lexicon.py --check   # exit 1 if the shipped file is out of date
"""

from __future__ import annotations

import argparse
import math
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.lexicon import LEXICON_PATH, french_stems, han_bigrams  # noqa: E402

SDG = ROOT / "tools" / "data" / "sdg"
HAND = ROOT / "tools" / "data" / "un_terms_fr_zh.tsv"
SDG_FILES = ("global_goals.yml", "global_targets.yml", "global_indicators.yml")
MIN_JOINT = 2  # pairs a stem and a bigram must share
MIN_G2 = 10.83  # chi-square, 1 degree of freedom, p < 0.001
MIN_DICE = 0.5  # 2 * joint / (pairs with the stem + pairs with the bigram)
MAX_TERMS = 3  # bigrams kept per stem
MIN_STEM = 3  # shorter stems are mostly residues of numbers and abbreviations


def read_yaml(path: Path) -> dict[str, str]:
    """The flat `key: text` mappings of the SDG files (plain or single-quoted scalars, folded lines)."""
    out, key = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] != " ":
            key, _, value = line.partition(":")
            out[key] = value.strip()
        elif key is not None:
            out[key] += " " + line.strip()
    for key, value in out.items():
        if len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1].replace("''", "'")
        out[key] = unicodedata.normalize("NFC", value.strip())
    return out


def sdg_pairs(root: Path = SDG) -> list[tuple[str, str]]:
    """(French, Chinese) texts of the SDG items present in both languages, in key order."""
    pairs = []
    for name in SDG_FILES:
        fr, zh = read_yaml(root / "fr" / name), read_yaml(root / "zh-Hans" / name)
        pairs += [(fr[k], zh[k]) for k in sorted(fr) if fr[k] and zh.get(k)]
    return pairs


def g2(a: int, b: int, c: int, d: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 table [[a, b], [c, d]]."""
    n = a + b + c + d
    cells = ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d))
    return 2 * sum(o * math.log(o * n / (r * k)) for o, r, k in cells if o)


def learn(pairs: list[tuple[str, str]]) -> dict[str, list[tuple[str, float, float, int]]]:
    """Stem -> [(bigram, G2, Dice, joint count)] from aligned pairs, best first."""
    data = [({s for s in french_stems(f) if len(s) >= MIN_STEM}, han_bigrams(z)) for f, z in pairs]
    n = len(data)
    cf, cz, joint = Counter(), Counter(), Counter()
    for stems, grams in data:
        cf.update(stems)
        cz.update(grams)
        joint.update((s, g) for s in stems for g in grams)
    found = defaultdict(list)
    for (s, g), k in joint.items():
        if k < MIN_JOINT:
            continue
        a, b, c = k, cf[s] - k, cz[g] - k
        d = n - a - b - c
        dice = 2 * k / (cf[s] + cz[g])
        if a * d <= b * c or dice < MIN_DICE:
            continue
        score = g2(a, b, c, d)
        if score >= MIN_G2:
            found[s].append((g, score, dice, k))
    return {s: sorted(v, key=lambda t: (-t[1], t[0]))[:MAX_TERMS] for s, v in found.items()}


def hand_terms(path: Path = HAND) -> dict[str, list[str]]:
    """Stem -> Chinese terms of the hand-written list."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, terms = line.split("\t")[:2]
        stems = french_stems(word)
        if len(stems) != 1:
            raise ValueError(f"{path.name}: {word!r} is not one French content word")
        for term in terms.split("|"):
            if len(term) >= 2 and term not in out[stems[0]]:
                out[stems[0]].append(term)
    return dict(out)


def build() -> str:
    """The text of the lexicon file."""
    pairs = sdg_pairs()
    learned = learn(pairs)
    hand = hand_terms()
    lines = [
        "# tandem French -> Chinese lexicon for paragraph alignment (indexer/lexicon.py). Generated by",
        "# `.venv/bin/python tools/build_lexicon.py`: do not edit, edit its sources and rebuild.",
        f"# sdg: learned from the {len(pairs)} aligned French/Chinese SDG goals, targets and indicators of",
        "#   tools/data/sdg/ (open-sdg/sdg-translations, MIT; official UN texts): Dunning G2 >= "
        f"{MIN_G2}, Dice >= {MIN_DICE},",
        f"#   shared by >= {MIN_JOINT} pairs, <= {MAX_TERMS} Chinese character bigrams per French stem.",
        "# hand: tools/data/un_terms_fr_zh.tsv, frequent UN words written by hand.",
        "# Not derived from the UN Parallel Corpus dev set (the alignment bench's evaluation data).",
        "# Columns: French stem (folded Snowball, indexer.analysis.snowball), Chinese terms (|), source.",
    ]
    for stem in sorted(set(learned) | set(hand)):
        terms = list(hand.get(stem, []))
        terms += [g for g, *_ in learned.get(stem, []) if g not in terms]
        source = "+".join(name for name, table in (("sdg", learned), ("hand", hand)) if stem in table)
        lines.append(f"{stem}\t{'|'.join(terms)}\t{source}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    """Write the lexicon file, or check that it is up to date."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    ap.add_argument("--out", type=Path, default=LEXICON_PATH, help="where to write the lexicon")
    args = ap.parse_args(argv)
    text = build()
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} differs from a fresh build")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text.splitlines()) - 8} stems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
