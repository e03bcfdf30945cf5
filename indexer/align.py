"""Paragraph alignment across languages: lengths, shared anchors and structure, a confidence per link."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .documents import Paragraph
from .lexicon import Lexicon, views

# Characters of language A per character of language B (text_length: whitespace is not counted, since
# PDF extraction scatters spaces through Chinese text, nor digits, which are as long in both), and the
# variance s2 of Gale-Church's z = (len_a - c*len_b) / sqrt(s2 * (len_a/c + len_b)/2), per language pair:
# measured by `.venv/bin/python tools/build_length_model.py` on the 4,000 line pairs of the UN Parallel
# Corpus v1.0 dev set (six-way parallel), c = sum(a)/sum(b), s2 = mean squared residual per unit of length.
# The reverse direction is derived; a pair without a model falls back to DEFAULT_RATIO.
LENGTH_MODEL_PATH = Path(__file__).parent / "data" / "length_model.tsv"
DEFAULT_RATIO = (1.0, 6.8)  # Gale & Church's own constants for closely related languages


@cache
def length_models() -> dict[tuple[str, str], tuple[float, float]]:
    """(a, b) -> (c, s2) from LENGTH_MODEL_PATH, read once per process."""
    table = {}
    for line in LENGTH_MODEL_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            a, b, c, s2, *_ = line.split("\t")
            table[(a, b)] = (float(c), float(s2))
    return table


# Every weight below (in nats: costs are -log probabilities) was chosen by hand on bench/align_quality.py,
# i.e. on the UN Parallel Corpus v1.0 dev set (its documents as given, with one paragraph deleted, and
# 2,000-line documents with 2% of lines dropped), for F1; the evaluation data is the calibration data.
# Prior probability of each link shape. Unlike Gale & Church's sentences, paragraphs of UN documents
# are rarely split differently, while lines present in one version only (headers, notes) are common.
P_ONE_ONE, P_ONE_NONE, P_TWO_ONE = 0.89, 0.01, 0.003
PRIOR = {
    (1, 1): -math.log(P_ONE_ONE),
    (1, 0): -math.log(P_ONE_NONE),
    (0, 1): -math.log(P_ONE_NONE),
    (2, 1): -math.log(P_TWO_ONE),
    (1, 2): -math.log(P_TWO_ONE),
}
SKIP = PRIOR[(1, 0)]
ANCHOR_MATCH = 2.0  # nats of evidence per unit of anchor weight found on both sides
ANCHOR_MISS = 1.0  # per unit of anchor weight found on one side of a link only
YEAR_CONFLICT = 3.0  # both sides give years and share none: different events
# Anchor weights (anchor_weight): a symbol ("56/24"), a year, a one-digit number, any other number or a month.
SYMBOL_WEIGHT, YEAR_WEIGHT, DIGIT_WEIGHT, NUMBER_WEIGHT = 2.5, 1.5, 0.5, 1.0
# Structure evidence (_structure_cost, _Feat.penalty): added to a link's cost, negative when it agrees.
CHAPEAU_MATCH, CHAPEAU_MISMATCH = -5.0, 4.0  # both sides open the preamble, or only one
TITLE_MATCH, TITLE_MISMATCH = -4.0, 4.0  # both sides are the title, or only one
NUMBER_MATCH, NUMBER_MISMATCH = -5.0, 6.0  # operative paragraphs with the same number, or different ones
OPERATIVE_MATCH = -1.0  # operative paragraphs, one of them unnumbered
KIND_MATCH = -0.5  # same kind otherwise (preambular with preambular, ...)
KIND_MISMATCH, KIND_MISMATCH_OTHER = 2.0, 1.0  # different kinds; when one is "other" (less sure)
MERGE_PENALTY = 6.0  # a numbered, titled or chapeau paragraph merged into the one before it (2-1, 1-2)
FOOTNOTE_MAX_COST = 2.0  # footnotes with the same number are linked when the link costs < this * SKIP
# Lexical evidence (indexer/lexicon.py), per lexicon stem found on both sides of a link, and per stem
# found on one side only (averaged over the sides). On the bench's dev set a stem is found in about half of
# the true translations and a tenth of the neighbouring paragraphs: ~log(0.5/0.1), ~log(0.9/0.5), damped.
LEX_HIT, LEX_MISS = 1.0, 0.4
# Between two languages of one script (French, English, Spanish), per capitalised word or acronym found on both
# sides but the first word of each: names of countries, bodies and programmes are mostly spelt alike.
# bench/languages_bench.py, one paragraph deleted, F1: fr-en 0.9799 -> 0.9814, fr-es 0.9809 -> 0.9835 at 1.0
# (0.9818 and 0.9835 at 2.0).
NAME_MATCH = 1.0
_NAME = re.compile(r"(?<![\w/])[A-Z][A-Za-z]{2,}|(?<![\w/])[A-Z]{2,}")
BAND = 60  # half-width of the DP band around the diagonal for long documents
FULL_DP_CELLS = 40_000  # below this many cells the whole matrix is searched
# Confidence = logistic(CONF_SLOPE * (margin - CONF_MID)), margin = cost of leaving the link's
# paragraphs unlinked minus the link's cost (a log-odds of "linked" against "not linked"). Slope and
# midpoint are a maximum-likelihood logistic fit of link correctness on the bench's links (with and
# without deletions); unlinked paragraphs get 0.0, so a score is always "how sure we are of this pair".
CONF_SLOPE, CONF_MID = 0.5, 1.0
INF = float("inf")


@cache
def _months() -> dict[str, str]:
    """Month names of every registered language, folded and lowercase -> month number (anchors)."""
    from .analysis import LANGUAGES  # the registry loads Whoosh: only when aligning needs it

    return {fold_month(name): str(n) for lang in LANGUAGES.values() for n, name in enumerate(lang.un_text.months, 1)}


_CHAPEAU_COMMA = re.compile(r"(?:\\s\*)?(?:\[[^]]*\]|[,，،])$")  # the comma ending a chapeau's pattern


@cache
def _chapeau() -> re.Pattern:
    """A paragraph that opens the preamble, in any registered language (the registry's chapeaus)."""
    from .analysis import LANGUAGES

    forms = [lang.un_text.chapeau.pattern for lang in LANGUAGES.values() if lang.un_text.chapeau]
    # the chapeau's own comma, Western or not, or none: extraction loses it
    forms = [_CHAPEAU_COMMA.sub("", f) for f in forms]
    return re.compile(r"^\s*(?:" + "|".join(f"(?:{f})" for f in forms) + r")\s*[,，،]?\s*$", re.IGNORECASE)


# Digits are matched on their own so "2001年11月29日第56/24T号" and "29 novembre 2001, 56/24 T" give
# the same tokens; a slash keeps symbols like 56/24 or A/68/411 (-> 68/411) whole.
_DIGITS = {0x0660 + d: str(d) for d in range(10)} | {0x06F0 + d: str(d) for d in range(10)}  # Arabic-Indic
_ANCHOR = re.compile(r"\d+(?:/\d+)*|[^\W\d_]+")
# Punctuation both translations keep (measured on the dev set: e.g. a final ":" is on both sides in
# 104 line pairs and on one side only in 12); "<<" is how the dev set writes guillemets.
_MARKS = [
    (m, re.compile(p))
    for m, p in (
        ("§:", r"[:：]\s*$"),
        ("§;", r"[;；؛]\s*$"),
        ("§%", r"%|百分之"),
        ("§*", r"\*"),
        ("§(", r"\("),
        ("§q", r"<<|«|\"|“|「"),
    )
]
_MARK_WEIGHT = {"§:": 1.0, "§;": 1.0, "§%": 1.0, "§*": 1.0, "§(": 0.6, "§q": 0.6}  # chosen with the weights above
_LEAD = re.compile(r"^\s*\(?(\d{1,3})\s*[.)](?!\d)\s*")  # "33. " paragraph numbering, often in one language only
_YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Link:
    """One link, in document order; an unlinked paragraph has an empty side."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    score: float


def anchors(text: str) -> frozenset[str]:
    """Language-independent tokens of a text: numbers, symbols like 56/24, months, some punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS)
    out = {mark for mark, pattern in _MARKS if pattern.search(text)}
    for tok in _ANCHOR.findall(text):
        if tok[0].isdigit():
            # Leading zeros differ between versions ("05" / "5"), symbols keep theirs.
            out.add(tok if "/" in tok else tok.lstrip("0") or "0")
        else:
            month = _months().get(fold_month(tok))
            if month:
                out.add(month)
    return frozenset(out)


