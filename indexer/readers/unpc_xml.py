"""The UN Parallel Corpus v1.0 in its own TEI XML: one file per document and language (header: symbol, job
number, date; body: <p id="P"> holding <s id="P:S">), and XCES link files (<linkGrp fromDoc toDoc> of
<link xtargets="P:S P:S;P:S">) pairing the sentences of two language versions.

A document pair named by a link file is read as aligned rows, one per link with sentences on both sides, as
the corpus's own line-parallel form is made; a document no link file names is read with its paragraphs as
the P ids give them, and paired and aligned by tandem like any other document (P:S ids number each language's
own paragraphs: fr:62:2 is zh:58:2 in the dev set, so equal ids are not a pairing)."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import LANGUAGES, detect_lang, language_of_tag
from ..documents import Document, Paragraph, document_id
from ..errors import CorpusError
from .bitext import Group, RowStream
from .sniff import Sniff, open_maybe_gzip, reading_error
from .units import single_document

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
MAX_DOCUMENT_BYTES = 200 * 1024 * 1024  # one document's file: its sentences are held while it is read
_LANG_ATTR = re.compile(rb"""<(?:\w+:)?s\b[^>]*?\s(?:xml:)?lang\s*=\s*["']([^"']+)["']""")
_DATE = re.compile(r"((?:19|20)\d\d)-?([01]\d)-?([0-3]\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class TeiDocument:
    """A TEI document as read: its header and its paragraphs of (sentence id, text)."""

    lang: str | None = None
    symbol: str | None = None
    job: str | None = None
    date: str | None = None
    year: int | None = None
    title: str | None = None
    paragraphs: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)

    def sentences(self) -> dict[str, str]:
        """Sentence id -> text."""
        return {sid: text for _, sents in self.paragraphs for sid, text in sents}


def _iterparse(path: Path, events=("end",)):
    """iterparse over a file that may be gzip-compressed, with its errors as CorpusError."""
    try:
        with open_maybe_gzip(path) as fh:
            yield from ET.iterparse(fh, events=events)
    except ET.ParseError as exc:
        raise CorpusError(f"{path.name}: XML not well formed ({exc})") from None
    except (OSError, EOFError, ValueError) as exc:
        raise CorpusError(f"{path.name}: {reading_error(exc).message}") from None


def _text(elem: ET.Element) -> str:
    return " ".join("".join(elem.itertext()).split())


def _sentences(p: ET.Element) -> list[ET.Element]:
    return [s for s in p.iter() if _local(s.tag) == "s"]


def read_tei(path: Path) -> TeiDocument:
    """A TEI document's header and sentences, each paragraph cleared from the tree once read."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise CorpusError(f"{path.name}: file too large ({path.stat().st_size // (1024 * 1024)} MB)")
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}") from None
    doc = TeiDocument()
    in_header = False
    for event, elem in _iterparse(path, ("start", "end")):
        tag = _local(elem.tag)
        if tag == "teiHeader":
            in_header = event == "start"
            if not in_header:
                elem.clear()
        if event == "start":
            continue
        if in_header:
            kind = (elem.get("type") or "").lower()
            if tag == "idno" and kind == "symbol":
                doc.symbol = doc.symbol or _text(elem) or None
            elif tag == "idno" and kind in ("jobno", "job"):
                doc.job = doc.job or _text(elem) or None
            elif tag == "date" and doc.date is None and doc.year is None:
                _set_date(doc, _text(elem) or elem.get("when") or "")
            elif tag == "title" and doc.title is None:
                doc.title = _text(elem) or None
            continue
        if tag == "s" and doc.lang is None:
            doc.lang = _language(elem.get(XML_LANG) or elem.get("lang") or "")
        elif tag == "p":
            pid = elem.get("id") or elem.get(XML_ID) or str(len(doc.paragraphs) + 1)
            sents = [
                (s.get("id") or s.get(XML_ID) or f"{pid}:{i}", _text(s)) for i, s in enumerate(_sentences(elem), 1)
            ]
            if not sents:
                sents = [(f"{pid}:1", _text(elem))]
            sents = [(sid, text) for sid, text in sents if text]
            if sents:
                doc.paragraphs.append((pid, sents))
            elem.clear()
    return doc


