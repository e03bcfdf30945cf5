"""Reader for Word .docx files, from their WordprocessingML parts read directly (zipfile and ElementTree):
paragraphs in document order with their styles and list numbering, footnotes and endnotes from their own
parts, the symbol from the page header. The paragraphs are then classified and described by the plain-text
reader's rules (indexer.readers.un_text), so a .docx gives what its PDF or text extraction gives. python-docx
was not used: it gives neither footnotes, endnotes nor list numbers, which are read from the XML anyway (a
seed's file: 31 ms of CPU whole, against 18 ms for python-docx's paragraph texts alone)."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

from ..errors import CorpusError
from .un_text import _SYMBOL, detect_language, document_from_lines
from .units import Unit, single_document

__all__ = ["read_docx", "open_docx"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_PART_BYTES = 100 * 1024 * 1024  # a part inflating beyond this is a zip bomb, not a document


@dataclass
class _Numbering:
    """List numbering: num id -> abstract id, abstract levels (start, format, text), and running counters."""

    nums: dict[str, str] = field(default_factory=dict)
    levels: dict[tuple[str, int], tuple[int, str, str]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str | None]:
        """The label of the next item of a list at a level ("3.", "a)"), and its number when decimal."""
        abstract = self.nums.get(num_id)
        if abstract is None or num_id == "0":
            return "", None
        counts = self.counters.setdefault(abstract, [0] * 9)
        start, fmt, _ = self.levels.get((abstract, ilvl), (1, "decimal", f"%{ilvl + 1}."))
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if fmt in ("bullet", "none"):
            return "", None

        def level(m: re.Match) -> str:
            lvl = int(m.group(1)) - 1
            lvl_start, lvl_fmt, _ = self.levels.get((abstract, lvl), (1, "decimal", ""))
            return _format(counts[lvl] or lvl_start, lvl_fmt)

        text = self.levels.get((abstract, ilvl), (1, "decimal", f"%{ilvl + 1}."))[2]
        return re.sub(r"%(\d)", level, text), str(counts[ilvl]) if fmt == "decimal" else None


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.upper() if fmt == "upperRoman" else s
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l")):
        while n >= value:
            out, n = out + letters, n - value
    for value, letters in ((40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Package:
    """The parts of a .docx."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CorpusError(f"damaged Word file: not a readable ZIP ({exc})") from None
        if "word/document.xml" not in self.names:
            raise CorpusError("a ZIP archive that is not a Word document (no word/document.xml)")

    def xml(self, name: str) -> ET.Element | None:
        """A part parsed, or None when absent; CorpusError when it is damaged."""
        if name not in self.names:
            return None
        try:
            if self.zip.getinfo(name).file_size > MAX_PART_BYTES:
                raise CorpusError(f"damaged Word file: {name} inflates beyond {MAX_PART_BYTES >> 20} MB")
            return ET.fromstring(self.zip.read(name))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise CorpusError(f"damaged Word file: {name} cannot be read ({exc})") from None
        except ET.ParseError as exc:
            raise CorpusError(f"damaged Word file: {name} is not well-formed XML ({exc})") from None

    def related(self, rel_type: str) -> list[str]:
        """The parts the main document relates to with a relationship type ending in rel_type."""
        rels = self.xml("word/_rels/document.xml.rels")
        if rels is None:
            return []
        out = []
        for rel in rels.iter(f"{PKG_REL}Relationship"):
            if rel.get("Type", "").endswith("/" + rel_type) and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                out.append(target.lstrip("/") if target.startswith("/") else posixpath.normpath("word/" + target))
        return out


def _styles(pkg: _Package) -> dict[str, tuple[str, str | None, tuple | None]]:
    """Paragraph styles: id -> (name, based on, (numId, ilvl) of its list numbering or None)."""
    out = {}
    root = pkg.xml("word/styles.xml")
    for style in root.iter(f"{W}style") if root is not None else ():
        name = style.find(f"{W}name")
        based = style.find(f"{W}basedOn")
        out[style.get(f"{W}styleId")] = (
            (name.get(f"{W}val") if name is not None else "").lower(),
            based.get(f"{W}val") if based is not None else None,
            _num_pr(style.find(f"{W}pPr")),
        )
    return out


def _num_pr(ppr) -> tuple[str, int] | None:
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    if num is None:
        return None
    num_id, ilvl = num.find(f"{W}numId"), num.find(f"{W}ilvl")
    if num_id is None:
        return None
    return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val")) if ilvl is not None else 0


