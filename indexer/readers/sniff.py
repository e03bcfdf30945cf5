"""What a corpus file holds, told from its first bytes rather than its name: the content tests of the
format table in indexer.readers, and the opening of files that may be gzip-compressed."""

from __future__ import annotations

import codecs
import gzip
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO

from ..errors import CorpusError

HEAD_BYTES = 64 * 1024  # enough for an XML prolog, a DOCTYPE and a long comment before the root element
GZIP_MAGIC = b"\x1f\x8b"
_XML_NAME = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_SKIPPED = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S)


def open_maybe_gzip(path: Path) -> IO[bytes]:
    """A file opened for reading bytes, decompressed as it is read when it is gzip-compressed."""
    fh = open(path, "rb")
    if fh.read(2) == GZIP_MAGIC:
        fh.close()
        return gzip.open(path, "rb")
    fh.seek(0)
    return fh


def compressed_error(exc: Exception) -> CorpusError | None:
    """The CorpusError for a damaged gzip stream, or None when exc is not one."""
    if isinstance(exc, (gzip.BadGzipFile, EOFError, zlib.error)):
        return CorpusError(f"damaged gzip file ({exc})")
    return None


def reading_error(exc: OSError | EOFError | ValueError) -> CorpusError:
    """The CorpusError for a file that broke while being read (damaged gzip, I/O error); re-raises any other."""
    error = compressed_error(exc)
    if error is None and isinstance(exc, OSError):
        error = CorpusError(f"cannot read: {exc.strerror or exc}")
    if error is None:
        raise exc
    return error


@dataclass
class Sniff:
    """A file's first bytes (decompressed when gzip-compressed), with what they tell lazily worked out."""

    path: Path
    head: bytes
    gzipped: bool = False
    error: str | None = None  # the file or its compression cannot be read: the reason

    @classmethod
    def of(cls, path: Path) -> Sniff:
        """Read the head of a file; a file that cannot be read gives a Sniff holding the reason."""
        try:
            with open(path, "rb") as fh:
                head = fh.read(HEAD_BYTES)
            if not head.startswith(GZIP_MAGIC):
                return cls(path, head)
            with gzip.open(path, "rb") as fh:
                return cls(path, fh.read(HEAD_BYTES), gzipped=True)
        except (OSError, EOFError, zlib.error) as exc:
            reason = compressed_error(exc) or CorpusError(f"cannot read: {exc.strerror or exc}")
            return cls(path, b"", error=reason.message)

    @cached_property
    def text_head(self) -> bytes:
        """The head as UTF-8 bytes (UTF-16 XML, with or without a BOM, re-encoded) for the markup tests."""
        head = self.head
        encoding = None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        elif head.startswith(b"<\x00"):
            encoding = "utf-16-le"
        elif head.startswith(b"\x00<"):
            encoding = "utf-16-be"
        if encoding:
            head = head[: len(head) // 2 * 2].decode(encoding, errors="ignore").encode("utf-8")
        return head.removeprefix(codecs.BOM_UTF8)

    @cached_property
    def xml_root(self) -> str | None:
        """The local name of the root element when the file starts as XML does, else None."""
        data = self.text_head
        pos = 0
        while True:  # past the declaration, processing instructions, comments and the DOCTYPE
            m = _SKIPPED.match(data, pos)
            if not m:
                break
            pos = m.end()
        data = data[pos:].lstrip()
        m = _XML_NAME.match(data)
        return m.group(2).decode("ascii") if m else None

    @cached_property
    def zip_names(self) -> frozenset[str] | None:
        """The member names of a ZIP archive (None when it cannot be read as one)."""
        try:
            with zipfile.ZipFile(self.path) as zf:
                return frozenset(zf.namelist())
        except (OSError, zipfile.BadZipFile, ValueError):
            return None


def is_pdf(s: Sniff) -> bool:
    """A PDF file: `%PDF-` opening it (after white space, which some writers put first)."""
    return not s.gzipped and s.head.lstrip()[:5] == b"%PDF-"


def is_zip(s: Sniff) -> bool:
    """A ZIP archive (a docx, an xlsx, or any other)."""
    return not s.gzipped and s.head.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def is_docx(s: Sniff) -> bool:
    """A Word document: a ZIP holding the parts of WordprocessingML."""
    names = s.zip_names if is_zip(s) else None
    return bool(names) and "[Content_Types].xml" in names and "word/document.xml" in names


def is_ole(s: Sniff) -> bool:
    """An OLE2 compound file: a legacy Word .doc (or another Office 97-2003 file)."""
    return not s.gzipped and s.head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_rtf(s: Sniff) -> bool:
    """A Rich Text Format file."""
    return s.head.lstrip().startswith(b"{\\rtf")


def is_tmx(s: Sniff) -> bool:
    """A TMX translation memory: XML whose root is <tmx>."""
    return s.xml_root == "tmx"


def is_tei(s: Sniff) -> bool:
    """A TEI document (the UN Parallel Corpus's per-document XML): root <TEI.2> or <TEI>."""
    return s.xml_root in ("TEI.2", "TEI")


def is_links(s: Sniff) -> bool:
    """A sentence link file (XCES): root <cesAlign> or a bare <linkGrp>."""
    return s.xml_root in ("cesAlign", "linkGrp")


def is_xml(s: Sniff) -> bool:
    """Any other XML document."""
    return s.xml_root is not None and s.text_head.lstrip()[:1] == b"<"


def is_gzip(s: Sniff) -> bool:
    """A compressed file that holds none of the formats above."""
    return s.gzipped