def _set_date(doc: TeiDocument, text: str):
    m = _DATE.search(text)
    if m:
        doc.date = "-".join(m.groups())
        doc.year = int(m.group(1))
    elif _YEAR.search(text):
        doc.year = int(_YEAR.search(text).group(0))


def _language(tag: str) -> str | None:
    """The registered language a tag names, or the tag's own language subtag (for messages) if none does."""
    if not tag.strip():
        return None
    return language_of_tag(tag) or re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]


def tei_language(path: Path, key: str) -> str | None:
    """The language of a TEI file, told cheaply: the lang of its first sentence, else a folder of its path
    named for a language ("xml/fr/2015/..."), else None."""
    m = _LANG_ATTR.search(Sniff.of(path).text_head)
    lang = _language(m.group(1).decode("ascii", "replace")) if m else None
    if lang:
        return lang
    for part in key.split("/")[:-1]:
        if len(part) <= 7 and language_of_tag(part) and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z]+)?", part):
            return language_of_tag(part)
    return None


def _document(tei: TeiDocument, key: str, path: Path) -> Document:
    """A standalone TEI document with its paragraphs (sentences joined as its language joins lines)."""
    from .un_text import classify_paragraphs

    lang = tei.lang
    if lang is None:
        sample = " ".join(text for _, sents in tei.paragraphs[:50] for _, text in sents)
        lang = detect_lang(sample, tuple(LANGUAGES))
    join = LANGUAGES[lang].line_join
    texts = [join.join(text for _, text in sents) for _, sents in tei.paragraphs]
    if not texts:
        raise CorpusError(f"{path.name}: no paragraphs in the document")
    kinds = classify_paragraphs(texts, lang)
    meta = {k: v for k, v in (("job", tei.job), ("year", tei.year)) if v}
    doc = Document(
        lang=lang,
        symbol=tei.symbol,
        date=tei.date,
        title=tei.title,
        source=key,
        format="unpc_xml",
        paragraphs=[Paragraph(t, kind, number) for t, (kind, number) in zip(texts, kinds)],
        meta=meta,
    )
    return doc.finalize()


def _link_groups(path: Path) -> Iterator[tuple[str, str, list[tuple[list[str], list[str]]]]]:
    """(fromDoc, toDoc, links) of each <linkGrp> of a link file, a link being its two sides' sentence ids."""
    for _, elem in _iterparse(path):
        if _local(elem.tag) == "linkGrp":
            links = []
            for link in elem.iter():
                if _local(link.tag) == "link":
                    a, _, b = (link.get("xtargets") or "").partition(";")
                    links.append((a.split(), b.split()))
            yield elem.get("fromDoc") or "", elem.get("toDoc") or "", links
            elem.clear()


def _normal(ref: str) -> str:
    ref = posixpath.normpath(ref.replace("\\", "/")).lstrip("/")
    return ref.removesuffix(".gz")


def group_unpc(units: list, root: Path, languages) -> list:
    """Units with each link file joined by the TEI documents it pairs in the indexed languages (those
    documents are no longer units of their own); a link file that pairs none is skipped with the reason."""
    tei = {_normal(u.key): u for u in units if u.format == "unpc_xml" and not u.reason}
    links = [u for u in units if u.format == "unpc_links" and not u.reason]
    if not links:
        return units
    langs: dict[str, str | None] = {}
    used: set[str] = set()
    for unit in links:
        refs: dict[str, Path] = {}
        folder = posixpath.dirname(unit.key)
        try:
            for from_doc, to_doc, _ in _link_groups(unit.paths[0]):
                found = [_resolve(ref, folder, tei) for ref in (from_doc, to_doc)]
                if None in found:
                    continue
                for key in found:
                    if key not in langs:
                        langs[key] = tei_language(tei[key].paths[0], tei[key].key)
                if sorted(langs[k] or "" for k in found) != sorted(languages[:2]):
                    continue
                refs[from_doc], refs[to_doc] = tei[found[0]].paths[0], tei[found[1]].paths[0]
                used.update(found)
        except CorpusError as exc:
            unit.reason = exc.message
            continue
        if not refs:
            names = " and ".join(LANGUAGES[lang].name for lang in languages[:2])
            unit.reason = f"a link file that pairs no {names} documents of the corpus"
            continue
        unit.paths = [unit.paths[0], *sorted(set(refs.values()))]
        unit.refs = refs
    return [u for u in units if not (u.format == "unpc_xml" and _normal(u.key) in used)]


