"""Spanish words: lowercase, accents folded (ñ kept: a letter of its own), stems and exact forms (see alphabetic)."""

from __future__ import annotations

from .alphabetic import WordRules, register
from .light_stems import spanish_light
from .normalize import fold

# Snowball's Spanish stop list, its most frequent part; "no" and "ni" stay searchable.
SPANISH_STOPWORDS = frozenset(
    """
de la que el en y a los del se las por un para con una su al lo como más pero sus le ya o este sí porque esta
entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les contra otros
ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada
muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas os esos esas estoy está
estamos están es son fue fueron ha han he hemos había sea ser sido siendo cuyo cuya cuyos cuyas u
""".split()
)


def fold_spanish(word: str) -> str:
    """Accents and diaeresis removed, ñ kept: "resolución" -> "resolucion", "año" stays "año"."""
    return fold(word.replace("ñ", "\0").replace("Ñ", "\1")).replace("\0", "ñ").replace("\1", "Ñ")


_FOLDED_STOPWORDS = frozenset(fold_spanish(w) for w in SPANISH_STOPWORDS)
# Light stems, not Snowball's: Snowball leaves short plurals apart ("mujer"/"mujeres", "isla"/"islas") and
# merges more words of different lemmas; 0.991 of other-number pairs agree with light stems, 0.952 with
# Snowball, and 328 terms merge lemmas, 917 with Snowball (bench/languages_bench.py --part stems).
spanish_analyzer = register(WordRules("es", fold_spanish, spanish_light, _FOLDED_STOPWORDS))
