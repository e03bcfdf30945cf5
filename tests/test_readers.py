"""Decoding and format detection of corpus files."""

from __future__ import annotations

import codecs

import pytest

from indexer.errors import CorpusError
from indexer.readers import decode, discover, read_unit

FR = "Réaffirme que le multilatéralisme est le principe fondamental"
ZH = "重申多边主义是解决裁军和不扩散问题的核心原则"


@pytest.mark.parametrize(
    "data, text",
    [
        (FR.encode("utf-8"), FR),
        (codecs.BOM_UTF8 + FR.encode("utf-8"), FR),
        (codecs.BOM_UTF16_LE + FR.encode("utf-16-le"), FR),
        (codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), ZH),
        (("abc " + FR).encode("utf-16-le"), "abc " + FR),
        (ZH.encode("gb18030"), ZH),
    ],
)
def test_decode_encodings(data, text):
    assert decode(data) == text


@pytest.mark.parametrize("data", [b"\x00\x01\x02\xff\xfe\x00\x00\x00\x89PNG\x00", bytes(range(128, 256)) * 4])
def test_decode_rejects_binary(data):
    with pytest.raises(CorpusError):
        decode(data)


def test_discover_groups_bitexts_and_passes_over_other_languages(tmp_path):
    (tmp_path / "set.fr").write_text("Bonjour à tous\n", encoding="utf-8")
    (tmp_path / "set.zh").write_text("大家好\n", encoding="utf-8")
    (tmp_path / "set.en").write_text("Hello all\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("about", encoding="utf-8")
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    units, skipped = discover(tmp_path)
    assert [(u.key, u.format, sorted(u.langs)) for u in units] == [("set", "bitext", ["fr", "zh"])]
    assert skipped == [("README.md", "documentation, not a document")]


def test_bitext_with_ids_groups_lines_by_document(tmp_path):
    (tmp_path / "b.fr").write_text("Première phrase.\nDeuxième phrase.\nAutre document.\n", encoding="utf-8")
    (tmp_path / "b.zh").write_text("第一句。\n第二句。\n另一份文件。\n", encoding="utf-8")
    (tmp_path / "b.ids").write_text(
        "2015/s/2015/305 fr:1:1 zh:1:1\n2015/s/2015/305 fr:2:1 zh:2:1\n2015/a/69/767 fr:1:1 zh:1:1\n", encoding="utf-8"
    )
    units, _ = discover(tmp_path)
    reading = read_unit(units[0])
    assert [(d.id, d.symbol, d.year, len(d.paragraphs)) for d in reading.documents] == [
        ("fr-s-2015-305", "S/2015/305", 2015, 2),
        ("zh-s-2015-305", "S/2015/305", 2015, 2),
        ("fr-a-69-767", "A/69/767", 2015, 1),
        ("zh-a-69-767", "A/69/767", 2015, 1),
    ]
    fr_doc, zh_doc, rows = reading.aligned[0]
    assert rows == [(0, 0), (1, 1)]
    assert zh_doc.paragraphs[1].text == "第二句。"


def test_bitext_line_count_mismatch_is_a_clear_error(tmp_path):
    (tmp_path / "b.fr").write_text("Une phrase en français.\nDeux.\n", encoding="utf-8")
    (tmp_path / "b.zh").write_text("一句中文。\n", encoding="utf-8")
    units, _ = discover(tmp_path)
    with pytest.raises(CorpusError, match=r"line counts differ \(fr 2, zh 1 lines\)"):
        read_unit(units[0])


def test_bitext_with_swapped_languages_is_rejected(tmp_path):
    (tmp_path / "b.fr").write_text("一句中文。\n", encoding="utf-8")
    (tmp_path / "b.zh").write_text("Une phrase en français.\n", encoding="utf-8")
    units, _ = discover(tmp_path)
    with pytest.raises(CorpusError, match="not French"):
        read_unit(units[0])


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        discover(tmp_path / "nope")
