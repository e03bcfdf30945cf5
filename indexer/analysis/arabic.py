"""Arabic words: vowel marks and tatweel removed, alef forms, alef maqsura and taa marbuta normalised,
Arabic-Indic digits read as digits, then stems and exact forms (see alphabetic), as Lucene's ArabicNormalizer."""

from __future__ import annotations

import re

from .alphabetic import WordRules, register
from .light_stems import arabic_light

# Vowel marks (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel, which stretches a word.
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_TATWEEL = "\u0640"
_DROP = re.compile(f"[{_MARKS}{_TATWEEL}]")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # extended (Persian) digits
    }
)

# Frequent function words (Lucene's Arabic stop list, its commonest part), as written; folded below.
# The negations (لا, لم, لن, غير) stay searchable.
ARABIC_STOPWORDS = frozenset(
    """
من في على إلى عن مع أن إن أو ثم كما التي الذي الذين اللذين اللتين اللواتي هذا هذه ذلك تلك هؤلاء هو هي هم هما
كان كانت يكون تكون قد لقد ما ماذا عند بين حتى كل أي بعض منذ إذا أيضا وقد وفي ومن وعلى وأن وإن أما إما ف و ب ل
ك لدى لها له لهم به بها فيه فيها منه منها عليه عليها إليه إليها التى الى وهو وهي بما كما حيث نحو ضد
""".split()
)


def fold_arabic(word: str) -> str:
    """Vowel marks and tatweel removed, alef forms to bare alef, alef maqsura to yaa, taa marbuta to haa,
    Arabic-Indic digits to digits: "القرارَات" -> "القرارات", "الأمم" -> "الامم", "٢٠١٥" -> "2015"."""
    return _DROP.sub("", word).translate(_LETTERS)


ARABIC_WORD = rf"(?:[^\W_]|[{_MARKS}])+"  # vowel marks are not word characters to Python's regex
_FOLDED_STOPWORDS = frozenset(fold_arabic(w) for w in ARABIC_STOPWORDS)
# Light stems, not Snowball's: Snowball keeps the conjunction of "والجمعية" and the taa of "المنظمتان", and 0.46
# of other-number pairs agree with it, 0.98 with light10 (bench/languages_bench.py --part stems).
arabic_analyzer = register(WordRules("ar", fold_arabic, arabic_light, _FOLDED_STOPWORDS, word=ARABIC_WORD))