def text_length(text: str) -> int:
    """Characters that scale with translation: not spaces, and not digits (as long in both languages)."""
    return sum(1 for ch in text if not ch.isspace() and not ch.isdigit())


def anchor_weight(tok: str) -> float:
    """How much a shared anchor says about two paragraphs being translations of each other."""
    if tok[0] == "§":
        return _MARK_WEIGHT[tok]
    if "/" in tok:
        return SYMBOL_WEIGHT
    if _YEAR.match(tok):
        return YEAR_WEIGHT
    return DIGIT_WEIGHT if len(tok) == 1 else NUMBER_WEIGHT


def length_ratio(a_lang: str, b_lang: str) -> tuple[float, float]:
    """The (ratio, variance) length model for a language pair, derived from the reverse if needed."""
    models = length_models()
    if (a_lang, b_lang) in models:
        return models[(a_lang, b_lang)]
    if (b_lang, a_lang) in models:
        c, s2 = models[(b_lang, a_lang)]
        return 1 / c, s2 / c**3
    return DEFAULT_RATIO


def fold_month(word: str) -> str:
    """A word as month names are looked up: lowercase, accents folded."""
    return unicodedata.normalize("NFD", word.lower()).encode("ascii", "ignore").decode() or word.lower()


class _Feat:
    """Everything the cost function needs about one paragraph or two merged ones, computed once."""

    __slots__ = (
        "length",
        "anchors",
        "weight",
        "years",
        "kind",
        "number",
        "chapeau",
        "penalty",
        "structured",
        "lead",
        "lex",
        "lex_miss",
        "names",
    )

    def __init__(self, paras: list[Paragraph], structured: bool, cache: dict, lex: dict, names: dict):
        first = paras[0]
        self.names = frozenset().union(*(names[id(p)] for p in paras)) if names else frozenset()
        self.length = sum(text_length(p.text) for p in paras)
        self.anchors = frozenset().union(*(cache[id(p)] for p in paras))
        self.lex = lex[id(paras[0])] | lex[id(paras[-1])] if lex else 0  # bit set of lexicon stems
        self.lex_miss = LEX_MISS * self.lex.bit_count() / 2  # the cost if none of them is matched
        self.weight = sum(anchor_weight(t) for t in self.anchors)
        lead = _LEAD.match(first.text)
        self.lead = lead.group(1) if lead else None
        self.years = frozenset(t for t in self.anchors if _YEAR.match(t))
        self.chapeau = bool(_chapeau().match(first.text))
        self.structured = structured
        self.kind = first.kind
        self.number = first.number if self.kind == "operative" else None
        # A paragraph carrying its own number, title or chapeau status never continues another one.
        self.penalty = 0.0
        for p in paras[1:]:
            if structured and (p.kind == "operative" and p.number or p.kind != first.kind):
                self.penalty += MERGE_PENALTY
            if _chapeau().match(p.text) or self.chapeau:
                self.penalty += MERGE_PENALTY


