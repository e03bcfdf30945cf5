"""How a term is translated, as the service answers it: the paragraphs holding the term, their aligned
translations, and the renderings found in them (indexer.terms), counted pair by pair and apart for
translations of the same document and of another year's version."""

from __future__ import annotations

import threading
from collections import OrderedDict

from indexer.engines.base import SearchRequest
from indexer.query.planner import plan, plan_term
from indexer.terms import Pair, Rendering, renderings

MAX_TERM_PARAGRAPHS = 500  # paragraphs holding a term whose translations are read (the best-ranked first)
EXAMPLES = 3  # aligned pairs shown for each rendering
RELATIONS = {"same": "same document", "other_year": "another year's version"}
CACHE_SIZE = 4096  # terms whose renderings a service keeps
MAX_RENDERINGS = 50  # the most an answer may ask for


class TermFinding:
    """What looking a term up found: the paragraphs holding it, the pairs read and the renderings."""

    def __init__(self, paragraphs: int, pairs: list[Pair], found: list[Rendering]):
        self.paragraphs = paragraphs
        self.pairs = pairs
        self.renderings = found


def find_renderings(reader, term: str, lang: str, target: str) -> TermFinding:
    """The renderings in `target` of a term of `lang`, from the aligned translations of the paragraphs holding
    it (the best-ranked MAX_TERM_PARAGRAPHS)."""
    searcher = reader.searcher
    planned = plan_term(term, lang, reader)
    found = searcher.search(SearchRequest(planned.query, planned.filters, MAX_TERM_PARAGRAPHS, "relevance", ()))
    ids = [pid for pid, _ in found.hits]
    links = reader.catalog.translations(ids)
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

    def frequency(forms: tuple[str, ...]) -> int:
        # the paragraphs of the target language holding any spelling of a rendering, as written
        counted = plan(" OR ".join(f'"{form}"' for form in forms), target, reader)
        total = searcher.search(SearchRequest(counted.query, counted.filters, 1, "relevance", ())).total
        return round(total * share)

    return TermFinding(found.total, pairs, renderings(term, len(ids), pairs, target, frequency, MAX_RENDERINGS))


class TermCache:
    """Findings by (generation, language, term): a term's renderings are worked out once per index."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

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
    """The answer of GET /api/terms: renderings most aligned pairs first, those of another year's version
    counted apart; `texts_of` reads paragraph texts by id (for the examples)."""
    seen = {relation: sum(1 for p in finding.pairs if p.relation == relation) for relation in RELATIONS}
    rows = [(r, relation, aligned) for r in finding.renderings for relation, aligned in r.aligned.items()]
    rows.sort(key=lambda row: (-len(row[2]), row[1] != "same", -row[0].dice, row[0].text))
    rows = rows[:limit]
    texts = texts_of(sorted({p.source for _, _, aligned in rows for p in aligned[:EXAMPLES]}))
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
                "share": round(len(aligned) / seen[relation], 4),
                "relation": {"type": relation, "label": RELATIONS[relation]},
                "forms": list(r.forms),
                "dice": r.dice,
                "pairs": r.pairs,
                "frequency": r.frequency,
                "examples": [
                    {"id": p.source, "text": texts[p.source], "translation": {"id": p.target, "text": p.text}}
                    for p in aligned[:EXAMPLES]
                ],
            }
            for r, relation, aligned in rows
        ],
    }
