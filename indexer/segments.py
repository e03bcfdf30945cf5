"""Segments: the sentences of each stored paragraph (offsets into its text) and a hash of each one's
normalised text, kept in the catalog's `segments` table at build time; and the alignment of sentences inside
the one-to-one paragraph links tandem aligns (`sentence_links`, at build time too), so a sentence's
translation is a sentence.

Paragraphs that arrive aligned at the source (bitext lines, TMX units, linked UN Parallel Corpus sentences)
are one segment each: their alignment already is a segment alignment.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .sentences import sentence_spans

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00a0": " "})


def normalised(text: str) -> str:
    """A segment as compared for exact matches: NFKC, apostrophes and quotes of one kind, spaces collapsed
    (case, accents, words, numbers and punctuation kept)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r'\s*"\s*', '"', _SPACES.sub(" ", text))  # « texte » and "texte" alike
    return text.strip()


def segment_hash(text: str) -> int:
    """A signed 64-bit hash of a segment's normalised text (an SQLite integer)."""
    digest = hashlib.blake2b(normalised(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def paragraph_segments(text: str, lang: str, whole: bool) -> list[tuple[int, int]]:
    """A paragraph's segments as offsets: its sentences, or the paragraph whole (aligned at the source)."""
    if whole:
        stripped = text.strip()
        if not stripped:
            return []
        start = len(text) - len(text.lstrip())
        return [(start, start + len(stripped))]
    return sentence_spans(text, lang)


def store_segments(catalog, documents, keys: dict[str, int], whole: set[str]):
    """Store the segments of documents' paragraphs (keys by paragraph id; documents whose ids are in `whole`
    are aligned at the source: a paragraph is a segment)."""
    rows = []
    for doc in documents:
        for p in doc.paragraphs:
            spans = paragraph_segments(p.text, doc.lang, doc.id in whole)
            rows.extend((keys[p.id], seq, a, b, segment_hash(p.text[a:b])) for seq, (a, b) in enumerate(spans))
    catalog.db.executemany("INSERT INTO segments VALUES (?,?,?,?,?)", rows)


def store_sentence_links(catalog, pair_id: int, links: list[tuple[str, str]]):
    """Align the sentences of a pair's one-to-one paragraph links (paragraph ids) where both paragraphs hold
    several, and store which sentences of each translate each sentence of the other (sentence_links)."""
    ids = sorted({pid for link in links for pid in link})
    segs = segments_of(catalog, ids)
    keys = dict(_rows_in(catalog, "SELECT id, key FROM paragraphs WHERE id IN ({})", ids))
    rows = []
    for a, b in links:
        if len(segs[a]) < 2 or len(segs[b]) < 2:
            continue  # one sentence on either side: the paragraph is the sentence's translation
        for bead in align_sentences([y - x for x, y in segs[a]], [y - x for x, y in segs[b]]):
            exact = int(len(bead.a) == 1 and len(bead.b) == 1)
            for own, other, here, there in ((bead.a, bead.b, a, b), (bead.b, bead.a, b, a)):
                if other:
                    rows.extend((pair_id, keys[here], seq, keys[there], other[0], other[-1], exact) for seq in own)
    catalog.db.executemany("INSERT OR REPLACE INTO sentence_links VALUES (?,?,?,?,?,?,?)", rows)


def sentence_links(catalog, paragraph_id: str, seq: int, other_id: str) -> tuple[list[int], bool] | None:
    """The sentences of `other_id` aligned at build time with sentence `seq` of `paragraph_id` (indexes), and
    whether one to one; None when none were stored (a paragraph of one sentence on either side)."""
    row = catalog.db.execute(
        "SELECT l.first, l.last, l.exact FROM sentence_links l JOIN paragraphs p ON p.key = l.paragraph "
        "JOIN paragraphs o ON o.key = l.other WHERE p.id = ? AND l.seq = ? AND o.id = ?",
        (paragraph_id, seq, other_id),
    ).fetchone()
    return None if row is None else (list(range(row[0], row[1] + 1)), bool(row[2]))


def _rows_in(catalog, sql: str, values: list):
    for chunk in range(0, len(values), 500):  # SQLite bounds the parameters of one statement
        part = values[chunk : chunk + 500]
        yield from catalog.db.execute(sql.format(",".join("?" * len(part))), part)


def segments_of(catalog, paragraph_ids: list[str]) -> dict[str, list[tuple[int, int]]]:
    """The stored segments of paragraphs, offsets in order, by paragraph id."""
    out: dict[str, list[tuple[int, int]]] = {pid: [] for pid in paragraph_ids}
    sql = (
        "SELECT p.id, s.start, s.end FROM paragraphs p JOIN segments s ON s.paragraph = p.key "
        "WHERE p.id IN ({}) ORDER BY p.id, s.seq"
    )
    for row in _rows_in(catalog, sql, paragraph_ids):
        out[row[0]].append((row[1], row[2]))
    return out


def with_hash(catalog, text: str, lang: str, limit: int = 50) -> list[str]:
    """Ids of paragraphs of a language holding a segment whose normalised text is the text's."""
    rows = catalog.db.execute(
        "SELECT p.id FROM segments s JOIN paragraphs p ON p.key = s.paragraph JOIN documents d ON d.id = p.doc "
        "WHERE s.hash = ? AND d.lang = ? ORDER BY p.key LIMIT ?",
        (segment_hash(text), lang, limit),
    )
    return list(dict.fromkeys(r[0] for r in rows))


@dataclass(frozen=True)
class Bead:
    """Sentences of one paragraph aligned with sentences of its translation (indexes, either side may be empty)."""

    a: tuple[int, ...]
    b: tuple[int, ...]


# Sentence counts a bead may join, and what it costs beyond the length mismatch (1:1 is the rule).
_BEADS = {(1, 1): 0.0, (1, 2): 0.12, (2, 1): 0.12, (1, 0): 0.3, (0, 1): 0.3, (2, 2): 0.2, (1, 3): 0.25, (3, 1): 0.25}


def align_sentences(a_lengths: list[int], b_lengths: list[int]) -> list[Bead]:
    """Sentences of two aligned paragraphs paired by a monotone dynamic programme on their share of their
    paragraph's length (as Gale and Church align sentences, the paragraph pair already known)."""
    n, m = len(a_lengths), len(b_lengths)
    if n <= 1 or m <= 1:
        return [Bead(tuple(range(n)), tuple(range(m)))]
    ta, tb = sum(a_lengths) or 1, sum(b_lengths) or 1
    pa = [0.0]
    for x in a_lengths:
        pa.append(pa[-1] + x / ta)
    pb = [0.0]
    for x in b_lengths:
        pb.append(pb[-1] + x / tb)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for (di, dj), extra in _BEADS.items():
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                c = cost[i][j] + abs((pa[ni] - pa[i]) - (pb[nj] - pb[j])) + extra
                if c < cost[ni][nj]:
                    cost[ni][nj], back[ni][nj] = c, (di, dj)
    beads, i, j = [], n, m
    while i or j:
        di, dj = back[i][j]
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    return beads[::-1]
