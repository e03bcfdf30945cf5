"""Tests of the UN plain-text reader on two real GA resolutions (French 68/38, Chinese 67/38) and bad inputs."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from indexer.errors import CorpusError
from indexer.readers.un_text import detect_language, parse_date, parse_un_text

from .conftest import CORPUS, FR_SEED, ZH_SEED


@pytest.fixture(scope="module")
def fr():
    return parse_un_text((CORPUS / FR_SEED).read_text(encoding="utf-8"), source=FR_SEED)


@pytest.fixture(scope="module")
def zh():
    return parse_un_text((CORPUS / ZH_SEED).read_text(encoding="utf-8"), source=ZH_SEED)


def kinds(doc):
    return Counter(p.kind for p in doc.paragraphs)


def of_kind(doc, kind):
    return [p for p in doc.paragraphs if p.kind == kind]


def operative(doc, number):
    return next(p for p in doc.paragraphs if p.kind == "operative" and p.number == number)


# --- French: GA resolution 68/38 -------------------------------------------------------------------


def test_fr_metadata(fr):
    assert fr.lang == "fr"
    assert fr.symbol == "A/RES/68/38"
    assert fr.date == "2013-12-05"
    assert fr.title == ("Promotion du multilatéralisme dans le domaine du désarmement et de la non-prolifération")
    assert fr.meta["meeting"] == "60e séance plénière"
    assert fr.meta["adopted"] == "2013-12-05"
    assert fr.meta["report"] == "A/68/411"
    assert fr.source == FR_SEED
    assert fr.id == "fr-a-res-68-38"


def test_fr_counts(fr):
    assert kinds(fr) == {"other": 3, "title": 1, "preambular": 14, "operative": 9, "footnote": 3}


def test_fr_reading_order(fr):
    texts = [p.text for p in fr.paragraphs]
    assert texts[:4] == [
        "Résolution adoptée par l’Assemblée générale le 5 décembre 2013",
        "[sur la base du rapport de la Première Commission (A/68/411)]",
        "68/38. Promotion du multilatéralisme dans le domaine du désarmement et de la non-prolifération",
        "L’Assemblée générale,",
    ]
    assert [p.kind for p in fr.paragraphs[:4]] == ["other", "other", "title", "other"]
    # footnotes come after all body paragraphs, in their number order
    assert [p.kind for p in fr.paragraphs[-3:]] == ["footnote"] * 3
    assert [p.position for p in fr.paragraphs] == list(range(len(fr.paragraphs)))


def test_fr_first_preambular(fr):
    first = of_kind(fr, "preambular")[0]
    assert first.text == (
        "Déterminée à faire prévaloir le strict respect des buts et des principes "
        "énoncés dans la Charte des Nations Unies,"
    )
    assert first.notes == []


def test_fr_paragraph_rejoined_across_footnote_block(fr):
    last = of_kind(fr, "preambular")[-1]
    assert last.text == (
        "Réaffirmant la validité absolue de la diplomatie multilatérale dans le domaine du désarmement "
        "et de la non-prolifération, et déterminée à promouvoir le multilatéralisme, qu’elle juge "
        "indispensable à la poursuite des négociations sur la réglementation des armements et le "
        "désarmement,"
    )


def test_fr_glued_markers(fr):
    millennium = next(p for p in fr.paragraphs if "Millénaire" in p.text)
    assert millennium.notes == ["1"]
    assert millennium.text.startswith("Rappelant en outre la Déclaration du Millénaire, qui affirme")
    noting = next(p for p in fr.paragraphs if p.text.startswith("Notant"))
    assert noting.notes == ["2"]
    assert noting.text.endswith("de désarmement et de sécurité internationale,")
    assert "66/32," in noting.text  # ends in 2 like marker 2, but is a real resolution number
    seven = operative(fr, "7")
    assert seven.text == (
        "7. Prend acte du rapport du Secrétaire général présentant les vues des États Membres sur la "
        "question de la promotion du multilatéralisme dans le domaine du désarmement et de la "
        "non-prolifération, communiquées en application de sa résolution 67/38 ;"
    )
    assert seven.notes == ["3"]
    assert sum(len(p.notes) for p in fr.paragraphs) == 3


def test_fr_operatives(fr):
    ops = of_kind(fr, "operative")
    assert [p.number for p in ops] == [str(i) for i in range(1, 10)]
    assert all(p.text.startswith(f"{p.number}. ") for p in ops)
    assert ops[0].text == (
        "1. Réaffirme que le multilatéralisme est le principe fondamental qui doit régir les "
        "négociations menées dans le domaine du désarmement et de la non-prolifération, de sorte que "
        "les normes universelles soient maintenues, renforcées et élargies ;"
    )  # "non-\nprolifération"
    assert ops[-1].text.endswith("de la non-prolifération ».")


def test_fr_footnotes(fr):
    notes = of_kind(fr, "footnote")
    assert [(p.number, p.text) for p in notes] == [
        ("1", "Résolution 55/2."),
        ("2", "Voir A/67/506-S/2012/752, annexe I."),
        ("3", "A/68/152 et Add.1."),
    ]


def test_fr_real_numbers_intact(fr):
    text = "\n".join(p.text for p in fr.paragraphs)
    assert "résolution 56/24 T du 29 novembre 2001," in text
    assert "(A/68/411)" in text
    assert "66/32 du 2 décembre 2011 et 67/38 du 3 décembre 2012," in text


def test_fr_signature_is_not_a_paragraph(fr):
    text = "\n".join(p.text for p in fr.paragraphs)
    assert "séance plénière" not in text
    assert not any(p.text == "5 décembre 2013" for p in fr.paragraphs)


# --- Chinese: GA resolution 67/38 ------------------------------------------------------------------


def test_zh_metadata(zh):
    assert zh.lang == "zh"
    assert zh.symbol == "A/RES/67/38"
    assert zh.date == "2012-12-03"
    assert zh.title == "促进裁军和不扩散领域的多边主义"
    assert zh.meta["meeting"] == "第 48 次全体会议"
    assert zh.meta["adopted"] == "2012-12-03"
    assert "report" not in zh.meta


def test_zh_counts(zh):
    assert kinds(zh) == {"other": 1, "title": 1, "preambular": 14, "operative": 9}
    assert zh.paragraphs[0].text == "67/38. 促进裁军和不扩散领域的多边主义"
    assert zh.paragraphs[1].text == "大会，"
    assert zh.paragraphs[1].kind == "other"


def test_zh_marker_lines(zh):
    recalling = next(p for p in zh.paragraphs if p.text.startswith("还回顾"))
    assert recalling.text == (
        "还回顾《联合国千年宣言》，其中特别指出，世界各国必须共同承担责任管理全球经济和社会发展以及国际和平"
        "与安全面临的威胁，并应以多边方式履行这一职责，而联合国作为世界上最具普遍性和代表性的组织，"
        "必须发挥核心作用，"
    )
    assert recalling.notes == ["1"]
    noting = next(p for p in zh.paragraphs if p.text.startswith("注意到"))
    assert noting.notes == ["2"]
    assert "第66/32 号决议，并强调按照《宪章》" in noting.text
    assert operative(zh, "7").text == (
        "7. 表示注意到秘书长依照第 66/32 号决议提出的报告，其中载有会员国对促进裁军和不扩散领域多边主义问题的答复；"
    )
    assert operative(zh, "7").notes == ["3"]


def test_zh_operative_1(zh):
    assert (
        operative(zh, "1").text
        == "1. 重申多边主义是在裁军和不扩散领域进行谈判的核心原则，以期维持和加强普遍规范并扩大其范围；"
    )
    assert [p.number for p in of_kind(zh, "operative")] == [str(i) for i in range(1, 10)]


def test_zh_numbers_kept(zh):
    text = "".join(p.text for p in zh.paragraphs)
    assert "2001年 11 月 29日第56/24T号决议" in text
    assert "2011 年 12 月 2 日第 66/32 号决议" in text


# --- both samples: clean text ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["fr", "zh"])
def test_clean_text(name, request):
    doc = request.getfixturevalue(name)
    for p in doc.paragraphs:
        assert p.text == p.text.strip() and p.text
        assert "  " not in p.text and "\n" not in p.text and "___" not in p.text
        assert p.kind in ("title", "preambular", "operative", "footnote", "other")
    for p in doc.paragraphs:
        if p.kind != "footnote":
            assert not any(p.text.endswith(f" {n}") for n in "123")


def test_bom_is_stripped():
    text = "\ufeff" + (CORPUS / FR_SEED).read_text(encoding="utf-8")
    doc = parse_un_text(text)
    assert doc.paragraphs[0].text.startswith("Résolution adoptée")
    assert doc.id == "fr-a-res-68-38"


# --- a small synthetic French document -------------------------------------------------------------

SYNTHETIC = """S/2015/305

 Lettre datée du 28 avril 2015, adressée au Président du Conseil de sécurité par le
