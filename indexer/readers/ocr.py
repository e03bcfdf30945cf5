"""OCR of PDF pages without a text layer: each page rendered by PDFium and read by Tesseract (the `tesseract`
binary, run as a subprocess), in the language data the registry names (Language.ocr); its words come back
as lines with their place on the page, read on like a text layer's (indexer.readers.pdf)."""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
from collections import OrderedDict
from dataclasses import dataclass

from ..analysis import LANGUAGES
from ..errors import CorpusError

__all__ = ["Tesseract", "tesseract_found", "DPI"]

# Measured on the fixture scans (bench/reader_bench.py): 300 dpi read French words at 98.9% recall and Chinese
# characters at 99.2%, the Chinese symbol line included; 200 dpi took a third less time but lost Chinese
# characters (98.8%) and the symbol line.
DPI = 300
DETECT_DPI = 150  # the band read to recognise a scan's language
LATIN_DATA = "eng"  # UN symbols and job numbers are written in Latin capitals and digits in every language
TIMEOUT_S = 120  # one page; a page that takes longer is a damaged or hostile image
# pages kept read (their lines, ~10 KB a page): a build opens a file to plan and again to index it, and a page
# takes seconds to read
CACHE_PAGES = 5000


def tesseract_found() -> str | None:
    """The path of the tesseract binary, or None."""
    return shutil.which("tesseract")


@functools.cache
def _installed_languages(binary: str) -> frozenset[str]:
    out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


_cache: OrderedDict = OrderedDict()


