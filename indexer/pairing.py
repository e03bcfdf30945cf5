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


def pair_detail(a: Document, b: Document) -> dict:
    """What a pair records of its two documents: their symbols and years."""
    return {"a_symbol": a.symbol, "b_symbol": b.symbol, "a_year": a.year, "b_year": b.year}


def pair_documents(docs: list[Document], a_lang: str = "fr", b_lang: str = "zh") -> list[DocPair]:
    """Pair each A-language document with its B-language counterpart: same symbol, else nearest year."""
    da = [d for d in docs if d.lang == a_lang]
    db = [d for d in docs if d.lang == b_lang]
    prof_a, prof_b = [_profile(d) for d in da], [_profile(d) for d in db]
    candidates = []
    for i, a in enumerate(da):
        for j, b in enumerate(db):
            same = _norm_symbol(a.symbol) is not None and _norm_symbol(a.symbol) == _norm_symbol(b.symbol)
            ev = 1.0 if same else _evidence(prof_a[i], prof_b[j])
            if same or ev >= PAIR_THRESHOLD:
                gap = abs(a.year - b.year) if a.year and b.year else 99
                candidates.append((not same, -ev, gap, i, j))
    used_a, used_b, pairs = set(), set(), []
    for not_same, neg_ev, _, i, j in sorted(candidates):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        a, b = da[i], db[j]
        detail = {**pair_detail(a, b), "evidence": round(-neg_ev, 3)}
        pairs.append((i, DocPair(a, b, "other_year" if not_same else "same", detail)))
    return [p for _, p in sorted(pairs, key=lambda t: t[0])]
