"""Aligned paragraph pairs of an index written for translation memory tools: TMX 1.4b or CSV.

The pairs come from the whole index (`tandem export`, filtered by symbol, year and kind) or from given
paragraphs (the hits of a search: `tandem search --format`, `tandem export --query`, `GET /api/export`).
Translations taken from another year's version of a document are left out unless asked for: in a
translation memory they would pass for translations of the same text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from .analysis import DEFAULT_LANGUAGES, LANGUAGES
from .catalog import Catalog
from .formats import TMX_TAIL, tmx_head, tmx_unit
from .query.nodes import Filter

LANG_TAGS = ("region", "bare")  # xml:lang as fr-FR / zh-CN (what CAT tools expect), or as fr / zh
EXCEL_BOM = "\ufeff"  # Excel reads a CSV file as UTF-8 only when it starts with a byte order mark


@dataclass(frozen=True)
class Side:
    """One side of an exported pair: its document and paragraphs."""

    lang: str
    symbol: str
    year: int | None
    numbers: str  # paragraph numbers, or positions from 1 where a paragraph has none
    ids: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ExportPair:
    """An aligned pair of paragraphs (one or several a side) with its relation and confidence."""

    relation: str
    confidence: float
    a: Side
    b: Side


def _side(doc: dict, paras: list[dict]) -> Side:
    return Side(
        doc["lang"],
        doc["symbol"] or doc["source"],
        doc["year"],
        ",".join(p["number"] or str(p["position"] + 1) for p in paras),
        tuple(p["id"] for p in paras),
        "\n".join(p["text"] for p in paras),
    )


def _keeps(filters: tuple[Filter, ...], docs: tuple[dict, dict], paras: list[dict]) -> bool:
    """A pair passes a filter when either of its documents (symbol, year) or paragraphs (kind) does."""
    for f in filters:
        if f.field == "symbol" and not any(d["symbol"] in f.values for d in docs):
            return False
        if f.field == "year" and not any(d["year"] and f.values[0] <= d["year"] <= f.values[1] for d in docs):
            return False
        if f.field == "kind" and not any(p["kind"] in f.values for p in paras):
            return False
    return True


def index_pairs(
    catalog: Catalog, filters: tuple[Filter, ...] = (), include_other_years: bool = False
) -> Iterator[ExportPair]:
    """Every aligned pair of the index with both sides present, document pair by document pair, in document
    order; only those passing `filters` (request_filters: symbol, year, kind)."""
    for pair in catalog.pairs():
        if pair.relation != "same" and not include_other_years:
            continue
        docs = (catalog.document(pair.a), catalog.document(pair.b))
        if not _keeps(tuple(f for f in filters if f.field != "kind"), docs, []):
            continue
        paras = {p["id"]: p for d in (pair.a, pair.b) for p in catalog.paragraphs_of(d)}
        for link in catalog.links(pair.id):
            if not (link["a"] and link["b"]):
                continue
            a, b = [paras[i] for i in link["a"]], [paras[i] for i in link["b"]]
            if _keeps(filters, docs, a + b):
                yield ExportPair(pair.relation, round(link["score"], 3), _side(docs[0], a), _side(docs[1], b))


def paragraph_pairs(
    catalog: Catalog, paragraph_ids: list[str], include_other_years: bool = False
) -> Iterator[ExportPair]:
    """The aligned pairs holding the given paragraphs (search hits), in their order, each link once; the
    side of the given paragraph comes first."""
    seen: set[tuple[int, tuple[str, ...]]] = set()
    documents: dict[str, dict] = {}

    def doc(doc_id: str) -> dict:
        if doc_id not in documents:
            documents[doc_id] = catalog.document(doc_id)
        return documents[doc_id]

    translations = catalog.translations(paragraph_ids)
    for pid in paragraph_ids:
        for link in translations.get(pid, []):
            pair, others = link["pair"], link["paragraphs"]
            if not others or (pair.relation != "same" and not include_other_years):
                continue
            key = (pair.id, tuple(link["own"]))
            if key in seen:
                continue
            seen.add(key)
            own = list(catalog.paragraphs(link["own"]).values()) or list(catalog.paragraphs([pid]).values())
            own.sort(key=lambda p: p["position"])
            yield ExportPair(
                pair.relation,
                round(link["score"], 3),
                _side(doc(own[0]["doc"]), own),
                _side(doc(others[0]["doc"]), others),
            )


def lang_tag(code: str, style: str = "region") -> str:
    """A language's xml:lang in TMX: with its region (fr-FR), or the bare code (fr)."""
    if style == "region" and code in LANGUAGES and LANGUAGES[code].region_tag:
        return LANGUAGES[code].region_tag
    return code


def write_tmx(
    pairs: Iterable[ExportPair], out: IO[str], lang_tags: str = "region", srclang: str = DEFAULT_LANGUAGES[0]
) -> int:
    """Write pairs as TMX 1.4b, one <tu> a pair; returns how many were written."""
    count = 0
    for pair in pairs:
        if not count:
            out.write(tmx_head(lang_tag(pair.a.lang, lang_tags)))
        props: dict[str, object] = {"relation": pair.relation, "confidence": pair.confidence}
        for side in (pair.a, pair.b):
            props[f"{side.lang}-symbol"] = side.symbol
            props[f"{side.lang}-year"] = side.year
            props[f"{side.lang}-paragraph"] = side.numbers
        out.write(tmx_unit({lang_tag(s.lang, lang_tags): s.text for s in (pair.a, pair.b)}, props))
        count += 1
    if not count:
        out.write(tmx_head(lang_tag(srclang, lang_tags)))
    out.write(TMX_TAIL)
    return count


_SIDE_COLUMNS = ("lang", "symbol", "year", "paragraph", "ids", "text")
CSV_COLUMNS = ("relation", "confidence") + tuple(f"{s}_{k}" for s in "ab" for k in _SIDE_COLUMNS)


def write_csv(pairs: Iterable[ExportPair], out: IO[str], excel: bool = False) -> int:
    """Write pairs as CSV with a header row (a byte order mark first for Excel); returns the rows written."""
    if excel:
        out.write(EXCEL_BOM)
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for pair in pairs:
        row: list[object] = [pair.relation, pair.confidence]
        for s in (pair.a, pair.b):
            row += [s.lang, s.symbol, s.year, s.numbers, " ".join(s.ids), s.text]
        writer.writerow(row)
        count += 1
    return count


def write_pairs(
    pairs: Iterable[ExportPair],
    out: IO[str],
    fmt: str,
    lang_tags: str = "region",
    excel: bool = False,
    srclang=DEFAULT_LANGUAGES[0],
) -> int:
    """Write pairs as "tmx" or "csv" (srclang: the TMX source language when there is no pair); returns how
    many were written."""
    if fmt == "tmx":
        return write_tmx(pairs, out, lang_tags, srclang)
    if fmt == "csv":
        return write_csv(pairs, out, excel)
    raise ValueError(f"unknown export format {fmt!r}")
