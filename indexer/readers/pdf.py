"""Reader for PDF files: each page's text layer (PDFium, through pypdfium2), or its image read by OCR
(indexer.readers.ocr) where it has none. What a page tells and a text extraction loses is used here: running
headers and footers, page numbers, the first page's job number and barcode are recognised per page by their
place; footnotes by their smaller type at the page foot; footnote markers by their raised, smaller digits.
The lines left are read into paragraphs by the plain-text reader's rules (indexer.readers.un_text)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import count

from ..analysis import LANGUAGES
from ..errors import CorpusError
from .un_text import _JOB, _PAGE, _SYMBOL, EDGE, detect_language, document_from_lines
from .units import Unit, single_document

__all__ = ["Line", "open_pdf", "read_pdf", "pdf_pages"]

SMALL = 0.92  # footnotes are set smaller than the body (9 pt against 10)
_BARE_NUMBER = re.compile(r"\d{1,3}")
_DIGITS = re.compile(r"\d+")
_OCR_JOB = re.compile(r"\d{2}-\d{5}\s*(?:\(\w\))?|\*\d{5,}\*")  # OCR may read the job's letter S as 5


@dataclass
class Line:
    """A line of a page: its text, where it stands (PDF points, y upwards), its type size, and the spans of
    raised small digits in it (footnote markers)."""

    text: str
    x0: float
    x1: float
    base: float  # baseline
    size: float
    marks: list[tuple[int, int]] = field(default_factory=list)
    ocr: bool = False


@dataclass
class Page:
    """A page's lines and height; `ocr` when its lines were recognised from its image."""

    lines: list[Line]
    height: float
    ocr: bool = False


def _open(path):
    """The PDF opened by PDFium (pypdfium2 imported here: nothing heavy at import time)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise CorpusError("encrypted PDF: it opens only with a password; save an unprotected copy") from None
        if "format" in text or "corrupt" in text or "file" in text:
            raise CorpusError(f"damaged PDF: PDFium cannot read it ({exc})") from None
        raise CorpusError(f"unreadable PDF ({exc})") from None


def _text_lines(page) -> list[Line]:
    """The lines of a page's text layer, from PDFium's characters."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        x, y = ctypes.c_double(), ctypes.c_double()
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        lines: list[Line] = []
        chars: list[tuple[str, float, float, float, float]] = []
        get_unicode, get_origin, get_box, get_size = (
            raw.FPDFText_GetUnicode,
            raw.FPDFText_GetCharOrigin,
            raw.FPDFText_GetCharBox,
            raw.FPDFText_GetFontSize,
        )
        last = None  # the line's last character that is not a space
        for i in range(raw.FPDFText_CountChars(tp)):
            ch = chr(get_unicode(tp, i))
            if ch in "\r\n":
                if chars:
                    lines.append(_line(chars))
                    chars, last = [], None
                continue
            get_origin(tp, i, x, y)
            get_box(tp, i, left, right, bottom, top)
            char = (ch, left.value, right.value, y.value, get_size(tp, i))
            if ch == "\x02":  # PDFium's mark for a hyphen ending a line, which it joins to the next
                char = ("-", *char[1:])
            elif chars and chars[-1][0] == " " and unicodedata.category(ch) == "Mn":
                chars.pop()  # a space PDFium put before a mark set apart from its letter (justified Arabic's tanwin)
            elif last is not None and not ch.isspace() and char[3] < last[3] - 0.7 * char[4] and char[1] < last[1]:
                lines.append(_line(chars))  # below the line so far and back to its left: the next line
                chars = []
            chars.append(char)
            if not ch.isspace():
                last = char
        if chars:
            lines.append(_line(chars))
    finally:
        textpage.close()
    return _merge(lines)


def _line(chars) -> Line:
    """A line of characters (char, left, right, baseline, size), its raised small digits marked."""
    sized = [c for c in chars if not c[0].isspace()] or chars
    size = Counter(c[4] for c in sized).most_common(1)[0][0]
    base = Counter(c[3] for c in sized if c[4] == size).most_common(1)[0][0]
    text = "".join(c[0] for c in chars)
    marks, start = [], None
    for i, (ch, _, _, y, s) in enumerate(chars + [(" ", 0, 0, base, size)]):
        raised = ch.isdigit() and s < 0.8 * size and y > base + 0.15 * size
        if raised and start is None:
            start = i
        elif not raised and start is not None:
            marks.append((start, i))
            start = None
    x0 = min(c[1] for c in sized)
    x1 = max(c[2] for c in sized)
    return Line(text, x0, x1, base, size, marks)


