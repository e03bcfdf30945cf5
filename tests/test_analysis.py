"""Exact token lists pin the French and Chinese analysis chains (sentences from the two samples)."""

from __future__ import annotations

import pickle

import pytest

from indexer.analysis import (
    LANGUAGES,
    QueryWord,
    chinese_analyzer,
    detect_lang,
    fold,
    french_analyzer,
    query_words,
    to_simplified,
    tokens,
)
from indexer.analysis.normalize import normalize_offsets
from indexer.engines.whoosh_engine.schema import build_schema


def test_french_sentence_from_68_38():
    text = (
        "Réaffirmant la validité absolue de la diplomatie multilatérale dans le domaine du désarmement et de "
        "la non-prolifération, et déterminée à promouvoir le multilatéralisme, qu’elle juge indispensable"
    )
    assert tokens("fr", text, mode="query") == [
        "reafirmant",
        "validit",
        "absolu",
        "diplomat",
        "multilateral",
        "domain",
        "desarm",
        "non",
        "prolif",
        "determin",
        "promouvoi",
        "multilateralism",
        "juge",
        "indispensabl",
    ]


def test_french_index_mode_adds_exact_forms_and_stop_words_as_exact_forms_only():
    text = "Réaffirmant la validité de la non-prolifération, qu’elle juge"
    assert tokens("fr", text) == [
        "reafirmant",
        "=reaffirmant",
        "=la",
        "validit",
        "=validite",
        "=de",
        "=la",
        "non",
        "=non",
        "prolif",
        "=proliferation",
        "=elle",
        "juge",
        "=juge",
    ]
    assert tokens("fr", "présentation") == ["present", "=presentation"]


def test_french_positions_have_no_holes_and_elided_articles_take_none():
    text = "l’Assemblée des Nations pour"
    toks = [(t.text, t.pos, text[t.startchar : t.endchar]) for t in french_analyzer()(text, positions=True, chars=True)]
    assert toks == [
        ("asembl", 0, "Assemblée"),
        ("=assemblee", 0, "Assemblée"),
        ("=des", 1, "des"),
        ("nation", 2, "Nations"),
        ("=nations", 2, "Nations"),
        ("=pour", 3, "pour"),
    ]


@pytest.mark.parametrize(
    "written, accentless, other_number, stem",
    [
        ("intégrité", "integrite", "intégrités", "integrit"),
        ("achevée", "achevee", "achevées", "achev"),
        ("dernière", "derniere", "dernières", "dernier"),
        ("productivité", "productivite", "productivités", "productivit"),
        ("décentralisées", "decentralisees", "décentralisée", "decentralis"),
        ("transmissions", "transmissions", "transmission", "transmision"),
        ("passagers", "passagers", "passager", "pasag"),
        ("nationaux", "nationaux", "national", "national"),
        ("ans", "ans", "an", "an"),
    ],
)
def test_french_accentless_and_other_number_give_the_written_words_stem(written, accentless, other_number, stem):
    for word in (written, accentless, other_number, fold(other_number), written.upper()):
        assert tokens("fr", word, mode="query") == [stem]
    assert tokens("fr", written) == [stem, "=" + fold(written)]


def test_french_stems_spare_unrelated_words_snowball_merged():
    assert tokens("fr", "considéré considérée considérer", mode="query") == ["consider"] * 3
    assert tokens("fr", "financière financier ministère", mode="query") == ["financi", "financi", "minister"]
    assert tokens("fr", "nation nationale nationalité", mode="query") == ["nation", "national", "nationalit"]


def test_french_query_words_give_stems_and_exact_forms_by_position():
    assert query_words("fr", "Droits de l'homme pour") == [
        QueryWord("droit", "=droits", 0),
        QueryWord(None, "=de", 1),
        QueryWord("home", "=homme", 2),
        QueryWord(None, "=pour", 3),
    ]
    assert query_words("fr", "désarmement nucléaire") == [
        QueryWord("desarm", "=desarmement", 0),
        QueryWord("nucleair", "=nucleaire", 1),
    ]
    assert query_words("fr", "où") == [QueryWord(None, "=ou", 0)]  # folded, "où" is the stop word "ou"
    with pytest.raises(ValueError):
        query_words("zh", "裁军")


