"""Corpus files to documents: decoding, format detection, and the readers of each format."""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..analysis import DEFAULT_LANGUAGES
from ..documents import Document
from ..errors import CorpusError
from .units import Part, Unit, key_of, printable, single_document

__all__ = [
    "Part",
    "Unit",
    "Reading",
    "key_of",
    "single_document",
    "Format",
    "FORMATS",
    "register",
    "printable",
    "decode",
    "read_text",
    "discover",
    "open_unit",
    "read_unit",
]
from . import sniff

DOC_NAMES = ("readme", "disclaimer", "license", "licence", "notice", "provenance")
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class Reading:
    """What a unit yielded: documents, and for bitexts the line alignment between them."""

    documents: list[Document]
    aligned: list[tuple[Document, Document, list[tuple[int, int]]]] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Bytes of a text file as str: UTF-8 (BOM or not), UTF-16 (BOM, or evident from NULs), GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16")
    if len(data) >= 4 and data.count(0) > len(data) // 4:
        # UTF-16 without a BOM: the NUL half of ASCII-range characters tells the byte order
        even_nuls = data[0::2].count(0)
        return _checked(data, "utf-16-be" if even_nuls > data[1::2].count(0) else "utf-16-le")
    if b"\x00" in data:
        raise CorpusError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise CorpusError("not text in UTF-8, UTF-16 or GB18030") from None
    if _control_ratio(text) > 0.01:
        raise CorpusError("not text in UTF-8, UTF-16 or GB18030")
    return text


def _checked(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"invalid {encoding.upper()} at byte {exc.start}") from None
    return text.lstrip("\ufeff")


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / max(len(text), 1)


def read_text(path: Path) -> str:
    """A corpus file's decoded text, or CorpusError with the reason it cannot be read (plain documents,
    read whole: at most MAX_FILE_BYTES; bitexts are read line by line, whatever their size)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CorpusError(f"file too large ({size // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}") from None
    if not data.strip():
        raise CorpusError("empty file")
    return decode(data)


def discover(
    corpus_dir: Path, languages=DEFAULT_LANGUAGES, follow_external_links: bool = False, ocr: bool = True
) -> tuple[list[Unit], list[tuple[str, str]]]:
    """The units of a corpus folder, and the paths passed over with their reason (hidden names excepted).
    Symbolic links are followed inside the corpus folder; links leaving it only if follow_external_links.
    Scanned PDF pages are read by OCR when `ocr` and the tesseract binary is found."""
    from .bitext import group_bitexts
    from .walk import walk_corpus

    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    files, skipped = walk_corpus(corpus_dir, follow_external_links)
    units, rest = group_bitexts(files, corpus_dir, languages)
    for path in rest:
        key = key_of(path, corpus_dir)
        if path.name.lower().split(".")[0] in DOC_NAMES or path.suffix.lower() == ".md":
            skipped.append((key, "documentation, not a document"))
            continue
        units.append(detect(path, key))
    if ocr and any(u.format == "pdf" for u in units):
        from .ocr import tesseract_found

        for unit in units:
            unit.ocr = unit.format == "pdf" and tesseract_found() is not None
    from .unpc_xml import group_unpc

    units = group_unpc(units, corpus_dir, languages)
    units.sort(key=lambda u: u.key)
    unique: list[Unit] = []
    for unit in units:
        if unique and unique[-1].key == unit.key:  # e.g. a file "x" beside the bitext x.fr + x.zh
            skipped.append((unit.key, f"another {unique[-1].format} file has the same name"))
            continue
        unique.append(unit)
    skipped.sort()
    return unique, skipped


class UnitStream(Protocol):
    """A unit checked and ready to be read in parts."""

    def heads(self) -> Iterator[Document]:
        """The unit's documents without their paragraphs."""

    def __iter__(self) -> Iterator[Part]:
        """The documents, in parts."""


def open_unit(unit: Unit, languages=DEFAULT_LANGUAGES) -> UnitStream:
    """Check a unit and get its documents as a stream of parts: a bitext is checked line by line now and
    read line by line again as the parts are taken. CorpusError (now, or from a bitext that changes while
    it is read) if it is not a readable UN document or bitext."""
    try:
        return _open_unit(unit, languages)
    except CorpusError as exc:
        raise _printable_error(exc) from None


