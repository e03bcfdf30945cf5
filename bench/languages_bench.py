"""The six official languages on the UN Parallel Corpus dev set, in one table: for each language what
bench/search_quality.py measures for French (variant recall, exact-form precision at k, phrase precision, query
latency), alignment F1 for five pairs with one paragraph removed from one side (as bench/align_quality.py) without a
lexicon and with one learned by tools/build_lexicon.py on the dev set's other documents (5 folds by document), and
terms top-1 for en->fr and fr->es (judged by the hand-written tools/data/un_terms_en_fr_es.tsv).

    .venv/bin/python bench/languages_bench.py                  # indexes the dev set in six languages (~2 min)
    .venv/bin/python bench/languages_bench.py --index DIR      # an index of the dev set in the six languages
    .venv/bin/python bench/languages_bench.py --part stems     # the stemmer comparison only (no index)

Queries are sampled (seeded) from the dev set. Variants of a written word: its spelling without what the
language's folding removes (Spanish accents, Russian ё, Arabic vowel marks, tatweel and alef forms), and its
other grammatical number, by rule (-s/-es; Russian singular/plural endings; Arabic sound plurals and duals),
kept only when simplemma gives both the same lemma. Relevance is judged on hit text with regex words, not with
the analysis under test.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
import zlib
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tools"))

from align_quality import delete_one, evaluate, load_devset, read_lines  # noqa: E402

from bench.corpora import DEVSET  # noqa: E402

FOLDS = 5  # the dev set's documents in folds: each fold aligned with a lexicon learned on the others
NEW = ("en", "es", "ru", "ar")
PAIRS = (("fr", "en"), ("fr", "es"), ("en", "zh"), ("ar", "fr"), ("ru", "zh"))
TERMS = REPO / "tools" / "data" / "un_terms_en_fr_es.tsv"
_AR_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_ALEF = str.maketrans("أإآٱ", "اااا")


def spelling(lang: str, word: str) -> str:
    """A lowercase word as typed without what the language's folding removes (the judge's own rules)."""
    if lang in ("es", "fr", "en"):
        keep = word.replace("ñ", "\0") if lang == "es" else word
        out = "".join(c for c in unicodedata.normalize("NFD", keep) if not unicodedata.combining(c))
        return unicodedata.normalize("NFC", out.replace("\0", "ñ"))
    if lang == "ru":
        return word.replace("ё", "е")
    if lang == "ar":
        return _AR_MARKS.sub("", word).translate(_AR_ALEF)
    return word


_WORD = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670])+")


def judge_words(lang: str, text: str) -> list[str]:
    """A text's words, lowercase, as typed (see spelling)."""
    return [spelling(lang, w.lower()) for w in _WORD.findall(unicodedata.normalize("NFC", text))]


def contains_seq(words: list[str], seq: list[str]) -> bool:
    """Whether `seq` occurs in `words` at consecutive places."""
    n = len(seq)
    return any(words[i : i + n] == seq for i in range(len(words) - n + 1))


def number_counterparts(lang: str, w: str, vocab, lemma) -> list[str]:
    """Words of `vocab` that are `w` in the other grammatical number, by rule, with the same simplemma lemma."""
    c = set()
    if lang in ("en", "es", "fr"):
        c |= {w + "s", w + "es"} | ({w[:-1]} if w.endswith("s") else set()) | ({w[:-2]} if w.endswith("es") else set())
        if lang == "en":
            c |= {w[:-1] + "ies"} if w.endswith("y") else set()
            c |= {w[:-3] + "y"} if w.endswith("ies") else set()
        if lang == "es":
            c |= {w[:-1] + "ces"} if w.endswith("z") else set()
            c |= {w[:-3] + "z"} if w.endswith("ces") else set()
    elif lang == "ru":
        for sg, pl in (("а", "ы"), ("а", "и"), ("я", "и"), ("о", "а"), ("е", "я"), ("ь", "и"), ("", "ы"), ("", "и")):
            if w.endswith(sg):
                c.add(w[: len(w) - len(sg)] + pl)
            if w.endswith(pl):
                c.add(w[: len(w) - len(pl)] + sg)
    elif lang == "ar":
        base = w[:-1] if w.endswith(("ة", "ه")) else w
        c |= {base + "ات", w + "ون", w + "ين", base + "تان", base + "تين", w + "ان"}
        for suffix in ("ات", "ون", "ين", "ان"):
            if w.endswith(suffix):
                c |= {w[: -len(suffix)], w[: -len(suffix)] + "ة"}
        for suffix in ("تان", "تين"):
            if w.endswith(suffix):
                c.add(w[: -len(suffix)] + "ة")
    return sorted(x for x in c if x != w and x in vocab and lemma(x) == lemma(w))


