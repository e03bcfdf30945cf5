"""Every use of Whoosh's private internals, in one module, for the Whoosh version pinned here.

tandem reads postings block by block into numpy arrays, reads field-length columns whole, and replaces
the segment flush with an output-identical faster one. These touch attributes Whoosh does not promise
to keep; `check()` fails loudly at startup if the installed Whoosh is not the version these were
written and tested against (tests/test_whoosh_internals.py proves their results equal Whoosh's own).
"""

from __future__ import annotations

from importlib.metadata import version

import numpy as np
from whoosh import writing
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from ...errors import TandemError

PINNED = "2.7.5"  # whoosh-reloaded; pyproject.toml pins the same
_BYTE_LENGTH = np.asarray([byte_to_length(i) for i in range(256)], dtype=np.float64)


def check():
    """Raise if the installed Whoosh is not the pinned version, or lacks an internal used here."""
    found = version("whoosh-reloaded")
    if found != PINNED:
        raise TandemError(f"whoosh-reloaded {found} is installed; tandem's Whoosh engine is written for {PINNED}")
    wanted = {
        W3LeafMatcher: ("_read_ids", "_read_weights", "_read_values", "_next_block", "_goto"),
        W3PerDocReader: ("_cached_reader",),
        writing.SegmentWriter: ("_flush_segment",),
    }
    missing = [f"{cls.__name__}.{name}" for cls, names in wanted.items() for name in names if not hasattr(cls, name)]
    if missing:
        raise TandemError(f"whoosh-reloaded {found} lacks internals tandem uses: {', '.join(missing)}")


def empty() -> tuple[np.ndarray, np.ndarray]:
    """No documents, no values."""
    return np.zeros(0, dtype=np.int64), np.zeros(0)


def leaves(searcher):
    """(leaf reader, document number offset) of each segment."""
    return searcher.reader().leaf_readers()


def deleted_docs(reader) -> np.ndarray:
    """Global numbers of the deleted documents of a reader."""
    out = [
        np.fromiter(leaf.deleted_docs_set, dtype=np.int64) + offset
        for leaf, offset in reader.leaf_readers()
        if leaf.has_deletions()
    ]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def field_lengths(searcher, fieldname: str, doc_count: int) -> np.ndarray:
    """Every document's length of a field (as Whoosh's scorer sees it: byte-quantised), read whole."""
    out = np.zeros(doc_count, dtype=np.float64)
    for leaf, offset in leaves(searcher):
        column = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            n = leaf.doc_count_all()
            out[offset : offset + n] = _BYTE_LENGTH[length_bytes(column, n)]
    return out


def length_bytes(column, n: int) -> np.ndarray:
    """The n byte-quantised lengths of a lengths column: its bytes read at once (one byte a document, those past
    the last written being the default 0), or value by value from a column of another layout."""
    if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1 and column._default == 0:
        written = np.frombuffer(column._dbfile.get(column._basepos, min(column._count, n)), dtype=np.uint8)
        return np.concatenate([written, np.zeros(n - written.size, dtype=np.uint8)]).astype(np.int64)
    return np.fromiter(column, dtype=np.int64, count=n)


