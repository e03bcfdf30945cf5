"""Corpus files to documents: decoding, format detection, and the readers of each format."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..documents import Document
from ..errors import CorpusError
from .units import Part, Unit, key_of, printable

__all__ = [
    "Part",
    "Unit",
    "Reading",
    "key_of",
    "printable",
    "decode",
    "read_text",
    "discover",
    "open_unit",
    "read_unit",
]

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
    corpus_dir: Path, languages=("fr", "zh"), follow_external_links: bool = False
) -> tuple[list[Unit], list[tuple[str, str]]]:
    """The units of a corpus folder, and the paths passed over with their reason (hidden names excepted).
    Symbolic links are followed inside the corpus folder; links leaving it only if follow_external_links."""
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
        units.append(Unit(key=key, paths=[path], format="text"))
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


class _Whole:
    """A unit read whole when opened (a plain document, bounded by MAX_FILE_BYTES): one part."""

    def __init__(self, doc: Document):
        self.doc = doc

    def heads(self) -> Iterator[Document]:
        yield self.doc

    def __iter__(self) -> Iterator[Part]:
        yield Part([self.doc], total=len(self.doc.paragraphs))


def open_unit(unit: Unit, languages=("fr", "zh")) -> UnitStream:
    """Check a unit and get its documents as a stream of parts: a bitext is checked line by line now and
    read line by line again as the parts are taken. CorpusError (now, or from a bitext that changes while
    it is read) if it is not a readable UN document or bitext."""
    try:
        return _open_unit(unit, languages)
    except CorpusError as exc:
        raise _printable_error(exc) from None


def read_unit(unit: Unit, languages=("fr", "zh")) -> Reading:
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
    from .un_text import parse_un_text

    doc = parse_un_text(read_text(unit.paths[0]), source=unit.key)
    if doc.lang not in languages:
        raise CorpusError(f"language {doc.lang} is not among the indexed languages")
    return _Whole(doc)