def test_french_elisions_are_dropped():
    assert tokens(
        "fr", "Gardant à l’esprit l’existence d’un vaste ensemble d’accords jusqu’à présent", mode="query"
    ) == ["gardant", "esprit", "existenc", "vast", "ensembl", "acord", "present"]
    assert tokens("fr", "L'Assemblée générale, qu'elle") == ["asembl", "=assemblee", "general", "=generale", "=elle"]
    assert tokens("fr", "aujourd’hui") == ["aujourd", "=aujourd", "hui", "=hui"]  # not an elided article: kept


def test_french_stopwords_include_les_and_no_english():
    assert tokens("fr", "les des aux du la le un une et", mode="query") == []
    assert tokens("fr", "les du") == ["=les", "=du"]
    assert tokens("fr", "the and", mode="query") == ["the", "and"]


def test_french_accents_case_and_inflection_meet():
    assert tokens("fr", "DESARMEMENT désarmement Désarmement", mode="query") == ["desarm"] * 3
    assert tokens("fr", "résolutions", mode="query") == tokens("fr", "résolution", mode="query") == ["resolution"]
    assert tokens("fr", "œuvre Œuvres") == ["oeuvr", "=oeuvre", "oeuvr", "=oeuvres"]
    assert fold("Éléments non-prolifération") == "Elements non-proliferation"


def test_french_numbers_and_symbols_stay_searchable():
    assert tokens("fr", "résolution 56/24 T du 29 novembre 2001, A/68/411", mode="query") == [
        "resolution",
        "56",
        "24",
        "29",
        "novembr",
        "2001",
        "68",
        "411",
    ]  # "a" is a stopword (avoir)
    assert tokens("fr", "56/24 T") == ["56", "=56", "24", "=24", "=t"]


def test_french_offsets_point_at_the_original_words():
    text = "l’Assemblée des Nations"
    toks = [
        (t.text, t.pos, text[t.startchar : t.endchar])
        for t in french_analyzer()(text, positions=True, chars=True, mode="query")
    ]
    assert toks == [("asembl", 0, "Assemblée"), ("nation", 2, "Nations")]


def test_chinese_sentence_from_67_38_index_mode():
    assert tokens("zh", "重申多边主义是解决裁军和不扩散问题的核心原则；") == [
        "重申",
        "=重申",
        "申多",
        "多边",
        "=多边主义",
        "边主",
        "主义",
        "义是",
        "是解",
        "解决",
        "=解决",
        "决裁",
        "裁军",
        "=裁军",
        "军和",
        "和不",
        "不扩",
        "扩散",
        "=扩散",
        "散问",
        "问题",
        "=问题",
        "题的",
        "的核",
        "核心",
        "=核心",
        "心原",
        "原则",
        "=原则",
        "则",
    ]
    assert tokens("zh", "联合国大会") == ["联合", "=联合国", "合国", "国大", "大会", "=大会", "会"]


def test_chinese_query_mode_is_bigrams_only():
    assert tokens("zh", "多边主义", mode="query") == ["多边", "边主", "主义"]
    assert tokens("zh", "不扩散", mode="query") == ["不扩", "扩散"]
    assert tokens("zh", "国", mode="query") == ["国"]


def test_chinese_every_substring_of_a_word_is_a_phrase_of_bigrams():
    text = "防止核武器扩散条约"
    index = tokens("zh", text)
    for i in range(len(text)):
        for j in range(i + 2, len(text) + 1):
            assert set(tokens("zh", text[i:j], mode="query")) <= set(index)


def test_traditional_queries_become_simplified():
    assert to_simplified("聯合國") == "联合国"
    assert to_simplified("安全理事會決議 2015") == "安全理事会决议 2015"
    assert LANGUAGES["zh"].query_text("裁軍") == "裁军"


def test_chinese_nfkc_full_width_and_latin():
    assert tokens("zh", "２０１２年８月２６日　ＵＮ") == ["2012", "年", "8", "月", "26", "日", "un"]


def test_chinese_offsets_map_back_through_normalisation():
    text = "ＡＢ　恐怖主义是"
    toks = [
        (t.text, t.pos, text[t.startchar : t.endchar]) for t in chinese_analyzer()(text, positions=True, chars=True)
    ]
    assert toks == [
        ("ab", 0, "ＡＢ"),
        ("恐怖", 1, "恐怖"),
        ("=恐怖主义", 1, "恐怖主义"),
        ("怖主", 2, "怖主"),
        ("主义", 3, "主义"),
        ("义是", 4, "义是"),
        ("是", 5, "是"),
    ]


