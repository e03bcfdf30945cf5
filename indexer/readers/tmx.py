"""TMX 1.4b translation memories (`.tmx`, or `.tmx.gz`): each unit with a segment in each indexed language is
an aligned pair, streamed with iterparse whatever the file's size; units group into documents where their
properties or notes name one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..analysis import LANGUAGES, language_of_tag, tag_fold
from ..errors import CorpusError
from .bitext import Group, RowStream
from .sniff import open_maybe_gzip, reading_error

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline codes: what they hold is the native code of the tool that wrote the file (RTF, HTML), not text.
INLINE_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
# Property and note names that say which document a unit comes from, or when that document is dated.
DOCUMENT_NAMES = frozenset(
    {"symbol", "document", "doc", "docid", "doc-id", "document-id", "docname", "filename", "file", "source-file"}
)
DATE_NAMES = frozenset({"date", "docdate", "doc-date", "document-date"})
YEAR_NAMES = frozenset({"year", "docyear", "document-year"})
_NOTE = re.compile(r"\s*([\w.\-]+)\s*[:=]\s*(\S.*?)\s*$", re.S)
_DATE = re.compile(r"((?:19|20)\d\d)-?([01]\d)-?([0-3]\d)")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class _Unit:
    """One <tu>: its segments by language (first of each), and the document it names, by language."""

    segs: dict[str, str] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)  # every language tag seen, for messages
    docs: dict[str | None, str] = field(default_factory=dict)  # language (None: every language) -> document
    dates: dict[str | None, str] = field(default_factory=dict)
    years: dict[str | None, str] = field(default_factory=dict)


def seg_text(seg: ET.Element) -> str:
    """A segment's text: inline codes dropped with the native code they hold, <hi> and <sub> text kept."""
    if not len(seg):
        return seg.text or ""
    parts = [seg.text or ""]
    for child in seg:
        if _local(child.tag) not in INLINE_CODES:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _local(tag) -> str:
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag if "}" not in tag else tag.rsplit("}", 1)[1]


@lru_cache(maxsize=1024)
def _tag_language(tag: str) -> str | None:
    return language_of_tag(tag)


_tag_fold = lru_cache(maxsize=1024)(tag_fold)


def _name(kind: str) -> tuple[str | None, str]:
    """A property name as (language or None, name): "x-fr-symbol" -> ("fr", "symbol")."""
    name = kind.strip().lower().removeprefix("x-")
    first, _, rest = name.partition("-")
    lang = language_of_tag(first) if rest else None
    return (lang, rest) if lang else (None, name)


def _describe(unit: _Unit, lang: str | None, kind: str, value: str):
    value = " ".join(value.split())
    if not value:
        return
    if kind in DOCUMENT_NAMES:
        unit.docs.setdefault(lang, value)
    elif kind in DATE_NAMES:
        m = _DATE.search(value)
        if m:
            unit.dates.setdefault(lang, "-".join(m.groups()))
    elif kind in YEAR_NAMES and _YEAR.fullmatch(value):
        unit.years.setdefault(lang, value)


def _read_unit(tu: ET.Element, langs, texts: bool) -> _Unit:
    """A <tu> read: segment texts as indexed when `texts`, else only whether each holds text (a checking pass)."""
    unit = _Unit()
    for child in tu:
        tag = _local(child.tag)
        if tag == "tuv":
            lang_tag = child.get(XML_LANG) or child.get("lang") or ""
            unit.tags.add(lang_tag)
            lang = _tag_language(lang_tag)
            seg = None
            for part in child:
                kind = _local(part.tag)
                if kind == "seg":
                    seg = part
                elif kind in ("prop", "note"):
                    _describe_child(unit, part, lang)
            if lang in langs and lang not in unit.segs and seg is not None:
                text = seg_text(seg)
                if texts:
                    fold = _tag_fold(lang_tag)
                    unit.segs[lang] = " ".join((fold(text) if fold else text).split())
                else:
                    unit.segs[lang] = text.strip()
        elif tag in ("prop", "note"):
            _describe_child(unit, child, None)
    return unit


def _describe_child(unit: _Unit, child: ET.Element, lang: str | None):
    text = "".join(child.itertext())
    if _local(child.tag) == "prop":
        own, kind = _name(child.get("type") or "")
        _describe(unit, own or lang, kind, text)
    else:  # a note "document: A/RES/68/38" or "date = 2013-12-05"
        m = _NOTE.match(text)
        if m:
            own, kind = _name(m.group(1))
            _describe(unit, own or lang, kind, m.group(2))


