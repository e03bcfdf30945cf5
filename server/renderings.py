"""How a term is translated, as the service answers it: the paragraphs holding the term, their aligned
translations, and the renderings found in them (indexer.terms), counted pair by pair and apart for
translations of the same document and of another year's version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache

from indexer.analysis import LANGUAGES, field_name
from indexer.engines.base import SearchRequest
from indexer.query.nodes import And, Term
from indexer.query.planner import Highlights, plan_term
from indexer.terms import CANDIDATES, MIN_DICE, Pair, Rendering, renderings

from .excerpts import TRANSLATION_PARAGRAPHS

MAX_TERM_LENGTH = 100  # characters of a term looked up
MAX_TERM_PARAGRAPHS = 500  # paragraphs holding a term whose translations are read (the best-ranked first)
EXAMPLES = 3  # aligned pairs shown for each rendering
RELATIONS = {"same": "same document", "other_year": "another year's version"}
CACHE_SIZE = 4096  # terms whose renderings a service keeps
MAX_RENDERINGS = 50  # the most an answer may ask for


class TermFinding:
    """What looking a term up found: the paragraphs holding it, the pairs read, the renderings, and what marks
    the term in a paragraph (its planned highlights)."""

    def __init__(self, paragraphs: int, pairs: list[Pair], found: list[Rendering], highlights: Highlights):
        self.paragraphs = paragraphs
        self.pairs = pairs
        self.renderings = found
        self.highlights = highlights


@dataclass(frozen=True)
class Lookup:
    """How thoroughly a term is looked up: paragraphs holding it read (the best-ranked), least Dice of a
    rendering, and candidates whose frequency is counted."""

    paragraphs: int = MAX_TERM_PARAGRAPHS
    min_dice: float = MIN_DICE
    counted: int = CANDIDATES


TERMS_LOOKUP = Lookup()  # GET /api/terms


def find_renderings(reader, term: str, lang: str, target: str, lookup: Lookup = TERMS_LOOKUP) -> TermFinding:
    """The renderings in `target` of a term of `lang`, from the aligned translations of the paragraphs holding
    it."""
    searcher = reader.searcher
    planned = plan_term(term, lang, reader)
    found = searcher.search(SearchRequest(planned.query, planned.filters, lookup.paragraphs, "relevance", ()))
    ids = [pid for pid, _ in found.hits]
    links = reader.catalog.translations(ids, most=TRANSLATION_PARAGRAPHS)  # a long paragraph's first pieces
    pairs = []
    for pid in ids:
        taken = set()
        for link in links[pid]:  # the paragraph's first translation into the target of each relation
            others, relation = link["paragraphs"], link["pair"].relation
            if others and relation not in taken and others[0]["id"].startswith(target + "-"):
                taken.add(relation)
                # a newline ends every run of Han characters: the paragraphs' cuts follow one another
                text = "\n".join(p["text"] for p in others)
                pairs.append(Pair(pid, others[0]["id"], text, "".join(p["cuts"] or "" for p in others), relation))
    share = len(ids) / found.total if found.total else 1.0  # when only the best paragraphs were read
    field = field_name(target)
    df: dict[str, int] = {}

    def frequency(forms: tuple[str, ...]) -> int:
        # the paragraphs of the target language holding a spelling of a rendering, bounded from above without
        # reading positions: those holding all its words (French), or its rarest character pair (Chinese, where
        # pairs are specific enough for the bound to be near: "全理" of "安全理事会")
        total = 0
        for terms in {written_terms(form, target) for form in forms}:  # case aside, forms may be one
            for t in terms:
                if t not in df:
                    df[t] = reader.doc_frequency(field, t)
            if len(terms) > 1 and LANGUAGES[target].query_words is not None:
                node = And(tuple(Term(field, t) for t in sorted(terms, key=df.get)))
                total += searcher.search(SearchRequest(node, (), 1, "relevance", ())).total
            elif terms:
                total += min(df[t] for t in terms)
        return round(total * share)

    found_renderings = renderings(
        term, len(ids), pairs, target, frequency, MAX_RENDERINGS, lookup.min_dice, lookup.counted
    )
    return TermFinding(found.total, pairs, found_renderings, planned.highlights)


def written_terms(text: str, lang: str) -> tuple[str, ...]:
    """The index terms that a text as written holds: the exact forms of its words, stop words aside unless it
    has no other (French), its character pairs (Chinese)."""
    spec = LANGUAGES[lang]
    if spec.query_words is not None:
        words = spec.query_words(text)
        return tuple(w.exact for w in words if w.stem is not None) or tuple(w.exact for w in words)
    return tuple(t.text for t in _analyzer(lang)(text, mode="query"))


@cache
def _analyzer(lang: str):
    return LANGUAGES[lang].analyzer()


class TermCache:
    """Findings by (generation, language, term): a term's renderings are worked out once per index."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key):
        """The cached finding for key, or None."""
        with self._lock:
            return self._items.get(key)

    def get(self, key, compute):
        """The cached finding for key, computed (outside the lock) when missing."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def terms_json(term: str, lang: str, target: str, finding: TermFinding, limit: int, texts_of) -> dict:
    """The answer of GET /api/terms: one row per rendering, most aligned pairs first, with its pairs counted
    by relation (same document, another year's version) inside it; `texts_of` reads paragraph texts by id
    (for the examples, same-document pairs first)."""
    seen = {relation: sum(1 for p in finding.pairs if p.relation == relation) for relation in RELATIONS}
    rows = [(r, [p for relation in RELATIONS for p in r.aligned.get(relation, ())]) for r in finding.renderings]
    rows.sort(key=lambda row: (-len(row[1]), -len(row[0].aligned.get("same", ())), -row[0].dice, row[0].text))
    rows = rows[:limit]
    texts = texts_of(sorted({p.source for _, aligned in rows for p in aligned[:EXAMPLES]}))
    return {
        "query": term,
        "lang": lang,
        "target": target,
        "paragraphs": finding.paragraphs,
        "pairs_seen": len(finding.pairs),
        "pairs_by_relation": seen,
        "renderings": [
            {
                "text": r.text,
                "count": len(aligned),
                "share": round(len(aligned) / len(finding.pairs), 4),
                "by_relation": {
                    relation: {
                        "count": len(r.aligned.get(relation, ())),
                        "share": round(len(r.aligned.get(relation, ())) / seen[relation], 4) if seen[relation] else 0.0,
                    }
                    for relation in RELATIONS
                },
                # the rendering's relation: another year's version only when no translation of the same document
                # holds it (a rendering to check before reuse)
                "relation": _relation_json("same" if r.aligned.get("same") else "other_year"),
                "forms": list(r.forms),
                "dice": r.dice,
                "pairs": r.pairs,
                "frequency": r.frequency,
                "examples": [
                    {
                        "id": p.source,
                        "text": texts[p.source],
                        "translation": {"id": p.target, "text": p.text},
                        "relation": _relation_json(p.relation),
                    }
                    for p in aligned[:EXAMPLES]
                ],
            }
            for r, aligned in rows
        ],
    }


def _relation_json(relation: str) -> dict:
    return {"type": relation, "label": RELATIONS[relation]}
