"""Sentence segments: the registry's SRX-style rules, the spans they give, and the segments a build stores."""

from __future__ import annotations

import pytest

from indexer.catalog import Catalog
from indexer.segments import align_sentences, normalised, segment_hash, segments_of, with_hash
from indexer.sentences import sentence_spans
from indexer.store import CATALOG

FR = "Conformément à l’art. 5, M. Ban a parlé. Le par. 3 reste en vigueur. « Oui », dit-il !  Voir le No. 4."


def test_french_spans_hand_checked():
    assert sentence_spans(FR, "fr") == [(0, 40), (41, 68), (69, 86), (88, 102)]
    assert [FR[a:b] for a, b in sentence_spans(FR, "fr")] == [
        "Conformément à l’art. 5, M. Ban a parlé.",
        "Le par. 3 reste en vigueur.",
        "« Oui », dit-il !",
        "Voir le No. 4.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "68/38. Promotion du multilatéralisme dans le domaine du désarmement",  # a label opening the paragraph
        "Voir les art. 3 et 4, et les par. 2 à 6 du rapport.",  # abbreviations
        "Le rapport de M. J. Dupont est adopté.",  # Monsieur and an initial
        "Le taux passe de 3.5 à 4.2 pour cent, etc. selon le cas.",  # decimals; etc. before a lowercase word
    ],
)
def test_french_no_break(text):
    assert sentence_spans(text, "fr") == [(0, len(text))]


def test_french_breaks_before_a_capital_or_a_quote_only():
    text = "Il le dit. Puis il part. « Enfin » vient.\nNouvelle ligne"
    assert [text[a:b] for a, b in sentence_spans(text, "fr")] == [
        "Il le dit.",
        "Puis il part.",
        "« Enfin » vient.",
        "Nouvelle ligne",
    ]


def test_chinese_spans_hand_checked():
    text = "大会决心促进。他说：“好！”然后离开？ 是的。3.5亿"
    assert sentence_spans(text, "zh") == [(0, 7), (7, 14), (14, 19), (20, 23), (23, 27)]
    assert [text[a:b] for a, b in sentence_spans(text, "zh")] == [
        "大会决心促进。",
        "他说：“好！”",
        "然后离开？",
        "是的。",
        "3.5亿",
    ]


@pytest.mark.parametrize(
    "lang, text, expected",
    [
        (
            "en",
            "The General Assembly, Recalling its resolution 68/38. Mr. Ban spoke on 5 Dec. 2015. See para. 3 of "
            'the report. "Yes," he said! Then? No. 12 applies. The U.N. Charter applies.',
            [
                "The General Assembly, Recalling its resolution 68/38.",
                "Mr. Ban spoke on 5 Dec. 2015.",
                "See para. 3 of the report.",
                '"Yes," he said!',
                "Then?",
                "No. 12 applies.",
                "The U.N. Charter applies.",
            ],
        ),
        (
            "es",
            "La Asamblea General, Recordando su resolución. ¿Qué pasa? El Sr. Ban habló. Véase el núm. 4 del "
            "informe. ¡Bien! Fin.",
            [
                "La Asamblea General, Recordando su resolución.",
                "¿Qué pasa?",
                "El Sr. Ban habló.",
                "Véase el núm. 4 del informe.",
                "¡Bien!",
                "Fin.",
            ],
        ),
        (
            "ru",
            "Генеральная Ассамблея, ссылаясь на резолюцию 68/38. См. Приложение. 31 декабря 2015 г. Комитет "
            "принял решение в 2015 г. и далее. А. Иванов выступил.",
            [
                "Генеральная Ассамблея, ссылаясь на резолюцию 68/38.",
                "См. Приложение.",
                "31 декабря 2015 г.",
                "Комитет принял решение в 2015 г. и далее.",
                "А. Иванов выступил.",
            ],
        ),
        (
            "ar",
            "إن الجمعية العامة، إذ تشير إلى قرارها 68/38. هل هذا صحيح؟ نعم. انظر ص. 5 من التقرير.",
            ["إن الجمعية العامة، إذ تشير إلى قرارها 68/38.", "هل هذا صحيح؟", "نعم.", "انظر ص. 5 من التقرير."],
        ),
    ],
)
def test_the_other_languages_sentences_hand_checked(lang, text, expected):
    """English, Spanish, Russian and Arabic: abbreviations, initials, opening ¿ ¡, the Arabic question mark; a
    Russian year's "г." ends a sentence before a capital and not before a lowercase word."""
    assert [text[a:b] for a, b in sentence_spans(text, lang)] == expected


def test_spans_cover_the_text_but_whitespace():
    text = "  Un. Deux!  Trois ?   "
    spans = sentence_spans(text, "fr")
    assert spans == [(2, 5), (6, 11), (13, 20)]
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")
    assert sentence_spans("   ", "fr") == []


