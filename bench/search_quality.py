"""Search quality on real UN text (corpus/unpc-devset): French spelling variants, exact forms, phrases,
Chinese whole words and substrings; the French stemmer comparison; the index size of the exact-form terms.

    .venv/bin/python bench/search_quality.py                      # everything, this checkout
    .venv/bin/python bench/search_quality.py --part stems         # stemmer comparison only (no index)
    .venv/bin/python bench/search_quality.py --code ../main --part search,size   # another checkout

Queries are sampled (seeded) from the dev set, never written by hand. Relevance is judged on the hit
text with means independent of the analysis under test: regex words folded to lowercase without
accents for French, jieba's segmentation for Chinese (the index uses pkuseg).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEVSET = REPO / "corpus" / "unpc-devset"
_APOS = "'’ʼ`"
_WORD = re.compile(rf"([^\W_]+)([{_APOS}])?")
_ELIDED = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split())
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def judge_fold(text: str) -> str:
    """Lowercase, NFC, accents and ligatures removed: the judge's own folding."""
    text = unicodedata.normalize(
        "NFD", unicodedata.normalize("NFC", text).lower().replace("œ", "oe").replace("æ", "ae")
    )
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def judge_words(text: str) -> list[str]:
    """A French text's folded words, elided articles left out (l', d', qu')."""
    out = []
    for m in _WORD.finditer(unicodedata.normalize("NFC", text)):
        if m.group(2) and m.group(1).lower() in _ELIDED:
            continue
        out.append(judge_fold(m.group(1)))
    return out


def contains_seq(words: list[str], seq: list[str]) -> bool:
    """Whether `seq` occurs in `words` at consecutive places."""
    n = len(seq)
    return any(words[i : i + n] == seq for i in range(len(words) - n + 1))


