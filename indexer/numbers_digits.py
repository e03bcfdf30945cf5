"""Values written in digits, in a language without a reader of its own number words (English, Spanish, Russian,
Arabic): symbols, dates whose month is named (its registry entry's month names), percentages and numbers.
A reader per language is built by `digit_reader` from what its registry entry says: its month names and its
decimal mark (a comma, whose thousands are then grouped with spaces or points, or a point, with commas)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from .numbers import Spans, Value, date_value, normalize, number_values, parse_number, percent_value, read_symbols

_PERCENT_WORDS = r"%|٪|per\s*cent\b|percent\b|por\s*ciento\b|процент\w*"


def digit_reader(months: tuple[str, ...], decimal: str = ".") -> Callable[[str], list[Value]]:
    """text -> its values, for a language writing the given month names (January first) and decimal mark."""
    names = {m.lower(): n for n, m in enumerate(months, 1)}
    month = "(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + ")" if names else None
    # day month [year] ("5 December 2013", "5 de diciembre de 2013", "5 декабря 2013 года"), month day, year
    # ("December 5, 2013"), month year ("December 2013"); another month name before a slash is its other name
    date = (
        re.compile(
            rf"(?<![\w])(\d{{1,2}})\s+(?:de\s+)?(?:[^\W\d]+(?:\s[^\W\d]+)?/)?{month}(?:\s+(?:de\s+)?(\d{{4}}))?(?!\d)"
            rf"|(?<![\w]){month}\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)"
            rf"|(?<![\w]){month}\s+(?:de\s+)?(\d{{4}})(?!\d)",
            re.I,
        )
        if month
        else None
    )
    thousands = r"[\s.]" if decimal == "," else r"[\s,]"
    number = re.compile(
        rf"(?<!\d[,.])(?<!\d)(\d{{1,3}}(?:{thousands}\d{{3}})+(?!\d)|\d+)(?:{re.escape(decimal)}(\d+))?(?![\d])"
    )
    percent = re.compile(rf"(?<![\d,.])(\d+(?:[.,]\d+)?)\s*(?:{_PERCENT_WORDS})", re.I)

    def read_date(m) -> list[Value | None]:
        if m.group(2):
            year = int(m.group(3)) if m.group(3) else None
            return [date_value(year, names[m.group(2).lower()], int(m.group(1)), m.start(), m.end())]
        if m.group(4):
            return [date_value(int(m.group(6)), names[m.group(4).lower()], int(m.group(5)), m.start(), m.end())]
        return [date_value(int(m.group(8)), names[m.group(7).lower()], None, m.start(), m.end())]

    def read_number(m) -> list[Value]:
        whole = re.sub(r"[\s.,]", "", m.group(1))
        return number_values(m, parse_number(whole, m.group(2)), m.group(1) + (m.group(2) or ""))

    def values(text: str) -> list[Value]:
        """Values written in the text, in reading order."""
        spans = Spans(normalize(text))
        read_symbols(spans)
        if date:
            spans.scan(date, read_date)
        spans.scan(percent, lambda m: [percent_value(Decimal(m.group(1).replace(",", ".")), m.start(), m.end())])
        spans.scan(number, read_number)
        return spans.ordered()

    return values
