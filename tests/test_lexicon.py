"""The alignment lexicons (indexer/lexicon.py, indexer/data/lexicon_*.tsv): French -> Chinese from the SDG texts
and a hand list, every other pair of the six languages from the dev set."""

from __future__ import annotations

import importlib.util
import itertools
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import Stemmer  # PyStemmer: the reference Snowball stemmer

from indexer.align import Link, align_paragraphs
from indexer.analysis import LANGUAGES, fold
from indexer.documents import Paragraph
from indexer.lexicon import DATA, Lexicon, files, han_bigrams, lexicon, lexicon_units, views

LEXICON_PATH = DATA / "lexicon_fr_zh.tsv"

ROOT = Path(__file__).resolve().parents[1]


def fr_zh() -> Lexicon:
    """The shipped French -> Chinese lexicon."""
    return lexicon("fr", "zh")


def french_stems(text: str) -> list[str]:
    """The French lexicon units of a text."""
    return lexicon_units("fr", text)


def build_script():
    """tools/build_lexicon.py as a module."""
    spec = importlib.util.spec_from_file_location("build_lexicon", ROOT / "tools" / "build_lexicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entries_with_source() -> dict[str, tuple[list[str], str]]:
    """Stem -> (Chinese terms, source) as the shipped file has them."""
    out = {}
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            stem, terms, source = line.split("\t")
            out[stem] = (terms.split("|"), source)
    return out


def test_hand_entries_map_un_words():
    """Hand-written UN words, keyed by the index's French stem."""
    assert french_stems("désarmement") == ["desarm"]
    assert "裁军" in fr_zh().entries["desarm"]
    assert fr_zh().translations("désarmement") == ["裁军"]
    assert fr_zh().translations("Assemblée") == ["大会"]
    assert fr_zh().translations("résolution") == ["决议"]
    assert fr_zh().translations("Secrétaire") == ["秘书"]
    assert fr_zh().translations("Conseil") == ["理事会", "安理会"]


def test_learned_entries_come_from_the_sdg_texts():
    """Entries learned from the SDG pairs alone (no hand entry for these words)."""
    table = entries_with_source()
    for word, term in (("proportion", "比例"), ("sexe", "性别"), ("handicap", "残疾")):
        (stem,) = french_stems(word)
        terms, source = table[stem]
        assert source == "sdg"
        assert terms[0] == term  # the strongest association comes first
    terms, source = table["developp"]
    assert source == "sdg+hand" and terms[0] == "发展"
    assert table["pauvret"] == (["贫困", "贫穷"], "sdg+hand")


def test_french_stems_are_folded_snowball_stems():
    """french_stems: Snowball stems, folded, of the words that are not stop words or digits, also for decomposed
    accents (the lexicon is keyed by them)."""
    text = (
        "Le Conseil de sécurité, à sa 7378e séance, a examiné la question intitulée « La situation "
        "au Mali » et l'Assemblée générale s'est félicitée des efforts déployés."
    )
    words = [
        "Conseil",
        "sécurité",
        "séance",
        "examiné",
        "question",
        "intitulée",
        "situation",
        "Mali",
        "Assemblée",
        "générale",
        "félicitée",
        "efforts",
        "déployés",
    ]
    expected = [fold(Stemmer.Stemmer("french").stemWord(w.lower())) for w in words]
    assert french_stems(text) == expected
    assert french_stems(unicodedata.normalize("NFD", text)) == expected
    assert "e" not in french_stems(text)  # "7378e" is an anchor's business, not a word
    assert LANGUAGES["fr"].lexicon_stems(text) == expected  # the lexicon stems are the registry's


def test_both_sides_become_sets_of_french_stems():
    """A French paragraph and its Chinese translation meet on the same stems."""
    fr = "Dans sa résolution 1977 (2011), le Conseil de sécurité a engagé les États Membres"
    zh = "安全理事会第1977(2011)号决议鼓励会员国"
    a, b = fr_zh().source_keys(fr), fr_zh().target_keys(zh)
    assert {"resolu", "conseil", "secur", "etat", "membr"} <= a & b
    assert fr_zh().target_keys("核裁军") >= {"desarm", "nucleair"}
    assert "nucleair" not in fr_zh().target_keys("核心")  # a term needs all its bigrams
    assert han_bigrams("大会，安全理事会") == {"大会", "安全", "全理", "理事", "事会"}


def test_views_for_every_pair_in_either_order():
    """The aligner gets lexicon views for fr/zh in either order, and for every other pair of the six languages."""
    fa, fb = views("fr", "zh")
    assert fa("désarmement") == fb("裁军") == fr_zh().mask({"desarm"}) > 0
    assert (fa("le désarmement nucléaire") & fb("核裁军")).bit_count() == 2
    za, zb = views("zh", "fr")
    assert za("裁军") == zb("désarmement")
    ea, eb = views("en", "zh")
    assert ea("nuclear disarmament") & eb("核裁军")
    assert views("zh", "en")[0]("核裁军") == eb("核裁军")
    aa, af = views("ar", "fr")
    assert aa("مجلس الأمن") & af("Conseil de sécurité")
    assert views("fr", "fr") == (None, None)
    assert views("fr", "en", Lexicon("fr", "es", {})) == (None, None)  # a lexicon of another pair


def test_every_pair_of_the_six_languages_has_a_lexicon():
    """One file per pair of the registry's languages, each oriented from a language with stems."""
    for a, b in itertools.combinations(LANGUAGES, 2):
        table = lexicon(a, b)
        assert table is not None and {table.source, table.target} == {a, b}
        assert LANGUAGES[table.source].lexicon_stems is not None
        assert 1000 < len(table.entries) or (a, b) == ("fr", "zh")
    assert len(files()) == len(LANGUAGES) * (len(LANGUAGES) - 1) // 2


def test_devset_pair_files_are_what_the_build_script_makes():
    """A dev-set pair's shipped file is rebuilt exactly; its header says where it was learned."""
    build_lexicon = build_script()
    path = DATA / "lexicon_ar_zh.tsv"
    assert build_lexicon.build_devset_pair("ar", "zh") == path.read_text(encoding="utf-8")
    assert "UN Parallel Corpus v1.0 dev set" in path.read_text(encoding="utf-8").splitlines()[2]
    assert ("ar", "zh") in build_lexicon.devset_pairs() and ("fr", "zh") not in build_lexicon.devset_pairs()


@pytest.mark.parametrize(
    "lang, texts",
    [
        (
            "fr",
            [
                "Le Conseil de sécurité examine le désarmement nucléaire.",
                "Les femmes et les enfants souffrent de la pauvreté rurale.",
                "Le Secrétaire général présente son rapport à l'Assemblée générale.",
            ],
        ),
        (
            "en",
            [
                "The Security Council considered nuclear disarmament.",
                "Women and children suffer from rural poverty.",
                "The Secretary-General presented his report to the General Assembly.",
            ],
        ),
    ],
)
def test_lexicon_decides_which_paragraph_is_missing(lang, texts):
    """Paragraphs of about equal length: only the words (the French -> Chinese lexicon, or the English -> Chinese
    one learned from the dev set) tell which Chinese paragraph was dropped."""
    zh = ["安全理事会审议核裁军问题。", "秘书长向大会提交报告。"]
    links = align_paragraphs([Paragraph(t) for t in texts], [Paragraph(t) for t in zh], lang, "zh")
    assert [(lk.a, lk.b) for lk in links] == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    assert Link((1,), (), 0.0) in links
    empty = Lexicon(lang, "zh", {})
    blind = align_paragraphs([Paragraph(t) for t in texts], [Paragraph(t) for t in zh], lang, "zh", lexicon=empty)
    assert [(lk.a, lk.b) for lk in blind] != [(lk.a, lk.b) for lk in links]  # the words made the difference


def test_file_is_small_and_documents_its_provenance():
    """A small table whose header says where it comes from, each entry with its source."""
    text = LEXICON_PATH.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "sdg-translations" in header and "MIT" in header and "build_lexicon.py" in header
    assert "dev set" in header
    assert len(text.encode()) < 100_000
    table = entries_with_source()
    assert 300 < len(table) < 2000
    assert {source for _, source in table.values()} == {"sdg", "hand", "sdg+hand"}
    assert all(len(t) >= 2 for terms, _ in table.values() for t in terms)
    assert Lexicon.load(LEXICON_PATH).entries == fr_zh().entries


def test_shipped_file_is_what_the_build_script_makes(monkeypatch, tmp_path):
    """tools/build_lexicon.py rebuilds the French -> Chinese file exactly from the SDG texts and the hand list,
    without the dev set (the evaluation data of bench/align_quality.py)."""
    build_lexicon = build_script()
    monkeypatch.setattr(build_lexicon, "DEVSET", tmp_path / "absent" / "UNv1.0.devset")
    assert len(build_lexicon.sdg_pairs()) == 455
    assert build_lexicon.build() == LEXICON_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "code, absent",
    [
        ("import indexer.align", ["pkuseg", "whoosh", "Stemmer", "indexer.analysis"]),
        (
            "from indexer.align import align_paragraphs\n"
            "from indexer.documents import Paragraph\n"
            "align_paragraphs([Paragraph('Le désarmement.')], [Paragraph('裁军。')], 'fr', 'zh')",
            ["pkuseg"],
        ),
    ],
)
def test_lexicon_loads_lazily_and_never_needs_pkuseg(code, absent):
    """Importing the aligner loads nothing heavy; aligning loads the stemmer, never pkuseg."""
    check = f"{code}\nimport sys\nprint(sorted(m for m in {absent!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
