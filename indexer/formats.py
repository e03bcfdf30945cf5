"""Alignment output: two texts aligned to JSON, TSV or TMX (the index's pairs are exported by indexer.exports)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import __version__
from .align import align_paragraphs
from .analysis import DEFAULT_LANGUAGES
from .documents import Document
from .errors import AlignError, CorpusError
from .pairing import pair_detail, pair_documents
from .readers import detect, read_text, read_unit
from .readers.un_text import parse_un_text

FORMATS = ("json", "tsv", "tmx")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _doc_json(doc: Document) -> dict:
    return {
        "id": doc.id,
        "symbol": doc.symbol,
        "lang": doc.lang,
        "date": doc.date,
        "year": doc.year,
        "title": doc.title,
        "paragraphs": len(doc.paragraphs),
    }


def align_documents(first: Document, second: Document, languages=DEFAULT_LANGUAGES) -> dict:
    """Align two parsed documents: {"documents", "relation", "pairs": [{lang: [texts], ..., "score"}]}."""
    if first.lang == second.lang:
        raise AlignError(f"both texts are in {first.lang}: give one text in each language")
    a, b = sorted((first, second), key=lambda d: languages.index(d.lang) if d.lang in languages else 99)
    found = pair_documents([a, b], a.lang, b.lang)
    if not (a.symbol and b.symbol):
        # nothing says which documents two texts without symbols are: aligned as given, never "another year's"
        relation = {"type": "given", **pair_detail(a, b)}
    elif found:
        relation = {"type": found[0].relation, **found[0].detail}
    else:
        relation = {"type": "unpaired", **pair_detail(a, b)}
    pairs = [
        {
            a.lang: [a.paragraphs[i].text for i in link.a],
            b.lang: [b.paragraphs[j].text for j in link.b],
            "score": round(link.score, 3),
        }
        for link in align_paragraphs(a.paragraphs, b.paragraphs, a.lang, b.lang)
    ]
    return {"documents": [_doc_json(a), _doc_json(b)], "relation": relation, "pairs": pairs}


def align_files(path_a, path_b, languages=DEFAULT_LANGUAGES) -> dict:
    """Align two UN document files (a text extraction, a PDF or a Word file each) without an index."""
    docs = []
    for path in (path_a, path_b):
        try:
            docs.append(_one_document(Path(path), languages))
        except CorpusError as exc:
            raise CorpusError(f"{path}: {exc.message}") from None
    return align_documents(docs[0], docs[1], languages)


def _one_document(path: Path, languages) -> Document:
    unit = detect(path, str(path))
    if unit.format == "text":  # any language the registry reads, indexed or not, as before
        return parse_un_text(read_text(path), source=str(path))
    if unit.format not in ("pdf", "docx"):
        raise CorpusError(unit.reason or f"a {unit.format} file holds more than one document: index it instead")
    unit.ocr = True  # scanned pages are read where tesseract is installed
    return read_unit(unit, languages).documents[0]


def alignment_tsv(result: dict) -> str:
    """An alignment as TSV: one line per link, languages then score, paragraphs of a side joined by ' ¶ '."""
    langs = [d["lang"] for d in result["documents"]]
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(langs + ["score"])
    for pair in result["pairs"]:
        writer.writerow([" ¶ ".join(pair[lang]) for lang in langs] + [pair["score"]])
    return out.getvalue()


def _xml(text) -> str:
    return escape(_XML_BAD.sub("", str(text)))


def tmx_unit(segs: dict[str, str], props: dict[str, object]) -> str:
    lines = ["  <tu>"]
    for key, value in props.items():
        if value not in (None, ""):
            lines.append(f"    <prop type={quoteattr('x-' + key)}>{_xml(value)}</prop>")
    for lang, text in segs.items():
        lines.append(f"    <tuv xml:lang={quoteattr(lang)}><seg>{_xml(text)}</seg></tuv>")
    lines.append("  </tu>")
    return "\n".join(lines) + "\n"


def tmx_head(srclang: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
        f'  <header creationtool="tandem" creationtoolversion="{__version__}" datatype="plaintext" '
        f'segtype="paragraph" adminlang="en" srclang={quoteattr(srclang)} o-tmf="tandem"/>\n  <body>\n'
    )


TMX_TAIL = "  </body>\n</tmx>\n"


def alignment_tmx(result: dict) -> str:
    """An alignment as TMX 1.4b: one <tu> per link with both sides."""
    docs = result["documents"]
    parts = [tmx_head(docs[0]["lang"])]
    for pair in result["pairs"]:
        if all(pair[d["lang"]] for d in docs):
            props = {"relation": result["relation"]["type"], "confidence": pair["score"]}
            for d in docs:
                props[f"{d['lang']}-symbol"] = d["symbol"]
            parts.append(tmx_unit({d["lang"]: "\n".join(pair[d["lang"]]) for d in docs}, props))
    parts.append(TMX_TAIL)
    return "".join(parts)