@pytest.mark.parametrize("make", [french_analyzer, chinese_analyzer])
def test_analyzers_pickle_small(make):
    # Whoosh pickles the schema into the index: no stemmer or segmenter model may ride along.
    assert len(pickle.dumps(make())) < 4096


def test_schema_pickles_small():
    assert len(pickle.dumps(build_schema(("fr", "zh")))) < 16_384


@pytest.mark.parametrize(
    "text, lang", [("désarmement", "fr"), ("多边主义", "zh"), ("56/24 多边", "zh"), ("A/RES/68/38", "fr")]
)
def test_detect_lang_by_script(text, lang):
    assert detect_lang(text) == lang


def test_decomposed_accents_are_composed_and_offsets_kept():
    import unicodedata

    text = unicodedata.normalize("NFD", "Le développement de l’État")
    toks = [(t.text, text[t.startchar : t.endchar]) for t in french_analyzer()(text, chars=True)]
    assert toks == [
        ("=le", "Le"),
        ("develop", unicodedata.normalize("NFD", "développement")),
        ("=developpement", unicodedata.normalize("NFD", "développement")),
        ("=de", "de"),
        ("etat", unicodedata.normalize("NFD", "État")),
        ("=etat", unicodedata.normalize("NFD", "État")),
    ]


def test_french_planning_ors_the_stem_with_the_boosted_exact_form():
    from indexer.analysis.planning import EXACT_BOOST
    from indexer.query.nodes import And, Or, Phrase, Term
    from indexer.query.planner import plan

    p = plan('integrite non-prolifération "droits de l\'homme" pour', "fr", None)
    f = "text_fr"
    assert p.query == And(
        (
            Or((Term(f, "integrit"), Term(f, "=integrite", EXACT_BOOST))),
            Or((Phrase(f, ("non", "prolif")), Phrase(f, ("=non", "=proliferation"), EXACT_BOOST))),
            Phrase(f, ("=droits", "=de", "=homme")),
        )
    )  # "pour" alone: a stop word, ignored
    assert p.highlights.terms == {"integrit"}
    assert p.highlights.phrases == [("non", "prolif"), ("=droits", "=de", "=homme")]
    assert plan('"Intégrité"', "fr", None).query == Term(f, "=integrite")


class _IndexedTerms:
    """The terms the Chinese analyser indexes for a real text: the vocabulary a planner sees."""

    def __init__(self, text):
        self.terms = set(tokens("zh", text))

    def doc_frequency(self, field, term):
        return int(term in self.terms)


def test_chinese_planning_adds_the_pkuseg_word_when_indexed_and_simplifies():
    from indexer.analysis.planning import EXACT_BOOST
    from indexer.query.nodes import Or, Phrase, Term
    from indexer.query.planner import plan

    vocab = _IndexedTerms("重申多边主义是解决裁军和不扩散问题的核心原则")
    f = "text_zh"
    assert plan("多邊主義", "zh", vocab).query == Or(
        (Phrase(f, ("多边", "边主", "主义")), Term(f, "=多边主义", EXACT_BOOST))
    )
    assert plan("边主义", "zh", vocab).query == Phrase(f, ("边主", "主义"))  # not a word there: substring only


@pytest.mark.parametrize(
    ("text", "form", "expected"),
    [
        ("联合国，２０１５年；Ａ/RES", "NFKC", ("联合国,2015年;A/RES", None)),  # one for one: no offsets
        ("ﬁn de l’année", "NFKC", ("fin de l’année", [0, 0, *range(1, 14)])),  # "ﬁ" is two letters of one
        ("e\u0301té，", "NFKC", ("été,", [0, 2, 3, 4, 5])),  # "e" + accent compose: one of two
        ("de\u0301sarmement", "NFC", ("désarmement", [0, 1, *range(3, 13)])),
    ],
)
def test_normalised_text_keeps_offsets_into_the_original(text, form, expected):
    normed, origin = normalize_offsets(text, form)
    assert (normed, origin) == expected
    if origin:
        assert len(origin) == len(normed) + 1
