"""Scanned PDFs (page images, no text layer): read by Tesseract where it is installed, marked as OCR in the
catalog and the API; skipped with the reason to install it, or that OCR is off, where it is not used."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from bench.reader_bench import recall
from indexer.analysis import LANGUAGES
from indexer.errors import CorpusError
from indexer.readers import discover, read_unit
from indexer.readers.ocr import Tesseract, _installed_languages, tesseract_found
from indexer.readers.pdf import read_pdf
from server.cli import cli

from .test_pdf import DEVSET_PDFS, OFFICE

FR_SCAN, ZH_SCAN = OFFICE / "A_RES_68_38_F_scan.pdf", OFFICE / "A_RES_67_38_C_scan.pdf"


def _why_no_ocr() -> str | None:
    binary = tesseract_found()
    if binary is None:
        return "tesseract not installed (Debian tesseract-ocr; `make test` installs it when run as root)"
    missing = {"fra", "chi_sim"} - _installed_languages(binary)
    if missing:
        return f"Tesseract language data missing: {', '.join(sorted(missing))} (`make tesseract` installs it)"
    return None


needs_ocr = pytest.mark.skipif(_why_no_ocr() is not None, reason=_why_no_ocr() or "")


@pytest.fixture(scope="module")
def scanned():
    """The two scans read by OCR, beside their text PDFs: {lang: (text PDF doc, OCR doc)}."""
    out = {}
    for scan in (FR_SCAN, ZH_SCAN):
        text = read_pdf(scan.with_name(scan.name.replace("_scan", "")), "text.pdf")
        out[text.lang] = (text, read_pdf(scan, "scan.pdf", Tesseract()))
    return out


def test_a_scan_without_ocr_is_skipped_saying_how_to_read_it():
    with pytest.raises(CorpusError, match="^scanned PDF without a text layer: install tesseract-ocr to read it$"):
        read_pdf(FR_SCAN, "scan.pdf", None)


@needs_ocr
def test_ocr_finds_the_french_words_of_the_text_pdf(scanned):
    text, ocr = scanned["fr"]
    score = recall(text, ocr)
    print(f"French word recall of the OCR'd scan: {score:.4f}")
    assert score >= 0.95
    assert (ocr.symbol, ocr.date, ocr.lang) == (text.symbol, text.date, "fr")
    assert {p.source for p in ocr.paragraphs} == {"ocr"}
    assert [p.number for p in ocr.paragraphs if p.kind == "operative" and p.number] == [str(n) for n in range(1, 10)]


@needs_ocr
def test_ocr_reads_the_chinese_scan(scanned):
    text, ocr = scanned["zh"]
    score = recall(text, ocr)
    print(f"Chinese character recall of the OCR'd scan: {score:.4f}")
    assert score >= 0.95 and ocr.lang == "zh" and ocr.date == text.date


# the word recall each language's scan reaches (measured: en, es 1.0000, ru 0.9949, ar 0.8522: Tesseract's Arabic
# data misreads dots and joins in the Amiri type, and the Arabic comma as »)
RECALL_AT_LEAST = {"en": 0.99, "es": 0.99, "ru": 0.98, "ar": 0.8}


@pytest.mark.parametrize("lang", sorted(DEVSET_PDFS))
def test_ocr_reads_a_scan_of_each_other_language_with_its_symbol(lang):
    binary, code = tesseract_found(), LANGUAGES[lang].ocr
    if binary is None or code not in _installed_languages(binary):
        pytest.skip(f"Tesseract's {code} data is not installed (`make tesseract` installs it)")
    scan = OFFICE / f"{DEVSET_PDFS[lang]}_scan.pdf"
    text, ocr = (
        read_pdf(scan.with_name(scan.name.replace("_scan", "")), "text.pdf"),
        read_pdf(scan, "scan.pdf", Tesseract()),
    )
    score = recall(text, ocr)
    print(f"{lang} word recall of the OCR'd scan: {score:.4f}")
    assert score >= RECALL_AT_LEAST[lang]
    # the language told from the page; the symbol read in Latin letters where the language's own data would read
    # Cyrillic look-alikes (А/69/720) or nothing; the job number (its letter read as a digit too) left out
    assert (ocr.lang, ocr.symbol, len(ocr.paragraphs)) == (lang, "A/69/720", len(text.paragraphs))
    assert {p.source for p in ocr.paragraphs} == {"ocr"}
    assert not any("15-00720" in p.text for p in ocr.paragraphs)


@needs_ocr
def test_ocr_off_skips_scans_with_its_reason(tmp_path):
    shutil.copy(FR_SCAN, tmp_path / "scan.pdf")
    units, _ = discover(tmp_path, ocr=False)
    with pytest.raises(CorpusError, match=r"OCR is off \(ocr = false in config.toml\)"):
        read_unit(units[0])


@needs_ocr
def test_tandem_index_reads_a_folder_of_pdfs_and_docx_and_hits_show_ocr(tmp_path, scanned):
    from indexer.config import load_config
    from server.app import create_app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(FR_SCAN, corpus / "A_RES_68_38_F.pdf")  # the scan: read by OCR (the words cached by the fixture)
    shutil.copy(OFFICE / "A_RES_67_38_C.docx", corpus / "A_RES_67_38_C.docx")
    shutil.copy(OFFICE / "encrypted.pdf", corpus / "encrypted.pdf")
    index = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "encrypted.pdf" in result.output and "encrypted PDF" in result.output
    client = create_app(load_config(None, corpus_dir=corpus, index_dir=index)).test_client()
    hits = client.get("/api/search?q=multilatéralisme&lang=fr&limit=3").get_json()["hits"]
    assert hits and all(h["source"] == "ocr" and h["document"]["symbol"] == "A/RES/68/38" for h in hits)
    assert any(t["lang"] == "zh" for h in hits for t in h["translations"])  # aligned with the Word file
    zh = client.get("/api/search?q=裁军&lang=zh&limit=3").get_json()["hits"]
    assert zh and all(h["source"] == "text" for h in zh)