def _features(paras: list[Paragraph], view=None, names=False) -> tuple[list[_Feat], list[_Feat | None]]:
    """Single-paragraph features and features of each paragraph merged with the one before it;
    `view` maps a text to its lexicon stems' bit set (indexer.lexicon.views), None: no lexical evidence;
    `names`: read capitalised words (languages of one script)."""
    structured = any(p.kind != "other" for p in paras)
    cache = {id(p): anchors(_LEAD.sub("", p.text, count=1)) for p in paras}
    lex = {id(p): view(p.text) for p in paras} if view else {}
    # capitalised words but each paragraph's first, read once a paragraph like the anchors and the lexicon's
    found = {id(p): frozenset(n.lower() for n in _NAME.findall(p.text)[1:]) for p in paras} if names else {}
    one = [_Feat([p], structured, cache, lex, found) for p in paras]
    two = [None] + [_Feat([paras[i - 1], paras[i]], structured, cache, lex, found) for i in range(1, len(paras))]
    return one, two


def _structure_cost(fa: _Feat, fb: _Feat) -> float:
    """Evidence from paragraph kinds, operative numbers and the chapeau; zero for unstructured text."""
    cost = 0.0
    if fa.chapeau or fb.chapeau:
        cost += CHAPEAU_MATCH if fa.chapeau and fb.chapeau else CHAPEAU_MISMATCH
    if not (fa.structured and fb.structured):
        return cost
    ka, kb = fa.kind, fb.kind
    if ka == kb == "title":
        return cost + TITLE_MATCH
    if ka == "title" or kb == "title":
        return cost + TITLE_MISMATCH
    if ka == kb == "operative":
        if fa.number and fb.number:
            return cost + (NUMBER_MATCH if fa.number == fb.number else NUMBER_MISMATCH)
        return cost + OPERATIVE_MATCH
    if ka == kb:
        return cost + KIND_MATCH
    return cost + (KIND_MISMATCH_OTHER if "other" in (ka, kb) else KIND_MISMATCH)


