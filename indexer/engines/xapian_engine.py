"""Xapian behind the engine interface: local shard folders, or shards served by `xapian-tcpsrv`.

An index is a folder `xapian/` in the generation folder holding `shard-00`, `shard-01`, ... and a
manifest. A paragraph goes to the shard its document hashes to, so a document stays in one shard.
Searches see all shards as one database (Xapian merges statistics across them, so scores do not
depend on the number of shards).
"""

from __future__ import annotations

import json
import shutil
import zlib
from pathlib import Path

from ..errors import ConfigError, EngineUnavailable, IndexMissing, TandemError
from .base import IndexedParagraph
from .xapian_search import XapianSearcher
from .xapian_terms import boolean_term, document

FOLDER = "xapian"
MANIFEST = "manifest.json"
FORMAT = 1
DEFAULT_TIMEOUT_MS = 5_000


class Shard:
    """One shard: a label naming it in errors (folder or host:port) and how to open it for reading."""

    def __init__(
        self,
        label: str,
        path: Path | None = None,
        host: str | None = None,
        port: int = 0,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
    ):
        self.label, self.path, self.host, self.port, self.timeout_ms = label, path, host, port, timeout_ms

    def open(self):
        """A read-only Xapian database of this shard; EngineUnavailable when it cannot be opened."""
        import xapian

        try:
            if self.path is not None:
                return xapian.Database(str(self.path))
            # The timeout bounds every exchange with the server as well as the connection, so a server
            # that stops answering fails the search instead of hanging it.
            return xapian.remote_open(self.host, self.port, self.timeout_ms, self.timeout_ms)
        except (xapian.NetworkError, xapian.DatabaseError) as exc:
            raise EngineUnavailable(f"search shard {self.label} is unavailable: {exc}", shard=self.label) from exc


def shard_for(doc: str, shards: int) -> int:
    """The shard of a document: a stable hash (the same in every process and run)."""
    return zlib.crc32(doc.encode("utf-8")) % shards


class XapianWriter:
    """Adds and deletes paragraphs in every shard inside one transaction per shard: nothing is visible,
    or durable, until commit; cancel drops it all."""

    def __init__(self, paths: list[Path], checkpoint: int = 0):
        import xapian

        self._dbs = []
        self._paths = list(paths)
        self._added = 0
        self._existing = 0
        # Memory grows with the documents of an open transaction (~0.7 KB each with values and boolean
        # terms); a build, which writes an unpublished generation, commits every `checkpoint` documents.
        self._checkpoint, self._pending = checkpoint, 0
        try:
            for path in paths:
                db = xapian.WritableDatabase(str(path), xapian.DB_OPEN)
                self._dbs.append(db)
                self._existing += db.get_doccount()
                # Inside a transaction Xapian still writes changed blocks to disk every
                # XAPIAN_FLUSH_THRESHOLD documents (10 000 by default), so memory stays bounded,
                # but commits only at commit_transaction.
                db.begin_transaction(True)
        except xapian.DatabaseLockError as exc:
            self._close()
            raise TandemError(f"the Xapian index is being written by another process: {exc}") from exc

    def add(self, paragraph: IndexedParagraph) -> None:
        """Add one paragraph to its document's shard."""
        self._open_dbs()[shard_for(paragraph.doc, len(self._dbs))].add_document(document(paragraph))
        self._pending += 1
        self._added += 1
        if self._checkpoint and self._pending >= self._checkpoint:
            for db in self._dbs:
                db.commit_transaction()
                db.begin_transaction(True)
            self._pending = 0

    def delete_source(self, source: str) -> None:
        """Delete every paragraph read from a corpus unit, in every shard."""
        term = boolean_term("source", source)
        for db in self._open_dbs():
            db.delete_document(term)

    def commit(self) -> None:
        """Commit every shard (one after the other: a build writes a new generation, so a failure
        part-way leaves only an unused folder)."""
        for db in self._open_dbs():
            db.commit_transaction()
        self._close()
        if self._added > self._existing:
            # mostly new content (a full build): B-trees written in one go are left about a third empty;
            # compacting costs ~75 s per million paragraphs and shrinks the index by a third. Small updates
            # are not worth rewriting the whole shard for.
            for path in self._paths:
                compact(path)

    def cancel(self) -> None:
        """Drop every change since the writer opened."""
        for db in self._dbs:
            db.cancel_transaction()
        self._close()

    def _open_dbs(self):
        if not self._dbs:
            raise TandemError("this Xapian writer is closed (committed or cancelled)")
        return self._dbs

    def _close(self):
        for db in self._dbs:
            db.close()
        self._dbs = []


