"""Make the scanned fixtures of English, Spanish, Russian and Arabic in tests/data/readers/office.

    python tools/make_scan_fixtures.py [--out tests/data/readers/office]

For each language, the dev set's lines of one document (A/69/720, `corpus/unpc-devset`, in the order of
`UNv1.0.devset.ids`) as a Word file in the UN layout (the symbol in the page header, page numbers and a job
number in the footer; Arabic right to left, in Amiri), printed to PDF by LibreOffice and scanned as
tools/make_office_fixtures.py scans the seeds: A_69_720_E.pdf and A_69_720_E_scan.pdf, and likewise S, R, A.

Needs what tools/make_office_fixtures.py needs, and Debian's fonts-hosny-amiri for Arabic.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tools.make_office_fixtures import ensure_tools, make_pdf, make_scan, un_document  # noqa: E402

SYMBOL, NAME, JOB = "A/69/720", "A_69_720", "15-00720"  # the job number is invented: the dev set has none
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DEVSET = REPO / "corpus" / "unpc-devset"
# language: (the letter of its UN job numbers, the font of its text, right to left)
LANGUAGES = {
    "en": ("E", "Times New Roman", False),
    "es": ("S", "Times New Roman", False),
    "ru": ("R", "Times New Roman", False),
    "ar": ("A", "Amiri", True),
}
ARABIC_FONT = ("fonts-hosny-amiri", "/usr/share/fonts/truetype/amiri")


def document_lines(symbol: str, lang: str) -> list[str]:
    """The dev set's lines of one document in one language, in the order of its ids file."""
    key = "2015/" + symbol.lower()  # the dev set's documents are of 2015
    wanted = []
    with open(DEVSET / "UNv1.0.devset.ids", encoding="utf-8") as ids:
        for number, line in enumerate(ids):
            if line.split(" ", 1)[0] == key:
                wanted.append(number)
    with open(DEVSET / f"UNv1.0.devset.{lang}", encoding="utf-8") as text:
        lines = text.read().split("\n")
    return [lines[n] for n in wanted]


def make_docx(lang: str, out: Path) -> Path:
    """The document's lines in one language as a Word file in the UN layout."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm

    letter, font, rtl = LANGUAGES[lang]
    seed = {"symbol": SYMBOL, "job": f"{JOB} ({letter})", "barcode": f"*{JOB.replace('-', '')}*"}
    document = un_document(seed, font)
    normal = document.styles["Normal"].element.get_or_add_rPr()
    normal.get_or_add_rFonts().set(qn("w:cs"), font)  # Arabic is set in the complex-script font
    normal.append(parse_xml(f'<w:szCs xmlns:w="{W}" w:val="24"/>'))
    for text in document_lines(SYMBOL, lang):
        para = document.add_paragraph()
        para.paragraph_format.first_line_indent = Cm(1.25)
        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if rtl:
            para._p.get_or_add_pPr().append(parse_xml(f'<w:bidi xmlns:w="{W}"/>'))
        run = para.add_run(text)
        if rtl:
            run._r.get_or_add_rPr().append(parse_xml(f'<w:rtl xmlns:w="{W}"/>'))
    path = out / f"{NAME}_{letter}.docx"
    buf = io.BytesIO()
    document.core_properties.author = "United Nations"
    document.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def main(argv=None):
    """Write each language's text PDF and scan into --out (the Word files are not kept)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "readers" / "office")
    args = parser.parse_args(argv)
    ensure_tools()
    if not Path(ARABIC_FONT[1]).exists():
        if shutil.which("apt-get") is None:
            sys.exit(f"install {ARABIC_FONT[0]} first (Debian package)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ARABIC_FONT[0]], check=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            pdf = make_pdf(make_docx(lang, Path(tmp)), args.out)
            scan = make_scan(pdf, args.out)
            print(f"{pdf.name} ({pdf.stat().st_size // 1024} KB), {scan.name} ({scan.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