def postings(searcher, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """All (document number, term frequency) of a term, deleted documents left out."""
    all_docs, all_tfs = [], []
    for leaf, offset in leaves(searcher):
        if (fieldname, text) not in leaf:
            continue
        m = leaf.postings(fieldname, text)
        deleted = None
        if isinstance(m, FilterMatcher):  # the segment has deletions
            deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
            m = m.child
        docs, tfs = _read_all(m)
        if deleted is not None and deleted.size:
            keep = ~np.isin(docs, deleted)
            docs, tfs = docs[keep], tfs[keep]
        all_docs.append(docs + offset)
        all_tfs.append(tfs)
    if not all_docs:
        return empty()
    return np.concatenate(all_docs), np.concatenate(all_tfs)


def positions(searcher, fieldname: str, word: str, docs: np.ndarray) -> list[list[int]]:
    """The positions of a term in each of `docs` (global numbers, ascending, all known to contain it);
    only the blocks holding those documents are decoded."""
    fmt = searcher.schema[fieldname].format
    out: list[list[int]] = [[] for _ in range(docs.size)]

    def read(m, at, into):
        m._read_values()
        for k, j in at:
            out[into + k] = fmt.decode_positions(m._values[j])

    _visit(searcher, fieldname, word, docs, read, lambda m, i: out.__setitem__(i, m.value_as("positions")))
    return out


def frequencies(searcher, fieldname: str, word: str, docs: np.ndarray) -> np.ndarray:
    """The term frequency of a term in each of `docs` (global numbers, ascending, all known to contain it), as
    postings() gives it; only the blocks holding those documents are decoded."""
    out = np.zeros(docs.size, dtype=np.float64)

    def read(m, at, into):
        m._read_weights()
        for k, j in at:
            out[into + k] = m._weights[j]

    _visit(searcher, fieldname, word, docs, read, lambda m, i: out.__setitem__(i, m.weight()))
    return out


def _visit(searcher, fieldname: str, word: str, docs: np.ndarray, read, read_one) -> None:
    """Call read(matcher, [(k, j)], start) for each postings block holding wanted documents: the k-th wanted
    document of the block, from `start` in `docs`, is the block's j-th posting; read_one(matcher, i) for the
    i-th of `docs` when a matcher has no blocks."""
    for leaf, offset in leaves(searcher):
        lo, hi = np.searchsorted(docs, [offset, offset + leaf.doc_count_all()])
        if lo == hi or (fieldname, word) not in leaf:
            continue
        wanted = docs[lo:hi] - offset
        m = leaf.postings(fieldname, word)
        if isinstance(m, FilterMatcher):
            m = m.child
        if not isinstance(m, W3LeafMatcher):
            while m.is_active():
                i = int(np.searchsorted(wanted, m.id()))
                if i < wanted.size and wanted[i] == m.id():
                    read_one(m, lo + i)
                m.next()
            continue
        below = 0  # blocks hold ascending ids: a block holds those after the one before's last, up to its own last
        while not m._atend and below <= wanted[-1]:
            first, last = np.searchsorted(wanted, [below, m.block_max_id() + 1])
            if first < last:  # only blocks holding a wanted document are decoded (a stop word's are many)
                m._read_ids()
                at = np.searchsorted(np.asarray(m._ids, dtype=np.int64), wanted[first:last])
                read(m, list(enumerate(at.tolist())), lo + first)
            below = m.block_max_id() + 1
            m._next_block()


def _read_all(m) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(m, W3LeafMatcher):  # whole blocks at a time
        ids, weights = [], []
        while not m._atend:
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float64))
            m._next_block()
        if not ids:
            return empty()
        return np.concatenate(ids), np.concatenate(weights)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)


# ---------------------------------------------------------------- a faster, output-identical segment flush

whoosh_flush_segment = writing.SegmentWriter._flush_segment  # Whoosh's own, kept for comparison


class _Lengths:
    """doc_field_length() served from whole columns read once.

    When Whoosh writes a segment it looks up the field length of the document of every posting,
    reading the lengths column one value at a time; reading each column once into a list removes
    most of the cost of committing (about a quarter of build time); the values written are the same."""

    def __init__(self, pdr):
        self._pdr = pdr
        self._columns: dict[str, list | None] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        """The length of a field in a document, as the per-document reader would give it."""
        try:
            column = self._columns[fieldname]
        except KeyError:
            column = self._columns[fieldname] = self._load(fieldname)
        if column is None:
            return default
        return column[docnum]

    def _load(self, fieldname):
        pdr = self._pdr
        if not pdr.has_column(_lenfield(fieldname)):
            return None
        count = pdr.doc_count_all()
        return [pdr.doc_field_length(d, fieldname, 0) for d in range(count)]


def fast_flush_segment(self):
    """SegmentWriter._flush_segment with lengths read per column."""
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    postings_ = self.pool.iter_postings()
    self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, postings_)
    self.fieldwriter.close()
    if pdr:
        pdr.close()


def install_fast_flush():
    """Make Whoosh writers in this process (and processes forked from it) use the faster flush."""
    writing.SegmentWriter._flush_segment = fast_flush_segment


def uninstall_fast_flush():
    """Restore Whoosh's own flush."""
    writing.SegmentWriter._flush_segment = whoosh_flush_segment


def writer_processes(writer) -> list:
    """The processes of a multiprocess writer (whoosh.multiproc.MpWriter.tasks), none for a plain writer."""
    return list(getattr(writer, "tasks", ()))
