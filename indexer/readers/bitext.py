"""Line-parallel bitexts in the UN Parallel Corpus / Moses layout: NAME.fr, NAME.zh, optional NAME.ids."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis import LANGUAGES, detect_lang
from ..documents import Document, Paragraph
from ..errors import CorpusError

if TYPE_CHECKING:  # the package imports this module lazily, so import its types only for checkers
    from . import Reading

# Language suffixes a bitext may carry; those not indexed are passed over silently.
BITEXT_LANGS = frozenset("ar en es fr ru zh de pt ja ko it".split())
_IDS_DOC = re.compile(r"^(?:(\d{4})/)?(\S+)")


def group_bitexts(files: list[Path], root: Path, languages) -> tuple[list, list[Path]]:
    """Split files into bitext units (stems with two or more indexed language files) and the rest."""
    from . import Unit, key_of

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
        units.append(Unit(key=key_of(stem, root), paths=sorted(langs.values()) + (
            [members["ids"]] if "ids" in members else []), format="bitext", langs=langs, ids=members.get("ids")))
        used.update(members.values())  # other languages of the bitext are passed over silently
    return units, [p for p in files if p not in used]


def read_bitext(unit, languages) -> Reading:
    """Documents and their line alignment from a bitext unit; lines are grouped by document with .ids."""
    from . import Reading, read_text

    lines: dict[str, list[str]] = {}
    for lang, path in unit.langs.items():
        text = read_text(path)
        lines[lang] = text.split("\n")
        if lines[lang] and lines[lang][-1] == "":
            lines[lang].pop()
        sample = " ".join(lines[lang][:200])
        if detect_lang(sample, tuple(LANGUAGES)) != lang:
            raise CorpusError(f"{path.name}: text is not {LANGUAGES[lang].name}")
    counts = {lang: len(v) for lang, v in lines.items()}
    if len(set(counts.values())) != 1:
        detail = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
        raise CorpusError(f"bitext line counts differ ({detail} lines)")
    n = next(iter(counts.values()))
    groups = _groups(unit, n)
    langs = [lang for lang in languages if lang in lines]
    reading_docs, aligned = [], []
    for key, (symbol, year, rows) in groups.items():
        docs = {}
        for lang in langs:
            doc = Document(lang=lang, symbol=symbol, source=unit.key, format="bitext",
                           meta={"year": year} if year else {})
            for row in rows:
                doc.paragraphs.append(Paragraph(text=" ".join(lines[lang][row].split())))
            docs[lang] = doc.finalize()
            reading_docs.append(docs[lang])
        a, b = langs[0], langs[1]
        pairs = [(i, i) for i in range(len(rows))]
        aligned.append((docs[a], docs[b], pairs))
    return Reading(reading_docs, aligned)


_SUFFIX = re.compile(r"/(ADD|REV|CORR|AMEND)\.(\d+)")


def ids_symbol(path: str) -> str:
    """A UN symbol from an .ids path: "a/ac_105/1080/add_1" -> "A/AC.105/1080/Add.1" (ids write dots as _)."""
    symbol = path.strip("/").upper().replace("_", ".")
    return _SUFFIX.sub(lambda m: f"/{m.group(1).capitalize()}.{m.group(2)}", symbol)


def _groups(unit, n: int) -> dict[str, tuple[str | None, int | None, list[int]]]:
    """Line numbers per document: from the .ids file when there is one, else the whole file."""
    from . import read_text

    if unit.ids is None:
        return {unit.key: (None, None, list(range(n)))}
    ids = read_text(unit.ids).split("\n")
    if ids and ids[-1] == "":
        ids.pop()
    if len(ids) != n:
        raise CorpusError(f"{unit.ids.name} has {len(ids)} lines, the texts {n}")
    groups: dict[str, tuple[str | None, int | None, list[int]]] = {}
    for row, line in enumerate(ids):
        m = _IDS_DOC.match(line.strip())
        if not m:
            raise CorpusError(f"{unit.ids.name} line {row + 1}: no document id")
        year, path = m.group(1), m.group(2)
        symbol = ids_symbol(path)
        entry = groups.setdefault(symbol, (symbol, int(year) if year else None, []))
        entry[2].append(row)
    return groups
