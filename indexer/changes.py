"""What a build must do to bring an index to a corpus: the files to read, to forget and to skip.

Of several files holding one document (its language and symbol), the first in path order is indexed and
the others are skipped, each saying which file holds the document; when that file goes or stops holding
it, the next one in path order is indexed. The rule depends on the corpus alone, never on what was indexed
before, so an incremental build ends in the index a full build of the same corpus gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import CorpusError
from .readers import Unit, UnitStream, open_unit

# Text of whole documents (a PDF, a Word file, a plain text) kept from planning to reading, so that each is
# read once: past it, a document is opened again when read (reading PDFs twice was half a build of PDFs).
KEEP_CHARS = 20_000_000


@dataclass(frozen=True)
class Skip:
    """A file passed over: its content hash, the reason, and (when another file holds its documents) the
    documents it holds, by id, with their labels ("A/RES/68/38 (fr)")."""

    sha: str
    reason: str
    docs: dict[str, str] | None = None


@dataclass
class Indexed:
    """A file of the index: its content hash and the ids of its documents."""

    sha: str
    docs: dict[str, str]  # document id -> label ("A/RES/68/38 (fr)")


@dataclass
class Changes:
    """The work of one build: indexed files to forget (gone, changed, no longer readable or now
    duplicates), files to read (with their ids, and their stream when it is worth keeping), every file
    skipped and why, and the counts a report gives."""

    forget: list[str] = field(default_factory=list)
    read: list[Unit] = field(default_factory=list)
    streams: dict[str, UnitStream | None] = field(default_factory=dict)
    doc_ids: dict[str, list[str]] = field(default_factory=dict)
    skips: dict[str, Skip] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # indexed before, skipped now (unreadable or a duplicate)
    unchanged: int = 0


def plan_changes(
    units: list[Unit],
    hashes: dict[str, str],
    indexed: dict[str, Indexed],
    skipped: dict[str, Skip],
    languages,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Changes:
    """The changes that bring an index holding `indexed` (and having passed over `skipped`) to the corpus
    `units` (hashed as `hashes`). New and changed files are opened to learn their documents; files skipped
    before whose reason still stands are not read again."""
    out = Changes()
    holder: dict[str, str] = {}  # document id -> the file that holds it in the index to be
    kept_chars = 0
    for i, unit in enumerate(sorted(units, key=lambda u: u.key)):
        progress(i + 1, len(units))
        key, sha = unit.key, hashes[unit.key]
        before = indexed.get(key)
        kept = before is not None and before.sha == sha
        old_skip = skipped.get(key) if not kept else None
        if kept:
            stream, labels = None, before.docs
        elif old_skip is not None and old_skip.sha == sha and old_skip.docs is None:
            stream, labels = None, CorpusError(old_skip.reason)  # unreadable before, unchanged since
        elif old_skip is not None and old_skip.sha == sha:
            stream, labels = None, old_skip.docs  # a duplicate before: opened only if it is indexed now
        else:
            stream, labels = _try_open(unit, languages)
        if not kept and stream is None and not isinstance(labels, CorpusError) and _first_taken(labels, holder) is None:
            stream, labels = _try_open(unit, languages)
        if isinstance(labels, CorpusError):
            out.skips[key] = Skip(sha, labels.message)
        elif (taken := _first_taken(labels, holder)) is not None:
            out.skips[key] = Skip(sha, _duplicate_reason(labels[taken], holder[taken]), labels)
        else:
            holder.update(dict.fromkeys(labels, key))
            if kept:
                out.unchanged += 1
                continue
            (out.changed if before is not None else out.added).append(key)
            out.read.append(unit)
            out.doc_ids[key] = list(labels)
            # a stream of parallel rows (bitext, TMX, link file) holds only its documents' names; a plain
            # document is held whole: kept while the documents kept stay under KEEP_CHARS, else opened again
            held = getattr(stream, "held_chars", None)
            if held is not None and kept_chars + held <= KEEP_CHARS:
                kept_chars += held
                out.streams[key] = stream
            else:
                out.streams[key] = stream if getattr(stream, "holds_names_only", False) else None
            if before is None:
                continue
        if before is not None:
            out.forget.append(key)
            if key in out.skips:
                out.dropped.append(key)
    out.removed = sorted(k for k in indexed if k not in hashes)
    out.forget = sorted(set(out.forget) | set(out.removed))
    return out


def _first_taken(labels: dict[str, str], holder: dict[str, str]) -> str | None:
    return next((doc_id for doc_id in labels if doc_id in holder), None)


def _try_open(unit: Unit, languages) -> tuple[UnitStream | None, dict[str, str] | CorpusError]:
    try:
        return _open(unit, languages)
    except CorpusError as exc:
        return None, exc


def _open(unit: Unit, languages) -> tuple[UnitStream, dict[str, str]]:
    """A unit opened, and its documents' labels by id; CorpusError if it cannot be read or holds one
    document twice."""
    stream = open_unit(unit, languages)
    labels: dict[str, str] = {}
    for doc in stream.heads():
        label = f"{doc.symbol or doc.id} ({doc.lang})"
        if doc.id in labels:
            raise CorpusError(f"holds document {label} twice")
        labels[doc.id] = label
    return stream, labels


def reopen(unit: Unit, languages, doc_ids: list[str]) -> UnitStream:
    """A planned unit opened again to be read; CorpusError if its documents are no longer those planned."""
    stream, labels = _open(unit, languages)
    if list(labels) != doc_ids:
        raise CorpusError("its documents are not those it held when the build started")
    return stream


def _duplicate_reason(label: str, holder: str) -> str:
    return (
        f"duplicate document {label}: {holder} holds it and is indexed (of the files holding one document, "
        "the first in path order is); this file is indexed when that one goes"
    )
