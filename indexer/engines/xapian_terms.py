"""How a paragraph becomes a Xapian document: term prefixes, value slots and the document itself.

Every term carries a prefix naming its field and ending in ":", so that a term of any text (upper case,
digits, any script) can never be mistaken for another field's: "XTFR:paix", "XK:resolution", "Qfr-12".
"""

from __future__ import annotations

import hashlib

from .base import IndexedParagraph

MAX_TERM_BYTES = 245  # Xapian's limit for glass databases

# Metadata fields stored as boolean terms (unscored, wdf 0), for filters and deletion.
BOOLEAN_PREFIXES = {
    "id": "Q",  # Xapian's convention for the unique id term
    "doc": "XD:",
    "source": "XS:",
    "lang": "XL:",
    "kind": "XK:",
    "symbol": "XY:",
    "number": "XN:",
}

# Value slots: sortable numbers for ranges and sorting, plain strings for facet counts.
SLOT_DATE = 0
SLOT_YEAR = 1
# Facets sharing a slot, their values joined in this order: a match spy costs one value read per match,
# so the facets with few values are counted together and split afterwards; symbols, with as many values as
# documents, keep a slot of their own.
FACET_GROUPS = {2: ("year", "kind", "lang"), 3: ("symbol",)}
FACET_SLOTS = {name: slot for slot, names in FACET_GROUPS.items() for name in names}
FACET_JOIN = "\x1f"

# Sample terms: "XZ:n" marks about one paragraph in 2**n, chosen by a hash of its key, so a query filtered by
# one of them sees a sample of its matches spread over the whole index rather than its first document
# numbers (which follow indexing order, and with it years and documents). Facets past the exact count are
# estimated from such a sample. A paragraph holding "XZ:n" holds every lower level too: about one extra
# term per paragraph.
SAMPLE_PREFIX = "XZ:"
SAMPLE_LEVELS = 16
_MASK64 = (1 << 64) - 1


def sample_level(key: int) -> int:
    """The deepest sample level of a paragraph key (0 to SAMPLE_LEVELS): trailing zero bits of its hash."""
    # splitmix64's finaliser: every bit of the key moves every bit of the hash
    h = (key + 0x9E3779B97F4A7C15) & _MASK64
    h = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    h = ((h ^ (h >> 27)) * 0x94D049BB133111EB) & _MASK64
    h ^= h >> 31
    if h == 0:
        return SAMPLE_LEVELS
    return min(SAMPLE_LEVELS, (h & -h).bit_length() - 1)


def sample_term(level: int) -> str:
    """The term marking the paragraphs of sample level `level` or deeper (about one in 2**level)."""
    return f"{SAMPLE_PREFIX}{level}"


def text_prefix(field: str) -> str:
    """The term prefix of an analysed text field: "text_fr" -> "XTFR:"."""
    return "XT" + field.removeprefix("text_").upper() + ":"


def text_term(field: str, text: str) -> str | None:
    """The indexed term of an analysed word, or None when Xapian cannot hold it (too long)."""
    term = text_prefix(field) + text
    return term if len(term.encode("utf-8")) <= MAX_TERM_BYTES else None


def boolean_term(field: str, value) -> str:
    """The boolean term of a metadata value; values too long for a term are replaced by their digest,
    the same way when indexing and when filtering."""
    prefix = BOOLEAN_PREFIXES[field]
    term = prefix + str(value)
    if len(term.encode("utf-8")) > MAX_TERM_BYTES:
        term = prefix + "#" + hashlib.sha1(str(value).encode("utf-8")).hexdigest()
    return term


def document(p: IndexedParagraph):
    """The Xapian document of one paragraph; its data is the paragraph id."""
    import xapian

    doc = xapian.Document()
    doc.set_data(p.id)
    prefix = text_prefix(p.field)
    for text, pos in p.tokens:
        term = prefix + text
        if len(term.encode("utf-8")) <= MAX_TERM_BYTES:
            # Positions from 1, as Xapian's own term generator numbers them.
            doc.add_posting(term, pos + 1)
    for name in BOOLEAN_PREFIXES:
        value = getattr(p, name)
        if value != "":
            doc.add_boolean_term(boolean_term(name, value))
    for level in range(1, sample_level(p.key) + 1):
        doc.add_boolean_term(sample_term(level))
    doc.add_value(SLOT_DATE, xapian.sortable_serialise(p.date))
    doc.add_value(SLOT_YEAR, xapian.sortable_serialise(p.year))
    # Unknown values (0, "") are left empty, so they are never counted.
    for slot, names in FACET_GROUPS.items():
        values = [str(v) if v not in ("", 0) else "" for v in (getattr(p, name) for name in names)]
        if any(values):
            doc.add_value(slot, FACET_JOIN.join(values))
    return doc