def _numbering(pkg: _Package) -> _Numbering:
    out = _Numbering()
    root = pkg.xml("word/numbering.xml")
    if root is None:
        return out
    for abstract in root.iter(f"{W}abstractNum"):
        aid = abstract.get(f"{W}abstractNumId")
        for lvl in abstract.iter(f"{W}lvl"):
            start, fmt, text = lvl.find(f"{W}start"), lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText")
            out.levels[(aid, int(lvl.get(f"{W}ilvl")))] = (
                int(start.get(f"{W}val")) if start is not None else 1,
                fmt.get(f"{W}val") if fmt is not None else "decimal",
                text.get(f"{W}val") if text is not None else "",
            )
    for num in root.iter(f"{W}num"):
        abstract = num.find(f"{W}abstractNumId")
        if abstract is not None:
            out.nums[num.get(f"{W}numId")] = abstract.get(f"{W}val")
    return out


def _style_chain(style_id: str | None, styles) -> list[tuple[str, str | None, tuple | None]]:
    chain, seen = [], set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        chain.append(styles[style_id])
        style_id = styles[style_id][1]
    return chain


def _runs_text(p: ET.Element, refs: list | None = None) -> str:
    """The text a paragraph shows; with `refs`, the note references met, as (offset, kind, id)."""
    out: list[str] = []
    length = 0
    for el in p.iter():
        tag = el.tag
        text = ""
        if tag == f"{W}t":
            text = el.text or ""
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            text = " "
        elif tag == f"{W}noBreakHyphen":
            text = "-"
        elif refs is not None and tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            refs.append((length, tag[len(W) :], el.get(f"{W}id")))
        if text:
            out.append(text)
            length += len(text)
    return "".join(out)


def _notes(pkg: _Package, part: str, kind: str) -> dict[str, str]:
    """The text of each footnote or endnote by id (separators left out)."""
    names = pkg.related(kind + "s")
    root = pkg.xml(names[0]) if names else None
    out = {}
    for note in root.iter(f"{W}{kind}") if root is not None else ():
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = " ".join(_runs_text(p) for p in note.iter(f"{W}p"))
        out[note.get(f"{W}id")] = " ".join(text.split())
    return out


def _header_symbol(pkg: _Package) -> str | None:
    """The document symbol printed in a page header, if one is."""
    for name in pkg.related("header"):
        root = pkg.xml(name)
        for p in root.iter(f"{W}p") if root is not None else ():
            text = " ".join(_runs_text(p).split())
            if _SYMBOL.fullmatch(text) and re.search(r"\d", text):
                return text
    return None


def read_docx(path, source: str = ""):
    """A Word .docx of a UN document as a finalized Document (CorpusError when it cannot be read)."""
    pkg = _Package(path)
    try:
        root = pkg.xml("word/document.xml")
        body = root.find(f"{W}body") if root is not None else None
        if body is None:
            raise CorpusError("damaged Word file: word/document.xml has no body")
        styles, numbering = _styles(pkg), _numbering(pkg)
        texts = {"footnoteReference": _notes(pkg, "footnotes", "footnote")}
        texts["endnoteReference"] = _notes(pkg, "endnotes", "endnote")
        symbol = _header_symbol(pkg)
    finally:
        pkg.zip.close()
    lines: list[tuple[int, str]] = [(0, symbol)] if symbol else []
    cuts: dict[int, list[tuple[int, int, str]]] = {}
    notes: dict[str, tuple[str, int]] = {}
    titles, numbers = set(), {}
    shown = {"footnoteReference": 0, "endnoteReference": 0}  # notes numbered in the order they are cited
    for p in body.iter(f"{W}p"):
        refs: list = []
        text = _runs_text(p, refs)
        ppr = p.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        chain = _style_chain(style.get(f"{W}val") if style is not None else None, styles)
        num = _num_pr(ppr) or next((c[2] for c in chain if c[2]), None)
        label, number = numbering.label(*num) if num and text.strip() else ("", None)
        stripped = text.lstrip()
        lead = len(text) - len(stripped)
        if not stripped.strip():
            continue
        idx = len(lines) + 1
        prefix = " " + (label + " " if label else "")
        lines.append((idx, prefix + stripped.rstrip()))
        if any(name == "title" for name, _, _ in chain):
            titles.add(idx)
        if number:
            numbers[idx] = number
        for offset, kind, note_id in refs:
            shown[kind] += 1
            n = str(shown[kind]) if kind == "footnoteReference" else _roman(shown[kind])
            at = max(0, min(offset - lead, len(stripped.rstrip()))) + len(prefix)
            cuts.setdefault(idx, []).append((at, at, n))
            notes[n] = (texts[kind].get(note_id, ""), idx)
    if not lines:
        raise CorpusError("no paragraphs found in the document")
    lang = detect_language("\n".join(text for _, text in lines))
    return document_from_lines(
        lines,
        {n: v for n, v in notes.items()},
        lang,
        source,
        cuts=cuts,
        exact=True,
        fmt="docx",
        titles=frozenset(titles),
        numbers=numbers,
    )


def open_docx(unit: Unit, languages):
    """The reader of the format table: a .docx unit as one whole document."""
    return single_document(read_docx(unit.paths[0], unit.key), languages)