def _link_cost(fa: _Feat, fb: _Feat, prior: float, c: float, s2: float) -> float:
    """Cost (in nats, lower is better) of linking two groups of paragraphs."""
    la, lb = fa.length, fb.length
    z = abs(la - c * lb) / math.sqrt(s2 * ((la / c + lb) / 2 + 1))
    p = math.erfc(z / math.sqrt(2))
    cost = prior + (-math.log(p) if p > 1e-300 else z * z / 2)
    if fa.anchors and fb.anchors:
        shared = fa.anchors & fb.anchors
        matched = sum(anchor_weight(t) for t in shared) if shared else 0.0
        cost += ANCHOR_MISS * (fa.weight + fb.weight - 2 * matched) - ANCHOR_MATCH * matched
        if fa.years and fb.years and fa.years.isdisjoint(fb.years):
            cost += YEAR_CONFLICT
    else:
        cost += ANCHOR_MISS * (fa.weight + fb.weight)
    if fa.lead and fb.lead:
        cost += -ANCHOR_MATCH if fa.lead == fb.lead else ANCHOR_MISS * 2
    cost += fa.lex_miss + fb.lex_miss - (LEX_HIT + LEX_MISS) * (fa.lex & fb.lex).bit_count()
    if fa.names and fb.names:
        cost -= NAME_MATCH * len(fa.names & fb.names)
    return cost + _structure_cost(fa, fb) + fa.penalty + fb.penalty


def confidence(link_cost: float, n_paras: int) -> float:
    """Map a link's cost to [0, 1]: a logistic of how much cheaper it is than leaving it unlinked."""
    margin = SKIP * n_paras - link_cost
    return 1.0 / (1.0 + math.exp(-CONF_SLOPE * (margin - CONF_MID)))


