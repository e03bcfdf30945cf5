"""A faster segment flush for Whoosh writers, with identical output.

When Whoosh writes a segment it looks up the field length of the document of every posting, reading
the lengths column one value at a time, and, for fields without lengths, checks the disk for the
column file each time. Reading each lengths column once into a list removes most of the cost of
committing (about a quarter of build time here); the values written are the same.
"""

from __future__ import annotations

from whoosh import writing
from whoosh.codec.whoosh3 import _lenfield

_installed = False
whoosh_flush_segment = writing.SegmentWriter._flush_segment  # Whoosh's own, kept for comparison


class _Lengths:
    """doc_field_length() served from whole columns read once."""

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


def _flush_segment(self):
    self.perdocwriter.close()
    pdr = self.per_document_reader() if self.codec.length_stats else None
    postings = self.pool.iter_postings()
    self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, postings)
    self.fieldwriter.close()
    if pdr:
        pdr.close()


def install():
    """Replace SegmentWriter._flush_segment (idempotent)."""
    global _installed
    if not _installed:
        writing.SegmentWriter._flush_segment = _flush_segment
        _installed = True
