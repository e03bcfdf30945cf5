"""Line-parallel bitexts in the UN Parallel Corpus / Moses layout: NAME.fr, NAME.zh, optional NAME.ids."""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import LANGUAGES, UNINDEXED, detect_lang
from ..documents import Document, Paragraph, document_id
from ..errors import CorpusError
from .units import Part, Unit, key_of

# Language suffixes a bitext may carry; those not indexed are passed over silently.
# a bitext's language files: the registry's languages, and a few others passed over silently beside them
BITEXT_LANGS = frozenset(LANGUAGES) | frozenset(UNINDEXED) | frozenset("pt ja ko it".split())
_IDS_DOC = re.compile(r"^(?:(\d{4})/)?(\S+)")
_SPACES = re.compile(r"\s+")


def group_bitexts(files: list[Path], root: Path, languages) -> tuple[list, list[Path]]:
    """Split files into bitext units (stems with two or more indexed language files) and the rest."""

    stems: dict[Path, dict[str, Path]] = {}
    for path in files:
        suffix = path.suffix[1:].lower()
        if suffix in BITEXT_LANGS or suffix == "ids":
            stems.setdefault(path.with_suffix(""), {})[suffix] = path
    units, used = [], set()
    for stem, members in stems.items():
        langs = {lang: p for lang, p in members.items() if lang in languages}
        if len(langs) < 2:
            continue
        units.append(
            Unit(
                key=key_of(stem, root),
                paths=sorted(langs.values()) + ([members["ids"]] if "ids" in members else []),
                format="bitext",
                langs=langs,
                ids=members.get("ids"),
            )
        )
        used.update(members.values())  # other languages of the bitext are passed over silently
    return units, [p for p in files if p not in used]


PART_ROWS = 5_000  # lines held at most before the documents they belong to are handed on in parts
SAMPLE_LINES = 200  # lines whose script tells a file's language


@dataclass
class Group:
    """One document of a parallel source (a bitext's .ids names it, a TMX's properties, a link file's link
    group) with its rows counted before reading them."""

    symbol: str | None
    year: int | None
    rows: int = 0
    last: int = 0  # the row number of its last row in the source
    symbols: dict[str, str] = field(default_factory=dict)  # a language's own symbol, where it differs
    dates: dict[str, str] = field(default_factory=dict)  # a language's document date (ISO), where known
    meta: dict[str, dict] = field(default_factory=dict)  # a language's document metadata, where known


@dataclass
class _Open:
    """A document being read: its lines not yet handed on, and how many were."""

    group: Group
    held: list[tuple[str, ...]] = field(default_factory=list)
    done: int = 0
    complete: bool = False


class RowStream:
    """Parallel rows (one text per language, rows of a document in order, documents possibly interleaved)
    read into documents in parts of at most PART_ROWS rows, each part aligned row to row. A subclass checks
    its source whole and counts each document's rows into `groups` when opened, and gives the rows again
    from `_rows()` when iterated: memory holds the document names, never the text."""

    format = "bitext"
    holds_names_only = True  # cheap to keep open from planning a build to reading it
    unit = None
    langs: list[str] = []
    groups: dict[str, Group] = {}

    def _rows(self) -> Iterator[tuple[str, ...]]:
        """(group key, text of each language in self.langs), row by row, in the order counted."""
        raise NotImplementedError

    def heads(self) -> Iterator[Document]:
        """The documents the bitext holds, without their paragraphs (for duplicate checks)."""
        for group in self.groups.values():
            for lang in self.langs:
                yield self._document(lang, group)

    def __iter__(self) -> Iterator[Part]:
        """The documents in parts, a document's parts in order; documents in the order they start, as far
        as holding at most PART_ROWS lines allows."""
        opened: dict[str, _Open] = {}  # in the order the documents start
        held = 0
        rows = self._rows()
        try:
            for row, (key, *texts) in enumerate(rows):
                doc = opened.get(key)
                if doc is None:
                    doc = opened[key] = _Open(self.groups[key])
                doc.held.append(tuple(texts))
                held += 1
                doc.complete = row == doc.group.last
                while opened:
                    first = next(iter(opened))
                    if not opened[first].complete:
                        break
                    done = opened.pop(first)
                    if done.held:  # else handed on whole already, held back by a document that started before
                        held -= len(done.held)
                        yield self._part(done)
                if held >= PART_ROWS:
                    for waiting in opened.values():
                        if waiting.held:
                            yield self._part(waiting)
                    held = 0
        except (ValueError, KeyError):  # zip(strict=True), self.groups: a file changed since it was checked
            opened = {"": None}
        if opened:
            raise CorpusError(f"the {self.format} changed while it was read")

    def _document(self, lang: str, group: Group) -> Document:
        symbol = group.symbols.get(lang, group.symbol)
        meta = dict(group.meta.get(lang, {}))
        if group.year:
            meta["year"] = group.year
        doc = Document(
            lang=lang,
            symbol=symbol,
            date=group.dates.get(lang),
            source=self.unit.key,
            format=self.format,
            meta=meta,
        )
        doc.id = document_id(lang, symbol or self.unit.key)
        return doc

    def _part(self, doc: _Open) -> Part:

        docs = []
        for i, lang in enumerate(self.langs):
            part = self._document(lang, doc.group)
            for k, texts in enumerate(doc.held, doc.done):
                text = _SPACES.sub(" ", texts[i]).strip()  # not " ".join(split()): a list of a huge line's words
                part.paragraphs.append(Paragraph(text=text, position=k, id=f"{part.id}.p{k}"))
            docs.append(part)
        rows = [(k, k) for k in range(len(doc.held))]
        aligned = [(a, b, rows) for a, b in itertools.combinations(docs, 2)]  # every pair of its languages
        out = Part(docs, offset=doc.done, total=doc.group.rows, aligned=aligned)
        doc.done += len(doc.held)
        doc.held = []
        return out


