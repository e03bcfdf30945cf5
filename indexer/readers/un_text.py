"""Reader for plain-text extractions of official UN documents (GA resolutions and the like) in the registered
languages; what differs by language (script, function words, line joining, chapeau, signature, dates) is read
from the registry, indexer.analysis.LANGUAGES."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..analysis import LANGUAGES, UNText, guess_document_language, names_of
from ..documents import Document, Paragraph
from ..errors import CorpusError

__all__ = ["parse_un_text", "document_from_lines", "detect_language", "parse_date"]

_SEP = re.compile(r"_{3,}")
_NOTE_LINE = re.compile(r"(\d{1,3})\s+(\S.*)")
_MARKER_LINE = re.compile(r"\d{1,3}")
_TITLE = re.compile(r"(\d{1,3})/(\d{1,4})\.\s+(\S.*)")
_OPERATIVE = re.compile(r"(\d{1,3})\.\s+\S")
_SYMBOL = re.compile(r"[A-Z]{1,6}(?:/[A-Z0-9][A-Za-z0-9.\-()]*)+")
_REPORT = re.compile(r"\((" + _SYMBOL.pattern + r")\)")
# Page furniture that PDF extraction leaves between lines: job numbers, barcodes, "2/3" page numbers.
_JOB = re.compile(r"\d{2}-\d{5}\s*(?:\([A-Z]\))?|\*\d{5,}\*")
_PAGE = re.compile(r"(\d{1,3})/(\d{1,3})")
EDGE = 0.1  # on a page (PDF or scan), running headers and footers stand in the top and bottom tenth
_AFTER_MARKER = r"(?=[\s,.;:!?)»”’，。；：、）》]|$)"
_TERMINAL = tuple(",;.:，。；：")
_SENTENCE_END = tuple(".!?。！？")
_LEADING_PUNCT = tuple(";:,.)»”，。；：、）》")
DETECT_SAMPLE = 50_000  # characters read to recognise the language: the first pages tell it


def detect_language(text: str) -> str:
    """The code of the registered language (indexer.analysis.LANGUAGES) the text is written in; CorpusError
    for anything else, naming the language it looks like when the registry knows it."""
    body = "".join(text.split())
    if not body:
        raise CorpusError("empty document")
    # Control characters and U+FFFD mean the bytes were never text: say so instead of guessing a language.
    junk = sum(1 for c in body if c == "\ufffd" or unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn"))
    if junk > 0.01 * len(body):
        raise CorpusError("not a text document (binary-looking content)")
    guess, script, letters = guess_document_language(text[:DETECT_SAMPLE])
    if letters < 20:
        raise CorpusError("too little text to recognise the language")
    if guess is None or guess.code not in LANGUAGES:
        looks = guess.code if guess else f"unrecognised, {script} script"
        raise CorpusError(f"not a {names_of(LANGUAGES)} UN document (language looks like {looks})", language=looks)
    return guess.code


def parse_date(text: str, lang: str) -> str | None:
    """The first date written in `text` in language `lang`, as ISO yyyy-mm-dd, or None."""
    spec = LANGUAGES[lang].un_text
    m = spec.date.search(text) if spec.date else None
    if not m:
        return None
    month = m.group("m").lower()
    month_no = spec.months.index(month) + 1 if spec.months else int(month)
    day, year = int(m.group("d")), int(m.group("y"))
    if not (1 <= month_no <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month_no:02d}-{day:02d}"


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _split_footnotes(lines: list[str], by_indent: bool) -> tuple[list[tuple[int, str]], dict[str, tuple[str, int]]]:
    """Body lines (index, raw) and footnotes {number: (text, line index)} taken out of `_____` blocks."""
    body: list[tuple[int, str]] = []
    notes: dict[str, list] = {}
    in_block, last, gap = False, None, False
    for i, raw in enumerate(lines):
        s = raw.strip()
        if _SEP.fullmatch(s):
            in_block, last, gap = True, None, False
            continue
        if in_block:
            if not s:
                gap = True
                continue
            m = _NOTE_LINE.fullmatch(s)
            # Notes are numbered in sequence; this keeps a wrapped body line like "3 日第59/69号" out of the block.
            if m and (last is None or int(m.group(1)) == int(last) + 1):
                last, gap = m.group(1), False
                notes.setdefault(last, [m.group(2), i])
                continue
            # A wrapped footnote, told from the body only when body paragraphs are indented.
            if by_indent and last is not None and not gap and not raw[:1].isspace():
                notes[last][0] += " " + s
                continue
            in_block = False  # an indented or post-blank line: the body resumes (page break)
        body.append((i, raw))
    return body, {n: (_clean(t), i) for n, (t, i) in notes.items()}


def _glued_markers(body: list[tuple[int, str]], notes: dict) -> dict[int, list[tuple[int, int, str]]]:
    """Where footnote markers are glued to the text: {line index: [(start, end, number)]}."""
    cuts: dict[int, list[tuple[int, int, str]]] = {}
    prev = (-1, -1)
    for n in sorted(notes, key=int):
        block_line = notes[n][1]
        # Glued to a word ("Millénaire1") is near-certain; glued to a resolution number ("67/383") only when
        # no word candidate exists.  A marker sits after the previous one and before its own footnote block.
        word = re.compile(rf"(?<=[^\W\d_]){n}" + _AFTER_MARKER)
        number = re.compile(rf"(?<![\w/.\-])\d{{1,3}}/\d{{1,4}}({n})" + _AFTER_MARKER)
        best = None
        for idx, raw in body:
            if not prev[0] <= idx < block_line or _TITLE.fullmatch(raw.strip()):
                continue
            found = [(1, m.start(), m.end()) for m in word.finditer(raw)]
            found += [(0, m.start(1), m.end(1)) for m in number.finditer(raw)]
            for rank, start, end in found:
                if (idx, start) > prev and (best is None or (rank, idx, start) > best[:3]):
                    best = (rank, idx, start, end)
        if best:
            _, idx, start, end = best
            cuts.setdefault(idx, []).append((start, end, n))
            prev = (idx, start)
    return cuts


def _join(parts: list[str], joiner: str) -> str:
    """Wrapped lines as one paragraph, joined by the language's line_join."""
    out = parts[0]
    for part in parts[1:]:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out += part  # "non-" + "prolifération": a real hyphen at a line end, no space
        elif joiner or (out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha()):
            out += " " + part  # Chinese lines join tight, except two Latin words
        else:
            out += part
    return _clean(out)


