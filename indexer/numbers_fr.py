"""Values written in French text: digits, number words and ordinals, dates, times, percentages and fractions.

Digits group thousands with spaces and take a decimal comma (1 234,5), may be followed by millions or
milliards, and end with an ordinal suffix (68e); number words run together (quatre-vingt-dix-neuf,
soixante-neuvième); dates name the month (26 au 31 août 2012, mars 2013); times are on the 24-hour clock
(15 h 30, midi); percentages are written with % or pour cent; fractions (deux tiers), approximate counts
(dizaine, biennal) and roman numerals are weak values. The value model and the readers shared with Chinese are
in `indexer.numbers`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numbers import (
    Spans,
    Value,
    date_value,
    normalize,
    number_text,
    number_value,
    number_values,
    parse_number,
    percent_value,
    read_symbols,
    time_value,
)

MONTHS_FR = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_FR_WORDS = {
    "zéro": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "cents": 100,
    "mille": 1000,
}
_FR_BIG = {"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}
_FR_ORDINALS = {
    "premier": 1,
    "première": 1,
    "second": 2,
    "seconde": 2,
    "unième": 1,
    "cinquième": 5,
    "neuvième": 9,
    **{
        w[:-1] + "ième" if w.endswith("e") else w + "ième": n
        for w, n in _FR_WORDS.items()
        if n >= 2 and w not in ("vingts", "cents")
    },
}
_FR_ALL = {**_FR_WORDS, **_FR_BIG, **_FR_ORDINALS}
_DAY = r"(1er|\d{1,2})"
_FR_MONTH = "(" + "|".join(sorted(MONTHS_FR, key=len, reverse=True)) + ")"
_FR_DATE = re.compile(
    rf"(?<![\w]){_DAY}(?:\s+{_FR_MONTH})?(?:\s*(?:-|–|au|et(?:\s+le)?)\s*){_DAY}\s+{_FR_MONTH}(?:\s+(\d{{4}}))?(?!\d)"
    rf"|(?<![\w]){_DAY}\s+{_FR_MONTH}(?:\s+(\d{{4}}))?(?!\d)"
    rf"|(?<![\w]){_FR_MONTH}\s+(\d{{4}})(?!\d)",
    re.I,
)
_FR_TIME = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:h|heures?)(?:\s*(\d{1,2}))?(?![\w])"
    r"|(?<![\w])([01]\d|2[0-3])([0-5]\d)Z(?![\w])"
)
_FR_PERCENT = re.compile(r"(?<!\d,)(?<!\d)(\d+(?:,\d+)?)\s*(?:%|pour\s*cent\b|p\.\s*100)")
_FR_NUMBER = re.compile(
    r"(?<!\d[,.])(?<!\d)(\d{1,3}(?:\s\d{3})+|\d+)(?:,(\d+)|((?:\.\d+)+))?"
    r"(?:\s+(millions?|milliards?)\b)?(?:e|er|re|ème|ième|eme)?(?![\d])"
)
_FR_MONTHS = re.compile(
    rf"(?<![\w]){_FR_MONTH}(?:\s*[-–]\s*|\s+(?:et|à)\s+(?:en\s+)?){_FR_MONTH}\s+(\d{{4}})(?!\d)", re.I
)
_FR_NOON = re.compile(r"(?<![\w])(midi|minuit)(?![\w])", re.I)
_FRACTIONS = {"demi": 2, "moitié": 2, "tiers": 3, "quart": 4, "quarts": 4}
_FR_FRACTION = re.compile(r"(?<![\w])(?:(deux|trois)\s+)?(demi|moitié|tiers|quarts?)(?![\w])", re.I)
_GLUED_NOTE = re.compile(r"[a-zà-ÿ)»]")
_ELISION = re.compile(r"['’][a-zà-ÿ]")  # "1'espace": a misread l'
_APPROXIMATE = {
    "biennal": 2,
    "biennale": 2,
    "triennal": 3,
    "triennale": 3,
    "quadriennal": 4,
    "quadriennale": 4,
    "quinquennal": 5,
    "quinquennale": 5,
    "décennie": 10,
    "décennal": 10,
    "décennale": 10,
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
}
_FR_DECADE = re.compile(r"(?<![\w])années\s+([1-9]0)(?!\d)")  # "les années 60": the 1960s
_FR_APPROXIMATE = re.compile(r"(?<![\w])({})s?(?![\w])".format("|".join(_APPROXIMATE)), re.I)
_FR_WORD_SEQ = re.compile(
    r"(?<![\w-])(?:{w})(?:(?:-|\s+)(?:et(?:-|\s+)(?=un|onz))?(?:{w}))*(?![\w])".format(
        w="|".join(sorted(_FR_ALL, key=len, reverse=True))
    ),
    re.I,
)
_ROMAN = re.compile(r"(?<![\w-])(?=[IVXLC]{2,}|[IVX])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?:e|er|ème)?(?![\w-])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _day(text: str | None) -> int | None:
    if text is None:
        return None
    return 1 if text.lower() == "1er" else int(text)


def french_values(text: str) -> list[Value]:
    """Values written in a French text, in reading order."""
    spans = Spans(normalize(text))
    read_symbols(spans)

    def date(m):
        if m.group(4):  # "26 au 31 août 2012", "26 août au 2 septembre 2012"
            year = int(m.group(5)) if m.group(5) else None
            month = MONTHS_FR[m.group(4).lower()]
            first_month = MONTHS_FR[m.group(2).lower()] if m.group(2) else month
            return [
                date_value(year, first_month, _day(m.group(1)), m.start(), m.end()),
                date_value(year, month, _day(m.group(3)), m.start(), m.end()),
            ]
        if m.group(7):
            return [
                date_value(
                    int(m.group(8)) if m.group(8) else None,
                    MONTHS_FR[m.group(7).lower()],
                    _day(m.group(6)),
                    m.start(),
                    m.end(),
                )
            ]
        return [date_value(int(m.group(10)), MONTHS_FR[m.group(9).lower()], None, m.start(), m.end())]

    spans.scan(
        _FR_MONTHS,
        lambda m: [
            date_value(int(m.group(3)), MONTHS_FR[m.group(k).lower()], None, m.start(), m.end()) for k in (1, 2)
        ],
    )
    spans.scan(_FR_DATE, date)
    spans.scan(
        _FR_TIME,
        lambda m: [time_value(int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4) or 0), m.start(), m.end())],
    )
    spans.scan(_FR_NOON, lambda m: [time_value(12 if m.group(1).lower() == "midi" else 0, 0, m.start(), m.end())])
    spans.scan(_FR_PERCENT, lambda m: [percent_value(parse_number(m.group(1).replace(",", ".")), m.start(), m.end())])

    def number(m):
        if m.group(3):  # article 10.103, loi n° 18.561: a reference, not a decimal
            raw = m.group(1) + m.group(3)
            return [
                Value(
                    raw,
                    ("n:" + raw, "d:" + re.sub(r"\D", "", raw)),
                    ("n:" + raw, "d:" + re.sub(r"\D", "", raw)),
                    True,
                    m.start(),
                    m.end(),
                )
            ]
        scale = _FR_BIG[m.group(4).lower()] if m.group(4) else 1
        found = number_values(m, parse_number(m.group(1), m.group(2), scale), m.group(1) + (m.group(2) or ""))
        before, after = spans.text[m.start() - 1 : m.start()], spans.text[m.end() : m.end() + 2]
        if _GLUED_NOTE.match(before) or (before == "[" and after[:1] == "]") or _ELISION.match(after):
            # digits glued to a word or a closing bracket are a footnote marker: "Yougoslavie11", "(Bangkok)16"
            return [Value(v.shown, v.keys, v.wants, False, v.start, v.end) for v in found]
        return found

    spans.scan(_FR_FRACTION, _french_fraction)
    spans.scan(
        _FR_DECADE,
        lambda m: [
            Value(
                m.group(1),
                ("n:" + m.group(1), "n:19" + m.group(1)),
                ("n:" + m.group(1), "n:19" + m.group(1)),
                True,
                m.start(),
                m.end(),
            )
        ],
    )
    spans.scan(_FR_NUMBER, number)
    spans.scan(
        _FR_APPROXIMATE,
        lambda m: [number_value(Decimal(_APPROXIMATE[m.group(1).lower()]), m.start(), m.end(), strong=False)],
    )
    spans.scan(_FR_WORD_SEQ, _french_words)
    spans.scan(_ROMAN, _roman)
    return spans.ordered()


def _french_words(m) -> list[Value]:
    words = [w for w in re.split(r"[\s-]+", m.group().lower()) if w != "et"]
    if all(w in _FR_BIG for w in words):
        return []  # "des millions de": no count
    total, current = 0, 0
    for w in words:
        n = _FR_ALL.get(w)
        if n is None:
            return []
        if w in ("vingt", "vingts", "vingtième") and current % 100 == 4:
            current += 76  # quatre-vingt(s)
        elif n == 100:
            current = max(current, 1) * 100
        elif n >= 1000:
            total += max(current, 1) * n
            current = 0
        else:
            current += n
    value = total + current
    strong = value >= 11 and words[0] not in ("un", "une", "cent", "cents")
    return [number_value(Decimal(value), m.start(), m.end(), strong=strong)]


def _roman(m) -> list[Value]:
    letters = m.group(1) + m.group(2) + m.group(3)
    if not letters:
        return []
    value, last = 0, 0
    for ch in reversed(letters):
        n = _ROMAN_VALUES[ch]
        value, last = (value - n, last) if n < last else (value + n, n)
    return [number_value(Decimal(value), m.start(), m.end(), strong=False)]


def _french_fraction(m) -> list[Value]:
    above, below = _FR_WORDS[m.group(1).lower()] if m.group(1) else 1, _FRACTIONS[m.group(2).lower()]
    shown = f"{above}/{below}"
    percent = Decimal(100 * above) / below
    keys = ("s:" + shown,) + (("%:" + number_text(percent), "n:" + number_text(percent)) if below != 3 else ())
    return [Value(shown, keys, (), False, m.start(), m.end())]
