"""Adding a language is one registry entry: a toy English, registered for one test, is read, indexed and searched."""

from __future__ import annotations

import shutil

import pytest
from whoosh.analysis import LowercaseFilter, RegexTokenizer

from indexer.analysis import LANGUAGES, Language, detect_lang
from indexer.build import build_index
from indexer.config import load_config
from indexer.errors import CorpusError
from indexer.readers.un_text import detect_language, parse_un_text

from .conftest import CORPUS, FR_SEED


def english_analyzer():
    """The simplest chain: words, lowercase."""
    return RegexTokenizer() | LowercaseFilter()


ENGLISH = Language(
    "en",
    "English",
    "Latin",
    "A-Za-z",
    analyzer=english_analyzer,
    words=frozenset("the of and to in that for is are by on with this be as it its which".split()),
)

# A UN text in English: indented lines open paragraphs; the operative paragraph is wrapped after "of".
RESOLUTION = """ The General Assembly,
 Recalling its resolutions on the subject and the reports of the Secretary-General on the matter,
 1. Reaffirms multilateralism as the core principle in negotiations in the area of
disarmament and non-proliferation;
 2. Decides to include in the provisional agenda of its next session the item entitled "General and
complete disarmament".
"""
BITEXT = {
    "fr": [
        "Le Conseil de sécurité examine la situation au Mali et la protection des civils.",
        "Il prie le Secrétaire général de lui faire rapport sur la question.",
    ],
    "en": [
        "The Security Council considers the situation in Mali and the protection of civilians.",
        "It requests the Secretary-General to report to it on the question.",
    ],
}


@pytest.fixture()
def english(monkeypatch):
    """English registered for one test: one entry in the registry, nothing else."""
    monkeypatch.setitem(LANGUAGES, "en", ENGLISH)
    return ENGLISH


def test_unregistered_english_is_refused_and_named():
    with pytest.raises(CorpusError, match=r"not a French or Chinese UN document \(language looks like en\)"):
        detect_language(RESOLUTION)


def test_a_registered_language_is_recognised_and_read(english):
    assert detect_language(RESOLUTION) == "en"
    assert detect_language((CORPUS / FR_SEED).read_text(encoding="utf-8")) == "fr"  # French still French
    assert detect_lang("the protection of civilians", ("fr", "en")) == "en"  # function words decide
    assert detect_lang("la protection des civils", ("fr", "en")) == "fr"
    assert detect_lang("多边主义", ("fr", "zh", "en")) == "zh"
    doc = parse_un_text(RESOLUTION, source="en.txt")
    assert doc.lang == "en"
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "The General Assembly,"
    # Wrapped lines joined by the entry's line_join: a space.
    assert "in the area of disarmament and non-proliferation;" in texts[2]
    assert [p.number for p in doc.paragraphs if p.kind == "operative"] == []  # no chapeau given: no structure


def test_a_registered_language_is_indexed_and_searched(english, engine, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / FR_SEED, corpus / FR_SEED)
    (corpus / "resolution-en.txt").write_text(RESOLUTION, encoding="utf-8")
    for lang, lines in BITEXT.items():
        (corpus / f"council.{lang}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index", languages=("fr", "en"), engine=engine)
    report = build_index(cfg)
    assert report.skipped == []
    assert {r["lang"]: r["documents"] for r in report.stats} == {"fr": 2, "en": 2}

    from server.search import SearchService

    service = SearchService(cfg)
    try:
        found = service.search('"area of disarmament"', lang="en")
        assert found["lang"] == "en" and found["total"] == 1
        assert found["hits"][0]["text"].startswith("1. Reaffirms multilateralism")
        civilians = service.search("civilians", lang="en")
        assert [h["text"] for h in civilians["hits"]] == [BITEXT["en"][0]]
        # The bitext's lines are aligned: the English hit carries its French translation.
        assert [t["text"] for t in civilians["hits"][0]["translations"]] == [BITEXT["fr"][0]]
        assert service.search("the protection of civilians")["lang"] == "en"  # auto: function words
        assert service.search("civils", lang="fr")["total"] == 1
        assert service.search("civils", lang="en")["total"] == 0  # each language has its own field
    finally:
        service.close()
