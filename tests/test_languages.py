"""The six official languages are registry entries: each analysed as pinned here, its UN documents read, and
a language added to `languages` is indexed, searched and aligned with nothing else changed."""

from __future__ import annotations

import pickle
import shutil

import pytest

from indexer.analysis import LANGUAGES, detect_lang, query_words, tokens
from indexer.build import build_index
from indexer.config import load_config
from indexer.errors import CorpusError
from indexer.readers.un_text import detect_language, parse_un_text

from .conftest import CORPUS, FR_SEED

# A UN text in English: indented lines open paragraphs; the operative paragraph is wrapped after "of".
RESOLUTION = """ The General Assembly,
 Recalling its resolutions on the subject and the reports of the Secretary-General on the matter,
 1. Reaffirms multilateralism as the core principle in negotiations in the area of
disarmament and non-proliferation;
 2. Decides to include in the provisional agenda of its next session the item entitled "General and
complete disarmament".

 60th plenary meeting
 5 December 2013
"""
SPANISH = """ La Asamblea General,
 Recordando sus resoluciones sobre la cuestión y los informes del Secretario General,
 1. Reafirma el multilateralismo como principio básico de las negociaciones en la esfera del
desarme y la no proliferación;
 2. Decide incluir el tema en el programa provisional de su próximo período de sesiones.

 60ª sesión plenaria
 5 de diciembre de 2013
"""
RUSSIAN = """ Генеральная Ассамблея,
 ссылаясь на свои резолюции по этому вопросу и на доклады Генерального секретаря,
 1. подтверждает принцип многосторонности как основной принцип переговоров в области
разоружения и нераспространения;
 2. постановляет включить этот пункт в предварительную повестку дня своей следующей сессии.

 60-е пленарное заседание
 5 декабря 2013 года
"""
ARABIC = """ إن الجمعية العامة،
 إذ تشير إلى قراراتها المتعلقة بهذه المسألة وإلى تقارير الأمين العام،
 1. تؤكد من جديد أن تعددية الأطراف هي المبدأ الأساسي في المفاوضات في مجال
نزع السلاح وعدم الانتشار؛
 2. تقرر أن تدرج هذا البند في جدول الأعمال المؤقت لدورتها المقبلة.

 الجلسة العامة 60
 5 كانون الأول/ديسمبر 2013
"""
GERMAN = """ Die Generalversammlung,
 unter Hinweis auf ihre Resolutionen und die Berichte des Generalsekretärs über die Frage, die mit der
 Abrüstung und der Nichtverbreitung zu tun haben und die von den Staaten auf der Tagung behandelt werden,
 1. bekräftigt den Multilateralismus als das Kernprinzip der Verhandlungen auf dem Gebiet der Abrüstung;
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


# ---------------------------------------------------------------- analysis, pinned token by token


def test_english_words_stems_exact_forms_and_possessives():
    assert tokens("en", "The Secretary-General's reports on the organizations of women") == [
        "=the",
        "secretari",
        "=secretary",
        "general",
        "=general",
        "report",
        "=reports",
        "=on",
        "=the",
        "organiz",
        "=organizations",
        "=of",
        "women",
        "=women",
    ]
    assert tokens("en", "Activities, ACTIVITY, résumé", mode="query") == ["activ", "activ", "resum"]


def test_spanish_accents_folded_and_plurals_meet():
    assert tokens("es", "La Asamblea General reafirma las resoluciones sobre los niños y el año") == [
        "=la",
        "asamble",
        "=asamblea",
        "general",
        "=general",
        "reafirm",
        "=reafirma",
        "=las",
        "resolucion",
        "=resoluciones",
        "=sobre",
        "=los",
        "niñ",
        "=niños",
        "=y",
        "=el",
        "año",
        "=año",
    ]
    # accents folded before light stemming (ñ is a letter, kept); short plurals meet their singular
    assert tokens("es", "Resolución resolucion RESOLUCIONES isla islas mujer mujeres", mode="query") == [
        "resolucion",
        "resolucion",
        "resolucion",
        "isl",
        "isl",
        "mujer",
        "mujer",
    ]


def test_russian_yo_is_ye_and_case_endings_meet():
    assert tokens("ru", "Генеральная Ассамблея, ссылаясь на свои резолюции, подтверждает её роль") == [
        "генеральн",
        "=генеральная",
        "ассамбл",
        "=ассамблея",
        "ссылаяс",
        "=ссылаясь",
        "=на",
        "сво",
        "=свои",
        "резолюц",
        "=резолюции",
        "подтвержда",
        "=подтверждает",
        "=ее",
        "рол",
        "=роль",
    ]
    assert tokens("ru", "системы систем проблемы проблем объём объем", mode="query") == [
        "сист",
        "сист",
        "пробл",
        "пробл",
        "объ",
        "объ",
    ]


def test_arabic_marks_tatweel_letter_forms_and_digits_are_normalised():
    assert tokens("ar", "إن الجمعيةَ العامة، إذ تشير إلى قراراتها ٢٠١٥ للأمـــم المتحدة") == [
        "=ان",
        "جمع",
        "=الجمعيه",
        "عام",
        "=العامه",
        "اذ",
        "=اذ",
        "تشير",
        "=تشير",
        "=الي",
        "قرار",
        "=قراراتها",
        "2015",
        "=2015",
        "امم",
        "=للامم",
        "متحد",
        "=المتحده",
    ]
    # light stems: the article, a conjunction, plural, dual and feminine endings go; alef maqsura is yaa
    assert tokens("ar", "المنظمة المنظمتين منظمات الأمم الامم والأمم مستوى مستوي", mode="query") == [
        "منظم",
        "منظم",
        "منظم",
        "امم",
        "امم",
        "امم",
        "مستو",
        "مستو",
    ]


def test_offsets_point_at_the_written_words_whatever_the_folding():
    text = "Le rôle de l’ONU: حمايةُ الأمـمَ"
    spans = [
        (t.text, text[t.startchar : t.endchar]) for t in LANGUAGES["ar"].analyzer()(text, chars=True, mode="query")
    ]
    assert spans[-2:] == [("حما", "حمايةُ"), ("امم", "الأمـمَ")]


@pytest.mark.parametrize("lang", ["en", "es", "ru", "ar"])
def test_stop_words_have_exact_forms_only_and_phrases_keep_them(lang):
    stop = {"en": "of", "es": "de", "ru": "на", "ar": "في"}[lang]
    assert tokens(lang, stop) == [f"={stop}"]
    assert tokens(lang, stop, mode="query") == []
    words = query_words(lang, f"{stop} {stop}")
    assert [(w.stem, w.exact, w.position) for w in words] == [(None, f"={stop}", 0), (None, f"={stop}", 1)]


@pytest.mark.parametrize("lang", ["en", "es", "ru", "ar"])
def test_new_analyzers_pickle_small(lang):
    assert len(pickle.dumps(LANGUAGES[lang].analyzer())) < 4096
    restored = pickle.loads(pickle.dumps(LANGUAGES[lang].analyzer()))
    assert [t.text for t in restored("Test", mode="query")] == tokens(lang, "Test", mode="query")


# ---------------------------------------------------------------- recognition


@pytest.mark.parametrize(
    "text, lang",
    [
        ("the protection of civilians", "en"),
        ("la protection des civils", "fr"),
        ("la protección de los civiles y el desarme", "es"),
        ("защита гражданского населения", "ru"),
        ("حماية المدنيين", "ar"),
        ("多边主义", "zh"),
    ],
)
def test_queries_are_recognised_among_the_six(text, lang):
    assert detect_lang(text, tuple(LANGUAGES)) == lang


def test_an_unregistered_language_is_refused_and_named():
    with pytest.raises(CorpusError, match=r"not a French, Chinese, English, Spanish, Russian or Arabic UN document"):
        detect_language(GERMAN)


@pytest.mark.parametrize(
    "text, lang, meeting, date",
    [
        (RESOLUTION, "en", "60th plenary meeting", "2013-12-05"),
        (SPANISH, "es", "60ª sesión plenaria", "2013-12-05"),
        (RUSSIAN, "ru", "60-е пленарное заседание", "2013-12-05"),
        (ARABIC, "ar", "الجلسة العامة 60", "2013-12-05"),
    ],
)
def test_un_documents_of_each_language_are_read(text, lang, meeting, date):
    assert detect_language(text) == lang
    doc = parse_un_text(text, source=f"{lang}.txt")
    assert doc.lang == lang
    assert [(p.kind, p.number) for p in doc.paragraphs] == [
        ("other", None),
        ("preambular", None),
        ("operative", "1"),
        ("operative", "2"),
    ]
    assert doc.meta["meeting"] == meeting and doc.date == date
    # wrapped lines joined by the entry's line_join: a space
    assert "\n" not in doc.paragraphs[2].text and doc.paragraphs[2].text.count("  ") == 0


# ---------------------------------------------------------------- indexed and searched


def test_an_english_document_is_skipped_by_default_and_says_why(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "resolution-en.txt").write_text(RESOLUTION, encoding="utf-8")
    report = build_index(load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index"))
    assert report.skipped == [
        (
            "resolution-en.txt",
            "not a French or Chinese UN document (language looks like en; "
            "add it to `languages` in config.toml to index it)",
        )
    ]


def test_english_is_indexed_and_searched_when_listed(engine, tmp_path):
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
        civilians = service.search("civilian", lang="en")  # the singular finds the plural
        assert [h["text"] for h in civilians["hits"]] == [BITEXT["en"][0]]
        # The bitext's lines are aligned: the English hit carries its French translation.
        assert [t["text"] for t in civilians["hits"][0]["translations"]] == [BITEXT["fr"][0]]
        assert service.search("the protection of civilians")["lang"] == "en"  # auto: function words
        assert service.search("civils", lang="fr")["total"] == 1
        assert service.search("civils", lang="en")["total"] == 0  # each language has its own field
        assert service.search("the", lang="en")["total"] == 0  # a stop word alone is left out
        assert service.search("civilans", lang="en")["suggestion"] == "civilians"  # did-you-mean
    finally:
        service.close()


def test_the_shipped_dev_set_is_indexed_in_the_six_languages_when_listed(tmp_path):
    """`languages` listing the six is all it takes: the shipped six-way dev set gives every language its 4,000
    lines, and a hit carries its translations in the five others (the lines are aligned)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "unpc-devset", corpus / "unpc-devset")
    six = tuple(LANGUAGES)
    cfg = load_config(None, corpus_dir=corpus, index_dir=tmp_path / "index", languages=six)
    report = build_index(cfg)
    assert report.skipped == [("unpc-devset/DISCLAIMER", "documentation, not a document")]
    assert {r["lang"]: r["paragraphs"] for r in report.stats} == dict.fromkeys(six, 4000)

    from server.search import SearchService

    service = SearchService(cfg)
    try:
        for lang, query in (("ar", "مجلس الأمن"), ("ru", "Совет Безопасности"), ("es", "Consejo de Seguridad")):
            found = service.search(f'"{query}"', lang=lang, limit=3)
            assert found["total"] > 20 and found["hits"], lang
            hit = found["hits"][0]
            assert sorted(t["lang"] for t in hit["translations"]) == sorted(set(six) - {lang})
    finally:
        service.close()


