"""Values written in Chinese text: digits, Chinese numerals, dates, times, percentages and fractions.

Digits take 万 and 亿, numerals are read as numbers (第六十八届), dates are written with 年月日 and their ranges,
times on the 12-hour clock (下午3时), percentages with % or 百分之 (百分之五十) and fractions with 分之 (三分之一).
The value model and the readers shared with French are in `indexer.numbers`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .numbers import (
    Spans,
    Value,
    date_value,
    normalize,
    number_value,
    number_values,
    parse_number,
    percent_value,
    read_symbols,
    time_value,
)

_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}

_ZH_DATE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*(?:日\s*)?(?:至|到|-|–|和|、)\s*"
    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日|(\d{1,2})\s*日)?|(\d{4})\s*年"
)
_ZH_TIME = re.compile(r"(上午|下午|晚上|中午)?\s*(\d{1,2})\s*时(?:\s*(\d{1,2})\s*分)?")
_ZH_PERCENT = re.compile(r"(?<!\d\.)(?<!\d)(\d+(?:\.\d+)?)\s*%|百分之([零〇一二两三四五六七八九十百千点]+)")
_ZH_NUMBER = re.compile(r"(?<!\d[,.])(?<!\d)(\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.(\d+))?(?:\s*[多余]?\s*([万亿]))?(?!\d)")
_ZH_MONTHS = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?\s*[-–至到和、及]\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_EN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        )
    )
}
# Chinese extractions keep English dates from the page header: "6 February 2015"
_EN_DATE = re.compile(r"(?<![\w])(\d{1,2})\s+(" + "|".join(_EN_MONTHS) + r")\s+(\d{4})(?!\d)", re.I)
_ZH_FRACTION = re.compile(r"([零〇一二两三四五六七八九十百]+)分之([零〇一二两三四五六七八九十]+)(?!\s*[%点])")
_ZH_ITEM = re.compile("[\u3220-\u3229]")
_ZH_NUMERAL = re.compile(r"(第)?([零〇一二两三四五六七八九十百千万亿]+)")


def _chinese_fraction(m) -> list[Value]:
    below, above = chinese_numeral(m.group(1)), chinese_numeral(m.group(2))
    if not below or above is None:
        return []
    return [Value(f"{above}/{below}", (f"s:{above}/{below}",), (), False, m.start(), m.end())]


def chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral (三, 六十八, 二〇一二, 一万五千), or None."""
    if not text or any(ch not in _ZH_DIGITS and ch not in _ZH_UNITS and ch not in _ZH_BIG for ch in text):
        return None
    if all(ch in _ZH_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))  # digit by digit: 二〇一二
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            number = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (number or 1) * _ZH_UNITS[ch]
            number = 0
        else:
            section += number
            total = (total + section) * _ZH_BIG[ch] if ch == "亿" else total + (section or 1) * _ZH_BIG[ch]
            section, number = 0, 0
    return total + section + number


def chinese_values(text: str) -> list[Value]:
    """Values written in a Chinese text, in reading order."""
    spans = Spans(normalize(text))
    read_symbols(spans)

    def date(m):
        if m.group(7):
            return [number_value(Decimal(m.group(7)), m.start(), m.end())]
        year = int(m.group(1)) if m.group(1) else None
        month = int(m.group(2))
        if m.group(5):  # 2012年8月26日至31日, 2014年7月29至31日
            return [
                date_value(year, month, int(m.group(3)), m.start(), m.end()),
                date_value(year, int(m.group(4)) if m.group(4) else month, int(m.group(5)), m.start(), m.end()),
            ]
        return [date_value(year, month, int(m.group(6)) if m.group(6) else None, m.start(), m.end())]

    spans.scan(
        _ZH_MONTHS, lambda m: [date_value(int(m.group(1)), int(m.group(k)), None, m.start(), m.end()) for k in (2, 3)]
    )
    spans.scan(
        _EN_DATE,
        lambda m: [date_value(int(m.group(3)), _EN_MONTHS[m.group(2).lower()], int(m.group(1)), m.start(), m.end())],
    )
    spans.scan(_ZH_DATE, date)

    def time(m):
        hour = int(m.group(2))
        if m.group(1) in ("下午", "晚上") and hour < 12:
            hour += 12
        return [time_value(hour, int(m.group(3) or 0), m.start(), m.end())]

    spans.scan(_ZH_TIME, time)

    def percent(m):
        if m.group(1):
            return [percent_value(Decimal(m.group(1)), m.start(), m.end())]
        whole, _, frac = m.group(2).replace("点", ".", 1).partition(".")
        value = chinese_numeral(whole)
        if value is None:
            return []
        decimals = "".join(str(_ZH_DIGITS.get(ch, "")) for ch in frac)
        return [percent_value(Decimal(f"{value}.{decimals}" if decimals else value), m.start(), m.end())]

    spans.scan(_ZH_PERCENT, percent)

    def number(m):
        value = parse_number(m.group(1), m.group(2), _ZH_BIG[m.group(3)] if m.group(3) else 1)
        return number_values(m, value, m.group(1) + (m.group(2) or ""))

    spans.scan(_ZH_FRACTION, _chinese_fraction)
    spans.scan(_ZH_NUMBER, number)

    def numeral(m):
        value = chinese_numeral(m.group(2))
        if value is None:
            return []
        # 第六十八届 is as plain as "68"; bare numerals hide in words (一些, 统一, 十分) and only excuse
        return [number_value(Decimal(value), m.start(), m.end(), strong=bool(m.group(1)) and value >= 11)]

    spans.scan(_ZH_NUMERAL, numeral)
    # ㈠ ... ㈩: numbered items, as the French "paragraphe 2"
    spans.scan(_ZH_ITEM, lambda m: [number_value(Decimal(ord(m.group()) - 0x321F), m.start(), m.end(), strong=False)])
    return spans.ordered()
