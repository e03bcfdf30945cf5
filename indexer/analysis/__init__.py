"""Language registry: LANGUAGES holds one `Language` entry per indexed language, and each entry carries
everything tandem needs of it (script and function words to recognise it, the Whoosh analysis chain, how
its wrapped lines join, how its UN documents are written, the stems of the aligner's lexicon, the query
planner's hooks), so adding a language is adding an entry.

Whoosh pickles analyzers into the index schema, so every component here keeps only small,
picklable settings; heavy resources (the pkuseg model, OpenCC) live at module level and are
created lazily in each process. French lives in `french` (stemmer in `french_stem`), Chinese in
`chinese`; this module re-exports their public names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from .. import segmenter
from ..numbers_digits import digit_reader
from ..numbers_fr import french_values
from ..numbers_zh import chinese_values
from ..segmenter import HAN_CLASS
from . import alphabetic, planning
from .arabic import ARABIC_STOPWORDS, arabic_analyzer
from .chinese import ChineseTokenizer, chinese_analyzer, normalize_zh, to_simplified
from .detect import detect_among, guess_among
from .english import ENGLISH_STOPWORDS, english_analyzer
from .french import (
    APOSTROPHES,
    ELISIONS,
    EXACT,
    FRENCH_STOPWORDS,
    FrenchFormsFilter,
    FrenchTokenizer,
    QueryWord,
    _stemmer,
    french_analyzer,
    french_query_words,
    french_stem,
)
from .french_stem import light_stem
from .normalize import fold, normalize_offsets
from .russian import RUSSIAN_STOPWORDS, russian_analyzer
from .sentence_rules import (
    ARABIC_SENTENCES,
    CHINESE_SENTENCES,
    ENGLISH_SENTENCES,
    FRENCH_SENTENCES,
    RUSSIAN_SENTENCES,
    SPANISH_SENTENCES,
    SentenceRule,
)
from .snowball import french_lexicon_stems
from .spanish import SPANISH_STOPWORDS, spanish_analyzer

__all__ = [
    "DEFAULT_LANGUAGES",
    "LANGUAGES",
    "UNINDEXED",
    "Language",
    "UNText",
    "field_name",
    "language_of_tag",
    "text_of_tag",
    "tag_fold",
    "detect_lang",
    "names_of",
    "guess_document_language",
    "fold",
    "tokens",
    "vocabulary_words",
    "normalize_offsets",
    "FRENCH_STOPWORDS",
    "ELISIONS",
    "APOSTROPHES",
    "EXACT",
    "QueryWord",
    "query_words",
    "french_analyzer",
    "french_stem",
    "light_stem",
    "french_query_words",
    "FrenchTokenizer",
    "FrenchFormsFilter",
    "chinese_analyzer",
    "ChineseTokenizer",
    "normalize_zh",
    "to_simplified",
    "_stemmer",
]


@dataclass(frozen=True)
class UNText:
    """How UN documents in a language write what the plain-text reader (indexer.readers.un_text) looks for."""

    chapeau: re.Pattern | None = None  # "L’Assemblée générale," — opens the preamble
    meeting: re.Pattern | None = None  # closing signature: the meeting line
    date: re.Pattern | None = None  # a date, with named groups d, m, y
    months: tuple[str, ...] = ()  # month names, January first; empty when months are digits


@dataclass(frozen=True)
class Language:
    """Everything tandem knows of a language: adding one to LANGUAGES is all it takes to index it."""

    code: str
    name: str  # in English, for messages
    script: str  # the name of its writing system, for messages
    letters: str  # regex character class of its script's letters: tells scripts apart in queries and documents
    words: frozenset[str] = frozenset()  # frequent function words: tell apart documents of one script
    analyzer: Callable | None = None  # the Whoosh analysis chain; None for UNINDEXED languages
    line_join: str = " "  # what joins the wrapped lines of a paragraph: a space, or nothing for Chinese
    un_text: UNText = field(default_factory=UNText)  # its UN documents' chapeau, signature and dates
    spelling: bool = False  # keep a vocabulary of words: did-you-mean suggestions and prefix expansion
    word_pairs: bool = False  # each two consecutive exact forms also indexed as one term: phrases read pairs
    warm_up: Callable | None = None  # loads what the analyzer needs, once per build worker process
    cuts: Callable | None = None  # text -> its word boundaries, stored in the catalog at build time (no spaces)
    lexicon_stems: Callable | None = None  # text -> the stems keying the aligner's lexicon (indexer.lexicon)
    query_words: Callable | None = None  # query text -> [QueryWord]: stems and exact forms word by word
    query_text: Callable | None = None  # query text -> the spelling the index uses (Chinese: simplified)
    plan_word: Callable | None = None  # planner hooks (indexer.query.planner): (context, text) -> node
    plan_phrase: Callable | None = None
    plan_prefix: Callable | None = None
    plan_term: Callable | None = None  # (context, text) -> node: a term as GET /api/terms looks it up
    region_tag: str = ""  # the language tag with a region, as translation memory tools expect it (TMX xml:lang)
    tags: frozenset[str] = frozenset()  # other primary language subtags naming it (ISO 639-2/3: "fra", "zho")
    folded_subtags: frozenset[str] = frozenset()  # subtags whose text query_text folds ("Hant", "TW")
    ocr: str = ""  # Tesseract's language data for scanned pages ("fra"; Debian tesseract-ocr-fra)
    right_to_left: bool = False  # written right to left: a paragraph's first line is indented from the right
    sentence_rules: tuple[SentenceRule, ...] = ()  # SRX-style sentence breaks (indexer.sentences); none: one
    stopwords: frozenset[str] = frozenset()  # words searched only inside phrases; never a term's rendering's edge
    values: Callable | None = None  # text -> the numbers, symbols and dates it writes (indexer.checks)


_FR_MONTHS = tuple("janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split())
_LATIN = "A-Za-zÀ-ÖØ-öø-ɏ"

DEFAULT_LANGUAGES = ("fr", "zh")  # the shipped setting of `languages` (indexer.config)

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            "fr",
            "French",
            "Latin",
            _LATIN,
            analyzer=french_analyzer,
            spelling=True,
            word_pairs=True,
            words=frozenset(
                "le la les de des du et à au aux en une un que qui dans pour sur par est sont ce cette sa "
                "ses son il elle ne pas".split()
            ),
            un_text=UNText(
                chapeau=re.compile(
                    r"(?:L[’']Assemblée générale|Le Conseil de sécurité|Le Conseil économique et social"
                    r"|Le Conseil des droits de l[’']homme),"
                ),
                meeting=re.compile(r"\d+\s*(?:e|ᵉ|re)\s+séance plénière"),
                date=re.compile(r"(?P<d>\d{1,2})(?:er)?\s+(?P<m>" + "|".join(_FR_MONTHS) + r")\s+(?P<y>\d{4})", re.I),
                months=_FR_MONTHS,
            ),
            lexicon_stems=french_lexicon_stems,
            query_words=french_query_words,
            plan_word=planning.french_word,
            plan_phrase=planning.french_phrase,
            region_tag="fr-FR",
            tags=frozenset({"fra", "fre"}),
            ocr="fra",
            sentence_rules=FRENCH_SENTENCES,
            stopwords=FRENCH_STOPWORDS,
            values=french_values,
        ),
        Language(
            "zh",
            "Chinese",
            "Han",
            HAN_CLASS,
            analyzer=chinese_analyzer,
            line_join="",
            un_text=UNText(
                chapeau=re.compile(r"(?:大会|安全理事会|经济及社会理事会|人权理事会)，"),
                meeting=re.compile(r"第\s*\d+\s*次(?:全体)?会议"),
                date=re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
            ),
            warm_up=segmenter.model,
            cuts=segmenter.encode_cuts,
            query_text=to_simplified,
            plan_word=planning.chinese_word,
            plan_phrase=planning.chinese_word,
            plan_prefix=planning.chinese_prefix,
            plan_term=planning.chinese_term,
            region_tag="zh-CN",
            tags=frozenset({"zho", "chi", "cmn"}),
            folded_subtags=frozenset({"hant", "tw", "hk", "mo"}),
            ocr="chi_sim",
            sentence_rules=CHINESE_SENTENCES,
            values=chinese_values,
        ),
    )
}


def _alphabetic(code: str, **hooks) -> dict:
    """The analysis, query and lexicon hooks of an alphabetic language of indexer.analysis.alphabetic."""
    words_of = partial(alphabetic.query_words, code)
    return dict(
        spelling=True,
        word_pairs=True,
        lexicon_stems=partial(alphabetic.stems_of, code),
        query_words=words_of,
        plan_word=partial(planning.french_word, words_of=words_of),
        plan_phrase=partial(planning.french_phrase, words_of=words_of),
        **hooks,
    )


_EN_MONTHS = tuple("january february march april may june july august september october november december".split())
_ES_MONTHS = tuple("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split())
_RU_MONTHS = tuple(  # genitive: "14 декабря 2015 года"
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)
_AR_MONTHS = tuple("يناير فبراير مارس أبريل مايو يونيه يوليه أغسطس سبتمبر أكتوبر نوفمبر ديسمبر".split())
_CYRILLIC = "\u0400-\u04ff"
_ARABIC = "\u0600-\u06ff\u0750-\u077f"

LANGUAGES.update(
    (lang.code, lang)
    for lang in (
        Language(
            "en",
            "English",
            "Latin",
            _LATIN,
            words=frozenset("the of and to in that for is are by on with this be as it its which".split()),
            analyzer=english_analyzer,
            un_text=UNText(
                chapeau=re.compile(
                    r"The (?:General Assembly|Security Council|Economic and Social Council|Human Rights Council),"
                ),
                meeting=re.compile(r"\d+\s*(?:st|nd|rd|th)\s+plenary meeting", re.I),
                date=re.compile(r"(?P<d>\d{1,2})\s+(?P<m>" + "|".join(_EN_MONTHS) + r")\s+(?P<y>\d{4})", re.I),
                months=_EN_MONTHS,
            ),
            region_tag="en-GB",  # the United Nations spell British English
            ocr="eng",
            sentence_rules=ENGLISH_SENTENCES,
            tags=frozenset({"eng"}),
            stopwords=ENGLISH_STOPWORDS,
            values=digit_reader(_EN_MONTHS),
            **_alphabetic("en"),
        ),
        Language(
            "es",
            "Spanish",
            "Latin",
            _LATIN,
            words=frozenset(
                "de la que el en y los del las un por con una su para es al lo como más o pero sus se".split()
            ),
            analyzer=spanish_analyzer,
            un_text=UNText(
                chapeau=re.compile(
                    r"(?:La Asamblea General|El Consejo de Seguridad|El Consejo Económico y Social"
                    r"|El Consejo de Derechos Humanos),"
                ),
                meeting=re.compile(r"\d+\s*[ªa]\.?\s+sesión plenaria", re.I),
                date=re.compile(
                    r"(?P<d>\d{1,2})\s+de\s+(?P<m>" + "|".join(_ES_MONTHS) + r")\s+de\s+(?P<y>\d{4})", re.I
                ),
                months=_ES_MONTHS,
            ),
            region_tag="es-ES",
            ocr="spa",
            sentence_rules=SPANISH_SENTENCES,
            tags=frozenset({"spa"}),
            stopwords=SPANISH_STOPWORDS,
            values=digit_reader(_ES_MONTHS, ","),
            **_alphabetic("es"),
        ),
        Language(
            "ru",
            "Russian",
            "Cyrillic",
            _CYRILLIC,
            words=frozenset("и в на с по о что для не от к из а как это его за".split()),
            analyzer=russian_analyzer,
            un_text=UNText(
                chapeau=re.compile(
                    r"(?:Генеральная Ассамблея|Совет Безопасности|Экономический и Социальный Совет"
                    r"|Совет по правам человека),"
                ),
                meeting=re.compile(r"\d+\s*-\s*е\s+пленарное заседание", re.I),
                date=re.compile(
                    r"(?P<d>\d{1,2})\s+(?P<m>" + "|".join(_RU_MONTHS) + r")\s+(?P<y>\d{4})(?:\s*(?:года|г\.))?", re.I
                ),
                months=_RU_MONTHS,
            ),
            region_tag="ru-RU",
            ocr="rus",
            sentence_rules=RUSSIAN_SENTENCES,
            tags=frozenset({"rus"}),
            stopwords=RUSSIAN_STOPWORDS,
            values=digit_reader(_RU_MONTHS, ","),
            **_alphabetic("ru"),
        ),
        Language(
            "ar",
            "Arabic",
            "Arabic",
            _ARABIC,
            words=frozenset("في من على إلى أن التي الذي عن مع و".split()),
            analyzer=arabic_analyzer,
            un_text=UNText(
                chapeau=re.compile(
                    r"(?:إن\s+)?(?:الجمعية العامة|مجلس الأمن|المجلس الاقتصادي والاجتماعي|مجلس حقوق الإنسان)\s*[،,]"
                ),
                meeting=re.compile(r"الجلسة العامة\s+\d+"),
                # the Levantine month name may come first: "14 كانون الأول/ديسمبر 2015"
                date=re.compile(
                    r"(?P<d>\d{1,2})\s+(?:[^\s/\d]+(?:\s[^\s/\d]+)?/)?(?P<m>"
                    + "|".join(_AR_MONTHS)
                    + r")\s+(?P<y>\d{4})"
                ),
                months=_AR_MONTHS,
            ),
            region_tag="ar-SA",
            ocr="ara",
            right_to_left=True,
            sentence_rules=ARABIC_SENTENCES,
            tags=frozenset({"ara"}),
            stopwords=ARABIC_STOPWORDS,
            values=digit_reader(_AR_MONTHS),
            **_alphabetic("ar"),
        ),
    )
)


# Languages tandem does not index, known so that a reader can say what a rejected document looks like.
UNINDEXED: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language(
            "de",
            "German",
            "Latin",
            _LATIN,
            frozenset("der die das und den dem des ist nicht mit auf für von zu".split()),
        ),
    )
}


def names_of(codes) -> str:
    """Languages named for a message: "French or Chinese", "French, Chinese or English"."""
    names = [LANGUAGES[code].name if code in LANGUAGES else code for code in codes]
    return " or ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " or " + names[-1]


def detect_lang(text: str, langs=DEFAULT_LANGUAGES) -> str:
    """The language of a query or text among registered codes: most letters of its script, then most function
    words among the languages of that script; the first code when nothing tells."""
    return detect_among(text, [LANGUAGES[code] for code in langs])


def guess_document_language(text: str):
    """(Language or None, script name, letters): what a document looks like among every language the registry
    knows, indexed or not (see indexer.analysis.detect.guess_among)."""
    # a registered language replaces its recognition-only entry
    return guess_among(text, list({**UNINDEXED, **LANGUAGES}.values()))


def language_of_tag(tag: str) -> str | None:
    """The registered language a language tag names ("fr-FR", "FR-CA", "zh-Hans", "ZH-TW", "fra"), else None."""
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    for code, lang in LANGUAGES.items():
        if primary == code or primary in lang.tags:
            return code
    return None


def tag_fold(tag: str) -> Callable[[str], str] | None:
    """What turns text in a language tag's variant into the spelling the index uses: traditional Chinese
    ("zh-TW", "zh-Hant") folds to simplified the way queries are; None for text indexed as it is."""
    code = language_of_tag(tag)
    if code is None:
        return None
    lang = LANGUAGES[code]
    subtags = set(re.split(r"[-_]", tag.strip().lower())[1:])
    return lang.query_text if subtags & lang.folded_subtags else None


def text_of_tag(tag: str, text: str) -> str:
    """A segment's text as the index spells its language (see tag_fold)."""
    fold = tag_fold(tag)
    return fold(text) if fold else text


def field_name(lang: str) -> str:
    """The index field holding the analysed text of a language."""
    return f"text_{lang}"


_VOCAB_WORD = re.compile(r"[^\W\d_]{2,}")


def vocabulary_words(text: str) -> list[str]:
    """The lowercase words of a text as written (accents kept), for the spelling vocabulary."""
    text, _ = normalize_offsets(text, "NFC")
    return [w.lower() for w in _VOCAB_WORD.findall(text)]


def tokens(lang: str, text: str, mode: str = "index") -> list[str]:
    """The index terms of a text, in order (for tests, debugging and highlighting)."""
    return [t.text for t in LANGUAGES[lang].analyzer()(text, mode=mode)]


def query_words(lang: str, text: str) -> list[QueryWord]:
    """The words of a query string with their stems and exact forms, for languages that have them."""
    hook = LANGUAGES[lang].query_words
    if hook is None:
        raise ValueError(f"no query words for language {lang!r}")
    return hook(text)