def vocabulary(lang: str) -> Counter:
    """Lowercase written words of the dev set's side in a language (letters only), with their counts."""
    from indexer.analysis import LANGUAGES

    stops = {spelling(lang, w) for w in LANGUAGES[lang].stopwords}
    words = Counter()
    for line in (DEVSET / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines():
        for w in _WORD.findall(unicodedata.normalize("NFC", line)):
            w = w.lower()
            if w.isalpha() and len(w) > 1 and spelling(lang, w) not in stops:
                words[w] += 1
    return words


def lemmatizer(lang: str):
    """simplemma's lemma of a word, remembered."""
    import simplemma

    cache = {}

    def lemma(w):
        if w not in cache:
            cache[w] = spelling(lang, simplemma.lemmatize(w, lang=lang).lower())
        return cache[w]

    return lemma


# ---------------------------------------------------------------- stemmer comparison (no index)


def stem_candidates(lang: str) -> dict:
    """The stemming methods compared for a language, each folded word -> stem; the chosen one last."""
    from indexer.analysis import LANGUAGES, light_stems
    from indexer.analysis.alphabetic import word_forms
    from indexer.analysis.french import _stemmer

    snowball = {"en": "english", "es": "spanish", "ru": "russian", "ar": "arabic"}[lang]
    light = {
        "en": light_stems.english_minimal,
        "es": light_stems.spanish_light,
        "ru": light_stems.russian_light,
        "ar": light_stems.arabic_light,
    }[lang]
    out = {"Snowball": lambda w: _stemmer(snowball).stemWord(w), "light": light}
    if lang in ("es", "ru"):
        out["Snowball of the light stem"] = lambda w: _stemmer(snowball).stemWord(light(w))
    assert LANGUAGES[lang].analyzer is not None
    out["chosen (the index's)"] = lambda w: word_forms(lang, w)[1] or w
    return out


def compare_stemmers():
    """Other-number agreement and lemma conflation of each stemming method over each language's vocabulary."""
    from indexer.analysis.alphabetic import RULES

    rows = []
    for lang in NEW:
        vocab, lemma, fold = vocabulary(lang), lemmatizer(lang), RULES[lang].fold
        pairs = [(w, v) for w in vocab for v in number_counterparts(lang, w, vocab, lemma)]
        for name, stem in stem_candidates(lang).items():
            st = {w: stem(fold(w)) for w in vocab}
            agree = sum(st[w] == st[v] for w, v in pairs)
            classes = defaultdict(set)
            for w, s in st.items():
                classes[s].add(w)
            merged = [ws for ws in classes.values() if len({lemma(w) for w in ws}) > 1]
            rows.append(
                [lang, name, len(vocab), len(pairs), f"{agree / max(len(pairs), 1):.4f}", len(classes), len(merged)]
            )
    table(rows, ["lang", "method", "words", "number pairs", "agree", "terms", "terms merging lemmas"])


# ---------------------------------------------------------------- search measures


class Searcher:
    """The search service over the built index: totals, hits and the time each search took."""

    def __init__(self, cfg):
        from server.search import SearchService

        self.service = SearchService(cfg)
        self.times: dict[str, list[float]] = defaultdict(list)

    def hits(self, q: str, lang: str, limit: int) -> tuple[int, list[dict]]:
        """Total and the best `limit` hits."""
        started = time.perf_counter()
        res = self.service.search(q, lang=lang, limit=limit, facets=())
        self.times[lang].append(1000 * (time.perf_counter() - started))
        return res["total"], res["hits"]


def variant_recall(s: Searcher, lang: str, vocab, lemma, rng, n: int, limit: int = 1000):
    """Share of a written word's paragraphs its variants find (spelling and other number)."""
    words = [w for w in sorted(vocab) if spelling(lang, w) != w or number_counterparts(lang, w, vocab, lemma)]
    found = wanted = queries = 0
    misses = []
    for w in rng.sample(words, min(n, len(words))):
        total, hits = s.hits(w, lang, limit)
        if not total or total > limit:
            continue
        base = {h["id"] for h in hits}
        others = number_counterparts(lang, w, vocab, lemma)
        for v in ({spelling(lang, w)} | set(others) | {spelling(lang, c) for c in others}) - {w}:
            _, vh = s.hits(v, lang, limit)
            got = len(base & {h["id"] for h in vh})
            found, wanted, queries = found + got, wanted + len(base), queries + 1
            if got < len(base) and len(misses) < 6:
                misses.append(f"{w}->{v} {got}/{len(base)}")
    return found / max(wanted, 1), queries, misses


def exact_precision(s: Searcher, lang: str, vocab, lemma, paras, rng, n: int, k: int = 10):
    """A word typed as the folding spells it: share of the first min(k, holders) hits holding that very word."""
    holders = Counter(w for p in paras for w in set(judge_words(lang, p["text"])))
    words = [
        w
        for w in sorted(vocab)
        if len(w) > 3
        and holders[spelling(lang, w)]
        and (spelling(lang, w) != w or number_counterparts(lang, w, vocab, lemma))
    ]
    good = seen = 0
    for w in rng.sample(words, min(n, len(words))):
        target = spelling(lang, w)
        _, hits = s.hits(target, lang, min(k, holders[target]))
        for h in hits:
            seen += 1
            good += target in judge_words(lang, h["text"])
    return good / max(seen, 1), seen


def phrase_precision(s: Searcher, lang: str, paras, rng, n: int, limit: int = 100):
    """Quoted 2-3 word phrases holding a stop word: share of hits holding the literal phrase."""
    from indexer.analysis import LANGUAGES

    stops = {spelling(lang, w) for w in LANGUAGES[lang].stopwords}
    good = seen = tried = 0
    for _ in range(100 * n):
        if tried >= n:
            break
        p = rng.choice(paras)
        spans = [m for m in _WORD.finditer(p["text"]) if m.group().isalpha()]
        size = rng.choice((2, 3))
        if len(spans) < size:
            continue
        i = rng.randrange(len(spans) - size + 1)
        phrase = p["text"][spans[i].start() : spans[i + size - 1].end()]
        words = judge_words(lang, phrase)
        if (
            len(words) != size
            or not any(w in stops for w in words)
            or all(w in stops for w in words)
            or not re.fullmatch(r"[\w\s\u0610-\u061a\u064b-\u065f\u0670-]+", phrase)
        ):
            continue
        tried += 1
        _, hits = s.hits(f'"{phrase}"', lang, limit)
        for h in hits:
            seen += 1
            good += contains_seq(judge_words(lang, h["text"]), words)
    return good / max(seen, 1), seen


def terms_top1(service, source: str, target: str) -> tuple[float, int]:
    """Share of the list's terms (found in 3 paragraphs or more) whose first rendering holds a listed word."""
    column = {"en": 0, "fr": 1, "es": 2}
    tried = right = 0
    for line in TERMS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        term = fields[column[source]].split("|")[0]
        gold = [g for g in fields[column[target]].split("|")]
        result = service.terms(term, lang=source, target=target, limit=3)
        if result["paragraphs"] < 3 or not result["renderings"]:
            continue
        tried += 1
        first = judge_words(target, result["renderings"][0]["text"])
        right += any(all(any(w[:5] == g[:5] for w in first) for g in judge_words(target, listed)) for listed in gold)
    return right / max(tried, 1), tried


# ---------------------------------------------------------------- the table


def table(rows, head):
    """Print rows as an aligned text table."""
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()


def build(index_dir: Path, corpus: Path):
    """Index the dev set in the six languages (one six-way bitext); returns the config."""
    from indexer.build import build_index
    from indexer.config import load_config

    corpus.mkdir(parents=True, exist_ok=True)
    for path in DEVSET.glob("UNv1.0.devset.*"):
        shutil.copy(path, corpus / path.name)
    cfg = load_config(
        None,
        corpus_dir=str(corpus),
        index_dir=str(index_dir),
        languages=("fr", "zh", "en", "es", "ru", "ar"),
        max_limit=1000,
    )
    started = time.perf_counter()
    build_index(cfg)
    print(f"indexed the dev set in six languages in {time.perf_counter() - started:.0f} s")
    return cfg


def paragraphs(cfg) -> dict[str, list[dict]]:
    """Indexed paragraphs by language."""
    from indexer.catalog import Catalog
    from indexer.store import CATALOG, current_generation

    cat = Catalog(current_generation(cfg.index_dir) / CATALOG, readonly=True)
    out = defaultdict(list)
    for doc in cat.documents():
        for p in cat.paragraphs_of(doc["id"]):
            out[doc["lang"]].append({"id": p["id"], "text": p["text"]})
    cat.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an index of the dev set in the six languages")
    ap.add_argument("--part", default="stems,search,align,terms")
    ap.add_argument("--n", type=int, default=200, help="sampled words or phrases per measure and language")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    parts = set(args.part.split(","))
    if "stems" in parts:
        compare_stemmers()
    rows = []
    if parts & {"search", "terms"}:
        from indexer.config import load_config

        tmp = None
        if args.index:
            cfg = load_config(None, index_dir=str(args.index), languages=("fr", "zh", "en", "es", "ru", "ar"))
            cfg = type(cfg)(**{**cfg.__dict__, "max_limit": 1000})
        else:
            tmp = Path(tempfile.mkdtemp(prefix="languages-bench-"))
            cfg = build(tmp / "index", tmp / "corpus")
        s = Searcher(cfg)
        try:
            if "search" in parts:
                paras = paragraphs(cfg)
                for lang in ("fr",) + NEW:
                    rng = random.Random(args.seed)
                    vocab, lemma = vocabulary(lang), lemmatizer(lang)
                    recall, queries, misses = variant_recall(s, lang, vocab, lemma, rng, args.n)
                    exact, judged = exact_precision(s, lang, vocab, lemma, paras[lang], rng, args.n)
                    phrase, seen = phrase_precision(s, lang, paras[lang], rng, args.n)
                    times = sorted(s.times[lang])
                    rows.append(
                        [
                            lang,
                            f"{recall:.4f} ({queries})",
                            f"{exact:.4f} ({judged})",
                            f"{phrase:.4f} ({seen})",
                            f"{statistics.median(times):.1f} / {times[int(0.95 * len(times))]:.1f}",
                        ]
                    )
                    print(f"{lang}: variant misses {misses}")
                print()
                table(
                    rows,
                    [
                        "lang",
                        "variant recall (queries)",
                        "exact-form P@10 (hits)",
                        "phrase precision (hits)",
                        "query p50 / p95 ms",
                    ],
                )
            if "terms" in parts:
                trows = [[f"{a}->{b}", *terms_top1(s.service, a, b)] for a, b in (("en", "fr"), ("fr", "es"))]
                table([[d, f"{t:.2%}", n] for d, t, n in trows], ["terms", "top-1", "terms tried"])
        finally:
            s.service.close()
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
    if "align" in parts:
        arows = []
        for pair in PAIRS:
            docs = load_devset(DEVSET, langs=pair)
            rng = random.Random(13)
            deleted = {n: delete_one(d, rng, pair) for n, d in docs.items() if min(len(d[x]) for x in pair) >= 3}
            whole = evaluate(list(docs.values()), pair, no_lexicon(pair))
            cut = evaluate(list(deleted.values()), pair, no_lexicon(pair))
            held = held_out(deleted, pair)
            arows.append(
                [f"{pair[0]}-{pair[1]}", f"{whole['F1']:.4f}", f"{cut['F1']:.4f}"]
                + [f"{held[k]:.4f}" for k in ("P", "R", "F1")]
            )
        table(
            arows,
            ["pair", "F1 as given, none", "F1 one deleted, none", "P, held-out lexicon", "R", "F1, held-out lexicon"],
        )


def no_lexicon(pair):
    """A lexicon without entries: the aligner's fallback for a pair without one."""
    from indexer.lexicon import Lexicon

    return Lexicon(pair[0], pair[1], {})


def fold_of(doc: str) -> int:
    """The fold a dev-set document falls in (stable across runs and machines)."""
    return zlib.crc32(doc.encode()) % FOLDS


def held_out(docs: dict, pair) -> dict:
    """Micro P, R and F1 over folds: each fold's documents aligned with a lexicon learned from the dev-set lines
    of the other folds' documents only (tools/build_lexicon.py's method and thresholds)."""
    from build_lexicon import devset_lines, learn_texts  # tools/

    from indexer.analysis import LANGUAGES
    from indexer.lexicon import Lexicon

    source, target = pair if LANGUAGES[pair[0]].lexicon_stems is not None else pair[::-1]
    doc_of = [line.split()[0] for line in read_lines(DEVSET / "UNv1.0.devset.ids")]
    text = {lang: devset_lines(lang) for lang in pair}
    tp = predicted = gold = 0
    for k in range(FOLDS):
        rows = [i for i, doc in enumerate(doc_of) if fold_of(doc) != k]
        entries = learn_texts([(text[source][i], text[target][i]) for i in rows], source, target)
        r = evaluate([d for n, d in docs.items() if fold_of(n) == k], pair, Lexicon(source, target, entries))
        tp, predicted, gold = tp + r["tp"], predicted + r["predicted"], gold + r["gold"]
    p, r = tp / predicted, tp / gold
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r)}


if __name__ == "__main__":
    main()