def table(rows, head):
    """Print rows as an aligned text table."""
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    for r in [head, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()


# ---------------------------------------------------------------- French stemmer comparison (no index)


def french_vocabulary() -> Counter:
    """Lowercase written words of the dev set's French side (letters only), with their counts."""
    from indexer.analysis import FRENCH_STOPWORDS

    words = Counter()
    for line in (DEVSET / "UNv1.0.devset.fr").read_text(encoding="utf-8").splitlines():
        for m in _WORD.finditer(unicodedata.normalize("NFC", line)):
            w = m.group(1).lower()
            if not (m.group(2) and w in _ELIDED) and w.isalpha():
                words[w] += 1
    return Counter(
        {w: c for w, c in words.items() if w not in FRENCH_STOPWORDS and judge_fold(w) not in FRENCH_STOPWORDS}
    )


def number_counterparts(w: str, vocab) -> list[str]:
    """The words of `vocab` that are `w` in the other grammatical number (-s, -x, -al/-aux)."""
    out = [c for c in (w + "s", w + "x") if c in vocab]
    if w[-1] in "sx" and w[:-1] in vocab:
        out.append(w[:-1])
    if w.endswith("al") and w[:-2] + "aux" in vocab:
        out.append(w[:-2] + "aux")
    if w.endswith("aux") and w[:-3] + "al" in vocab:
        out.append(w[:-3] + "al")
    return out


def stemmer_candidates() -> dict:
    """Stemming methods to compare, each lowercase word -> index term."""
    import simplemma

    from indexer.analysis import _stemmer, fold, light_stem

    snowball = _stemmer("french").stemWord
    lemma = lambda w: simplemma.lemmatize(w, lang="fr")  # noqa: E731
    return {
        "Snowball, then fold (before)": lambda w: fold(snowball(w)),
        "fold, then Snowball": lambda w: snowball(fold(w)),
        "light on written word, then fold": lambda w: fold(light_stem(w)),
        "simplemma lemma, folded": lambda w: fold(lemma(w)),
        "simplemma lemma, folded, light": lambda w: light_stem(fold(lemma(w))),
        "fold, then light (chosen)": lambda w: light_stem(fold(w)),
    }


def compare_stemmers(spot: int = 20):
    """Variant agreement and conflation of each stemming method over the dev set's French vocabulary."""
    import simplemma

    from indexer.analysis import fold

    vocab = french_vocabulary()
    lemmas = {w: fold(simplemma.lemmatize(w, lang="fr")) for w in vocab}
    rows, chosen = [], None
    for name, stem in stemmer_candidates().items():
        st = {w: stem(w) for w in vocab}
        words = agree = acc = acc_ok = num = num_ok = 0
        misses = set()
        for w in vocab:
            variants = [("accent", fold(w))] if fold(w) != w else []
            for c in number_counterparts(w, vocab):
                variants += [("number", c)] + ([("number", fold(c))] if fold(c) != c else [])
            if not variants:
                continue
            words += 1
            ok_all = True
            for kind, v in variants:
                ok = (st[v] if v in st else stem(v)) == st[w]
                ok_all &= ok
                if kind == "accent":
                    acc, acc_ok = acc + 1, acc_ok + ok
                else:
                    num, num_ok = num + 1, num_ok + ok
                if not ok:
                    misses.add(tuple(sorted((w, v))))
            agree += ok_all
        classes = defaultdict(set)
        for w, s in st.items():
            classes[s].add(w)
        merged = [ws for ws in classes.values() if len({lemmas[w] for w in ws}) > 1]
        by_lemma = defaultdict(set)
        for w in vocab:
            by_lemma[lemmas[w]].add(st[w])
        rows.append(
            [
                name,
                f"{agree / words:.4f}",
                f"{acc_ok / acc:.4f}",
                f"{num_ok / num:.4f}",
                len(classes),
                len(merged),
                sum(len(ws) for ws in merged),
                sum(len(s) > 1 for s in by_lemma.values()),
            ]
        )
        if "chosen" in name:
            chosen = (classes, merged, misses)
    print(
        f"French stemming over the dev set vocabulary: {len(vocab)} words (letters only, stop words left out);"
        f" {words} have an accent-less spelling or an other-number form in the vocabulary"
    )
    table(
        rows,
        [
            "method",
            "all variants agree",
            "accent-less",
            "other number",
            "distinct terms",
            "terms merging lemmas",
            "words in them",
            "lemmas split",
        ],
    )
    classes, merged, misses = chosen
    print(f"chosen method, variant pairs that still differ ({len(misses)}):", sorted(misses))
    rng = random.Random(5)
    print("spot-check, terms of the chosen method merging words simplemma gives different lemmas:")
    for ws in rng.sample(merged, min(spot, len(merged))):
        print("   ", sorted(ws))
    big = sorted(classes.items(), key=lambda kv: -len(kv[1]))[:8]
    print("largest terms:", "; ".join(f"{s}: {len(ws)} words ({', '.join(sorted(ws)[:6])}...)" for s, ws in big))
    print()


# ---------------------------------------------------------------- the index


def build(index_dir: Path):
    """Index corpus/unpc-devset into index_dir; returns (config, seconds)."""
    from indexer.build import build_index
    from indexer.config import load_config

    cfg = load_config(None, corpus_dir=str(DEVSET), index_dir=str(index_dir), max_limit=1000)
    started = time.perf_counter()
    build_index(cfg)
    return cfg, time.perf_counter() - started


def paragraphs(index_dir: Path) -> dict[str, list[dict]]:
    """Indexed paragraphs by language: dicts with id, text and the document's symbol."""
    from indexer.catalog import Catalog
    from indexer.store import CATALOG, current_generation

    cat = Catalog(current_generation(index_dir) / CATALOG, readonly=True)
    out = defaultdict(list)
    for doc in cat.documents():
        for p in cat.paragraphs_of(doc["id"]):
            out[doc["lang"]].append({"id": p["id"], "text": p["text"], "symbol": doc["symbol"]})
    cat.close()
    return out


def index_size(index_dir: Path, paras: dict):
    """Terms and postings with and without the exact-form terms ("=..."), and the index folder's size."""
    from indexer.analysis import LANGUAGES

    rows = []
    for lang, plist in sorted(paras.items()):
        analyzer = LANGUAGES[lang].analyzer()
        terms, marked = set(), set()
        postings = positions = marked_postings = marked_positions = 0
        for p in plist:
            value = p["text"]
            seen = Counter(t.text for t in analyzer(value, mode="index"))
            for term, n in seen.items():
                (marked if term.startswith("=") else terms).add(term)
                postings += 1
                positions += n
                if term.startswith("="):
                    marked_postings += 1
                    marked_positions += n
        rows.append(
            [
                lang,
                len(terms),
                len(marked),
                postings - marked_postings,
                marked_postings,
                f"{marked_postings / max(postings - marked_postings, 1):.0%}",
                positions - marked_positions,
                marked_positions,
            ]
        )
    print('Index terms: plain terms vs exact-form terms ("=...")')
    table(rows, ["lang", "terms", "exact terms", "postings", "exact postings", "added", "positions", "exact positions"])
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    whoosh = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file() and not f.name.startswith("catalog"))
    print(
        f"index folder: {size / 1e6:.2f} MB, of which the full-text index (without the catalog) {whoosh / 1e6:.2f} MB"
    )
    print()


# ---------------------------------------------------------------- search measures


class Searcher:
    """The search service over the built index, returning hit ids and texts."""

    def __init__(self, cfg):
        from server.search import SearchService

        self.service = SearchService(cfg)

    def hits(self, q: str, lang: str, limit: int, symbol: str | None = None) -> tuple[int, list[dict]]:
        """Total and the best `limit` hits (id, text)."""
        res = self.service.search(q, lang=lang, limit=limit, symbol=symbol, facets=())
        return res["total"], res["hits"]


