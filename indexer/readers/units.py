"""What the readers hand around: units to read (a file, or the files of one bitext), the parts they are read
in, and corpus keys. The readers package and its modules (bitext, walk) all import these from here."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import names_of
from ..documents import Document
from ..errors import CorpusError


@dataclass
class Unit:
    """One thing to index: a single file, or the files of one line-parallel bitext."""

    key: str  # corpus-relative path; for a bitext, its common stem ("unpc/UNv1.0.devset")
    paths: list[Path]
    format: str  # "bitext", or the name of the entry of FORMATS its content matched
    langs: dict[str, Path] = field(default_factory=dict)  # bitext: language -> file
    ids: Path | None = None
    refs: dict[str, Path] = field(default_factory=dict)  # link file: document reference -> its file
    reason: str = ""  # a format recognised but not read, or a file that cannot be read: why it is skipped
    ocr: bool = False  # pages without a text layer may be read by OCR (config `ocr` and tesseract found)

    def digest(self) -> str:
        """Content hash of the unit's files: unchanged content means no work on a rebuild."""
        h = hashlib.sha256()
        for path in sorted(self.paths):
            h.update(os.fsencode(path.name))
            try:
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
            except OSError as exc:  # reading will skip the unit with this reason; the hash records it
                h.update(f"\0cannot read: {exc.strerror}".encode())
        if self.reason:  # a format recognised but not read: read again once a version of tandem reads it
            h.update(f"\0{self.reason}".encode())
        if self.ocr:  # a scanned PDF skipped without OCR is read again once OCR is there
            h.update(b"\0ocr")
        return h.hexdigest()


def key_of(path: Path, root: Path) -> str:
    """A path's key: relative to the corpus folder, with bytes that are not UTF-8 and control characters
    backslash-escaped (\\xNN), so that keys can be printed and stored whatever the file names."""
    return printable(path.relative_to(root).as_posix())


def printable(text: str) -> str:
    """text with the undecodable bytes of a file name (os.fsdecode's surrogates) and control characters
    written as \\xNN."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 32 or code == 127 or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class Part:
    """A piece of a unit as it is read: one document, or the line-parallel documents of one bitext document,
    holding a run of their paragraphs (ids and positions final). A document too long to hold comes in
    several parts, in order."""

    documents: list[Document]
    offset: int = 0  # position of the run's first paragraph: 0 where the documents start
    total: int = 0  # paragraphs of each document, in all its parts
    # run indexes (i, j) as read; (a indexes, b indexes) once long paragraphs are cut (indexer.splitting)
    aligned: list[tuple[Document, Document, list[tuple]]] = field(default_factory=list)


class _Whole:
    """A unit read whole when opened (a plain document, bounded by MAX_FILE_BYTES): one part."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.held_chars = sum(len(p.text) for p in doc.paragraphs)

    def heads(self) -> Iterator[Document]:
        yield self.doc

    def __iter__(self) -> Iterator[Part]:
        yield Part([self.doc], total=len(self.doc.paragraphs))


def single_document(doc: Document, languages) -> _Whole:
    """A unit holding one whole document, once checked that its language is indexed."""
    if doc.lang not in languages:
        raise CorpusError(
            f"not a {names_of(languages)} UN document (language looks like {doc.lang}; "
            "add it to `languages` in config.toml to index it)",
            language=doc.lang,
        )
    return _Whole(doc)
