"""Make the Word and PDF fixtures of tests/data/readers/office from the two seed resolutions.

    python tools/make_office_fixtures.py [--out tests/data/readers/office]

- A_RES_68_38_F.docx, A_RES_67_38_C.docx: each seed (corpus/*.txt) as a Word file in the UN layout, made with
  python-docx: the symbol in the page header, page numbers ("2/3") and on the first page a job number and
  barcode line in the footer, the title, preambular paragraphs, operative paragraphs numbered by a Word list
  (not by their text), footnotes as real Word footnotes (word/footnotes.xml), the closing signature.
- A_RES_68_38_F.pdf, A_RES_67_38_C.pdf: those files printed to PDF by LibreOffice headless.
- A_RES_68_38_F_scan.pdf, A_RES_67_38_C_scan.pdf: the PDFs' pages rendered to 1-bit images (pdftoppm) and
  wrapped back into a PDF without text (img2pdf, CCITT G4): scans as the Official Document System holds them.
- encrypted.pdf (opens only with a password, qpdf), damaged.pdf (the French PDF cut at a third and its
  cross-reference table overwritten).

Needs Debian's libreoffice-writer, fonts-noto-cjk, poppler-utils and qpdf (installed here when missing and
run as root) and the Python packages python-docx, img2pdf and Pillow; `make test` needs none of them.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEBIAN = {"soffice": "libreoffice-writer", "pdftoppm": "poppler-utils", "qpdf": "qpdf"}
FONTS = "fonts-noto-cjk"
SCAN_DPI = 200  # 1-bit G4 at 200 dpi: about 20 KB a page; OCR reads it back as well as at 300
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Each seed: its file, the name the UN gives its PDF, the symbol, a job number (invented: the extractions do
# not hold theirs), and where each footnote marker stands (the text the marker follows in its paragraph).
SEEDS = [
    {
        "file": "000_0156113a91954281.txt",
        "name": "A_RES_68_38_F",
        "symbol": "A/RES/68/38",
        "job": "13-61234 (F)",
        "barcode": "*1361234*",
        "anchors": {"1": "Déclaration du Millénaire", "2": "sécurité internationale", "3": "résolution 67/38"},
        "font": "Times New Roman",
    },
    {
        "file": "002_9173574a0d462b55.txt",
        "name": "A_RES_67_38_C",
        "symbol": "A/RES/67/38",
        "job": "12-48765 (C)",
        "barcode": "*1248765*",
        "anchors": {"1": "《联合国千年宣言》，", "2": "第66/32 号决议，", "3": "提出的报告，"},
        "font": "Noto Serif CJK SC",
    },
]


def ensure_tools():
    """Install the Debian packages the fixtures are made with, where they are missing and we may."""
    missing = [pkg for cmd, pkg in DEBIAN.items() if shutil.which(cmd) is None]
    if not Path("/usr/share/fonts/opentype/noto").exists():
        missing.append(FONTS)
    if not missing:
        return
    if shutil.which("apt-get") is None or os.getuid() != 0:
        sys.exit(f"install {' '.join(missing)} first (Debian packages)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True)


def signature_lines(text: str, lang: str) -> list[str]:
    """The closing signature lines (meeting and date) of a seed, in their order."""
    from indexer.analysis import LANGUAGES

    spec = LANGUAGES[lang].un_text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if spec.meeting.fullmatch(line) or spec.date.fullmatch(line)]


def _footnotes_part(document, notes: dict[str, str]):
    """A word/footnotes.xml part holding `notes` (id -> text), related to the document."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        "</w:p></w:footnote>",
    ]
    for n, text in notes.items():
        body.append(
            f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            + (f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>' if text else "")
            + "</w:p></w:footnote>"
        )
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    xml += f'<w:footnotes xmlns:w="{W}">{"".join(body)}</w:footnotes>'
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def _styles(document, font: str):
    """The UN layout's styles: 10 pt body, a bold title, footnote text at 9 pt with a superscript reference."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    normal.paragraph_format.space_after = Pt(6)
    title = document.styles["Title"]
    title.font.size, title.font.bold, title.font.color.rgb = Pt(12), True, RGBColor(0, 0, 0)
    title.font.name = "Times New Roman"
    title.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    title.paragraph_format.space_after = Pt(12)
    for el in title.element.pPr.findall(qn("w:pBdr")):  # the template underlines its titles
        title.element.pPr.remove(el)
    note = document.styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    note.element.set(qn("w:styleId"), "FootnoteText")
    note.base_style, note.font.size = normal, Pt(9)
    note.paragraph_format.space_after = Pt(0)
    ref = document.styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    ref.element.set(qn("w:styleId"), "FootnoteReference")
    ref.font.superscript = True


def _header_footer(document, seed):
    """Symbol on every page's header; page n/m in the footer, the job number and barcode on the first."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    section = document.sections[0]
    section.different_first_page_header_footer = True
    for header in (section.header, section.first_page_header):
        p = header.paragraphs[0]
        p.text, p.alignment = seed["symbol"], WD_ALIGN_PARAGRAPH.RIGHT
    fields = "".join(
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {name} </w:instrText>'
        f'</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r>' + ("<w:r><w:t>/</w:t></w:r>" if name == "PAGE" else "")
        for name in ("PAGE", "NUMPAGES")
    )
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p._p.append(parse_xml(f'<w:r xmlns:w="{W}"/>'))
    for el in parse_xml(f'<w:p xmlns:w="{W}">{fields}</w:p>'):
        p._p.append(copy.deepcopy(el))
    first = section.first_page_footer.paragraphs[0]
    first.text = f"{seed['job']}\n{seed['barcode']}"


def un_document(seed, font: str):
    """A new Word document in the UN layout: its styles in `font`, an A4 page with the UN margins, the header
    and footer of `seed` (its symbol, job number and barcode)."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    _styles(document, font)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(3.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    _header_footer(document, seed)
    return document


def make_docx(seed, out: Path) -> Path:
    """A seed resolution as a Word file in the UN layout."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt

    from indexer.readers.un_text import parse_un_text

    text = (REPO / "corpus" / seed["file"]).read_text(encoding="utf-8")
    parsed = parse_un_text(text, seed["file"])
    document = un_document(seed, seed["font"])
    notes = {p.number: p.text for p in parsed.paragraphs if p.kind == "footnote"}
    after_title = False
    for p in parsed.paragraphs:
        if p.kind == "footnote":
            continue
        body = p.text
        if p.kind == "operative" and p.number:
            body = body.split(" ", 1)[1]  # the number comes from the list, not the text
            para = document.add_paragraph(style="List Number")
            para.paragraph_format.left_indent, para.paragraph_format.first_line_indent = Cm(0), Cm(1.25)
        elif p.kind == "title":
            para = document.add_paragraph(style="Title")
        else:
            para = document.add_paragraph()
            if after_title:  # the chapeau, preambular and unnumbered paragraphs open indented
                para.paragraph_format.first_line_indent = Cm(1.25)
        after_title = after_title or p.kind == "title"
        para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        cuts = sorted((body.index(seed["anchors"][n]) + len(seed["anchors"][n]), n) for n in p.notes)
        start = 0
        for at, n in cuts:
            para.add_run(body[start:at])
            run = parse_xml(
                f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{n}"/></w:r>'
            )
            para._p.append(run)
            notes.setdefault(n, "")  # the Chinese extraction holds the markers, not the notes' text
            start = at
        para.add_run(body[start:])
    for line in signature_lines(text, parsed.lang):
        para = document.add_paragraph(line)
        para.paragraph_format.space_before = Pt(12)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _footnotes_part(document, dict(sorted(notes.items(), key=lambda kv: int(kv[0]))))
    path = out / f"{seed['name']}.docx"
    buf = io.BytesIO()
    document.core_properties.title = parsed.title
    document.core_properties.author = "United Nations"
    document.save(buf)
    path.write_bytes(buf.getvalue())
    return path


def make_pdf(docx_path: Path, out: Path) -> Path:
    """A Word file printed to PDF by LibreOffice headless."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(docx_path),
            ],
            check=True,
            capture_output=True,
        )
    return out / f"{docx_path.stem}.pdf"


def make_scan(pdf: Path, out: Path) -> Path:
    """A PDF's pages as 1-bit images at SCAN_DPI, wrapped back into a PDF without text."""
    import img2pdf
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-mono", "-r", str(SCAN_DPI), str(pdf), f"{tmp}/page"], check=True)
        pages = []
        for pbm in sorted(Path(tmp).glob("page*.pbm")):
            tiff = pbm.with_suffix(".tif")
            Image.open(pbm).save(tiff, compression="group4", dpi=(SCAN_DPI, SCAN_DPI))
            pages.append(str(tiff))
        path = out / f"{pdf.stem}_scan.pdf"
        path.write_bytes(img2pdf.convert(pages))
    return path


def make_bad(pdf: Path, out: Path):
    """An encrypted PDF (a user password) and a damaged one (cut short, its cross-reference table overwritten)."""
    subprocess.run(
        ["qpdf", "--encrypt", "secret", "owner", "256", "--", str(pdf), str(out / "encrypted.pdf")], check=True
    )
    data = pdf.read_bytes()
    cut = data[: len(data) // 3]
    (out / "damaged.pdf").write_bytes(cut[:1024] + b"\0" * (len(cut) - 1024) + b"\nxref\n0 9999\ntrailer\n")


def main(argv=None):
    """Write every fixture into --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "readers" / "office")
    args = parser.parse_args(argv)
    ensure_tools()
    args.out.mkdir(parents=True, exist_ok=True)
    pdfs = []
    for seed in SEEDS:
        docx_path = make_docx(seed, args.out)
        pdfs.append(make_pdf(docx_path, args.out))
        make_scan(pdfs[-1], args.out)
    make_bad(pdfs[0], args.out)
    total = sum(p.stat().st_size for p in args.out.iterdir())
    print(f"fixtures written to {args.out} ({total // 1024} KB)")


if __name__ == "__main__":
    main()