def _merge(lines: list[Line]) -> list[Line]:
    """PDFium breaks a line where a raised marker shifts the baseline: pieces that carry on to the right of
    the previous one at about its height are put back together."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        size = max(prev.size, line.size) if prev else 0
        if prev and line.x0 >= prev.x1 - 1.5 and abs(line.base - prev.base) < 0.6 * size:
            small, big = (prev, line) if prev.size < line.size else (line, prev)
            gap = "" if line.x0 - prev.x1 < 0.15 * size or line.text[:1].isspace() else " "
            offset = len(prev.text) + len(gap)
            marks = prev.marks + [(a + offset, b + offset) for a, b in line.marks]
            if small.size < 0.8 * big.size and _DIGITS.fullmatch(small.text.strip()) and small.base > big.base:
                # a marker alone on its piece: the whole piece is the marker
                lo = 0 if small is prev else offset
                marks.append((lo + len(small.text) - len(small.text.lstrip()), lo + len(small.text.rstrip())))
            out[-1] = Line(prev.text + gap + line.text, prev.x0, line.x1, big.base, big.size, sorted(set(marks)))
        else:
            out.append(line)
    return out


def pdf_pages(path, ocr=None) -> tuple[list[Page], str | None]:
    """The pages of a PDF as lines, and the language the OCR'd pages were read in (None when none was).
    Pages without a text layer are read by `ocr` (indexer.readers.ocr.Tesseract), or the file is refused."""
    doc = _open(path)
    try:
        pages: list[Page] = []
        scanned: list[int] = []
        for n in range(len(doc)):
            page = doc[n]
            try:
                lines = [ln for ln in _text_lines(page) if ln.text.strip()]
                height = page.get_height()
            except Exception as exc:  # PDFium refusing one page: the file is damaged
                raise CorpusError(f"damaged PDF: page {n + 1} cannot be read ({exc})") from None
            finally:
                page.close()
            pages.append(Page(lines, height))
            if not lines:
                scanned.append(n)
        if not any(p.lines for p in pages) and not scanned:
            raise CorpusError("a PDF without pages")
        lang = None
        if scanned:
            if ocr is None:
                raise CorpusError("scanned PDF without a text layer: install tesseract-ocr to read it")
            known = " ".join(ln.text for p in pages for ln in p.lines)
            file_key = _digest(path)
            lang = ocr.language_of(doc, scanned, known, file_key)
            for n in scanned:
                lines = [Line(*line, ocr=True) for line in ocr.read(doc, n, lang, file_key)]
                pages[n] = Page(lines, pages[n].height, ocr=True)
        return pages, lang
    finally:
        doc.close()


def _digest(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _furniture(pages: list[Page]) -> tuple[list[Page], str | None]:
    """The pages without their running headers, footers, page numbers, job numbers and barcodes, and the
    symbol a running header gives."""

    def shape(line: Line) -> tuple[str, int]:
        return _DIGITS.sub("#", line.text.strip()), round(line.base / 3)

    at_edge = Counter()
    for page in pages:
        for line in {shape(ln) for ln in page.lines if _edge(ln, page)}:
            at_edge[line] += 1
    symbol = None
    out = []
    for page in pages:
        keep = []
        for line in page.lines:
            text = line.text.strip()
            if _edge(line, page):
                repeated = len(pages) > 1 and at_edge[shape(line)] >= 2
                if _SYMBOL.fullmatch(text) and re.search(r"\d", text) and line.base > page.height / 2:
                    symbol = symbol or text
                    continue
                job = (_OCR_JOB if page.ocr else _JOB).fullmatch(text)
                if repeated or job or _PAGE.fullmatch(text) or _BARE_NUMBER.fullmatch(text):
                    continue
            keep.append(line)
        out.append(Page(keep, page.height, page.ocr))
    return out, symbol


def _edge(line: Line, page: Page) -> bool:
    return line.base > page.height * (1 - EDGE) or line.base < page.height * EDGE


def _split_page(page: Page, body_size: float) -> tuple[list[Line], list[Line]]:
    """A page's body lines and the footnote lines at its foot (smaller type, below the body)."""
    lines = sorted(page.lines, key=lambda ln: -ln.base)
    foot = len(lines)
    while foot > 0 and lines[foot - 1].size < SMALL * body_size:
        foot -= 1
    return lines[:foot], lines[foot:]


