"""PDF files with a text layer: the fixture PDFs of the two seeds (made from their .docx by LibreOffice) read into
the paragraphs, kinds, numbers, footnotes and metadata of the seeds' text extractions; bad PDFs skipped."""

from __future__ import annotations

import shutil

import pytest

from indexer.align import align_paragraphs
from indexer.analysis import LANGUAGES
from indexer.build import build_index
from indexer.config import load_config
from indexer.errors import CorpusError
from indexer.readers import discover, read_unit
from indexer.readers.pdf import pdf_pages, read_pdf
from indexer.readers.un_text import parse_un_text
from tools.make_scan_fixtures import document_lines

from .conftest import CORPUS, DATA, FR_SEED, ZH_SEED

OFFICE = DATA / "readers" / "office"
SEEDS = {FR_SEED: "A_RES_68_38_F", ZH_SEED: "A_RES_67_38_C"}
# one dev-set document in the languages the seeds are not in (tools/make_scan_fixtures.py)
DEVSET_PDFS = {"en": "A_69_720_E", "es": "A_69_720_S", "ru": "A_69_720_R", "ar": "A_69_720_A"}


def normalised(text: str, lang: str) -> str:
    """Text with its white space as the language joins lines: one space (French), none (Chinese)."""
    return (LANGUAGES[lang].line_join or "").join(text.split())


def shape(doc):
    """What a reader must agree on: each paragraph's text (white space normalised), kind, number and notes."""
    return [(normalised(p.text, doc.lang), p.kind, p.number, p.notes) for p in doc.paragraphs]


def seed(name: str):
    return parse_un_text((CORPUS / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize("seed_name", sorted(SEEDS))
def test_pdf_gives_the_paragraphs_of_the_text_extraction(seed_name):
    want = seed(seed_name)
    got = read_pdf(OFFICE / f"{SEEDS[seed_name]}.pdf", "x.pdf")
    assert shape(got) == shape(want)
    assert (got.lang, got.symbol, got.date, got.title) == (want.lang, want.symbol, want.date, want.title)
    assert got.meta == want.meta and got.format == "pdf"
    assert {p.source for p in got.paragraphs} == {"text"}


@pytest.mark.parametrize("lang", sorted(DEVSET_PDFS))
def test_pdfs_of_the_other_languages_give_the_document_s_lines_as_paragraphs(lang):
    """A/69/720's dev-set lines printed by LibreOffice in English, Spanish, Russian and Arabic: each line one
    paragraph, Arabic included (its first lines are indented from the right, its last lines end short on the
    left), the symbol from the header, the job number and barcode left out."""
    got = read_pdf(OFFICE / f"{DEVSET_PDFS[lang]}.pdf", "x.pdf")
    assert (got.lang, got.symbol, got.format) == (lang, "A/69/720", "pdf")
    assert [p.text for p in got.paragraphs] == [" ".join(line.split()) for line in document_lines("A/69/720", lang)]


def test_page_furniture_is_recognised_per_page():
    """Running header (the symbol), page numbers, job number and barcode are on the pages, not in the text."""
    pages, _ = pdf_pages(OFFICE / "A_RES_68_38_F.pdf")
    texts = [[line.text.strip() for line in page.lines] for page in pages]
    assert len(pages) == 3 and all(t[0] == "A/RES/68/38" for t in texts)
    assert "13-61234 (F)" in texts[0] and "*1361234*" in texts[0] and "3/3" in texts[2]
    doc = read_pdf(OFFICE / "A_RES_68_38_F.pdf", "x.pdf")
    joined = " ".join(p.text for p in doc.paragraphs)
    assert "13-61234" not in joined and "1361234" not in joined and "3/3" not in joined
    assert "A/RES/68/38" not in joined  # the header, every page; the text cites 67/38 and A/68/411 only
    # footnote markers are the raised digits, taken out of the text and kept as the paragraph's notes
    noted = {p.number for p in doc.paragraphs if p.kind == "footnote"}
    assert noted == {"1", "2", "3"} and sorted(n for p in doc.paragraphs for n in p.notes) == ["1", "2", "3"]
    assert any(p.text.startswith("Rappelant en outre la Déclaration du Millénaire, qui") for p in doc.paragraphs)


def test_seed_pdfs_keep_the_gold_alignment():
    """The two PDFs align as their text extractions do: 25 one-to-one pairs, kind for kind."""
    fr = read_pdf(OFFICE / "A_RES_68_38_F.pdf", "fr.pdf")
    zh = read_pdf(OFFICE / "A_RES_67_38_C.pdf", "zh.pdf")
    links = [lk for lk in align_paragraphs(fr.paragraphs, zh.paragraphs, fr.lang, zh.lang) if lk.a and lk.b]
    want_fr, want_zh = seed(FR_SEED), seed(ZH_SEED)
    gold = {
        (lk.a[0], lk.b[0])
        for lk in align_paragraphs(want_fr.paragraphs, want_zh.paragraphs, want_fr.lang, want_zh.lang)
        if lk.a and lk.b
    }
    assert len(gold) == 25 and {(lk.a[0], lk.b[0]) for lk in links} == gold
    assert all(len(lk.a) == len(lk.b) == 1 for lk in links)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("encrypted.pdf", "encrypted PDF: it opens only with a password"),
        ("damaged.pdf", "damaged PDF: PDFium cannot read it"),
    ],
)
def test_bad_pdfs_are_refused_with_their_reason(name, reason):
    with pytest.raises(CorpusError, match=reason):
        read_pdf(OFFICE / name, name)


def test_a_truncated_pdf_is_one_skipped_file(tmp_path):
    data = (OFFICE / "A_RES_68_38_F.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[:200])
    units, _ = discover(tmp_path)
    with pytest.raises(CorpusError, match="damaged PDF"):
        read_unit(units[0])


def test_a_folder_of_pdfs_builds_and_skips_each_bad_file_once(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("A_RES_68_38_F.pdf", "A_RES_67_38_C.pdf", "encrypted.pdf", "damaged.pdf"):
        shutil.copy(OFFICE / name, corpus / name)
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index", ocr=False))
    skipped = dict(report.skipped)
    assert sorted(skipped) == ["damaged.pdf", "encrypted.pdf"]
    assert skipped["damaged.pdf"].startswith("damaged PDF: PDFium cannot read it")
    assert skipped["encrypted.pdf"] == "encrypted PDF: it opens only with a password; save an unprotected copy"
    assert {row["lang"]: row["documents"] for row in report.stats} == {"fr": 1, "zh": 1}
    assert report.pairs_aligned == 1