def french_variant_recall(s: Searcher, vocab: Counter, rng, n: int, limit: int = 1000):
    """(a) Accent-less and other-number spellings of sampled words: recall of the written form's paragraphs."""
    from indexer.analysis import fold

    words = [w for w in sorted(vocab) if fold(w) != w or number_counterparts(w, vocab)]
    found = wanted = queries = 0
    losses = []
    for w in rng.sample(words, min(n, len(words))):
        total, hits = s.hits(w, "fr", limit)
        if not total or total > limit:
            continue
        base = {h["id"] for h in hits}
        variants = (
            {fold(w)} | {c for c in number_counterparts(w, vocab)} | {fold(c) for c in number_counterparts(w, vocab)}
        )
        for v in variants - {w}:
            _, vh = s.hits(v, "fr", limit)
            got = len(base & {h["id"] for h in vh})
            found, wanted, queries = found + got, wanted + len(base), queries + 1
            if got < len(base):
                losses.append(f"{w}->{v} {got}/{len(base)}")
    return found / max(wanted, 1), f"{queries} variant queries of {n} words; misses: {losses[:6]}"


def accentless_precision(s: Searcher, vocab: Counter, paras: list[dict], rng, n: int, k: int = 10):
    """(b) An accent-less query of an accented word: share of the top hits holding that very word, over the
    first min(k, paragraphs holding it) hits (a word found in 3 paragraphs can fill only 3 places)."""
    from indexer.analysis import fold

    holders = Counter(w for p in paras for w in set(judge_words(p["text"])))
    words = [w for w in sorted(vocab) if fold(w) != w and len(w) > 3 and holders[judge_fold(w)]]
    good = seen = 0
    for w in rng.sample(words, min(n, len(words))):
        target = judge_fold(w)
        _, hits = s.hits(fold(w), "fr", min(k, holders[target]))
        for h in hits:
            seen += 1
            good += target in judge_words(h["text"])
    return good / max(seen, 1), f"{n} words, {seen} hits judged"


def phrase_precision(s: Searcher, paras: list[dict], rng, n: int, limit: int = 100):
    """(c) Quoted 2-3 word phrases holding a stop word: share of hits with the literal phrase."""
    from indexer.analysis import FRENCH_STOPWORDS

    good = seen = tried = 0
    bad = []
    while tried < n:
        p = rng.choice(paras)
        spans = [m for m in _WORD.finditer(p["text"]) if m.group(1).isalpha()]
        size = rng.choice((2, 3))
        if len(spans) < size:
            continue
        i = rng.randrange(len(spans) - size + 1)
        chunk = spans[i : i + size]
        phrase = p["text"][chunk[0].start() : chunk[-1].end()]
        words = judge_words(phrase)
        if (
            not any(w in FRENCH_STOPWORDS for w in words)
            or all(w in FRENCH_STOPWORDS for w in words)
            or '"' in phrase
            or len(words) < 2
            or not re.fullmatch(rf"[\w\s{_APOS}-]+", phrase)
        ):
            continue
        tried += 1
        _, hits = s.hits(f'"{phrase}"', "fr", limit)
        for h in hits:
            seen += 1
            ok = contains_seq(judge_words(h["text"]), words)
            good += ok
            if not ok and len(bad) < 5:
                bad.append(phrase)
    return good / max(seen, 1), f"{n} phrases, {seen} hits judged; phrases with misses: {sorted(set(bad))}"


def compound_part(word: str, words, dictionary) -> bool:
    """Whether `word` is one of `words` (a text's jieba words) or the head or tail of one whose rest is a jieba
    dictionary word of two or more characters (联盟 in 欧洲联盟, 恐怖 in 恐怖主义): the PKU standard makes
    such compounds two words. A piece across an inner boundary (中国 in 发展中国家) is not."""
    for w in words:
        if w == word:
            return True
        if len(w) > len(word):
            rest = w[len(word) :] if w.startswith(word) else w[: -len(word)] if w.endswith(word) else ""
            if len(rest) >= 2 and dictionary.get(rest, 0) > 0:
                return True
    return False


