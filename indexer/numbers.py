"""Values that must survive translation unchanged (numbers, resolution and document symbols, dates, times and
percentages) and how they are read from French text; Chinese text is read by `indexer.numbers_zh`.

Each value is found once (a date's year is not also a number) and carries `keys`: the forms under which the
other language may write it (a date with or without its year, a time on a 12-hour clock, a symbol or its
resolution number). A value is `strong` when it is written so plainly that its absence on the other side is
worth reporting; weak values (number words such as "deux" or 三, roman numerals) only ever excuse the other
side's values.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

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
# superscript digits in extracted text are footnote markers: dropped before NFKC would make them digits
_SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
# a paragraph's own number or letter ("7.", "12)", "(a)") is not part of what it says
_ENUMERATION = re.compile(
    r"^\s*(?:(?:\(?\d{1,3}(?:\.\d{1,2})*[.)]|\(?[a-z]\)|[ivx]{1,5}\))(?=\s|[\u4e00-\u9fff])"
    r"|\d{1,3}(?:\.\d{1,3})+(?=\s))\s*"
)
_SYMBOL = re.compile(r"(?<![0-9A-Za-z/.])[A-Z][A-Za-z]*(?:\.[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)+")
_RESOLUTION = re.compile(r"(?<![0-9A-Za-z/.,])(\d{1,4})/(\d{1,4})(?:\s?([A-Z])(?![A-Za-z]))?(?![0-9A-Za-z/])")
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
_TWO_YEARS = re.compile(r"((?:19|20)\d\d)((?:19|20)\d\d)")
_FR_WORD_SEQ = re.compile(
    r"(?<![\w-])(?:{w})(?:(?:-|\s+)(?:et(?:-|\s+)(?=un|onz))?(?:{w}))*(?![\w])".format(
        w="|".join(sorted(_FR_ALL, key=len, reverse=True))
    ),
    re.I,
)
_ROMAN = re.compile(r"(?<![\w-])(?=[IVXLC]{2,}|[IVX])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?:e|er|ème)?(?![\w-])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass(frozen=True)
class Value:
    """One value found in a text: how it is shown, the keys the other side may look it up by (`keys`), the
    keys it is found by on the other side (`wants`, any one will do), whether it is reported when missing
    there, and where it was written."""

    shown: str
    keys: tuple[str, ...]
    wants: tuple[str, ...]
    strong: bool
    start: int
    end: int


def normalize(text: str) -> str:
    """Text as values are read from it: composed (NFC), footnote superscripts dropped, full-width forms and
    spaces folded, the paragraph's own leading number removed (offsets are those of the NFC text: removed
    characters become spaces)."""
    text = unicodedata.normalize("NFC", text)
    text = _SUPERSCRIPTS.sub(lambda m: " " * len(m.group()), text)
    text = "".join(ch if ch.isascii() else _fold(ch) for ch in text)
    m = _ENUMERATION.match(text)
    if m:
        text = " " * m.end() + text[m.end() :]
    return text


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch  # one character for one: offsets stay those of the text


def number_text(value: Decimal) -> str:
    """A number as shown: no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def parse_number(digits: str, decimals: str | None = None, scale: int = 1) -> Decimal | None:
    """Digits (spaces and commas grouping thousands), optional decimals, times a scale; None if unreadable."""
    try:
        value = Decimal(re.sub(r"[\s,]", "", digits) + ("." + decimals if decimals else ""))
    except InvalidOperation:
        return None
    return value * scale


def number_value(value: Decimal, start: int, end: int, strong: bool = True, raw: str = "") -> Value:
    """A number read from text."""
    shown = number_text(value)
    keys = ["n:" + shown]
    digits = re.sub(r"\D", "", raw or shown)
    if digits:
        keys.append("d:" + digits.lstrip("0"))  # 1,234 read as a decimal on one side, thousands on the other
    return Value(shown, tuple(keys), tuple(keys), strong, start, end)


