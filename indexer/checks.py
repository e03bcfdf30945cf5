"""Numbers, symbols and dates that do not agree between aligned paragraphs of two languages: a translation
check for a document and its translation, and, for a translation taken from another year's version, the
places where last year's text must be updated before it is reused."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .analysis import DEFAULT_LANGUAGES, LANGUAGES
from .catalog import Catalog, StoredPair
from .errors import NotFound
from .numbers import Value

_YEAR_AND_NOTE = re.compile(r"((?:19|20)\d\d)\d{1,2}")


@dataclass(frozen=True)
class Differences:
    """Values written on one side only, by language, shown as canonical text (67/38, 2012-12-03, 68, 15%)."""

    only: dict[str, list[str]]

    def __bool__(self) -> bool:
        return any(self.only.values())

    def as_dict(self) -> dict:
        """The JSON form: language code -> values written in that language only."""
        return {lang: list(found) for lang, found in self.only.items()}


@dataclass(frozen=True)
class PairCheck:
    """One aligned paragraph pair (each side one or more paragraphs, by language) whose values differ."""

    pair: StoredPair
    sides: dict[str, list[dict]]
    differences: Differences


def values(text: str, lang: str) -> list[Value]:
    """Values written in a text of a registered language, in reading order."""
    return LANGUAGES[lang].values(text)


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


def differences(
    a_text: str, b_text: str, a_notes=(), b_notes=(), a_lang=DEFAULT_LANGUAGES[0], b_lang=DEFAULT_LANGUAGES[1]
) -> Differences:
    """Values a text and its translation do not share, each in reading order."""
    a, b = values(a_text, a_lang), values(b_text, b_lang)
    a_notes, b_notes = tuple(a_notes), tuple(b_notes)
    return Differences({a_lang: _only(a, _keys(b, b_notes), a_notes), b_lang: _only(b, _keys(a, a_notes), b_notes)})


def paragraphs_differences(a: list[dict], b: list[dict], a_lang: str, b_lang: str) -> Differences:
    """Differences between two sides of an aligned pair, each a list of catalog paragraph rows."""
    return differences(
        "\n".join(p["text"] for p in a),
        "\n".join(p["text"] for p in b),
        [n for p in a for n in p.get("notes") or ()],
        [n for p in b for n in p.get("notes") or ()],
        a_lang,
        b_lang,
    )


def check_pair(catalog: Catalog, pair: StoredPair) -> tuple[int, list[PairCheck]]:
    """A document pair's aligned paragraph pairs whose values differ, with the number of aligned pairs compared."""
    langs = {d: catalog.document(d)["lang"] for d in (pair.a, pair.b)}
    paras = {p["id"]: p for d in (pair.a, pair.b) for p in catalog.paragraphs_of(d)}
    compared, out = 0, []
    for link in catalog.links(pair.id):
        if not link["a"] or not link["b"]:
            continue
        a, b = [paras[i] for i in link["a"]], [paras[i] for i in link["b"]]
        if langs[pair.a] == langs[pair.b]:
            continue
        compared += 1
        found = paragraphs_differences(a, b, langs[pair.a], langs[pair.b])
        if found:
            out.append(PairCheck(pair, {langs[pair.a]: a, langs[pair.b]: b}, found))
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