@dataclass
class _Para:
    parts: list
    notes: list
    lines: list = field(default_factory=list)  # indexes of the lines it was read from

    def add_note(self, n: str) -> None:
        if n not in self.notes:
            self.notes.append(n)


def _is_continuation(s: str, cur: _Para) -> bool:
    # An indented line usually opens a paragraph; after a page break or footnote block, a line that
    # carries on an unfinished sentence ("… promouvoir le" / " multilatéralisme, …", or a lone " ;") does not.
    if s.startswith(_LEADING_PUNCT):
        return True
    return s[0].islower() and not cur.parts[-1].endswith(_TERMINAL)


def _parse_body(body, cuts, notes, spec: UNText, by_indent: bool, exact: bool = False):
    """Paragraphs of the body (as _Para), plus what was found outside them: symbol line and signature; with
    `exact`, every indented line opens a paragraph (a reader that knows where paragraphs start)."""
    paras: list[_Para] = []
    cur: _Para | None = None
    found: dict = {}
    seen, in_sig, blank_before, last_marker = 0, False, False, 0
    for idx, raw in body:
        if not raw.strip():
            blank_before = True
            continue
        line_notes = []
        for start, end, n in sorted(cuts.get(idx, []), reverse=True):
            raw, line_notes = raw[:start] + raw[end:], [n] + line_notes
        s, indent = _clean(raw), raw[:1].isspace()
        seen += 1
        page = _PAGE.fullmatch(s)
        if _JOB.fullmatch(s) or (page and int(page.group(1)) <= int(page.group(2))) or s == found.get("symbol"):
            continue
        if _MARKER_LINE.fullmatch(s) and (s in notes or (not notes and int(s) == last_marker + 1)):
            last_marker = int(s)  # a footnote marker on a line of its own (the Chinese layout)
            if cur:
                cur.add_note(s)
            continue
        if seen <= 5 and "symbol" not in found and not paras and _SYMBOL.fullmatch(s) and re.search(r"\d", s):
            found["symbol"] = s
            continue
        is_meeting = bool(spec.meeting and spec.meeting.fullmatch(s))
        is_date = bool(spec.date and spec.date.fullmatch(s))
        if (is_meeting or is_date) and (in_sig or (cur and cur.parts[-1].endswith(_SENTENCE_END))):
            found.setdefault("meeting" if is_meeting else "signed", s)
            in_sig, cur = True, None  # the closing signature is metadata, not a paragraph
            continue
        in_sig = False
        opener = indent if by_indent else blank_before
        starts = opener and (exact or not (cur and _is_continuation(s, cur)))
        if by_indent:
            starts = (
                starts
                or s.startswith("[")
                or bool(_TITLE.fullmatch(s) and not any(_TITLE.fullmatch(p.parts[0]) for p in paras))
            )
        blank_before = False
        if cur is None or starts:
            cur = _Para([], [])
            paras.append(cur)
        cur.parts.append(s)
        cur.lines.append(idx)
        for n in line_notes:
            cur.add_note(n)
    return paras, found