def _resolve(ref: str, folder: str, tei: dict) -> str | None:
    """The TEI file a link file names: relative to the link file, to the corpus folder, or the one file whose
    path ends with the name."""
    ref = _normal(ref)
    for candidate in (_normal(posixpath.join(folder, ref)), ref):
        if candidate in tei:
            return candidate
    ends = [key for key in tei if key.endswith("/" + ref)]
    return ends[0] if len(ends) == 1 else None


def open_unpc(unit, languages):
    """A TEI document alone, or a link file with the documents it pairs, checked and ready to read."""
    if unit.format == "unpc_links":
        return LinkStream(unit, languages)
    tei = read_tei(unit.paths[0])
    if tei.lang is not None and tei.lang not in languages:
        raise CorpusError(f"language {tei.lang} is not among the indexed languages")
    return single_document(_document(tei, unit.key, unit.paths[0]), languages)


class LinkStream(RowStream):
    """The document pairs of a link file as aligned rows (one per link holding sentences on both sides), each
    pair checked when opened (documents readable, in the indexed languages) and read again when iterated."""

    format = "unpc_xml"

    def __init__(self, unit, languages):
        self.unit = unit
        self.langs = list(languages[:2])
        self.groups: dict[str, Group] = {}
        passed: Counter = Counter()
        total = rows = 0
        for key, group, pair_rows in self._pairs():
            for row in pair_rows:
                total += 1
                if isinstance(row, str):
                    passed[row] += 1
                    continue
                group.rows += 1
                group.last = rows
                rows += 1
            if group.rows:
                self.groups[key] = group
        if not rows:
            raise CorpusError("a link file whose links pair no sentences of its documents")
        self.passed_over = ""
        if passed:
            detail = ", ".join(f"{n} {why}" for why, n in sorted(passed.items()))
            self.passed_over = f"{sum(passed.values())} of {total} sentence links passed over: {detail}"

    def _pairs(self):
        """(group key, Group, rows) of each document pair the link file names; a row is the texts of a link in
        self.langs order, or why the link is passed over."""
        for n, (from_doc, to_doc, links) in enumerate(_link_groups(self.unit.paths[0])):
            if from_doc not in self.unit.refs or to_doc not in self.unit.refs:
                continue
            docs = [read_tei(self.unit.refs[ref]) for ref in (from_doc, to_doc)]
            for doc, ref in zip(docs, (from_doc, to_doc)):
                doc.lang = doc.lang or tei_language(self.unit.refs[ref], ref)
            if sorted(d.lang or "" for d in docs) != sorted(self.langs):
                continue
            order = [0, 1] if docs[0].lang == self.langs[0] else [1, 0]
            group = Group(symbol=None, year=None)
            for doc, ref in zip(docs, (from_doc, to_doc)):
                if doc.symbol:
                    group.symbols[doc.lang] = doc.symbol
                if doc.date:
                    group.dates[doc.lang] = doc.date
                group.meta[doc.lang] = {"file": ref, **{k: v for k, v in (("job", doc.job), ("year", doc.year)) if v}}
            yield str(n), group, self._rows_of(docs, links, order)

    def _rows_of(self, docs: list[TeiDocument], links, order) -> Iterator[tuple[str, str] | str]:
        sentences = [doc.sentences() for doc in docs]
        joins = [LANGUAGES[doc.lang].line_join for doc in docs]
        for sides in links:
            if not (sides[0] and sides[1]):
                yield "with a sentence on one side only"
                continue
            try:
                texts = [joins[i].join(sentences[i][sid] for sid in sides[i]) for i in (0, 1)]
            except KeyError:
                yield "naming a sentence its document lacks"
                continue
            yield tuple(texts[i] for i in order)

    def _rows(self) -> Iterator[tuple[str, ...]]:
        for key, _, pair_rows in self._pairs():
            for row in pair_rows:
                if not isinstance(row, str):
                    yield (key, *row)

    def _document(self, lang: str, group: Group) -> Document:
        doc = super()._document(lang, group)
        if doc.symbol is None:  # documents without a symbol are told apart by their file
            doc.id = document_id(lang, group.meta[lang]["file"])
        return doc
