"""Values that must survive translation unchanged, and the parts of reading them that both languages share.

A value is a number, a resolution or document symbol, a date, a time or a percentage. Each is found once (a
date's year is not also a number) and carries `keys`: the forms under which the other language may write it
(a date with or without its year, a time on a 12-hour clock, a symbol or its resolution number). A value is
`strong` when it is written so plainly that its absence on the other side is worth reporting; weak values
(number words such as "deux" or 三, roman numerals) only ever excuse the other side's values. French text is
read by `indexer.numbers_fr`, Chinese text by `indexer.numbers_zh`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# superscript digits in extracted text are footnote markers: dropped before NFKC would make them digits
_SUPERSCRIPTS = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
# a paragraph's own number or letter ("7.", "12)", "(a)") is not part of what it says
_ENUMERATION = re.compile(
    r"^\s*(?:(?:\(?\d{1,3}(?:\.\d{1,2})*[.)]|\(?[a-z]\)|[ivx]{1,5}\))(?=\s|[\u4e00-\u9fff])"
    r"|\d{1,3}(?:\.\d{1,3})+(?=\s))\s*"
)
_SYMBOL = re.compile(r"(?<![0-9A-Za-z/.])[A-Z][A-Za-z]*(?:\.[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)+")
_RESOLUTION = re.compile(r"(?<![0-9A-Za-z/.,])(\d{1,4})/(\d{1,4})(?:\s?([A-Z])(?![A-Za-z]))?(?![0-9A-Za-z/])")
_TWO_YEARS = re.compile(r"((?:19|20)\d\d)((?:19|20)\d\d)")


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


def number_values(m, value: Decimal | None, raw: str) -> list[Value]:
    """The number a match wrote, or two years whose dash extraction lost."""
    if value is None:
        return []
    years = _TWO_YEARS.fullmatch(raw)
    if years and years.group(1) < years.group(2):  # "2014-2020" whose dash was lost in extraction
        return [number_value(Decimal(y), m.start(), m.end()) for y in years.groups()]
    return [number_value(value, m.start(), m.end(), raw=raw)]