class BitextStream(RowStream):
    """A bitext checked whole (UTF-8 lines of the right languages, equal line counts, a valid .ids), then read
    again line by line when iterated, yielding its documents in parts of at most PART_ROWS lines. A bitext
    with one bad line is skipped whole, before any of it is indexed, the way a file that cannot be decoded
    is."""

    def __init__(self, unit, languages):
        self.unit = unit
        self.langs = [lang for lang in languages if lang in unit.langs]
        counts = {lang: _scan(path, lang) for lang, path in unit.langs.items()}
        if len(set(counts.values())) != 1:
            detail = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
            raise CorpusError(f"bitext line counts differ ({detail} lines)")
        self.lines = next(iter(counts.values()))
        self.groups = _plan(unit, self.lines)

    def _rows(self) -> Iterator[tuple[str, ...]]:
        files = [_lines(self.unit.langs[lang]) for lang in self.langs]
        return zip(self._row_keys(), *files, strict=True)

    def _row_keys(self) -> Iterator[str]:
        if self.unit.ids is None:
            return itertools.repeat(self.unit.key, self.lines)
        return (_ids_key(line) for line in _lines(self.unit.ids))


def _lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 file (BOM allowed) without their line ends, decoded one at a time."""
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                if b"\0" in raw:
                    raise CorpusError(f"{path.name} line {number}: binary data (NUL bytes), not text")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise CorpusError(
                        f"{path.name} line {number}: not UTF-8 (byte {exc.start + 1} of the line); "
                        "bitexts are read as UTF-8"
                    ) from None
                yield line[:-1] if line.endswith("\n") else line
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot read: {exc.strerror}") from None


def _scan(path: Path, lang: str) -> int:
    """Check one language file of a bitext (UTF-8 text in that language) and count its lines."""
    sample, n, blank = [], 0, True
    for line in _lines(path):
        n += 1
        if n <= SAMPLE_LINES:
            sample.append(line)
        if blank and line.strip():
            blank = False
    if blank:
        raise CorpusError(f"{path.name}: empty file")
    if detect_lang(" ".join(sample), tuple(LANGUAGES)) != lang:
        raise CorpusError(f"{path.name}: text is not {LANGUAGES[lang].name}")
    return n


_SUFFIX = re.compile(r"/(ADD|REV|CORR|AMEND)\.(\d+)")


def ids_symbol(path: str) -> str:
    """A UN symbol from an .ids path: "a/ac_105/1080/add_1" -> "A/AC.105/1080/Add.1" (ids write dots as _)."""
    symbol = path.strip("/").upper().replace("_", ".")
    return _SUFFIX.sub(lambda m: f"/{m.group(1).capitalize()}.{m.group(2)}", symbol)


def _ids_key(line: str) -> str:
    m = _IDS_DOC.match(line.strip())
    return ids_symbol(m.group(2)) if m else ""


def _plan(unit, n: int) -> dict[str, Group]:
    """The documents of a bitext and how many lines each has: from the .ids file when there is one (lines
    of a document need not be adjacent), else one document of every line."""
    if unit.ids is None:
        return {unit.key: Group(None, None, n, n - 1)}
    groups: dict[str, Group] = {}
    count = 0
    for row, line in enumerate(_lines(unit.ids)):
        count += 1
        m = _IDS_DOC.match(line.strip())
        if not m:
            raise CorpusError(f"{unit.ids.name} line {row + 1}: no document id")
        symbol = ids_symbol(m.group(2))
        group = groups.get(symbol)
        if group is None:
            group = groups[symbol] = Group(symbol, int(m.group(1)) if m.group(1) else None)
        group.rows += 1
        group.last = row
    if count != n:
        raise CorpusError(f"{unit.ids.name} has {count} lines, the texts {n}")
    return groups