Secrétaire général

 J’ai l’honneur de vous faire savoir que le Conseil a examiné la situation et que les
membres du Conseil en ont pris note.

 Je vous serais reconnaissant de bien vouloir porter la présente lettre à l’attention des
membres du Conseil de sécurité.
"""


def test_synthetic_symbol_line():
    doc = parse_un_text(SYNTHETIC, source="s-2015-305.txt")
    assert doc.lang == "fr"
    assert doc.symbol == "S/2015/305"
    assert doc.title is None
    assert [p.kind for p in doc.paragraphs] == ["other"] * 3
    assert doc.paragraphs[0].text == (
        "Lettre datée du 28 avril 2015, adressée au Président du Conseil de sécurité par le Secrétaire général"
    )
    assert doc.paragraphs[2].text.endswith("membres du Conseil de sécurité.")
    assert doc.id == "fr-s-2015-305"


# --- bad inputs ------------------------------------------------------------------------------------

ENGLISH = """ Resolution adopted by the General Assembly on 5 December 2013

 The General Assembly,
 Determined to foster strict respect for the purposes and principles enshrined in the Charter
of the United Nations, and recalling its resolution 56/24 T of 29 November 2001,
 1. Reaffirms multilateralism as the core principle in negotiations in the area of
disarmament and non-proliferation;
"""


def test_empty_is_rejected():
    for text in ("", "   \n\n ", "\ufeff"):
        with pytest.raises(CorpusError, match="empty"):
            parse_un_text(text)


def test_english_and_russian_are_read_as_registered_languages():
    assert parse_un_text(ENGLISH).lang == "en"
    text = " Генеральная Ассамблея,\n 1. подтверждает, что многосторонность является основным принципом\n"
    assert parse_un_text(text).lang == "ru"


def test_an_unregistered_language_is_rejected():
    text = (
        " Die Generalversammlung,\n 1. bekräftigt, dass der Multilateralismus das Kernprinzip der Verhandlungen "
        "auf dem Gebiet der Abrüstung und der Nichtverbreitung ist und dass die Staaten mit den Vereinten Nationen\n"
    )
    with pytest.raises(
        CorpusError,
        match=r"not a French, Chinese, English, Spanish, Russian or Arabic UN document \(language looks like de\)",
    ):
        parse_un_text(text)


@pytest.mark.parametrize("encoding", ["latin-1", "utf-8"])
def test_random_bytes_are_rejected(encoding):
    data = random.Random(7).randbytes(4000)
    with pytest.raises(CorpusError) as err:
        parse_un_text(data.decode(encoding, errors="replace"))
    assert "binary" in str(err.value) and "\n" not in str(err.value)
    assert err.value.code == "bad_corpus_file"


def test_detect_language_and_dates():
    assert detect_language((CORPUS / FR_SEED).read_text(encoding="utf-8")) == "fr"
    assert detect_language((CORPUS / ZH_SEED).read_text(encoding="utf-8")) == "zh"
    assert parse_date("adoptée le 1er janvier 2015", "fr") == "2015-01-01"
    assert parse_date("2012年12月3日", "zh") == "2012-12-03"
    assert parse_date("sans date", "fr") is None


def test_unindented_layout_falls_back_to_blank_lines():
    # Same resolution with every indent lost: blank lines separate paragraphs, footnotes still cut cleanly.
    text = "\n".join(line.lstrip() for line in (CORPUS / FR_SEED).read_text(encoding="utf-8").splitlines())
    doc = parse_un_text(text)
    assert kinds(doc) == {"other": 3, "title": 1, "preambular": 14, "operative": 9, "footnote": 3}
    assert operative(doc, "7").text.endswith("résolution 67/38 ;")
    assert of_kind(doc, "footnote")[0].text == "Résolution 55/2."