def test_normalised_and_hash():
    assert (
        normalised("L’Assemblée  «\u00a0générale\u00a0» ")
        == normalised('L\'Assemblée "générale"')
        == 'L\'Assemblée"générale"'
    )
    assert segment_hash("L’Assemblée générale") == segment_hash("L'Assemblée  générale")
    assert segment_hash("L’Assemblée générale") != segment_hash("l’Assemblée générale")  # case is kept


def test_sentence_alignment_by_length_share():
    # three French sentences, two Chinese: the long middle one and the short last one join the second Chinese
    beads = align_sentences([40, 120, 20], [14, 50])
    assert [(b.a, b.b) for b in beads] == [((0,), (0,)), ((1, 2), (1,))]
    assert [(b.a, b.b) for b in align_sentences([40, 80], [10, 20])] == [((0,), (0,)), ((1,), (1,))]
    assert [(b.a, b.b) for b in align_sentences([40], [10, 20])] == [((0,), (0, 1))]


def test_build_stores_segments(small_config):
    from indexer.build import build_index

    build_index(small_config)
    catalog = Catalog(small_config.index_dir / "current" / CATALOG, readonly=True)
    try:
        rows = catalog.db.execute(
            "SELECT p.id, p.text, d.lang, d.format FROM paragraphs p JOIN documents d ON d.id = p.doc ORDER BY key"
        ).fetchall()
        stored = segments_of(catalog, [r["id"] for r in rows])
        for r in rows:
            if r["format"] == "bitext":  # lines aligned at the source: one segment each
                assert stored[r["id"]] == [(0, len(r["text"].strip()))] or not r["text"].strip()
            else:
                assert stored[r["id"]] == sentence_spans(r["text"], r["lang"])
        # a line of two sentences stays one segment: its alignment is already a segment alignment
        assert any(r["format"] == "bitext" and len(sentence_spans(r["text"], r["lang"])) > 1 for r in rows)
        title = next(r for r in rows if r["text"].strip().startswith("68/38."))
        assert with_hash(catalog, title["text"], "fr") == [title["id"]]
        assert with_hash(catalog, title["text"], "zh") == []
    finally:
        catalog.close()


def test_sentences_aligned_inside_paragraph_pairs_at_build_time(tmp_path):
    """A French paragraph of two sentences and its Chinese of two (68/38 and 67/38 with a sentence added to
    each): the build stores their sentence alignment, and a lookup of the second French sentence gives the
    second Chinese one as its translation."""
    import shutil

    from indexer.build import build_index
    from indexer.config import load_config
    from indexer.segments import sentence_links
    from server.lookup import lookup
    from server.search import SearchService

    from .conftest import CORPUS, FR_SEED, ZH_SEED

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    fr = (CORPUS / FR_SEED).read_text(encoding="utf-8")
    zh = (CORPUS / ZH_SEED).read_text(encoding="utf-8")
    fr = fr.replace(
        "principes énoncés \ndans la Charte des Nations Unies, ",
        "principes énoncés \ndans la Charte des Nations Unies. Elle réaffirme aussi son attachement \n"
        "au multilatéralisme, ",
        1,
    )
    zh = zh.replace("所载宗旨和原则， ", "所载宗旨和原则。它还重申对多边主义的坚定承诺， ", 1)
    (corpus / FR_SEED).write_text(fr, encoding="utf-8")
    (corpus / ZH_SEED).write_text(zh, encoding="utf-8")
    shutil.copy(CORPUS / "README.md", corpus / "README.md")
    cfg = load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index", engine="whoosh")
    build_index(cfg)
    catalog = Catalog(cfg.index_dir / "current" / CATALOG, readonly=True)
    try:
        (fr_id,) = [r["id"] for r in catalog.db.execute("SELECT id FROM paragraphs WHERE text LIKE '%Elle réaffirme%'")]
        (zh_id,) = [r["id"] for r in catalog.db.execute("SELECT id FROM paragraphs WHERE text LIKE '%它还重申%'")]
        assert sentence_links(catalog, fr_id, 1, zh_id) == ([1], True)
        assert sentence_links(catalog, zh_id, 0, fr_id) == ([0], True)
        assert sentence_links(catalog, fr_id, 0, "zh-a-res-67-38.p0") is None
    finally:
        catalog.close()
    service = SearchService(cfg)
    try:
        best = lookup(service, "Elle réaffirme aussi son attachement au multilatéralisme,")["matches"][0]
        assert best["id"] == fr_id and best["match"] == 100 and best["segment"]["seq"] == 1
        zh_translation = best["translations"][0]
        assert zh_translation["text"] == "它还重申对多边主义的坚定承诺，"
        assert zh_translation["aligned"] == "sentence" and zh_translation["relation"]["type"] == "other_year"
        assert zh_translation["paragraph_text"].startswith("决心促进严格遵循")
    finally:
        service.close()