def date_value(year: int | None, month: int, day: int | None, start: int, end: int) -> Value | None:
    """A date, a month of a year or a day of a month; None if impossible."""
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    if year is not None and day is not None:
        shown = f"{year:04d}-{month:02d}-{day:02d}"
        keys = ("t:" + shown, "p:" + shown[5:], "y:" + shown[:7], "n:" + str(year))
        return Value(shown, keys, keys[:1], True, start, end)
    elif year is not None:
        shown = f"{year:04d}-{month:02d}"
        keys = ("y:" + shown, "n:" + str(year))
    elif day is not None:
        shown = f"--{month:02d}-{day:02d}"
        keys = ("p:" + shown[2:],)
    else:
        return None
    return Value(shown, keys, keys[:1], True, start, end)


def time_value(hour: int, minute: int, start: int, end: int) -> Value | None:
    """A time of day; None if impossible."""
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    shown = f"{hour:02d}:{minute:02d}"
    # a whole hour may be a duration on the other side ("8 heures" / 8小时)
    keys = ("h:" + shown, f"h:{hour % 12:02d}:{minute:02d}") + (("n:" + str(hour),) if minute == 0 else ())
    return Value(shown, keys, keys, True, start, end)


def percent_value(value: Decimal, start: int, end: int) -> Value:
    """A percentage."""
    shown = number_text(value)
    keys = ("%:" + shown, "n:" + shown)
    return Value(shown + "%", keys, keys, True, start, end)


def _symbol_value(symbol: str, start: int, end: int) -> Value | None:
    key = symbol.upper()
    if not re.search(r"\d", key):
        return None
    keys = ["s:" + key]
    tail = re.search(r"/RES/(\d{1,4}/\d{1,4}[A-Z]?)$", key)  # A/RES/67/38, cited as "résolution 67/38"
    if tail:
        keys.append("s:" + tail.group(1))
        if tail.group(1)[-1].isalpha():
            keys.append("s:" + tail.group(1)[:-1])
    return Value(symbol, tuple(keys), tuple(keys[:2]), True, start, end)


def _day(text: str | None) -> int | None:
    if text is None:
        return None
    return 1 if text.lower() == "1er" else int(text)


class Spans:
    """The text's values in order, each character read once."""

    def __init__(self, text: str):
        self.text = text
        self.taken = bytearray(len(text))
        self.values: list[Value] = []

    def free(self, start: int, end: int) -> bool:
        """Whether no value was read from these characters yet."""
        return not any(self.taken[start:end])

    def add(self, start: int, end: int, *values: Value | None):
        """Record values read from a span (the span is taken even if none is valid)."""
        self.taken[start:end] = b"\x01" * (end - start)
        self.values.extend(v for v in values if v is not None)

    def scan(self, pattern: re.Pattern, read):
        """Read every free match of a pattern with `read(match) -> list of values`."""
        for m in pattern.finditer(self.text):
            if m.end() > m.start() and self.free(m.start(), m.end()):
                self.add(m.start(), m.end(), *read(m))

    def ordered(self) -> list[Value]:
        """Values in reading order."""
        return sorted(self.values, key=lambda v: v.start)


def read_symbols(spans: Spans):
    """Read document symbols (A/68/411) and resolution numbers (67/38, 56/24 T)."""
    spans.scan(_SYMBOL, lambda m: [_symbol_value(m.group(), m.start(), m.end())])

    def resolution(m):
        shown = f"{int(m.group(1))}/{int(m.group(2))}" + (m.group(3) or "")
        keys = ("s:" + shown,) + (("s:" + shown[:-1],) if m.group(3) else ())
        return [Value(shown, keys, keys[:1], True, m.start(), m.end())]

    spans.scan(_RESOLUTION, resolution)


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


def number_values(m, value: Decimal | None, raw: str) -> list[Value]:
    """The number a match wrote, or two years whose dash extraction lost."""
    if value is None:
        return []
    years = _TWO_YEARS.fullmatch(raw)
    if years and years.group(1) < years.group(2):  # "2014-2020" whose dash was lost in extraction
        return [number_value(Decimal(y), m.start(), m.end()) for y in years.groups()]
    return [number_value(value, m.start(), m.end(), raw=raw)]


def _french_fraction(m) -> list[Value]:
    above, below = _FR_WORDS[m.group(1).lower()] if m.group(1) else 1, _FRACTIONS[m.group(2).lower()]
    shown = f"{above}/{below}"
    percent = Decimal(100 * above) / below
    keys = ("s:" + shown,) + (("%:" + number_text(percent), "n:" + number_text(percent)) if below != 3 else ())
    return [Value(shown, keys, (), False, m.start(), m.end())]