def compact(path: Path) -> None:
    """Rewrite a closed shard with full B-tree blocks, in place (through a sibling folder swapped in)."""
    import xapian

    fresh, old = path.with_name(path.name + ".compact"), path.with_name(path.name + ".old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    xapian.Database(str(path)).compact(str(fresh), xapian.DBCOMPACT_NO_RENUMBER)
    path.rename(old)
    fresh.rename(path)
    shutil.rmtree(old)


class XapianEngine:
    """One Xapian index: local shard folders (writable) or remote shards (read-only)."""

    name = "xapian"

    def __init__(self, shards: list[Shard], languages: tuple[str, ...] = (), writable: bool = False):
        self.shards = shards
        self.languages = languages
        self._writable = writable
        self._searchers: list[XapianSearcher] = []

    def writer(self, build_settings=None, expected: int = 0, checkpoint: int = 0) -> XapianWriter:
        """A writer over every shard (local indexes only); with `checkpoint`, changes become durable every
        that many paragraphs (cancel then drops only what follows the last checkpoint)."""
        if not self._writable:
            raise ConfigError("a remote Xapian index cannot be written here: build it where its shards live")
        return XapianWriter([s.path for s in self.shards], checkpoint)

    def searcher(self, pool_size: int | None = None) -> XapianSearcher:
        """A thread-safe searcher over the committed state. Local shards open now (a missing one raises
        EngineUnavailable); remote ones on first search, so that a server comes up while a shard is down
        and answers 503 naming it until the shard is back."""
        searcher = XapianSearcher(self.shards, pool_size, eager=self._writable)
        self._searchers.append(searcher)
        return searcher

    def close(self) -> None:
        """Close every searcher this engine made."""
        for searcher in self._searchers:
            searcher.close()
        self._searchers = []


class XapianKind:
    """Creates and opens Xapian indexes in generation folders, and opens remote ones."""

    name = "xapian"

    def exists(self, path: Path) -> bool:
        """Whether `path` holds a Xapian index."""
        return (Path(path) / FOLDER / MANIFEST).is_file()

    def create(self, path: Path, languages: tuple[str, ...], shards: int = 1) -> XapianEngine:
        """A new empty index of `shards` shards in `path`."""
        import xapian

        if shards < 1:
            raise ConfigError(f"a Xapian index needs at least one shard, not {shards}")
        root = Path(path) / FOLDER
        if (root / MANIFEST).exists():
            raise TandemError(f"{root} already holds a Xapian index")
        root.mkdir(parents=True, exist_ok=True)
        for i in range(shards):
            xapian.WritableDatabase(str(root / _shard_name(i)), xapian.DB_CREATE).close()
        manifest = {"format": FORMAT, "shards": shards, "languages": list(languages)}
        # Written last: an index exists only once every shard does.
        tmp = root / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        tmp.replace(root / MANIFEST)
        return self.open(path)

    def open(self, path: Path) -> XapianEngine:
        """The index in `path`."""
        root = Path(path) / FOLDER
        try:
            manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise IndexMissing(f"no Xapian index in {path}") from exc
        except ValueError as exc:
            raise IndexMissing(f"unreadable Xapian manifest in {root}: {exc}") from exc
        if manifest.get("format") != FORMAT:
            raise IndexMissing(
                f"the Xapian index in {root} has format {manifest.get('format')}, not {FORMAT}: rebuild it"
            )
        shards = [Shard(str(root / _shard_name(i)), path=root / _shard_name(i)) for i in range(manifest["shards"])]
        return XapianEngine(shards, tuple(manifest.get("languages", ())), writable=True)

    def open_remote(self, addresses: list[str], timeout_ms: int = DEFAULT_TIMEOUT_MS) -> XapianEngine:
        """Shards served by `xapian-tcpsrv`, given as "host:port", searched as one read-only index."""
        if not addresses:
            raise ConfigError("no Xapian shard address given")
        shards = []
        for address in addresses:
            host, port = parse_address(address)
            shards.append(Shard(address, host=host, port=port, timeout_ms=timeout_ms))
        return XapianEngine(shards)


def parse_address(address: str) -> tuple[str, int]:
    """("host", port) of "host:port" ("[::1]:port" for IPv6)."""
    host, sep, port = address.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"bad Xapian shard address {address!r}: expected host:port")
    return host, int(port)


def _shard_name(i: int) -> str:
    return f"shard-{i:02d}"
