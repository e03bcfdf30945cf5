"""Word .docx files: the fixture documents of the two seeds (made by python-docx in the UN layout) read into the
paragraphs, kinds, numbers, footnotes and metadata of the seeds' text extractions; bad files skipped."""

from __future__ import annotations

import re
import zipfile

import pytest

from indexer.align import align_paragraphs
from indexer.errors import CorpusError
from indexer.readers import discover, read_unit
from indexer.readers.docx import read_docx

from .conftest import FR_SEED, ZH_SEED
from .test_pdf import OFFICE, SEEDS, seed, shape


def rewrite(src, dst, change):
    """A copy of a .docx with change(name, text) applied to each XML part."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith((".xml", ".rels")):
                data = change(item.filename, data.decode("utf-8")).encode("utf-8")
            zout.writestr(item.filename.replace("footnotes", "endnotes") if change is endnotes else item, data)
    return dst


def endnotes(name: str, text: str) -> str:
    """The footnotes of a document turned into endnotes (their own part, relationship and references)."""
    return text.replace("footnotes", "endnotes").replace("footnote", "endnote").replace("Footnote", "Endnote")


@pytest.mark.parametrize("seed_name", sorted(SEEDS))
def test_docx_gives_the_paragraphs_of_the_text_extraction(seed_name):
    want = seed(seed_name)
    got = read_docx(OFFICE / f"{SEEDS[seed_name]}.docx", "x.docx")
    assert shape(got) == shape(want)
    assert (got.lang, got.symbol, got.date, got.title, got.meta) == (
        want.lang,
        want.symbol,
        want.date,
        want.title,
        want.meta,
    )
    assert got.format == "docx"


def test_numbers_come_from_the_list_and_notes_from_their_part():
    path = OFFICE / "A_RES_68_38_F.docx"
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        notes = zf.read("word/footnotes.xml").decode("utf-8")
    assert "Réaffirme que" in body and not re.search(r">\s*1\.\s*Réaffirme", body)  # no number in the text
    assert "Résolution 55/2." in notes and "Résolution 55/2." not in body
    doc = read_docx(path, "x.docx")
    operative = [(p.number, p.text[:12]) for p in doc.paragraphs if p.kind == "operative"]
    assert operative[0] == ("1", "1. Réaffirme") and [n for n, _ in operative] == [str(n) for n in range(1, 10)]
    assert [(p.number, p.text) for p in doc.paragraphs if p.kind == "footnote"][0] == ("1", "Résolution 55/2.")


def test_a_title_is_told_by_its_style(tmp_path):
    path = rewrite(OFFICE / "A_RES_68_38_F.docx", tmp_path / "t.docx", lambda n, t: t.replace(">68/38. ", ">"))
    doc = read_docx(path, "t.docx")
    titles = [p.text for p in doc.paragraphs if p.kind == "title"]
    assert titles == ["Promotion du multilatéralisme dans le domaine du désarmement et de la non-prolifération"]
    assert doc.title == titles[0] and doc.symbol == "A/RES/68/38"  # the symbol from the page header


def test_endnotes_are_read_from_their_part(tmp_path):
    path = rewrite(OFFICE / "A_RES_68_38_F.docx", tmp_path / "e.docx", endnotes)
    doc = read_docx(path, "e.docx")
    assert [(p.number, p.text) for p in doc.paragraphs if p.kind == "footnote"] == [
        ("i", "Résolution 55/2."),
        ("ii", "Voir A/67/506-S/2012/752, annexe I."),
        ("iii", "A/68/152 et Add.1."),
    ]


def test_seed_docx_keep_the_gold_alignment():
    fr = read_docx(OFFICE / "A_RES_68_38_F.docx", "fr.docx")
    zh = read_docx(OFFICE / "A_RES_67_38_C.docx", "zh.docx")
    links = {
        (lk.a[0], lk.b[0]) for lk in align_paragraphs(fr.paragraphs, zh.paragraphs, fr.lang, zh.lang) if lk.a and lk.b
    }
    want_fr, want_zh = seed(FR_SEED), seed(ZH_SEED)
    gold = {
        (lk.a[0], lk.b[0])
        for lk in align_paragraphs(want_fr.paragraphs, want_zh.paragraphs, want_fr.lang, want_zh.lang)
        if lk.a and lk.b
    }
    assert len(gold) == 25 and links == gold


@pytest.mark.parametrize(
    "change, reason",
    [
        (
            lambda n, t: t.replace("</w:body>", "") if n == "word/document.xml" else t,
            "damaged Word file: word/document",
        ),
        (
            lambda n, t: t.replace("<w:body>", "<w:x>").replace("</w:body>", "</w:x>"),
            "damaged Word file: word/document",
        ),
    ],
)
def test_a_bad_docx_is_one_skipped_file_with_its_reason(tmp_path, change, reason):
    rewrite(OFFICE / "A_RES_68_38_F.docx", tmp_path / "bad.docx", change)
    units, _ = discover(tmp_path)
    assert units[0].format == "docx"
    with pytest.raises(CorpusError, match=reason):
        read_unit(units[0])


def test_a_docx_cut_short_is_refused(tmp_path):
    (tmp_path / "cut.docx").write_bytes((OFFICE / "A_RES_68_38_F.docx").read_bytes()[:30000])
    with pytest.raises(CorpusError):
        read_docx(tmp_path / "cut.docx", "cut.docx")


def test_tandem_align_reads_a_pdf_and_a_word_file():
    import json

    from click.testing import CliRunner

    from server.cli import cli

    args = ["align", str(OFFICE / "A_RES_68_38_F.pdf"), str(OFFICE / "A_RES_67_38_C.docx"), "--format", "json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    pairs = [p for p in json.loads(result.output)["pairs"] if p["fr"] and p["zh"]]
    assert len(pairs) == 25 and json.loads(result.output)["relation"]["type"] == "other_year"
