"""JSON shapes shared by the search service and the API: documents, relations, aligned pairs."""

from __future__ import annotations

from indexer.catalog import Catalog


def doc_summary(d: dict) -> dict:
    """A document row as the API lists it."""
    return {k: d[k] for k in ("id", "symbol", "lang", "date", "year", "title", "paragraphs", "source", "format")}


def relation_json(relation: str, here: dict, there: dict) -> dict:
    """How a translation relates to the paragraph: the same document, or another year's version."""
    out = {"type": relation, "from": {"symbol": here["symbol"], "year": here["year"]},
           "to": {"symbol": there["symbol"], "year": there["year"]}}
    if relation == "same":
        out["label"] = "same document"
    else:
        out["label"] = f"{there['symbol']} ({there['year']}), another year's version of {here['symbol']} ({here['year']})"
    return out


def alignment_json(catalog: Catalog, pair) -> dict:
    """A document pair's links in document order, each side as paragraph texts with ids."""
    a, b = catalog.document(pair.a), catalog.document(pair.b)
    paras = {p["id"]: p for d in (pair.a, pair.b) for p in catalog.paragraphs_of(d)}
    rows = []
    for link in catalog.links(pair.id):
        rows.append({a["lang"]: [side_json(paras[i]) for i in link["a"]], b["lang"]: [side_json(paras[i]) for i in link["b"]],
                     "score": round(link["score"], 3)})
    return {"relation": relation_json(pair.relation, a, b), "method": pair.method,
            "documents": [doc_summary(a), doc_summary(b)], "rows": rows}


def side_json(p: dict) -> dict:
    """One paragraph of an aligned pair."""
    return {"id": p["id"], "kind": p["kind"], "number": p["number"], "text": p["text"]}