def chinese_whole_words(s: Searcher, paras: list[dict], rng, n: int, k: int = 10):
    """(d) Words that also occur inside longer words: precision at k of whole-word hits, by jieba (strict:
    jieba cuts the query as a word of the hit; compound: or as the head or tail of a compound, see
    compound_part). Returns the strict figure; the compound one is in COMPOUND for measure (d')."""
    import jieba

    jieba.setLogLevel(60)
    whole, inside = defaultdict(set), defaultdict(set)
    segmented = {}
    for p in paras:
        words = [w for w in jieba.cut(p["text"]) if _HAN.fullmatch(w)]
        segmented[p["id"]] = set(words)
        for w in set(words):
            if len(w) >= 2:
                whole[w].add(p["id"])
    for p in paras:
        for w in segmented[p["id"]]:
            for size in range(2, len(w)):
                for i in range(len(w) - size + 1):
                    sub = w[i : i + size]
                    if sub in whole and p["id"] not in whole[sub]:
                        inside[sub].add(p["id"])
    candidates = sorted(w for w in whole if len(whole[w]) >= k and inside[w])
    jieba.initialize()
    dictionary = jieba.dt.FREQ
    good = compound = seen = 0
    for w in rng.sample(candidates, min(n, len(candidates))):
        _, hits = s.hits(w, "zh", k)
        for h in hits:
            words = set(jieba.cut(h["text"]))
            seen += 1
            good += w in words
            compound += compound_part(w, words, dictionary)
    note = f"{min(n, len(candidates))} words of {len(candidates)} candidates, {seen} hits"
    COMPOUND[:] = [compound / max(seen, 1), note]
    return good / max(seen, 1), note


COMPOUND: list = []  # (d') the compound judge's figure over the hits of (d)


def chinese_substring_recall(s: Searcher, paras: list[dict], rng, n: int, limit: int = 1000):
    """(e) A random Han substring (2-6 characters) of a paragraph finds that paragraph."""
    found = tried = 0
    missed = []
    while tried < n:
        p = rng.choice(paras)
        runs = [r for r in _HAN.findall(unicodedata.normalize("NFKC", p["text"])) if len(r) >= 2]
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(2, min(6, len(run)))
        i = rng.randrange(len(run) - size + 1)
        sub = run[i : i + size]
        tried += 1
        _, hits = s.hits(sub, "zh", limit, symbol=p["symbol"] or None)
        ok = p["id"] in {h["id"] for h in hits}
        found += ok
        if not ok and len(missed) < 5:
            missed.append(sub)
    return found / tried, f"{n} substrings; missed: {missed}"


def search_quality(cfg, paras, args):
    """Measures (a)-(e) against the search service."""
    rng = lambda part: random.Random(f"{args.seed}-{part}")  # noqa: E731
    s = Searcher(cfg)
    vocab = french_vocabulary()
    rows = []
    for key, name, target, run in (
        ("a", "French variant recall", ">= 0.99", lambda: french_variant_recall(s, vocab, rng("a"), args.words)),
        (
            "b",
            "accent-less precision@10",
            ">= 0.9",
            lambda: accentless_precision(s, vocab, paras["fr"], rng("b"), args.words),
        ),
        ("c", "quoted phrase precision", ">= 0.95", lambda: phrase_precision(s, paras["fr"], rng("c"), args.words)),
        ("d", "Chinese whole-word P@10", ">= 0.9", lambda: chinese_whole_words(s, paras["zh"], rng("d"), args.words)),
        ("d'", "the same, compound judge", ">= 0.95", lambda: tuple(COMPOUND)),
        (
            "e",
            "Chinese substring recall",
            "1.0",
            lambda: chinese_substring_recall(s, paras["zh"], rng("e"), args.words),
        ),
    ):
        started = time.perf_counter()
        value, note = run()
        rows.append([key, name, f"{value:.3f}", target, f"{time.perf_counter() - started:.0f}s", note])
    s.service.close()
    table(rows, ["", "measure", "value", "target", "time", "sample"])


def main():
    """Parse options, build the index in a temporary folder, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", default="stems,size,search", help="comma-separated: stems, size, search")
    ap.add_argument("--code", type=Path, default=REPO, help="checkout whose indexer and server to measure")
    ap.add_argument("--words", type=int, default=200, help="sampled queries per search measure")
    ap.add_argument("--seed", default="tandem")
    args = ap.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    parts = set(args.part.split(","))
    commit = subprocess.run(
        ["git", "-C", str(args.code), "log", "-1", "--format=%h %s"], capture_output=True, text=True
    ).stdout.strip()
    print(f"code: {args.code.resolve()} ({commit})\n")
    if "stems" in parts:
        compare_stemmers()
    if parts & {"size", "search"}:
        tmp = Path(tempfile.mkdtemp(prefix="tandem-quality-"))
        try:
            cfg, seconds = build(tmp / "index")
            paras = paragraphs(tmp / "index")
            print(
                f"built {sum(map(len, paras.values()))} paragraphs "
                f"({', '.join(f'{k}: {len(v)}' for k, v in paras.items())})"
                f" in {seconds:.0f}s\n"
            )
            if "size" in parts:
                index_size(tmp / "index", paras)
            if "search" in parts:
                search_quality(cfg, paras, args)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