def _dp(fa1, fa2, fb1, fb2, c: float, s2: float) -> list[tuple[int, int, int, int, float]]:
    """Banded monotone DP; returns (i0, di, j0, dj, cost) steps from start to end."""
    n, m = len(fa1), len(fb1)
    if (n + 1) * (m + 1) <= FULL_DP_CELLS:
        lo = [0] * (n + 1)
        hi = [m] * (n + 1)
    else:
        # The band follows the diagonal of the rectangle so unequal lengths stay inside it.
        lo = [max(0, int(i * m / n) - BAND) if n else 0 for i in range(n + 1)]
        hi = [min(m, int(i * m / n) + BAND) if n else m for i in range(n + 1)]
        hi[n] = m
    cost = [[INF] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    back = [[None] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    cost[0][0] = 0.0
    p11, p21, p12 = PRIOR[(1, 1)], PRIOR[(2, 1)], PRIOR[(1, 2)]
    for i in range(n + 1):
        row, brow, l_i = cost[i], back[i], lo[i]
        prev = cost[i - 1] if i >= 1 else None
        lp = lo[i - 1] if i >= 1 else 0
        hp = hi[i - 1] if i >= 1 else -1
        prev2 = cost[i - 2] if i >= 2 else None
        lp2 = lo[i - 2] if i >= 2 else 0
        hp2 = hi[i - 2] if i >= 2 else -1
        for j in range(l_i, hi[i] + 1):
            best, arg = row[j - l_i], brow[j - l_i]
            if j >= 1 and j - 1 >= l_i:  # 0-1: B paragraph j-1 unlinked
                v = row[j - 1 - l_i] + SKIP
                if v < best:
                    best, arg = v, (0, 1, SKIP)
            if prev is not None:
                if lp <= j <= hp:  # 1-0: A paragraph i-1 unlinked
                    v = prev[j - lp] + SKIP
                    if v < best:
                        best, arg = v, (1, 0, SKIP)
                if j >= 1 and lp <= j - 1 <= hp and prev[j - 1 - lp] < INF:
                    k = _link_cost(fa1[i - 1], fb1[j - 1], p11, c, s2)
                    v = prev[j - 1 - lp] + k
                    if v < best:
                        best, arg = v, (1, 1, k)
                if j >= 2 and lp <= j - 2 <= hp and prev[j - 2 - lp] < INF:
                    k = _link_cost(fa1[i - 1], fb2[j - 1], p12, c, s2)
                    v = prev[j - 2 - lp] + k
                    if v < best:
                        best, arg = v, (1, 2, k)
            if prev2 is not None and j >= 1 and lp2 <= j - 1 <= hp2 and prev2[j - 1 - lp2] < INF:
                k = _link_cost(fa2[i - 1], fb1[j - 1], p21, c, s2)
                v = prev2[j - 1 - lp2] + k
                if v < best:
                    best, arg = v, (2, 1, k)
            row[j - l_i], brow[j - l_i] = best, arg
    steps = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj, k = back[i][j - lo[i]]
        steps.append((i - di, di, j - dj, dj, k))
        i, j = i - di, j - dj
    return steps[::-1]


def _footnote_links(a, b, ia, ib, c, s2) -> list[Link]:
    """Footnotes are linked by number, and only when their texts do not contradict the link."""
    by_num = {b[j].number: j for j in ib if b[j].number}
    links, used = [], set()
    for i in ia:
        j = by_num.get(a[i].number)
        if j is not None and j not in used:
            fa, _ = _features([a[i]])
            fb, _ = _features([b[j]])
            k = _link_cost(fa[0], fb[0], PRIOR[(1, 1)], c, s2)
            if k < FOOTNOTE_MAX_COST * SKIP:
                links.append(Link((i,), (j,), confidence(k, 2)))
                used.add(j)
                continue
        links.append(Link((i,), (), 0.0))
    links.extend(Link((), (j,), 0.0) for j in ib if j not in used)
    return links


def _in_order(links: list[Link]) -> list[Link]:
    """Order links by A position; B-only links go right after the last link before them in B."""
    out = sorted((lk for lk in links if lk.a), key=lambda lk: lk.a[0])
    for lk in sorted((lk for lk in links if not lk.a), key=lambda lk: lk.b[0]):
        pos = 0
        for n, other in enumerate(out):
            if other.b and other.b[-1] < lk.b[0]:
                pos = n + 1
        out.insert(pos, lk)
    return out


def align_paragraphs(
    a: list[Paragraph], b: list[Paragraph], a_lang: str, b_lang: str, lexicon: Lexicon | None = None
) -> list[Link]:
    """Align two documents' paragraphs monotonically (1-1, 1-0, 0-1, 2-1, 1-2), footnotes apart; `lexicon`
    replaces the pair's shipped one (indexer.lexicon)."""
    c, s2 = length_ratio(a_lang, b_lang)
    lex_a, lex_b = views(a_lang, b_lang, lexicon)
    ia = [i for i, p in enumerate(a) if p.kind != "footnote"]
    ib = [j for j, p in enumerate(b) if p.kind != "footnote"]
    from .analysis import LANGUAGES  # the registry loads Whoosh: only when aligning needs it

    same_script = a_lang in LANGUAGES and b_lang in LANGUAGES and LANGUAGES[a_lang].script == LANGUAGES[b_lang].script
    fa1, fa2 = _features([a[i] for i in ia], lex_a, same_script)
    fb1, fb2 = _features([b[j] for j in ib], lex_b, same_script)
    links = []
    for i0, di, j0, dj, k in _dp(fa1, fa2, fb1, fb2, c, s2):
        sa, sb = tuple(ia[i0 : i0 + di]), tuple(ib[j0 : j0 + dj])
        links.append(Link(sa, sb, confidence(k, di + dj) if di and dj else 0.0))
    foot_a = [i for i, p in enumerate(a) if p.kind == "footnote"]
    foot_b = [j for j, p in enumerate(b) if p.kind == "footnote"]
    if foot_a or foot_b:
        links = _in_order(links + _footnote_links(a, b, foot_a, foot_b, c, s2))
    return links