# ---------------------------------------------------------------- a language is named in the registry only

REPO = CORPUS.parent
REGISTRY = REPO / "indexer" / "analysis"


def _language_literals(path, root=REPO) -> list[str]:
    """The string constants of a module (f-string parts included) that name a language of the registry: a code,
    a region tag, a space-separated list of codes, or a field named for one ("only_fr", "text_zh")."""
    import ast
    import re

    from indexer.analysis import UNINDEXED

    codes = set(LANGUAGES) | set(UNINDEXED)
    tags = {lang.region_tag.lower() for lang in LANGUAGES.values() if lang.region_tag}
    named = re.compile(rf"^(?:\w+_)?(?:{'|'.join(sorted(codes))})$|^(?:{'|'.join(sorted(codes))})_\w+$")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value.strip().lower()
            words = value.split()
            if (
                value in codes
                or value in tags
                or (len(words) > 1 and all(w in codes for w in words))
                or (named.match(value) and value.isidentifier())
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
        elif isinstance(node, ast.Attribute) and named.match(node.attr) and node.attr.startswith("only_"):
            found.append(f"{path.relative_to(root)}:{node.lineno}: .{node.attr}")
    return found


def test_no_language_is_named_outside_the_registry():
    modules = [p for top in ("indexer", "server") for p in sorted((REPO / top).rglob("*.py"))]
    assert len(modules) > 50
    found = [hit for p in modules if REGISTRY not in p.parents for hit in _language_literals(p)]
    assert found == []


def test_the_literal_check_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'a = lang == "zh"\nb = {"only_fr": 1}\nc = f"{x}_{\'fr\'}"\nd = "ar en es".split()\ne = d.only_zh\n'
        'f = "fr-FR"\ng = "es" if one else ""\nh = "text_fr"\nok = "fresh start", "zhou", "the French", "f"\n',
        encoding="utf-8",
    )
    found = sorted(_language_literals(sample, tmp_path), key=lambda hit: int(hit.split(":")[1]))
    assert [hit.split(": ", 1)[1] for hit in found] == [
        "'zh'",
        "'only_fr'",
        "'fr'",
        "'ar en es'",
        ".only_zh",
        "'fr-FR'",
        "'es'",
        "'text_fr'",
    ]