def read_units(unit, langs, texts: bool = True) -> Iterator[_Unit]:
    """The <tu> of a TMX file in order, each cleared from memory once read (CorpusError if the file is not
    well-formed XML, a damaged gzip stream, or unreadable)."""
    path = unit.paths[0]
    try:
        with open_maybe_gzip(path) as fh:
            body = None
            for event, elem in ET.iterparse(fh, events=("start", "end")):
                if event == "start":
                    if body is None and _local(elem.tag) == "body":
                        body = elem
                elif _local(elem.tag) == "tu":
                    yield _read_unit(elem, langs, texts)
                    if body is not None:
                        body.clear()  # the units read so far: memory stays flat
    except ET.ParseError as exc:
        raise CorpusError(f"XML not well formed ({exc})") from None
    except (OSError, EOFError, ValueError) as exc:
        raise reading_error(exc) from None


class _Grouping:
    """Which document each unit belongs to (or why it is passed over): the same answers whenever the units are
    given again in the same order."""

    def __init__(self, langs: list[str]):
        self.langs = langs
        self.owner: dict[tuple[str, str], str] = {}  # (language, document) -> group key

    def key(self, unit: _Unit) -> tuple[str | None, str]:
        """(group key, "") for a unit to read, or (None, why it is passed over)."""
        if len(unit.segs) < len(self.langs):
            return None, "with one language only"
        if not all(unit.segs.values()):
            return None, "with an empty segment"
        names = {lang: unit.docs.get(lang) or unit.docs.get(None) for lang in self.langs}
        key = "\t".join(f"{lang}={names[lang] or ''}" for lang in self.langs)
        for lang, name in names.items():
            if name:
                known = self.owner.setdefault((lang, name), key)
                if known != key:
                    return None, "whose document is paired with another document before"
        return key, ""


def _languages_held(unit, languages: list[str]) -> list[str]:
    """The indexed languages a TMX's units hold most often (a unit of several <tuv> is read in all of them): one
    pass counting segments, made only when more than two languages are indexed."""
    counts: Counter = Counter()
    for tu in read_units(unit, languages, texts=False):
        if len(tu.segs) >= 2:
            counts.update(list(tu.segs))
    top = max(counts.values(), default=0)
    held = [lang for lang in languages if top and counts[lang] == top]
    if len(held) >= 2:
        return held
    ranked = sorted(counts, key=lambda lang: (-counts[lang], languages.index(lang)))
    return (held + [lang for lang in ranked if lang not in held])[:2] if len(ranked) >= 2 else languages[:2]


class TmxStream(RowStream):
    """A TMX file checked whole when opened (well-formed, holding units in the indexed languages), then read
    again unit by unit when iterated, its documents yielded in parts as bitexts are."""

    format = "tmx"

    def __init__(self, unit, languages):
        self.unit = unit
        self.langs = list(languages) if len(languages) <= 2 else _languages_held(unit, list(languages))
        self.groups: dict[str, Group] = {}
        grouping = _Grouping(self.langs)
        passed: Counter = Counter()
        tags: Counter = Counter()
        total = rows = 0
        for tu in read_units(unit, self.langs, texts=False):
            total += 1
            tags.update(t for t in tu.tags if t)
            key, why = grouping.key(tu)
            if key is None:
                passed[why] += 1
                continue
            group = self.groups.get(key)
            if group is None:
                group = self.groups[key] = self._group(tu)
            group.rows += 1
            group.last = rows
            rows += 1
        if not total:
            raise CorpusError("a TMX without translation units")
        if not rows:
            names = " and ".join(LANGUAGES[lang].name for lang in self.langs)
            seen = ", ".join(sorted(tags)) or "none"
            raise CorpusError(f"a TMX without {names} translation units ({total} units; language tags: {seen})")
        self.passed_over = ""
        if passed:
            detail = ", ".join(f"{n} {why}" for why, n in sorted(passed.items()))
            self.passed_over = f"{sum(passed.values())} of {total} translation units passed over: {detail}"

    def _group(self, tu: _Unit) -> Group:
        group = Group(symbol=tu.docs.get(None), year=None)
        for lang in self.langs:
            if tu.docs.get(lang):
                group.symbols[lang] = tu.docs[lang]
            date = tu.dates.get(lang) or tu.dates.get(None)
            if date:
                group.dates[lang] = date
            year = tu.years.get(lang) or tu.years.get(None) or (date[:4] if date else None)
            if year:
                group.meta[lang] = {"year": int(year)}
        return group

    def _rows(self) -> Iterator[tuple[str, ...]]:
        grouping = _Grouping(self.langs)
        for tu in read_units(self.unit, self.langs):
            key, _ = grouping.key(tu)
            if key is not None:
                yield (key, *(tu.segs[lang] for lang in self.langs))