def _notes(foot: list[Line], notes: dict, index: int, last: str | None) -> str | None:
    """Footnotes read from a page's foot lines into notes {number: [text, line index]}: a note opens on its
    raised (or, read by OCR, leading) number; other lines carry on the note before."""
    for line in foot:
        text = line.text.strip()
        m = re.match(r"(\d{1,3})(?:\s+|$)(.*)", text)
        marked = line.marks and line.marks[0][0] == len(line.text) - len(line.text.lstrip())
        if m and (marked or line.ocr or last is None or int(m.group(1)) == int(last) + 1):
            last = m.group(1)
            notes.setdefault(last, ["", index])
            text = m.group(2)
        if last is not None and text:
            notes[last][0] = f"{notes[last][0]} {text}".strip()
    return last


def read_pdf(path, source: str = "", ocr=None):
    """A PDF of a UN document as a finalized Document (CorpusError when it cannot be read)."""
    pages, ocr_lang = pdf_pages(path, ocr)
    pages, symbol = _furniture(pages)
    all_lines = [ln for p in pages for ln in p.lines]
    if not all_lines:
        raise CorpusError("no text in the PDF")
    # the language first: a paragraph's indent and its last line's short end are on the reading side
    lang = ocr_lang or detect_language("\n".join(ln.text for ln in all_lines))
    if LANGUAGES[lang].right_to_left:
        pages = [_mirrored(page) for page in pages]
        all_lines = [ln for p in pages for ln in p.lines]
    weights = Counter()
    for ln in all_lines:
        weights[round(ln.size)] += len(ln.text)
    body_size = weights.most_common(1)[0][0]
    # lines of the body's type (OCR measures it from the line's height, within a tenth)
    body_lines = [ln for ln in all_lines if abs(ln.size - body_size) <= max(1, 0.1 * body_size)] or all_lines
    # the left margin: the leftmost place where several body lines start (a stray line may stand further left)
    starts = Counter(round(ln.x0) for ln in body_lines)
    left = min((x for x, n in starts.items() if n >= 3), default=min(starts))
    pitches = Counter()
    for page in pages:
        ordered = sorted(page.lines, key=lambda ln: -ln.base)
        for a, b in zip(ordered, ordered[1:]):
            pitches[round(a.base - b.base)] += 1
    pitch = pitches.most_common(1)[0][0] if pitches else body_size * 1.2

    body: list[tuple[int, str]] = []
    cuts: dict[int, list[tuple[int, int, str]]] = {}
    notes: dict[str, list] = {}
    ocr_lines: set[int] = set()
    last_note = None
    if symbol:
        body.append((0, symbol))  # the symbol line the plain-text reader knows
    counter = count(1)
    for page in pages:
        lines, foot = _split_page(page, body_size)
        prev = None
        for line in lines:
            idx = next(counter)
            opens = line.x0 > left + 0.8 * line.size or (
                prev is not None and prev.base - line.base > pitch + 0.4 * line.size
            )
            raw = (" " if opens else "") + line.text.strip()
            shift = (1 if opens else 0) - (len(line.text) - len(line.text.lstrip()))
            for a, b in line.marks:
                cuts.setdefault(idx, []).append((a + shift, b + shift, line.text[a:b].strip()))
            body.append((idx, raw))
            if page.ocr:
                ocr_lines.add(idx)
            prev = line
        first = next(counter)
        last_note = _notes(foot, notes, first, last_note)
        if page.ocr:
            ocr_lines.update(i for _, i in notes.values() if i >= first)
    have_marks = any(cuts.values()) and not ocr_lines
    doc = document_from_lines(
        body,
        {n: (" ".join(t.split()), i) for n, (t, i) in notes.items()},
        lang,
        source,
        cuts=cuts if have_marks else None,
        exact=not ocr_lines,
        fmt="pdf",
        ocr_lines=frozenset(ocr_lines),
    )
    return doc


def _mirrored(page: Page) -> Page:
    """A page seen in a mirror: a right-to-left page's lines laid out as the left-to-right rules read them."""
    return Page([replace(ln, x0=-ln.x1, x1=-ln.x0) for ln in page.lines], page.height, page.ocr)


def open_pdf(unit: Unit, languages):
    """The reader of the format table: a PDF unit as one whole document, its scanned pages read by OCR when
    the unit allows it."""
    ocr = None
    if unit.ocr:
        from .ocr import Tesseract

        ocr = Tesseract()
    try:
        return single_document(read_pdf(unit.paths[0], unit.key, ocr), languages)
    except CorpusError as exc:
        if exc.message.startswith("scanned PDF without a text layer") and not unit.ocr:
            from .ocr import tesseract_found

            if tesseract_found():  # installed, but turned off
                raise CorpusError("scanned PDF without a text layer: OCR is off (ocr = false in config.toml)") from None
        raise
