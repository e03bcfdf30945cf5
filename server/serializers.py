"""JSON shapes of the API and `tandem search --json`: documents, paragraphs, hits, relations, aligned pairs."""

from __future__ import annotations

from indexer.catalog import Catalog
from indexer.checks import PairCheck, paragraphs_differences

from .excerpts import (
    EXCERPT_CHARS,
    MAX_TRANSLATIONS,
    SIDE_PARAGRAPHS,
    TRANSLATION_PARAGRAPHS,
    TRANSLATION_SCAN,
    bounded,
    excerpt_spans,
    paragraph_url,
    part_json,
    scanned,
    window,
)
from .highlight import match_spans

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
        "source": p["source"],
        "part": part_json(p),
    }


def translations_json(
    p: dict,
    links: list[dict],
    docs: Documents,
    marks=None,
    base: str = "",
    most: int | None = None,
    shown=None,
    targets=None,
) -> list[dict]:
    """A paragraph's aligned translations (into `targets` only, when given; the first `most`), with confidence
    and relation, each its text or an excerpt (server.excerpts); given the marks of a query
    (server.marks.TargetMarks), each with its `highlight` too, marking the words the query matched in the
    paragraph's text `shown` (all of it)."""
    out = []
    here = docs[p["doc"]]
    source = dict(p, text=scanned(p["text"]) if shown is None else shown)
    wanted = [link for link in links if link["paragraphs"]]
    if targets is not None:
        wanted = [link for link in wanted if docs[link["paragraphs"][0]["doc"]]["lang"] in targets]
    for link in wanted[:most]:
        others = link["paragraphs"]
        doc = docs[others[0]["doc"]]
        text = "\n".join(o["text"] for o in others)
        spans = marks.spans(source, others[0]["id"], doc["lang"], text[:TRANSLATION_SCAN]) if marks is not None else []
        shown = bounded(text, spans, paragraph_url(base, others[0]["id"]), more=link.get("unread", 0) > 0)
        if marks is None:
            del shown["highlight"]
        out.append(
            {
                "lang": doc["lang"],
                "id": others[0]["id"],
                "ids": [o["id"] for o in others],
                "text": shown.pop("text"),
                "document": doc,
                "confidence": round(link["score"], 3),
                "relation": relation_json(link["pair"].relation, here, doc),
                **shown,
            }
        )
        if link["pair"].relation != "same" and here["lang"] != doc["lang"]:
            # last year's translation: the numbers, symbols and dates to update before reusing it
            out[-1]["differences"] = paragraphs_differences([p], others, here["lang"], doc["lang"]).as_dict()
    return out


def hits_json(
    catalog: Catalog,
    page: list[tuple[str, float | None]],
    lang: str,
    marks,
    translation_marks=None,
    targets=None,
    base: str = "",
) -> list[dict]:
    """Search hits: paragraph, score, highlighted text, translations into `targets` (all when None; highlighted
    with translation_marks), each text an excerpt around its marks when long (server.excerpts), linked under
    `base`."""
    ids = [pid for pid, _ in page]
    paras = catalog.paragraphs(ids)
    translations = catalog.translations(ids, most=TRANSLATION_PARAGRAPHS)
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
        spans = excerpt_spans(p["text"], lambda text: match_spans(text, lang, marks))
        hit.update(bounded(p["text"], spans, paragraph_url(base, pid)))
        # translations are marked for the query's words in the text shown (all of a short one)
        hit["translations"] = translations_json(
            p, translations.get(pid, []), docs, translation_marks, base, MAX_TRANSLATIONS, hit["text"], targets
        )
        out.append(hit)
    return out


def alignment_json(catalog: Catalog, pair, offset: int = 0, limit: int | None = None, base: str = "") -> dict:
    """A document pair's links in document order, `limit` of them from `offset`, each side as paragraph texts
    with ids: at most SIDE_PARAGRAPHS a side (`more` counts the others), each text at most EXCERPT_CHARS (an
    excerpt from its start, with the `url` of the whole, under `base`, beyond)."""
    a, b = catalog.document(pair.a), catalog.document(pair.b)
    links = catalog.links(pair.id)
    shown = links[offset : None if limit is None else offset + limit]
    wanted = [i for link in shown for side in ("a", "b") for i in link[side][:SIDE_PARAGRAPHS]]
    paras = catalog.paragraphs(wanted)
    rows = []
    for link in shown:
        row = {
            a["lang"]: [side_json(paras[i], base) for i in link["a"][:SIDE_PARAGRAPHS]],
            b["lang"]: [side_json(paras[i], base) for i in link["b"][:SIDE_PARAGRAPHS]],
            "score": round(link["score"], 3),
        }
        more = {d["lang"]: len(link[side]) - SIDE_PARAGRAPHS for d, side in ((a, "a"), (b, "b"))}
        if any(n > 0 for n in more.values()):
            row["more"] = {lang: n for lang, n in more.items() if n > 0}
        rows.append(row)
    return {
        "relation": relation_json(pair.relation, a, b),
        "method": pair.method,
        "documents": [doc_summary(a), doc_summary(b)],
        "rows": rows,
        "rows_total": len(links),
        "offset": offset,
    }


def side_json(p: dict, base: str = "") -> dict:
    """One paragraph of an aligned pair, its text an excerpt when longer than EXCERPT_CHARS."""
    side = {"id": p["id"], "kind": p["kind"], "number": p["number"], "text": p["text"], "truncated": False}
    if len(p["text"]) > EXCERPT_CHARS:
        start, end = window(p["text"], [])
        side.update(text=p["text"][start:end], truncated=True, url=paragraph_url(base, p["id"]))
    return side


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