class Tesseract:
    """Tesseract reading rendered pages: `read` a page into lines, `language_of` a scanned document."""

    def __init__(self, binary: str | None = None, dpi: int = DPI):
        self.binary = binary or tesseract_found()
        if not self.binary:
            raise CorpusError("scanned PDF without a text layer: install tesseract-ocr to read it")
        self.dpi = dpi

    def _data(self, lang: str) -> str:
        code = LANGUAGES[lang].ocr if lang in LANGUAGES else ""
        if not code:
            raise CorpusError(f"scanned PDF: no OCR language data is named for {lang}")
        if code not in _installed_languages(self.binary):
            package = "tesseract-ocr-" + code.replace("_", "-")
            raise CorpusError(f"scanned PDF in {LANGUAGES[lang].name}: install {package} to read it")
        return code

    def language_of(self, doc, scanned: list[int], known: str, file_key=None) -> str:
        """The registered language of a document with scanned pages: from its text layer where it has
        enough, else from its first scanned page read with every registered language's data."""
        from .un_text import detect_language

        if sum(ch.isalpha() for ch in known) >= 200:
            return detect_language(known)
        key = (file_key, "language")
        if file_key is not None and key in _cache:
            return _cache[key]
        codes = [lang.ocr for lang in LANGUAGES.values() if lang.ocr]
        have = _installed_languages(self.binary)
        if not any(code in have for code in codes):
            packages = " or ".join("tesseract-ocr-" + c.replace("_", "-") for c in codes)
            raise CorpusError(f"scanned PDF: install {packages} to read it")
        # a band across the middle of the first scanned page, at a lower resolution: enough words to tell
        # the language, for a fraction of a page's time with every language's data loaded
        image = _render(doc[scanned[0]], DETECT_DPI, band=(0.35, 0.65)).pgm()
        words = self._run(image, "+".join(c for c in codes if c in have), DETECT_DPI, scanned[0])
        lang = detect_language(" ".join(w[-1] for w in words))
        if file_key is not None:
            _cache[key] = lang
        return lang

    def read(self, doc, n: int, lang: str, file_key=None) -> list[tuple[str, float, float, float, float]]:
        """Page n of a PDF (pypdfium2 document) read in language `lang`: its lines, top to bottom, as (text,
        left, right, baseline, size) in PDF points (y upwards); `file_key` (the file's content hash) keeps
        them for when the file is opened again (a build opens it to plan, then to index)."""
        key = (file_key, n, lang, self.dpi)
        if file_key is not None and key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        lines = self._lines(doc, n, lang)
        if file_key is not None:
            _cache[key] = lines
            while len(_cache) > CACHE_PAGES:
                _cache.popitem(last=False)
        return lines

    def _lines(self, doc, n: int, lang: str) -> list[tuple[str, float, float, float, float]]:
        from .un_text import EDGE, _join

        joiner = LANGUAGES[lang].line_join
        height = doc[n].get_height()
        scale = 72 / self.dpi
        lines: dict[tuple, list] = {}
        image = _render(doc[n], self.dpi)
        words = self._run(image.pgm(), self._data(lang), self.dpi, n)
        for block, par, line, left, top, width, h, text in words:
            lines.setdefault((block, par, line), []).append((left, top, width, h, text))
        latin = self._latin_data(lang)
        out = []
        for words in lines.values():
            x0 = min(w[0] for w in words)
            x1 = max(w[0] + w[2] for w in words)
            top = min(w[1] for w in words)
            bottom = max(w[1] + w[3] for w in words)
            heights = sorted(w[3] for w in words)
            size = heights[len(heights) // 2] * scale
            text = _join([w[4] for w in words], joiner)
            at_edge = bottom < image.height * EDGE or top > image.height * (1 - EDGE)
            if latin and at_edge and any(ch.isdigit() for ch in text):
                text = self._furniture(image, (x0, top, x1, bottom), latin, n) or text
            out.append((text, x0 * scale, x1 * scale, height - bottom * scale, size))
        out.sort(key=lambda ln: -ln[3])
        return out

    def _latin_data(self, lang: str) -> str | None:
        """The Latin data to read a page's symbol and job number with, where the language's own data reads
        Latin capitals as its own letters (Cyrillic А for A) or not at all; None for a Latin-script language."""
        if re.fullmatch(f"[{LANGUAGES[lang].letters}]", "A") or LATIN_DATA not in _installed_languages(self.binary):
            return None
        return LATIN_DATA

    def _furniture(self, image: _Image, box: tuple[int, int, int, int], data: str, n: int) -> str | None:
        """A line at a page's top or bottom read again with Latin data: its text if that reads as a document
        symbol or a job number, else None (a line of the body, left as the language's data read it)."""
        from .un_text import _JOB, _SYMBOL

        pad = max(4, (box[3] - box[1]) // 2)
        words = self._run(image.crop(box, pad).pgm(), data, self.dpi, n, single_line=True)
        text = " ".join(w[-1] for w in words)
        return text if _SYMBOL.fullmatch(text) or _JOB.fullmatch(text) else None

    def _run(self, image: bytes, codes: str, dpi: int, n: int, single_line: bool = False) -> list[tuple]:
        """(block, paragraph, line, left, top, width, height, text) of each word Tesseract reads in an image
        of page n (of one line of it, with `single_line`)."""
        layout = ["--psm", "7"] if single_line else []
        try:
            done = subprocess.run(
                [self.binary, "stdin", "stdout", "-l", codes, "--dpi", str(dpi), *layout, "tsv"],
                input=image,
                capture_output=True,
                timeout=TIMEOUT_S,
                # OpenMP threads made a page slower here (16 s against 7 on two cores)
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
        except subprocess.TimeoutExpired:
            raise CorpusError(f"OCR of page {n + 1} took longer than {TIMEOUT_S} s") from None
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise CorpusError(f"OCR of page {n + 1} failed: {err[-1] if err else done.returncode}")
        words = []
        rows = csv.reader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows, None)
        for row in rows:
            if len(row) == 12 and row[0] == "5" and row[11].strip():
                words.append((*map(int, row[2:5]), *map(int, row[6:10]), row[11].strip()))
        return words


@dataclass(frozen=True)
class _Image:
    """A grey image, a byte a pixel, row after row."""

    width: int
    height: int
    data: bytes

    def pgm(self) -> bytes:
        """The image as a binary PGM file (what Tesseract reads without Pillow)."""
        return f"P5\n{self.width} {self.height}\n255\n".encode("ascii") + self.data

    def crop(self, box: tuple[int, int, int, int], pad: int) -> _Image:
        """The part of the image inside box (left, top, right, bottom), widened by pad pixels each side."""
        left, top = max(0, box[0] - pad), max(0, box[1] - pad)
        right, bottom = min(self.width, box[2] + pad), min(self.height, box[3] + pad)
        rows = (self.data[y * self.width + left : y * self.width + right] for y in range(top, bottom))
        return _Image(right - left, bottom - top, b"".join(rows))


def _render(page, dpi: int, band: tuple[float, float] = (0.0, 1.0)) -> _Image:
    """A page rendered in grey at `dpi`; `band` keeps the rows between two fractions of its height."""
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        width, stride = bitmap.width, bitmap.stride
        top, bottom = int(bitmap.height * band[0]), int(bitmap.height * band[1])
        data = bytes(bitmap.buffer)[top * stride : bottom * stride]
        if stride != width:
            data = b"".join(data[i * stride : i * stride + width] for i in range(bottom - top))
        return _Image(width, bottom - top, data)
    finally:
        bitmap.close()
