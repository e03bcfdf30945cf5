"""The CAT match score against hand-computed cases, and the differences it marks."""

from __future__ import annotations

import pytest

from indexer.lookup_score import changes, diff_html, score, tokens
from indexer.segments import normalised

TITLE = "68/38. Promotion du multilatéralisme dans le domaine du désarmement et de la non-prolifération"
TEN = "Le Conseil de sécurité a adopté la résolution sans vote"  # ten words


def match(text: str, stored: str) -> int:
    return score(tokens(text), tokens(stored), normalised(text) == normalised(stored))


@pytest.mark.parametrize(
    "text, stored, expected",
    [
        # the same normalised text (quotes, apostrophes, spaces aside)
        (TITLE, TITLE, 100),
        ("L’Assemblée  générale,", "L'Assemblée générale,", 100),
        # 14 words and numbers, one number changed: floor(100 × 13/14) = floor(92.86) = 92
        (TITLE.replace("68/38", "69/38"), TITLE, 92),
        # ten words, one changed: 90; one dropped: floor(100 × 9/10) = 90; one added: floor(100 × 10/11) = 90
        (TEN.replace("vote", "débat"), TEN, 90),
        (TEN.replace(" sans", ""), TEN, 90),
        (TEN + " hier", TEN, 90),
        # two of ten changed: 80
        (TEN.replace("vote", "débat").replace("Conseil", "Comité"), TEN, 80),
        # case or accents only: a point off, never 100
        (TEN.lower(), TEN, 99),
        (TEN.replace("sécurité", "securite"), TEN, 99),
        # a comma added: a point off (99 at most anyway); with a word changed: 90 - 1
        (TEN.replace("sécurité", "sécurité,"), TEN, 99),
        (TEN.replace("sécurité", "sécurité,").replace("vote", "débat"), TEN, 89),
        # five punctuation marks added cost 3 at most: 90 - 3
        (TEN.replace("vote", "débat") + " ; ; ; ; ;", TEN, 87),
        # two inline tags added, a point each: 90 - 2
        (TEN.replace("vote", "<b>débat</b>"), TEN, 88),
        # Chinese: characters are the words; 22 characters, one dropped: floor(100 × 21/22) = floor(95.45) = 95
        ("决心促进严格遵循联合国宪章所载宗旨原则，并且努力", "决心促进严格遵循联合国宪章所载宗旨和原则，并且努力", 95),
        # a number in Chinese text is one word: 2012 -> 2013 among 10 (2012 年 12 月 3 日 大 会 决 议)
        ("2013年12月3日大会决议", "2012年12月3日大会决议", 90),
    ],
)
def test_hand_computed_scores(text, stored, expected):
    assert match(text, stored) == expected


def test_tag_is_not_a_word():
    t = tokens("le <b>texte</b> {1} ici")
    assert t.forms == ("le", "texte", "ici") and t.tags == ("<b>", "</b>", "{1}")


def test_changes_mark_the_stored_words_that_differ():
    stored = "Rappelant sa résolution 67/38 du 3 décembre 2012, relative à la question"
    text = "Rappelant ses résolutions 67/38 du 3 décembre 2012 et 68/38 du 5 décembre 2013, relatives à la question"
    found = changes(tokens(text), tokens(stored), text, stored)
    assert [(c.op, c.stored, c.text) for c in found] == [
        ("replace", "sa résolution", "ses résolutions"),
        ("insert", "", "et 68/38 du 5 décembre 2013"),
        ("replace", "relative", "relatives"),
    ]
    assert diff_html(stored, found) == (
        "Rappelant <del>sa résolution</del><ins>ses résolutions</ins> 67/38 du 3 décembre "
        "2012, <ins>et 68/38 du 5 décembre 2013</ins><del>relative</del><ins>relatives</ins> à la question"
    )
    dropped = changes(tokens("Rappelant la question"), tokens(stored), "Rappelant la question", stored)
    assert dropped[0].op == "delete" and dropped[0].stored.startswith("sa résolution")