# ---------------------------------------------------------------- several languages at once

SPANISH_LINES = [
    "El Consejo de Seguridad examina la situación en Malí y la protección de los civiles.",
    "Pide al Secretario General que le presente un informe sobre la cuestión.",
]


def _tmx(units: list[dict[str, str]]) -> str:
    body = "".join(
        "<tu>" + "".join(f'<tuv xml:lang="{tag}"><seg>{text}</seg></tuv>' for tag, text in unit.items()) + "</tu>"
        for unit in units
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
        'segtype="paragraph" o-tmf="t" adminlang="en" srclang="fr" datatype="plaintext"/>'
        f"<body>{body}</body></tmx>"
    )


def test_bitexts_and_tmx_of_several_languages_are_multi_way(engine, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = {**BITEXT, "es": SPANISH_LINES}
    for lang, text in lines.items():
        (corpus / f"council.{lang}").write_text("\n".join(text) + "\n", encoding="utf-8")
    units = [{"fr-FR": lines["fr"][k], "en-GB": lines["en"][k], "es-ES": lines["es"][k]} for k in range(2)]
    (corpus / "memory.tmx").write_text(_tmx(units), encoding="utf-8")
    cfg = load_config(
        None, corpus_dir=corpus, index_dir=tmp_path / "index", languages=("fr", "en", "es"), engine=engine
    )
    report = build_index(cfg)
    assert report.skipped == []
    assert {r["lang"]: r["documents"] for r in report.stats} == {"fr": 2, "en": 2, "es": 2}

    from server.search import SearchService

    service = SearchService(cfg)
    try:
        found = service.search("civils", lang="fr", symbol=None)
        assert found["total"] == 2  # the bitext's line and the memory's unit
        for hit in found["hits"]:
            assert sorted((t["lang"], t["text"]) for t in hit["translations"]) == [
                ("en", BITEXT["en"][0]),
                ("es", SPANISH_LINES[0]),
            ]
        narrowed = service.search("civils", lang="fr", targets=("es",))
        assert [[t["lang"] for t in h["translations"]] for h in narrowed["hits"]] == [["es"], ["es"]]
        # any pair: the Spanish hit carries French and English, a term is looked up from Spanish into English
        civiles = service.search("civil", lang="es")
        assert sorted(t["lang"] for t in civiles["hits"][0]["translations"]) == ["en", "fr"]
        assert service.terms("civiles", lang="es", target="en")["target"] == "en"
        with pytest.raises(Exception, match="targets must be among fr, en, es"):
            service.search("civils", lang="fr", targets=("zh",))
    finally:
        service.close()
