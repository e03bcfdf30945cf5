"""Exact token lists pin the French and Chinese analysis chains (sentences from the two samples)."""

from __future__ import annotations

import pickle

import pytest

from indexer.analysis import LANGUAGES, chinese_analyzer, detect_lang, fold, french_analyzer, tokens
from indexer.engines.whoosh_engine.schema import build_schema


def test_french_sentence_from_68_38():
    text = ("Réaffirmant la validité absolue de la diplomatie multilatérale dans le domaine du désarmement et de "
            "la non-prolifération, et déterminée à promouvoir le multilatéralisme, qu’elle juge indispensable")
    assert tokens("fr", text) == ["reaffirm", "valid", "absolu", "diplomat", "multilateral", "domain", "desarm",
                                  "non", "prolifer", "determin", "promouvoir", "multilateral", "jug", "indispens"]


def test_french_elisions_are_dropped():
    assert tokens("fr", "Gardant à l’esprit l’existence d’un vaste ensemble d’accords jusqu’à présent") == [
        "gard", "esprit", "existent", "vast", "ensembl", "accord", "present"]
    assert tokens("fr", "L'Assemblée générale, qu'elle") == ["assembl", "general"]
    assert tokens("fr", "aujourd’hui") == ["aujourd", "hui"]  # not an elided article: kept


def test_french_stopwords_include_les_and_no_english():
    assert tokens("fr", "les des aux du la le un une et") == []
    assert tokens("fr", "the and") == ["the", "and"]


def test_french_accents_case_and_inflection_meet():
    assert tokens("fr", "DESARMEMENT désarmement Désarmement") == ["desarm"] * 3
    assert tokens("fr", "résolutions") == tokens("fr", "résolution") == ["resolu"]
    assert tokens("fr", "œuvre") == ["oeuvr"]
    assert fold("Éléments non-prolifération") == "Elements non-proliferation"


def test_french_numbers_and_symbols_stay_searchable():
    assert tokens("fr", "résolution 56/24 T du 29 novembre 2001, A/68/411") == [
        "resolu", "56", "24", "29", "novembr", "2001", "68", "411"]  # "a" is a stopword (avoir)


def test_french_offsets_point_at_the_original_words():
    text = "l’Assemblée des Nations"
    toks = [(t.text, t.pos, text[t.startchar:t.endchar])
            for t in french_analyzer()(text, positions=True, chars=True)]
    assert toks == [("assembl", 0, "Assemblée"), ("nation", 1, "Nations")]


def test_chinese_sentence_from_67_38_index_mode():
    assert tokens("zh", "重申多边主义是解决裁军和不扩散问题的核心原则；") == [
        "重申", "申多", "多边", "多边主义", "边主", "主义", "义是", "是解", "解决", "决裁", "裁军", "军和", "和不",
        "不扩", "扩散", "散问", "问题", "题的", "的核", "核心", "心原", "原则", "则"]


def test_chinese_query_mode_is_bigrams_only():
    assert tokens("zh", "多边主义", mode="query") == ["多边", "边主", "主义"]
    assert tokens("zh", "不扩散", mode="query") == ["不扩", "扩散"]
    assert tokens("zh", "国", mode="query") == ["国"]


def test_chinese_nfkc_full_width_and_latin():
    assert tokens("zh", "２０１２年８月２６日　ＵＮ") == ["2012", "年", "8", "月", "26", "日", "un"]


def test_chinese_offsets_map_back_through_normalisation():
    text = "ＡＢ　恐怖主义是"
    toks = [(t.text, t.pos, text[t.startchar:t.endchar])
            for t in chinese_analyzer()(text, positions=True, chars=True)]
    assert toks == [("ab", 0, "ＡＢ"), ("恐怖", 1, "恐怖"), ("恐怖主义", 1, "恐怖主义"), ("怖主", 2, "怖主"),
                    ("主义", 3, "主义"), ("义是", 4, "义是"), ("是", 5, "是")]


def test_precomputed_segmentation_gives_the_same_tokens():
    text = "深信在此全球化时代和信息革命之际，世界各国比以往任何时候都更关切军备管制"
    prepared = LANGUAGES["zh"].prepare(text)
    assert prepared != text
    assert tokens("zh", prepared) == tokens("zh", text)


@pytest.mark.parametrize("make", [french_analyzer, chinese_analyzer])
def test_analyzers_pickle_small(make):
    # Whoosh pickles the schema into the index: no stemmer or segmenter model may ride along.
    assert len(pickle.dumps(make())) < 4096


def test_schema_pickles_small():
    assert len(pickle.dumps(build_schema(("fr", "zh")))) < 16_384


@pytest.mark.parametrize("text, lang", [("désarmement", "fr"), ("多边主义", "zh"), ("56/24 多边", "zh"),
                                        ("A/RES/68/38", "fr")])
def test_detect_lang_by_script(text, lang):
    assert detect_lang(text) == lang


def test_decomposed_accents_are_composed_and_offsets_kept():
    import unicodedata

    text = unicodedata.normalize("NFD", "Le développement de l’État")
    toks = [(t.text, text[t.startchar:t.endchar]) for t in french_analyzer()(text, chars=True)]
    assert toks == [("developp", unicodedata.normalize("NFD", "développement")),
                    ("etat", unicodedata.normalize("NFD", "État"))]
