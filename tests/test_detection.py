"""Formats told by content, not by name: every file that cannot be read is one skipped file with its reason."""

from __future__ import annotations

import gzip
import shutil
import zipfile

import pytest

from indexer.build import build_index
from indexer.config import load_config
from indexer.errors import CorpusError
from indexer.readers import FORMATS, Format, detect, discover, read_unit, register, single_document
from indexer.readers import sniff as sniffing

from .conftest import CORPUS, DATA, FR_SEED, ZH_SEED

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
TEI = (DATA / "readers" / "unpc-xml" / "zh" / "2015" / "e" / "2015" / "9" / "add_4.xml").read_bytes()
TMX = (DATA / "readers" / "seeds-export.tmx").read_bytes()


def docx_parts(path):
    """A ZIP holding the parts by which a Word document is recognised (not a document Word would open)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')


def other_zip(path):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")


BAD = {
    "report.txt": (PDF, "damaged PDF: PDFium cannot read it"),
    "draft.bin": (docx_parts, "damaged Word file: word/document.xml is not well-formed XML"),
    "tables.docx": (other_zip, "a ZIP archive that is not a Word document (no word/document.xml)"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "a legacy Word .doc (Office 97-2003) file: convert"),
    "letter.rtf": (b"{\\rtf1\\ansi Bonjour}", "an RTF file: convert it to .docx first"),
    "page.xml": (b"<?xml version='1.0'?>\n<!-- a page -->\n<html><body/></html>", "an XML document that is neither"),
    "notes.txt.gz": (
        gzip.compress("Réaffirme que le désarmement".encode()),
        "a gzip file that holds neither TMX nor XML",
    ),
    "cut.xml.gz": (gzip.compress(TEI)[:40], "damaged gzip file"),
    "broken.xml": (TEI.replace(b"</body>", b""), "add_4.xml: XML not well formed"),
}


def write(path, content):
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_is_recognised_and_gets_its_reason(tmp_path, name):
    content, reason = BAD[name]
    write(tmp_path / name, content)
    units, skipped = discover(tmp_path)
    assert skipped == [] and len(units) == 1
    with pytest.raises(CorpusError) as exc:
        read_unit(units[0])
    shown = exc.value.message.replace(name, "add_4.xml") if name == "broken.xml" else exc.value.message
    assert shown.startswith(reason)


@pytest.mark.parametrize(
    "name, content, fmt",
    [
        ("memory.txt", TMX, "tmx"),
        ("memory.tmx.gz", gzip.compress(TMX), "tmx"),
        ("doc", TEI, "unpc_xml"),
        ("doc.xml.gz", gzip.compress(TEI), "unpc_xml"),
        ("resolution.pdf", (CORPUS / FR_SEED).read_bytes(), "text"),
        ("utf16.tmx", b"\xff\xfe" + TMX.decode("utf-8").replace("UTF-8", "UTF-16").encode("utf-16-le"), "tmx"),
    ],
)
def test_format_follows_content_not_name(tmp_path, name, content, fmt):
    (tmp_path / name).write_bytes(content)
    unit = detect(tmp_path / name, name)
    assert (unit.format, unit.reason) == (fmt, "")
    assert read_unit(unit).documents


def test_a_build_skips_each_bad_file_once_and_loses_nothing_else(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in (FR_SEED, ZH_SEED):
        shutil.copy(CORPUS / seed, corpus / seed)
    (corpus / "memory.tmx").write_bytes(TMX.replace(b"A/RES/6", b"A/RES/9"))  # other symbols: no duplicate
    for name, (content, _) in BAD.items():
        write(corpus / name, content)
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index"))
    assert sorted(k for k, _ in report.skipped) == sorted(BAD)
    for key, reason in report.skipped:
        assert reason.replace(key, "add_4.xml").startswith(BAD[key][1])
    assert {row["lang"]: row["documents"] for row in report.stats} == {"fr": 2, "zh": 2}
    again = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index"))
    assert again.skipped == report.skipped  # known bad files keep their reason without being read again


def test_a_reader_plugs_into_the_table(tmp_path, monkeypatch):
    from indexer.readers.un_text import parse_un_text

    def read_pdf(unit, languages):
        text = unit.paths[0].read_bytes().split(b"\n", 1)[1].decode("utf-8")
        return single_document(parse_un_text(text, source=unit.key), languages)

    monkeypatch.setattr("indexer.readers.FORMATS", list(FORMATS))
    register(Format("pdf", sniffing.is_pdf, read_pdf))
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7\n" + (CORPUS / FR_SEED).read_bytes())
    units, _ = discover(tmp_path)
    assert units[0].format == "pdf"
    assert read_unit(units[0]).documents[0].symbol == "A/RES/68/38"


def test_a_file_skipped_for_its_format_is_read_once_a_reader_exists(tmp_path, monkeypatch):
    from indexer.readers.un_text import parse_un_text

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.rtf").write_bytes(b"{\\rtf1\n" + (CORPUS / FR_SEED).read_bytes())
    cfg = load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index")
    assert [k for k, _ in build_index(cfg).skipped] == ["a.rtf"]

    def read_rtf(unit, languages):
        text = unit.paths[0].read_bytes().split(b"\n", 1)[1].decode("utf-8")
        return single_document(parse_un_text(text, source=unit.key), languages)

    monkeypatch.setattr("indexer.readers.FORMATS", list(FORMATS))
    register(Format("rtf", sniffing.is_rtf, read_rtf))
    report = build_index(cfg)
    assert report.skipped == [] and [(r["lang"], r["documents"]) for r in report.stats] == [("fr", 1)]
