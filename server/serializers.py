"""JSON shapes of the API and `tandem search --json`: documents, paragraphs, hits, relations, aligned pairs."""

from __future__ import annotations

from indexer.catalog import Catalog
from indexer.checks import PairCheck, paragraphs_differences

from .highlight import highlight, marked

DOC_FIELDS = ("id", "symbol", "lang", "date", "year", "title")


def doc_summary(d: dict) -> dict:
    """A document row as the API lists it."""
    return {k: d[k] for k in DOC_FIELDS + ("paragraphs", "source", "format")}


class Documents:
    """Document details by id, each read from the catalog once per answer."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._cache: dict[str, dict] = {}

    def __getitem__(self, doc_id: str) -> dict:
        if doc_id not in self._cache:
            row = self.catalog.document(doc_id)
            self._cache[doc_id] = {k: row[k] for k in DOC_FIELDS}
        return self._cache[doc_id]

    def read(self, doc_ids) -> None:
        """Read the documents not read yet among `doc_ids` at once (rather than one by one on first use)."""
        missing = sorted({d for d in doc_ids if d not in self._cache})
        for doc_id, row in self.catalog.documents_by_id(missing).items():
            self._cache[doc_id] = {k: row[k] for k in DOC_FIELDS}


def relation_json(relation: str, here: dict, there: dict) -> dict:
    """How a translation relates to the paragraph: the same document, or another year's version."""
    out = {
        "type": relation,
        "from": {"symbol": here["symbol"], "year": here["year"]},
        "to": {"symbol": there["symbol"], "year": there["year"]},
    }
    if relation == "same":
        out["label"] = "same document"
    else:
        out["label"] = (
            f"{there['symbol']} ({there['year']}), another year's version of {here['symbol']} ({here['year']})"
        )
    return out


def paragraph_json(p: dict, docs: Documents) -> dict:
    """A paragraph with its document."""
    doc = docs[p["doc"]]
    return {
        "id": p["id"],
        "lang": doc["lang"],
        "text": p["text"],
        "document": doc,
        "kind": p["kind"],
        "number": p["number"],
        "position": p["position"],
        "notes": p["notes"],
    }


def translations_json(p: dict, links: list[dict], docs: Documents, marks=None, targets=None) -> list[dict]:
    """A paragraph's aligned translations (into `targets` only, when given), with confidence and relation; given
    the marks of a query (server.marks.TargetMarks), each with its `highlight` too."""
    out = []
    here = docs[p["doc"]]
    for link in links:
        others = link["paragraphs"]
        if not others:
            continue
        doc = docs[others[0]["doc"]]
        if targets is not None and doc["lang"] not in targets:
            continue
        out.append(
            {
                "lang": doc["lang"],
                "id": others[0]["id"],
                "ids": [o["id"] for o in others],
                "text": "\n".join(o["text"] for o in others),
                "document": doc,
                "confidence": round(link["score"], 3),
                "relation": relation_json(link["pair"].relation, here, doc),
            }
        )
        if marks is not None:
            text = out[-1]["text"]
            out[-1]["highlight"] = marked(text, marks.spans(p, others[0]["id"], doc["lang"], text))
        if link["pair"].relation != "same" and here["lang"] != doc["lang"]:
            # last year's translation: the numbers, symbols and dates to update before reusing it
            out[-1]["differences"] = paragraphs_differences([p], others, here["lang"], doc["lang"]).as_dict()
    return out


def hits_json(
    catalog: Catalog, page: list[tuple[str, float | None]], lang: str, marks, translation_marks=None, targets=None
) -> list[dict]:
    """Search hits: paragraph, score, highlighted text, translations into `targets` (all when None; highlighted
    with translation_marks)."""
    ids = [pid for pid, _ in page]
    paras = catalog.paragraphs(ids)
    translations = catalog.translations(ids)
    docs = Documents(catalog)
    docs.read(
        [p["doc"] for p in paras.values()]
        + [link["paragraphs"][0]["doc"] for links in translations.values() for link in links if link["paragraphs"]]
    )
    out = []
    for pid, score in page:
        p = paras.get(pid)
        if p is None:
            continue
        hit = paragraph_json(p, docs)
        hit["score"] = round(score, 4) if score is not None else None
        hit["highlight"] = highlight(p["text"], lang, marks)
        hit["translations"] = translations_json(p, translations.get(pid, []), docs, translation_marks, targets)
        out.append(hit)
    return out


def alignment_json(catalog: Catalog, pair) -> dict:
    """A document pair's links in document order, each side as paragraph texts with ids."""
    a, b = catalog.document(pair.a), catalog.document(pair.b)
    paras = {p["id"]: p for d in (pair.a, pair.b) for p in catalog.paragraphs_of(d)}
    rows = []
    for link in catalog.links(pair.id):
        rows.append(
            {
                a["lang"]: [side_json(paras[i]) for i in link["a"]],
                b["lang"]: [side_json(paras[i]) for i in link["b"]],
                "score": round(link["score"], 3),
            }
        )
    return {
        "relation": relation_json(pair.relation, a, b),
        "method": pair.method,
        "documents": [doc_summary(a), doc_summary(b)],
        "rows": rows,
    }


def side_json(p: dict) -> dict:
    """One paragraph of an aligned pair."""
    return {"id": p["id"], "kind": p["kind"], "number": p["number"], "text": p["text"]}


def check_json(catalog: Catalog, symbol: str, docs: list[dict], compared: int, checks: list[PairCheck]) -> dict:
    """A document's aligned paragraph pairs whose numbers, symbols or dates differ, each with its relation
    seen from the document asked for."""
    mine = {d["id"] for d in docs}
    rows = Documents(catalog)
    out = []
    for check in checks:
        here, there = (check.pair.a, check.pair.b) if check.pair.a in mine else (check.pair.b, check.pair.a)
        out.append(
            {
                **{lang: _check_side(side) for lang, side in check.sides.items()},
                "differences": check.differences.as_dict(),
                "relation": relation_json(check.pair.relation, rows[here], rows[there]),
            }
        )
    return {"symbol": docs[0]["symbol"] or symbol, "checked": compared, "pairs": out}


def _check_side(paragraphs: list[dict]) -> dict:
    return {
        "id": paragraphs[0]["id"],
        "ids": [p["id"] for p in paragraphs],
        "text": "\n".join(p["text"] for p in paragraphs),
    }
