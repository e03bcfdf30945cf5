"""Build the paragraph aligner's lexicons, indexer/data/lexicon_A_B.tsv (indexer/lexicon.py).

French -> Chinese, from two sources in the repository so the file can be rebuilt exactly:
- tools/data/sdg/{fr,zh-Hans}/global_{goals,targets,indicators}.yml: the SDG goals, targets and
  indicators (official UN texts of A/RES/70/1 and its indicator framework) from open-sdg/sdg-translations
  (MIT). Items with the same key are translations of each other: 455 aligned French/Chinese pairs.
- tools/data/un_terms_fr_zh.tsv: a short hand-written list of frequent UN words.
The UN Parallel Corpus dev set, on which bench/align_quality.py evaluates this pair, is not used.

Every other pair of the registry's languages the dev set holds (corpus/unpc-devset, six-way line-parallel), from
its 4,000 line pairs. bench/languages_bench.py evaluates these pairs with lexicons learned the same way on the
lines of other documents than those it aligns (cross-validation by document), never with the shipped files.

Method: each aligned pair becomes two sets of units (indexer.lexicon.lexicon_units: folded Snowball stems of
content words, or Chinese character bigrams). For every two units seen together in at least MIN_JOINT pairs, a
2x2 contingency table over the pairs gives Dunning's log-likelihood ratio G2 and the Dice coefficient; a source
unit keeps up to MAX_TERMS target units with G2 >= MIN_G2 and Dice >= MIN_DICE, best G2 first. The source of a
pair is its first language in the registry's order that has stems. The hand list is stemmed the same way and
merged in.

    .venv/bin/python tools/build_lexicon.py           # rewrite indexer/data/lexicon_*.tsv
    .venv/bin/python tools/build_lexicon.py --check   # exit 1 if a shipped file is out of date
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.analysis import LANGUAGES  # noqa: E402
from indexer.lexicon import DATA, lexicon_units  # noqa: E402

SDG = ROOT / "tools" / "data" / "sdg"
HAND = ROOT / "tools" / "data" / "un_terms_fr_zh.tsv"
DEVSET = ROOT / "corpus" / "unpc-devset" / "UNv1.0.devset"
SDG_PAIR = ("fr", "zh")  # the languages of the SDG texts and of the hand list
LEXICON_PATH = DATA / "lexicon_fr_zh.tsv"
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


def unit_set(lang: str, text: str) -> set[str]:
    """A text's units as the lexicon learns them: stems shorter than MIN_STEM left out."""
    has_stems = LANGUAGES[lang].lexicon_stems is not None
    return {u for u in lexicon_units(lang, text) if not has_stems or len(u) >= MIN_STEM}


def learn(data: list[tuple[set[str], set[str]]]) -> dict[str, list[tuple[str, float, float, int]]]:
    """Source unit -> [(target unit, G2, Dice, joint count)] from aligned pairs of unit sets, best first."""
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


def learn_texts(pairs: list[tuple[str, str]], source: str, target: str) -> dict[str, list[str]]:
    """Source unit -> target terms learned from aligned (source text, target text) pairs."""
    data = [(unit_set(source, a), unit_set(target, b)) for a, b in pairs]
    return {s: [g for g, *_ in found] for s, found in learn(data).items()}


def hand_terms(path: Path = HAND) -> dict[str, list[str]]:
    """Stem -> Chinese terms of the hand-written list."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, terms = line.split("\t")[:2]
        stems = lexicon_units(SDG_PAIR[0], word)
        if len(stems) != 1:
            raise ValueError(f"{path.name}: {word!r} is not one French content word")
        for term in terms.split("|"):
            if len(term) >= 2 and term not in out[stems[0]]:
                out[stems[0]].append(term)
    return dict(out)


def build() -> str:
    """The text of the French -> Chinese lexicon file."""
    pairs = sdg_pairs()
    learned = learn([(unit_set(SDG_PAIR[0], f), unit_set(SDG_PAIR[1], z)) for f, z in pairs])
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


def devset_lines(lang: str, root: Path = DEVSET) -> list[str]:
    """The dev set's lines in one language (line n of each translates line n of the others), [] if absent."""
    path = root.with_name(f"{root.name}.{lang}")
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.exists() else []


def devset_pairs() -> list[tuple[str, str]]:
    """(source, target) of every pair of the registry's languages learned from the dev set: the source is the
    first in the registry's order that has stems; the SDG pair is built apart."""
    held = [code for code in LANGUAGES if devset_lines(code)]
    out = []
    for a, b in itertools.combinations(held, 2):
        if LANGUAGES[a].lexicon_stems is None:
            a, b = b, a
        if {a, b} != set(SDG_PAIR):
            out.append((a, b))
    return out


def build_devset_pair(source: str, target: str, rows: list[int] | None = None) -> str:
    """The text of a lexicon file learned from the dev set's line pairs (`rows`: only those lines)."""
    a, b = devset_lines(source), devset_lines(target)
    keep = range(len(a)) if rows is None else rows
    learned = learn_texts([(a[k], b[k]) for k in keep if a[k] and b[k]], source, target)
    names = (LANGUAGES[source].name, LANGUAGES[target].name)
    lines = [
        f"# tandem {names[0]} -> {names[1]} lexicon for paragraph alignment (indexer/lexicon.py). Generated by",
        "# `.venv/bin/python tools/build_lexicon.py`: do not edit, rebuild.",
        f"# Learned from the {len(keep)} line pairs of the UN Parallel Corpus v1.0 dev set (corpus/unpc-devset):",
        f"#   Dunning G2 >= {MIN_G2}, Dice >= {MIN_DICE}, shared by >= {MIN_JOINT} pairs, <= {MAX_TERMS} terms a unit.",
        "# Columns: source unit (indexer.lexicon.lexicon_units), target terms (|), source.",
    ]
    lines += [f"{unit}\t{'|'.join(learned[unit])}\tdevset" for unit in sorted(learned)]
    return "\n".join(lines) + "\n"


def builds() -> dict[Path, Callable[[], str]]:
    """Each shipped lexicon file and the function that builds its text."""
    out = {LEXICON_PATH: build}
    for source, target in devset_pairs():
        out[DATA / f"lexicon_{source}_{target}.tsv"] = lambda s=source, t=target: build_devset_pair(s, t)
    return out


def main(argv=None) -> int:
    """Write the lexicon files, or check that they are up to date."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing")
    args = ap.parse_args(argv)
    stale = 0
    for path, make in builds().items():
        text = make()
        if args.check:
            same = path.exists() and path.read_text(encoding="utf-8") == text
            stale += not same
            print(f"{path.name}: " + ("up to date" if same else "differs from a fresh build"))
            continue
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {sum(1 for line in text.splitlines() if not line.startswith('#'))} entries")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
