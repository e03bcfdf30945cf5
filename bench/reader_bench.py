"""PDF and Word reading benchmark: pages/s of PDF text extraction and of OCR (with the recall of the OCR'd
scans), and the end-to-end build rate of a folder of PDFs; says what dominates.

    .venv/bin/python bench/reader_bench.py [--repeat 20] [--dpi 300 200] [--copies 50]

The folder of PDFs is made once (bench/out/pdfs-N) from the fixture Word files under other symbols (A/RES/68/n
in French, A/RES/67/n in Chinese), printed by LibreOffice headless (Debian libreoffice-writer, fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpora import OUT  # noqa: E402

OFFICE = Path(__file__).resolve().parent.parent / "tests" / "data" / "readers" / "office"
# the seeds, and one dev-set document in the four other languages (tools/make_scan_fixtures.py)
NAMES = {"fr": "A_RES_68_38_F", "zh": "A_RES_67_38_C", "en": "A_69_720_E", "es": "A_69_720_S", "ru": "A_69_720_R"}
NAMES["ar"] = "A_69_720_A"
PDFS = {lang: OFFICE / f"{name}.pdf" for lang, name in NAMES.items()}
SCANS = {lang: OFFICE / f"{name}_scan.pdf" for lang, name in NAMES.items()}
DOCX = {"fr": (OFFICE / "A_RES_68_38_F.docx", "68/38"), "zh": (OFFICE / "A_RES_67_38_C.docx", "67/38")}


def pages_of(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def text_rate(repeat: int) -> None:
    """Pages/s of the text layer alone (PDFium's characters into lines) and of the whole PDF reader."""
    from indexer.readers.docx import read_docx
    from indexer.readers.pdf import pdf_pages, read_pdf

    pages = sum(pages_of(p) for p in PDFS.values()) * repeat
    for label, run in (("text layer to lines", lambda p: pdf_pages(p)), ("PDF reader, whole", lambda p: read_pdf(p))):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            for path in PDFS.values():
                run(path)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{label:24s} {pages / took:8.1f} pages/s, {pages / cpu:.1f} per CPU second  ({pages} pages)")
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for path, _ in DOCX.values():
            read_docx(path)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{'Word reader':24s} {2 * repeat / took:8.1f} documents/s, {2 * repeat / cpu:.1f} per CPU second")


def recall(want, got) -> float:
    """Share of the words (or characters, for a language written without spaces) of `want` found in `got`,
    counted with repeats (the OCR tests' measure too)."""
    from indexer.analysis import LANGUAGES

    if not LANGUAGES[want.lang].line_join:
        units = lambda d: Counter(c for p in d.paragraphs for c in p.text if not c.isspace())  # noqa: E731
    else:
        units = lambda d: Counter(w.lower() for p in d.paragraphs for w in re.findall(r"\w+", p.text))  # noqa: E731
    w, g = units(want), units(got)
    return sum((w & g).values()) / sum(w.values())


def ocr_rate(dpis: list[int]) -> None:
    """Pages/s of OCR at each resolution, with the recall of each scan against its text PDF."""
    from indexer.analysis import LANGUAGES
    from indexer.readers import ocr
    from indexer.readers.pdf import read_pdf

    for dpi in dpis:
        pages = took = cpu = 0.0
        scores = []
        for lang, scan in SCANS.items():
            ocr._cache.clear()
            start, used = time.perf_counter(), _cpu()
            got = read_pdf(scan, "scan.pdf", ocr.Tesseract(dpi=dpi))
            took, cpu = took + time.perf_counter() - start, cpu + _cpu() - used
            pages += pages_of(scan)
            want = read_pdf(PDFS[lang], "text.pdf")
            unit = "characters" if not LANGUAGES[lang].line_join else "words"
            scores.append(f"{lang} {unit} {recall(want, got):.2%}, symbol {got.symbol}")
        print(f"OCR at {dpi} dpi          {pages / took:8.2f} pages/s, {pages / cpu:.2f} per CPU second")
        print(f"  recall: {'; '.join(scores)}")


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (Tesseract)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def make_folder(copies: int) -> Path:
    """copies French and copies Chinese PDFs under other symbols, printed once by LibreOffice."""
    folder = OUT / f"pdfs-{copies}"
    if folder.is_dir() and len(list(folder.glob("*.pdf"))) == 2 * copies:
        return folder
    if shutil.which("soffice") is None:
        sys.exit("LibreOffice is needed to make the folder of PDFs: apt-get install libreoffice-writer fonts-noto-cjk")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang, (src, number) in DOCX.items():
            session = number.split("/")[0]
            for i in range(copies):
                new = f"{session}/{100 + i}"
                dst = Path(tmp) / f"A_RES_{new.replace('/', '_')}_{lang}.docx"
                with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
                    for item in zin.infolist():
                        data = zin.read(item.filename)
                        if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                            data = data.replace(number.encode(), new.encode())
                        zout.writestr(item, data)
        docs = sorted(str(p) for p in Path(tmp).glob("*.docx"))
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf"]
            + ["--outdir", str(folder), *docs],
            check=True,
            capture_output=True,
        )
    return folder


def build_rate(copies: int) -> None:
    """The end-to-end build of a folder of PDFs, against the time its files take to read alone."""
    from indexer.build import build_index
    from indexer.config import load_config
    from indexer.readers.pdf import read_pdf

    folder = make_folder(copies)
    files = sorted(folder.glob("*.pdf"))
    pages = sum(pages_of(p) for p in files)
    start = time.perf_counter()
    for path in files:
        read_pdf(path)
    reading = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(None, corpus_dir=folder, index_dir=Path(tmp) / "index", ocr=False)
        start = time.perf_counter()
        report = build_index(cfg)
        took = time.perf_counter() - start
    print(
        f"build of {len(files)} PDFs      {pages / took:8.1f} pages/s, {len(files) / took:.1f} files/s "
        f"({pages} pages in {took:.1f} s; {report.pairs_aligned} pairs aligned, {len(report.skipped)} skipped)"
    )
    print(
        f"  reading the PDFs {reading:.1f} s = {reading / took:.0%} of the build (each read once while the "
        "documents held stay under indexer.changes.KEEP_CHARS); the rest is analysis (pkuseg for Chinese), "
        "indexing and alignment"
    )


def main(argv=None):
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--dpi", type=int, nargs="+", default=[300])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--no-ocr", action="store_true")
    args = parser.parse_args(argv)
    text_rate(args.repeat)
    if not args.no_ocr:
        ocr_rate(args.dpi)
    build_rate(args.copies)


if __name__ == "__main__":
    main()
