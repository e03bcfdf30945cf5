"""Numbers, symbols and dates that do not agree between aligned French and Chinese paragraphs: a translation
check for a document and its translation, and, for a translation taken from another year's version, the
places where last year's text must be updated before it is reused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import Catalog, StoredPair
from .errors import NotFound
from .numbers import Value
from .numbers_fr import french_values
from .numbers_zh import chinese_values

_YEAR_AND_NOTE = re.compile(r"((?:19|20)\d\d)\d{1,2}")


@dataclass(frozen=True)
class Differences:
    """Values written on one side only, shown as canonical text (67/38, 2012-12-03, 68, 15%)."""

    only_fr: list[str]
    only_zh: list[str]

    def __bool__(self) -> bool:
        return bool(self.only_fr or self.only_zh)

    def as_dict(self) -> dict:
        """The JSON form."""
        return {"only_fr": self.only_fr, "only_zh": self.only_zh}


@dataclass(frozen=True)
class PairCheck:
    """One aligned paragraph pair (each side one or more paragraphs) whose values differ."""

    pair: StoredPair
    fr: list[dict]
    zh: list[dict]
    differences: Differences


def values(text: str, lang: str) -> list[Value]:
    """Values written in a text of a language ("fr" or "zh"), in reading order."""
    return chinese_values(text) if lang == "zh" else french_values(text)


def _keys(found: list[Value], notes: tuple[str, ...]) -> set[str]:
    keys = {k for v in found for k in v.keys}
    for v in found:  # a value that may end with a glued footnote marker is also found without it
        kind = v.keys[0][:2]
        keys.update(
            kind + v.shown[: -len(n)]
            for n in notes
            if kind in ("n:", "s:") and v.shown.endswith(n) and len(v.shown) > len(n)
        )
        year = _YEAR_AND_NOTE.fullmatch(v.shown) if kind == "n:" else None
        if year:  # a year and its footnote marker: "2014-20151"
            keys.add("n:" + year.group(1))
    return keys


def _covered(value: Value, keys: set[str], notes: tuple[str, ...]) -> bool:
    if any(k in keys for k in value.wants):
        return True
    if value.keys[0].startswith("t:"):
        # a full date against the same day written without its year, the year being given elsewhere
        return value.keys[1] in keys and value.keys[3] in keys
    kind = value.keys[0][:2]
    if kind == "n:":
        year = _YEAR_AND_NOTE.fullmatch(value.shown)
        if year and "n:" + year.group(1) in keys:  # a year and its footnote marker: "2014-20151"
            return True
    if kind in ("n:", "s:"):
        # a footnote marker of the paragraph glued to a value: "résolution 67/383" for 67/38 and note 3
        for note in notes:
            if value.shown == note and kind == "n:":
                return True
            if value.shown.endswith(note) and kind + value.shown[: -len(note)] in keys:
                return True
    return False


def _only(mine: list[Value], theirs: set[str], notes: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in mine:
        if v.strong and v.shown not in out and not _covered(v, theirs, notes):
            out.append(v.shown)
    return out


def differences(fr_text: str, zh_text: str, fr_notes=(), zh_notes=()) -> Differences:
    """Values a French text and its Chinese translation do not share, each in reading order."""
    fr, zh = values(fr_text, "fr"), values(zh_text, "zh")
    fr_notes, zh_notes = tuple(fr_notes), tuple(zh_notes)
    return Differences(_only(fr, _keys(zh, zh_notes), fr_notes), _only(zh, _keys(fr, fr_notes), zh_notes))


def paragraphs_differences(fr: list[dict], zh: list[dict]) -> Differences:
    """Differences between two sides of an aligned pair, each a list of catalog paragraph rows."""
    return differences(
        "\n".join(p["text"] for p in fr),
        "\n".join(p["text"] for p in zh),
        [n for p in fr for n in p.get("notes") or ()],
        [n for p in zh for n in p.get("notes") or ()],
    )


def check_pair(catalog: Catalog, pair: StoredPair) -> tuple[int, list[PairCheck]]:
    """A document pair's aligned paragraph pairs whose values differ, with the number of aligned pairs compared."""
    langs = {d: catalog.document(d)["lang"] for d in (pair.a, pair.b)}
    paras = {p["id"]: p for d in (pair.a, pair.b) for p in catalog.paragraphs_of(d)}
    compared, out = 0, []
    for link in catalog.links(pair.id):
        if not link["a"] or not link["b"]:
            continue
        sides = {langs[pair.a]: [paras[i] for i in link["a"]], langs[pair.b]: [paras[i] for i in link["b"]]}
        if set(sides) != {"fr", "zh"}:
            continue
        compared += 1
        found = paragraphs_differences(sides["fr"], sides["zh"])
        if found:
            out.append(PairCheck(pair, sides["fr"], sides["zh"], found))
    return compared, out


def check_document(catalog: Catalog, symbol: str) -> tuple[list[dict], int, list[PairCheck]]:
    """Every pair a symbol's documents are in, checked: (document rows, aligned pairs compared, differing pairs)."""
    docs = catalog.documents(symbol=symbol)
    if not docs:
        raise NotFound(f"no document {symbol}")
    pairs = {p.id: p for d in docs for p in catalog.pairs_of(d["id"])}
    compared, found = 0, []
    for pair in pairs.values():
        n, checks = check_pair(catalog, pair)
        compared += n
        found += checks
    return docs, compared, found