def _classify(
    texts: list[str], spec: UNText, titles: frozenset = frozenset(), numbers: dict | None = None
) -> list[tuple[str, str | None]]:
    """(kind, number) of each body paragraph, from the title, the chapeau and the paragraph numbers; a reader
    that knows them gives the paragraphs styled as titles and the numbers of numbered lists by index."""
    out: list[tuple[str, str | None]] = []
    numbers = numbers or {}
    state = "head"  # head -> (title) -> preamble after the chapeau -> operative from "1."
    for i, text in enumerate(texts):
        op = _OPERATIVE.match(text)
        number = numbers.get(i) or (op.group(1) if op else None)
        is_title = i in titles or _TITLE.fullmatch(text)
        if state == "head" and is_title and not any(k == "title" for k, _ in out):
            out.append(("title", None))
        elif state == "head" and spec.chapeau and spec.chapeau.fullmatch(text):
            out.append(("other", None))
            state = "preamble"
        elif state != "head" and number:
            out.append(("operative", number))
            state = "operative"
        elif state == "preamble":
            out.append(("preambular", None))
        elif state == "operative":
            out.append(("operative", None))  # an unnumbered sub-paragraph ("a) …") of the operative part
        else:
            out.append(("other", None))
    return out


def _note_order(n: str) -> tuple:
    return (0, int(n), "") if n.isdigit() else (1, 0, n)  # footnotes 1, 2 ...; endnotes (i, ii ...) after


def _source(lines, ocr_lines) -> str:
    return "ocr" if ocr_lines and any(i in ocr_lines for i in lines) else "text"


def classify_paragraphs(texts: list[str], lang: str) -> list[tuple[str, str | None]]:
    """(kind, number) of each paragraph of a UN document in a registered language, in order."""
    return _classify(texts, LANGUAGES[lang].un_text)


def parse_un_text(text: str, source: str = "", lang: str | None = None) -> Document:
    """Parse the plain-text extraction of a UN document in a registered language into a finalized Document;
    its language is recognised unless given (a passage too short to recognise can be parsed that way)."""
    text = text.lstrip("\ufeff")
    if lang is None:
        lang = detect_language(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # Paragraphs open on an indented line; text without indentation falls back to blank-line separators.
    by_indent = sum(1 for line in lines if line.strip() and line[:1].isspace()) >= 2
    body, notes = _split_footnotes(lines, by_indent)
    return document_from_lines(body, notes, lang, source, by_indent=by_indent)


def document_from_lines(
    body: list[tuple[int, str]],
    notes: dict[str, tuple[str, int]],
    lang: str,
    source: str = "",
    cuts: dict | None = None,
    by_indent: bool = True,
    exact: bool = False,
    fmt: str = "un_text",
    titles: frozenset = frozenset(),
    numbers: dict | None = None,
    ocr_lines: frozenset = frozenset(),
) -> Document:
    """A finalized Document from the lines of a UN document in language `lang`, as a reader that sees pages
    gives them: body lines (index, text; an indented line opens a paragraph), footnotes {number: (text, line
    index)}, and where it knows them the footnote markers in the body ({line index: [(start, end, number)]},
    else they are looked for in the text), the lines of paragraphs styled as titles and the list numbers of
    lines (by line index); paragraphs holding a line of `ocr_lines` are marked as read by OCR."""
    if lang not in LANGUAGES:
        raise CorpusError(f"language {lang} is not among {', '.join(LANGUAGES)}")
    language = LANGUAGES[lang]
    spec = language.un_text
    if cuts is None:
        cuts = _glued_markers(body, notes)
    raw_paras, found = _parse_body(body, cuts, notes, spec, by_indent, exact)
    if not raw_paras:
        raise CorpusError("no paragraphs found in the document")
    texts = [_join(p.parts, language.line_join) for p in raw_paras]
    firsts = [p.lines[0] if p.lines else None for p in raw_paras]
    kinds = _classify(
        texts,
        spec,
        frozenset(k for k, i in enumerate(firsts) if i in titles),
        {k: (numbers or {})[i] for k, i in enumerate(firsts) if i in (numbers or {})},
    )
    paragraphs = [
        Paragraph(t, kind, number, list(p.notes), source=_source(p.lines, ocr_lines))
        for t, (kind, number), p in zip(texts, kinds, raw_paras)
    ]
    paragraphs += [
        Paragraph(notes[n][0], "footnote", n, source=_source([notes[n][1]], ocr_lines))
        for n in sorted(notes, key=_note_order)
        if notes[n][0]
    ]

    meta: dict = {}
    symbol, title = found.get("symbol"), None
    head = []
    for p in paragraphs:
        if p.kind == "title":
            m = _TITLE.fullmatch(p.text)
            if m:
                title, symbol = m.group(3), symbol or f"A/RES/{m.group(1)}/{m.group(2)}"
            else:  # a title told by its style, without the "68/38." of a resolution
                title = p.text
            break
        head.append(p.text)
    if not any(p.kind == "title" for p in paragraphs):
        head = []  # without a title there is no header to read an adoption date from
    for h in head:
        m = _REPORT.search(h) if h.startswith("[") else None
        if m:
            meta["report"] = m.group(1)
    adopted = next((d for d in (parse_date(h, lang) for h in head) if d), None)
    signed = parse_date(found["signed"], lang) if "signed" in found else None
    if "meeting" in found:
        meta["meeting"] = found["meeting"]
    date = adopted or signed
    if date:
        meta["adopted"] = date
    doc = Document(
        lang=lang,
        symbol=symbol,
        date=date,
        title=title,
        source=source,
        format=fmt,
        paragraphs=paragraphs,
        meta=meta,
    )
    return doc.finalize()
