"""Document pairing: which French document goes with which Chinese one, by symbol or, for recurring
resolutions, by the symbols they cite, whom they cite and their shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .align import anchors
from .documents import Document


@dataclass(frozen=True)
class DocPair:
    """Two documents in different languages whose paragraphs should be aligned."""

    a: Document
    b: Document
    relation: str  # "same" (same symbol) or "other_year" (same recurring resolution, another year)
    detail: dict = field(default_factory=dict)


# Document pairing (_evidence): weights of the shared cited symbols (Jaccard), of one document citing the
# other, and of the same numbers of preambular and operative paragraphs. Set by hand: bench/align_quality.py
# aligns the pairs it is given and does not measure pairing.
EVIDENCE_CITED, EVIDENCE_CITES, EVIDENCE_SHAPE = 0.6, 0.25, 0.15
PAIR_THRESHOLD = 0.35  # evidence below this leaves a document unpaired
_OWN = re.compile(r"(\d+/\d+)\s*(?:\(\d{4}\))?\s*$")
_TITLE_SYMBOL = re.compile(r"^\s*(\d+/\d+)\s*[.．]")


def _own_symbol(doc: Document) -> str | None:
    """The short form of a document's symbol ("A/RES/68/38" -> "68/38"), also read from its title."""
    m = _OWN.search(doc.symbol or "")
    if m:
        return m.group(1)
    for p in doc.paragraphs[:6]:
        m = _TITLE_SYMBOL.match(p.text) if p.kind == "title" else None
        if m:
            return m.group(1)
    return None


def _series(symbol: str | None) -> str | None:
    """The body and series of a symbol without its numbers: "A/RES/68/38" -> "A/RES/#/#"."""
    return re.sub(r"\d+", "#", symbol.upper().replace(" ", "")) if symbol else None


def _profile(doc: Document) -> dict:
    """Language-independent evidence about a document: symbols it cites, its own, its structure."""
    cited = set()
    for p in doc.paragraphs:
        cited.update(t for t in anchors(p.text) if "/" in t)
    own = _own_symbol(doc)
    kinds = [p.kind for p in doc.paragraphs]
    return {
        "own": own,
        "cited": cited - {own},
        "series": _series(doc.symbol),
        "pre": kinds.count("preambular"),
        "op": kinds.count("operative"),
    }


def _evidence(pa: dict, pb: dict) -> float:
    """How likely two documents are the same recurring text, in [0, 1]."""
    if pa["series"] and pb["series"] and pa["series"] != pb["series"]:
        return 0.0
    sa = pa["cited"] | ({pa["own"]} if pa["own"] else set())
    sb = pb["cited"] | ({pb["own"]} if pb["own"] else set())
    jaccard = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
    cites = float(bool(pb["own"] and pb["own"] in pa["cited"]) or bool(pa["own"] and pa["own"] in pb["cited"]))
    size = max(pa["pre"], pb["pre"]) + max(pa["op"], pb["op"])
    shape = 1 - (abs(pa["pre"] - pb["pre"]) + abs(pa["op"] - pb["op"])) / size if size else 0.0
    return EVIDENCE_CITED * jaccard + EVIDENCE_CITES * cites + EVIDENCE_SHAPE * shape


def _norm_symbol(symbol: str | None) -> str | None:
    """A symbol compared case- and space-insensitively."""
    return re.sub(r"\s+", "", symbol).upper() if symbol else None


def source_relation(a: Document, b: Document) -> str:
    """The relation of two documents paired at the source (a bitext, a TMX, a link file): "other_year" when
    their symbols are two years of one recurring resolution, else "same"."""
    sa, sb = _norm_symbol(a.symbol), _norm_symbol(b.symbol)
    return "other_year" if sa and sb and sa != sb and _series(sa) == _series(sb) else "same"


def pair_detail(a: Document, b: Document) -> dict:
    """What a pair records of its two documents: their symbols and years."""
    return {"a_symbol": a.symbol, "b_symbol": b.symbol, "a_year": a.year, "b_year": b.year}


def pair_documents(docs: list[Document], a_lang: str, b_lang: str) -> list[DocPair]:
    """Pair each A-language document with its B-language counterpart of the same symbol; a document of
    either language that has none pairs with the nearest year's version of the same recurring resolution in
    the other language (the most alike at equal distance), even one already paired: several years may share
    one translation. Pairs come in the order of their A-language documents, then of their B ones."""
    da = [d for d in docs if d.lang == a_lang]
    db = [d for d in docs if d.lang == b_lang]
    by_symbol: dict[str, list[int]] = {}
    for j, b in enumerate(db):
        if _norm_symbol(b.symbol):
            by_symbol.setdefault(_norm_symbol(b.symbol), []).append(j)
    chosen: dict[tuple[int, int], str] = {}
    same_a, same_b = set(), set()
    for i, a in enumerate(da):
        for j in by_symbol.get(_norm_symbol(a.symbol) or "", ()):
            if j not in same_b and i not in same_a:  # one to one: a symbol held twice pairs in order
                chosen[(i, j)] = "same"
                same_a.add(i)
                same_b.add(j)
    prof_a, prof_b = [_profile(d) for d in da], [_profile(d) for d in db]
    evidence: dict[tuple[int, int], float] = {}

    def alike(i: int, j: int) -> float:
        if (i, j) not in evidence:
            evidence[(i, j)] = _evidence(prof_a[i], prof_b[j])
        return evidence[(i, j)]

    def nearest(candidates) -> tuple[int, int] | None:
        scored = [(gap, -ev, i, j) for i, j, gap in candidates if (ev := alike(i, j)) >= PAIR_THRESHOLD]
        return min(scored)[2:] if scored else None

    for i, a in enumerate(da):
        if i not in same_a:
            found = nearest((i, j, _gap(a, b)) for j, b in enumerate(db))
            if found:
                chosen.setdefault(found, "other_year")
    for j, b in enumerate(db):
        if j not in same_b:
            found = nearest((i, j, _gap(a, b)) for i, a in enumerate(da))
            if found:
                chosen.setdefault(found, "other_year")
    pairs = []
    for (i, j), relation in sorted(chosen.items()):
        a, b = da[i], db[j]
        ev = 1.0 if relation == "same" else alike(i, j)
        pairs.append(DocPair(a, b, relation, {**pair_detail(a, b), "evidence": round(ev, 3)}))
    return pairs


def _gap(a: Document, b: Document) -> int:
    """Years between two documents (99 when either year is unknown)."""
    return abs(a.year - b.year) if a.year and b.year else 99
