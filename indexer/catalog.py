"""The catalog: an SQLite file beside the full-text index holding documents, paragraphs, document pairs
and paragraph links. Search returns paragraph ids; everything shown to a user is read from here."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from .analysis import fold
from .documents import Document, Paragraph

# Bumped whenever what a build writes changes: a server refuses, and a build fully rebuilds, another version's index.
SCHEMA_VERSION = "13"
SCHEMA = """
CREATE TABLE IF NOT EXISTS files(key TEXT PRIMARY KEY, sha TEXT NOT NULL, docs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skipped(key TEXT PRIMARY KEY, sha TEXT, reason TEXT NOT NULL, docs TEXT);
CREATE TABLE IF NOT EXISTS documents(
  id TEXT PRIMARY KEY, lang TEXT NOT NULL, symbol TEXT, date TEXT, year INTEGER, title TEXT,
  source TEXT NOT NULL, format TEXT NOT NULL, meta TEXT NOT NULL, paragraphs INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS documents_symbol ON documents(symbol);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS paragraphs(
  id TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, kind TEXT NOT NULL,
  number TEXT, notes TEXT NOT NULL, text TEXT NOT NULL, cuts TEXT, source TEXT NOT NULL DEFAULT 'text',
  key INTEGER NOT NULL,
  piece TEXT);  -- "k/n": part k of the n pieces a paragraph too long was cut into (indexer.splitting)
CREATE INDEX IF NOT EXISTS paragraphs_doc ON paragraphs(doc, position);
CREATE UNIQUE INDEX IF NOT EXISTS paragraphs_key ON paragraphs(key);
CREATE TABLE IF NOT EXISTS pairs(
  id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, relation TEXT NOT NULL,
  detail TEXT NOT NULL, method TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pairs_a ON pairs(a);
CREATE INDEX IF NOT EXISTS pairs_b ON pairs(b);
CREATE TABLE IF NOT EXISTS links(
  id INTEGER PRIMARY KEY, pair INTEGER NOT NULL, seq INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL,
  score REAL NOT NULL);
CREATE INDEX IF NOT EXISTS links_pair ON links(pair, seq);
CREATE TABLE IF NOT EXISTS link_members(paragraph TEXT NOT NULL, link INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS link_members_paragraph ON link_members(paragraph);
CREATE TABLE IF NOT EXISTS vocab(
  lang TEXT NOT NULL, word TEXT NOT NULL, folded TEXT NOT NULL, freq INTEGER NOT NULL,
  PRIMARY KEY(lang, word)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vocab_folded ON vocab(lang, folded);
CREATE TABLE IF NOT EXISTS info(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS segments(
  paragraph INTEGER NOT NULL, seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  hash INTEGER NOT NULL, PRIMARY KEY(paragraph, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS segments_hash ON segments(hash);
CREATE TABLE IF NOT EXISTS sentence_links(
  pair INTEGER NOT NULL, paragraph INTEGER NOT NULL, seq INTEGER NOT NULL, other INTEGER NOT NULL,
  first INTEGER NOT NULL, last INTEGER NOT NULL, exact INTEGER NOT NULL,
  PRIMARY KEY(paragraph, seq, other)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sentence_links_pair ON sentence_links(pair);
"""


@dataclass(frozen=True)
class StoredPair:
    """A document pair as recorded: which documents, how they relate, and how they were aligned."""

    id: int
    a: str
    b: str
    relation: str
    detail: dict
    method: str  # "bitext" (aligned at the source) or "aligned" (by tandem)


class Catalog:
    """Read and write access to one catalog file; cheap read connections, one per thread."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        if not readonly:
            self.db.executescript(SCHEMA)

    def close(self):
        """Close the connection."""
        self.db.close()

    def commit(self):
        """Commit pending writes."""
        self.db.commit()

    # ------------------------------------------------------------ files

    def files(self) -> dict[str, str]:
        """Indexed files (unit keys) and their content hashes."""
        return {r["key"]: r["sha"] for r in self.db.execute("SELECT key, sha FROM files")}

    def indexed_files(self) -> dict[str, tuple[str, dict[str, str]]]:
        """Indexed files (unit keys): their content hash and their documents, id -> label ("A/RES/68/38 (fr)")."""
        labels = {
            r["id"]: f"{r['symbol'] or r['id']} ({r['lang']})"
            for r in self.db.execute("SELECT id, symbol, lang FROM documents")
        }
        return {
            r["key"]: (r["sha"], {doc_id: labels.get(doc_id, doc_id) for doc_id in json.loads(r["docs"])})
            for r in self.db.execute("SELECT key, sha, docs FROM files")
        }

    def skipped(self) -> dict[str, tuple[str, str, dict[str, str] | None]]:
        """Files passed over at the last build: their hash, the reason, and the documents they hold by id with
        their labels where another file holds them (else None)."""
        return {
            r["key"]: (r["sha"], r["reason"], json.loads(r["docs"]) if r["docs"] is not None else None)
            for r in self.db.execute("SELECT * FROM skipped")
        }

    def set_skipped(self, key: str, sha: str | None, reason: str, docs: dict[str, str] | None = None):
        """Record why a file is not indexed (and, for a duplicate, the documents it holds)."""
        self.db.execute(
            "INSERT OR REPLACE INTO skipped VALUES (?,?,?,?)",
            (key, sha, reason, json.dumps(docs, ensure_ascii=False) if docs is not None else None),
        )

    def clear_skipped(self):
        """Forget every skipped file (a build records them all again)."""
        self.db.execute("DELETE FROM skipped")

    def file_docs(self, key: str) -> list[str]:
        """Ids of the documents a file produced."""
        row = self.db.execute("SELECT docs FROM files WHERE key=?", (key,)).fetchone()
        return json.loads(row["docs"]) if row else []

    def remove_file(self, key: str) -> list[str]:
        """Delete a file's documents, their paragraphs and every pair they are in; returns the doc ids."""
        doc_ids = self.file_docs(key)
        for doc_id in doc_ids:
            for pair in self.pairs_of(doc_id):
                self.delete_pair(pair.id)
            # sentences of indexer.segments, by paragraph key
            self.db.execute(
                "DELETE FROM segments WHERE paragraph IN (SELECT key FROM paragraphs WHERE doc=?)", (doc_id,)
            )
            self.db.execute("DELETE FROM paragraphs WHERE doc=?", (doc_id,))
            self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        self.db.execute("DELETE FROM files WHERE key=?", (key,))
        return doc_ids

    def set_file(self, key: str, sha: str, doc_ids: list[str]):
        """Record a file, its hash and the ids of the documents it holds (stored with add_document)."""
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?,?,?)", (key, sha, json.dumps(doc_ids)))

    def add_document(self, doc: Document, paragraphs: int):
        """Store a document's row; its paragraphs, `paragraphs` in all, come with add_paragraphs."""
        self.db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id,
                doc.lang,
                doc.symbol,
                doc.date,
                doc.year,
                doc.title,
                doc.source,
                doc.format,
                json.dumps(doc.meta, ensure_ascii=False),
                paragraphs,
            ),
        )

    def add_paragraphs(self, doc: Document, keys: dict[str, int], cuts: dict[str, str] | None = None):
        """Store the paragraphs a document holds (all of them, or a run of a document read in parts), with
        their keys (give_keys) and their word cuts (indexer.segmenter.encode_cuts) by paragraph id."""
        cuts = cuts or {}
        self.db.executemany(
            "INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    p.id,
                    doc.id,
                    p.position,
                    p.kind,
                    p.number,
                    json.dumps(p.notes),
                    p.text,
                    cuts.get(p.id),
                    p.source,  # "text", or "ocr": read from a page image, its text can be wrong
                    keys[p.id],
                    f"{p.piece[0]}/{p.piece[1]}" if p.piece else None,
                )
                for p in doc.paragraphs
            ],
        )

    def add_pieces(self, doc_id: str, count: int):
        """Count `count` more paragraphs in a document: the pieces its paragraphs too long were cut into."""
        self.db.execute("UPDATE documents SET paragraphs = paragraphs + ? WHERE id=?", (count, doc_id))

    def give_keys(self, count: int) -> int:
        """The first of `count` fresh paragraph keys, recorded as given (on the next commit): keys number
        paragraphs from 1 in the order they are indexed and are never given twice in one index, even once
        their paragraphs are gone (an engine may address paragraphs by them)."""
        first = int(self.info("last_key") or 0) + 1
        self.set_info("last_key", str(first + count - 1))
        return first

    def paragraph_ids(self, keys: list[int]) -> list[str | None]:
        """The ids of paragraphs by key, in the order asked (None for a key no paragraph has)."""
        found = dict(self._rows_in("SELECT key, id FROM paragraphs WHERE key IN ({})", keys))
        return [found.get(k) for k in keys]

    def has_document(self, doc_id: str) -> bool:
        """Whether a document id is taken."""
        return self.db.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    # ------------------------------------------------------------ reading documents

    def documents(self, limit: int | None = None, offset: int = 0, symbol: str | None = None) -> list[dict]:
        """Document rows ordered by symbol and language."""
        sql, args = "SELECT * FROM documents", []
        if symbol:
            sql += " WHERE upper(symbol)=upper(?)"
            args.append(symbol)
        sql += " ORDER BY coalesce(symbol, source), lang"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return [self._doc_row(r) for r in self.db.execute(sql, args)]

    def count_documents(self) -> int:
        """Number of documents."""
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document(self, doc_id: str) -> dict | None:
        """One document row."""
        row = self.db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        return self._doc_row(row) if row else None

    def documents_by_id(self, ids: list[str]) -> dict[str, dict]:
        """Document rows by id, in one read (ids not found are left out)."""
        return {r["id"]: self._doc_row(r) for r in self._rows_in("SELECT * FROM documents WHERE id IN ({})", ids)}

    def load_document(self, doc_id: str) -> Document:
        """A stored document rebuilt with its paragraphs (for aligning it again)."""
        row = self.document(doc_id)
        doc = Document(
            lang=row["lang"],
            symbol=row["symbol"],
            date=row["date"],
            title=row["title"],
            source=row["source"],
            format=row["format"],
            meta=row["meta"],
            id=row["id"],
        )
        for p in self.paragraphs_of(doc_id):
            doc.paragraphs.append(
                Paragraph(
                    text=p["text"],
                    kind=p["kind"],
                    number=p["number"],
                    notes=p["notes"],
                    position=p["position"],
                    id=p["id"],
                    source=p["source"],
                    piece=tuple(p["piece"]) if p["piece"] else None,
                )
            )
        return doc

    @staticmethod
    def _doc_row(row) -> dict:
        d = dict(row)
        d["meta"] = json.loads(d["meta"])
        return d

    def paragraphs_of(self, doc_id: str) -> list[dict]:
        """A document's paragraphs in order."""
        return [
            self._para_row(r)
            for r in self.db.execute("SELECT * FROM paragraphs WHERE doc=? ORDER BY position", (doc_id,))
        ]

    def paragraphs(self, ids: list[str]) -> dict[str, dict]:
        """Paragraph rows by id."""
        return {r["id"]: self._para_row(r) for r in self._rows_in("SELECT * FROM paragraphs WHERE id IN ({})", ids)}

    def _rows_in(self, sql: str, values: list):
        """The rows of `sql` whose "IN ({})" is filled with `values`, asked 500 at a time (SQLite bounds the
        parameters of one statement)."""
        for chunk in range(0, len(values), 500):
            part = values[chunk : chunk + 500]
            yield from self.db.execute(sql.format(",".join("?" * len(part))), part)

    @staticmethod
    def _para_row(row) -> dict:
        d = dict(row)
        del d["key"]  # the engine's address of the paragraph, not part of it
        d["notes"] = json.loads(d["notes"])
        d["piece"] = [int(n) for n in d["piece"].split("/")] if d["piece"] else None
        return d

    def paragraph_count(self) -> int:
        """Paragraphs stored (each one indexed once by a complete build)."""
        return self.db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]

    def paragraphs_by_document(self) -> dict[str, int]:
        """Each document's number of paragraphs, by document id."""
        return {r[0]: r[1] for r in self.db.execute("SELECT id, paragraphs FROM documents")}

    def stats(self) -> list[dict]:
        """Documents and paragraphs per language."""
        rows = self.db.execute(
            "SELECT lang, count(*) AS documents, sum(paragraphs) AS paragraphs "
            "FROM documents GROUP BY lang ORDER BY lang"
        )
        return [dict(r) for r in rows]

    # ------------------------------------------------------------ pairs and links

    def pairs(self) -> list[StoredPair]:
        """Every document pair."""
        return [self._pair(r) for r in self.db.execute("SELECT * FROM pairs ORDER BY id")]

    def pairs_of(self, doc_id: str) -> list[StoredPair]:
        """The pairs a document is in."""
        return [self._pair(r) for r in self.db.execute("SELECT * FROM pairs WHERE a=? OR b=?", (doc_id, doc_id))]

    def pair(self, pair_id: int) -> StoredPair:
        """One pair by id."""
        return self._pair(self.db.execute("SELECT * FROM pairs WHERE id=?", (pair_id,)).fetchone())

    @staticmethod
    def _pair(row) -> StoredPair:
        return StoredPair(row["id"], row["a"], row["b"], row["relation"], json.loads(row["detail"]), row["method"])

    def add_pair(
        self, a: str, b: str, relation: str, detail: dict, method: str, links: list[tuple[list[str], list[str], float]]
    ) -> int:
        """Store a document pair and its links (paragraph ids on each side, confidence), in order."""
        cur = self.db.execute(
            "INSERT INTO pairs(a, b, relation, detail, method) VALUES (?,?,?,?,?)",
            (a, b, relation, json.dumps(detail, ensure_ascii=False), method),
        )
        self.add_links(cur.lastrowid, links)
        return cur.lastrowid

    def add_links(self, pair_id: int, links: list[tuple[list[str], list[str], float]], start: int = 0):
        """Append links to a pair, numbered from `start` (for pairs stored in parts)."""
        for seq, (a_ids, b_ids, score) in enumerate(links, start):
            cur = self.db.execute(
                "INSERT INTO links(pair, seq, a, b, score) VALUES (?,?,?,?,?)",
                (pair_id, seq, json.dumps(a_ids), json.dumps(b_ids), float(score)),
            )
            if a_ids and b_ids:
                self.db.executemany(
                    "INSERT INTO link_members VALUES (?,?)", [(pid, cur.lastrowid) for pid in a_ids + b_ids]
                )

    def delete_pair(self, pair_id: int):
        """Remove a pair and its links."""
        self.db.execute("DELETE FROM link_members WHERE link IN (SELECT id FROM links WHERE pair=?)", (pair_id,))
        self.db.execute("DELETE FROM links WHERE pair=?", (pair_id,))
        self.db.execute("DELETE FROM sentence_links WHERE pair=?", (pair_id,))  # indexer.segments
        self.db.execute("DELETE FROM pairs WHERE id=?", (pair_id,))

    def links(self, pair_id: int) -> list[dict]:
        """A pair's links in document order: {"a": [ids], "b": [ids], "score"}."""
        return [
            {"a": json.loads(r["a"]), "b": json.loads(r["b"]), "score": r["score"]}
            for r in self.db.execute("SELECT * FROM links WHERE pair=? ORDER BY seq", (pair_id,))
        ]

    def translations(self, paragraph_ids: list[str], most: int | None = None) -> dict[str, list[dict]]:
        """For each paragraph id, its linked paragraphs on the other side (the first `most` of each link, and
        how many were left unread), its own side's ids, score and pair."""
        out: dict[str, list[dict]] = {pid: [] for pid in paragraph_ids}
        if not paragraph_ids:
            return out
        marks = ",".join("?" * len(paragraph_ids))
        rows = self.db.execute(
            f"SELECT m.paragraph, l.a, l.b, l.score, l.pair FROM link_members m JOIN links l ON l.id = m.link "
            f"WHERE m.paragraph IN ({marks})",
            paragraph_ids,
        ).fetchall()
        wanted, found = set(), []
        for r in rows:
            a, b = json.loads(r["a"]), json.loads(r["b"])
            own, other = (a, b) if r["paragraph"] in a else (b, a)
            wanted.update(other[:most])
            found.append((r["paragraph"], own, other, r["score"], r["pair"]))
        paras = self.paragraphs(sorted(wanted))
        pair_ids = sorted({pair_id for *_, pair_id in found})
        pairs = {r["id"]: self._pair(r) for r in self._rows_in("SELECT * FROM pairs WHERE id IN ({})", pair_ids)}
        for pid, own, other, score, pair_id in found:
            out[pid].append(
                {
                    "paragraphs": [paras[o] for o in other[:most] if o in paras],
                    "unread": len(other[most:]) if most is not None else 0,
                    "own": own,  # the paragraph's side of the link: itself, or with its neighbours in a 2:1 link
                    "score": score,
                    "pair": pairs[pair_id],
                }
            )
        return out

    # ------------------------------------------------------------ vocabulary

    def count_words(self, lang: str, counts: dict[str, int]):
        """Add (or, with negative counts, remove) word occurrences to a language's vocabulary."""
        self.db.executemany(
            "INSERT INTO vocab VALUES (?,?,?,?) ON CONFLICT(lang, word) DO UPDATE SET freq = freq + excluded.freq",
            [(lang, w, fold(w), n) for w, n in counts.items()],
        )
        if any(n < 0 for n in counts.values()):
            self.db.execute("DELETE FROM vocab WHERE lang=? AND freq <= 0", (lang,))

    def words_with_prefix(self, lang: str, prefix: str, limit: int = 512) -> list[str]:
        """Vocabulary words whose accent-folded form starts with `prefix` (folded), most frequent first."""
        rows = self.db.execute(
            "SELECT word FROM vocab WHERE lang=? AND folded >= ? AND folded < ? ORDER BY freq DESC LIMIT ?",
            (lang, prefix, prefix + "\U0010ffff", limit),
        )
        return [r["word"] for r in rows]

    def similar_words(self, lang: str, word: str) -> list[tuple[str, int]]:
        """Candidate corrections: vocabulary words of about the same length sharing the first letter."""
        folded = fold(word)
        rows = self.db.execute(
            "SELECT word, freq FROM vocab WHERE lang=? AND folded >= ? AND folded < ? "
            "AND length(folded) BETWEEN ? AND ?",
            (lang, folded[:1], folded[:1] + "\U0010ffff", len(folded) - 2, len(folded) + 2),
        )
        return [(r["word"], r["freq"]) for r in rows]

    def set_info(self, key: str, value: str):
        """Store a build fact (schema version, build time)."""
        self.db.execute("INSERT OR REPLACE INTO info VALUES (?,?)", (key, value))

    def info(self, key: str) -> str | None:
        """A stored build fact."""
        row = self.db.execute("SELECT value FROM info WHERE key=?", (key,)).fetchone()
        return row["value"] if row else None


class KeyLookup:
    """Paragraph ids by key (Catalog.paragraph_ids) for searches on many threads: a read connection per
    thread, all closed by close()."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._opened: list[Catalog] = []
        self._lock = threading.Lock()

    def __call__(self, keys: list[int]) -> list[str | None]:
        """The ids of paragraphs by key, in the order asked (None for a key no paragraph has)."""
        catalog = getattr(self._local, "catalog", None)
        if catalog is None:
            catalog = self._local.catalog = Catalog(self.path, readonly=True)
            with self._lock:
                self._opened.append(catalog)
        return catalog.paragraph_ids(keys)

    def close(self) -> None:
        """Close every connection opened (a thread still holding one gets an error on its next use)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for catalog in opened:
            catalog.close()