def read_unit(unit: Unit, languages=DEFAULT_LANGUAGES) -> Reading:
    """Parse a unit into whole documents (CorpusError if it is not a readable UN document or bitext)."""
    docs: dict[str, Document] = {}
    aligned: dict[tuple[str, str], tuple[Document, Document, list[tuple[int, int]]]] = {}
    try:
        for part in open_unit(unit, languages):
            for doc in part.documents:
                if doc.id in docs:
                    docs[doc.id].paragraphs += doc.paragraphs
                else:
                    docs[doc.id] = doc
            for a, b, rows in part.aligned:
                whole = aligned.setdefault((a.id, b.id), (docs[a.id], docs[b.id], []))
                whole[2].extend((i + part.offset, j + part.offset) for i, j in rows)
    except CorpusError as exc:
        raise _printable_error(exc) from None
    return Reading(list(docs.values()), list(aligned.values()))


def _printable_error(exc: CorpusError) -> CorpusError:
    return exc if exc.message.isprintable() else CorpusError(printable(exc.message))  # file names may not be UTF-8


def _open_unit(unit: Unit, languages) -> UnitStream:
    if unit.format == "bitext":
        from .bitext import BitextStream

        return BitextStream(unit, languages)
    if unit.reason:
        raise CorpusError(unit.reason)
    fmt = next((f for f in FORMATS if f.name == unit.format), None)
    if fmt is None or fmt.reader is None:
        raise CorpusError(fmt.reason if fmt else f"unknown format {unit.format}")
    return fmt.reader(unit, tuple(languages))


def _open_text(unit: Unit, languages) -> UnitStream:
    from .un_text import parse_un_text

    return single_document(parse_un_text(read_text(unit.paths[0]), source=unit.key), languages)


def _open_tmx(unit: Unit, languages) -> UnitStream:
    from .tmx import TmxStream

    return TmxStream(unit, languages)


def _open_pdf(unit: Unit, languages) -> UnitStream:
    from .pdf import open_pdf

    return open_pdf(unit, languages)


def _open_docx(unit: Unit, languages) -> UnitStream:
    from .docx import open_docx

    return open_docx(unit, languages)


def _open_unpc(unit: Unit, languages) -> UnitStream:
    from .unpc_xml import open_unpc

    return open_unpc(unit, languages)


@dataclass(frozen=True)
class Format:
    """A format told by content: its test on the file's first bytes, and its reader (unit, languages) ->
    UnitStream; a format without a reader is recognised and skipped with `reason`."""

    name: str
    test: Callable[[sniff.Sniff], bool]
    reader: Callable[[Unit, tuple], UnitStream] | None = None
    reason: str = ""


_CONVERT = "convert it to .docx first (soffice --headless --convert-to docx FILE)"

# Tried in order; the first whose test matches names the unit's format. A reader for a recognised format
# plugs in with register(Format(name, test, reader)).
FORMATS: list[Format] = [
    Format("pdf", sniff.is_pdf, _open_pdf),
    Format("docx", sniff.is_docx, _open_docx),
    Format("zip", sniff.is_zip, reason="a ZIP archive that is not a Word document (no word/document.xml)"),
    Format("doc", sniff.is_ole, reason=f"a legacy Word .doc (Office 97-2003) file: {_CONVERT}"),
    Format("rtf", sniff.is_rtf, reason=f"an RTF file: {_CONVERT}"),
    Format("tmx", sniff.is_tmx, _open_tmx),
    Format("unpc_xml", sniff.is_tei, _open_unpc),
    Format("unpc_links", sniff.is_links, _open_unpc),
    Format(
        "xml", sniff.is_xml, reason="an XML document that is neither TMX nor UN Parallel Corpus TEI (root <{root}>)"
    ),
    Format("gzip", sniff.is_gzip, reason="a gzip file that holds neither TMX nor XML"),
    Format("text", lambda s: True, _open_text),
]


def register(fmt: Format) -> None:
    """Add a format to the table, or give a recognised one its reader (same name, same place)."""
    for i, known in enumerate(FORMATS):
        if known.name == fmt.name:
            FORMATS[i] = fmt
            return
    FORMATS.insert(len(FORMATS) - 1, fmt)  # before the plain-text fallback


def detect(path: Path, key: str) -> Unit:
    """The unit of one file, its format told by its content (a file that cannot be read carries the reason)."""
    head = sniff.Sniff.of(path)
    if head.error:
        return Unit(key=key, paths=[path], format="unreadable", reason=head.error)
    fmt = next(f for f in FORMATS if f.test(head))
    reason = "" if fmt.reader else fmt.reason.format(root=head.xml_root)
    return Unit(key=key, paths=[path], format=fmt.name, reason=reason)
