"""Writing a Xapian index: one transaction per shard, in this process or, for big builds, in a child
process of its own.

Xapian keeps the interpreter lock while it adds a document, and adding is most of a big build's work: in a
child process it runs on the second core while the build reads, keeps the catalog and makes the next
documents. The build sends the child its documents serialised, a batch at a time.
"""

from __future__ import annotations

import multiprocessing
import shutil
import zlib
from pathlib import Path

from ..errors import TandemError
from .base import IndexedParagraph
from .xapian_terms import boolean_term, document

PROCESS_MIN = 10_000  # paragraphs expected (read so far) from which the writing goes to a child process
BATCH = 500  # documents sent to the child at once
CALLS = ("open", "checkpoint", "commit", "cancel")  # messages the child answers


def shard_for(doc: str, shards: int) -> int:
    """The shard of a document: a stable hash (the same in every process and run)."""
    return zlib.crc32(doc.encode("utf-8")) % shards


class XapianWriter:
    """Adds and deletes paragraphs in every shard inside one transaction per shard: nothing is visible,
    or durable, until commit; cancel drops it all. With `child`, Xapian writes in a child process, whose
    errors are raised by the next checkpoint or by commit."""

    def __init__(self, paths: list[Path], checkpoint: int = 0, child: bool = False):
        self._paths = list(paths)
        # Memory grows with the documents of an open transaction (~0.7 KB each with values and boolean
        # terms); a build, which writes an unpublished generation, commits every `checkpoint` documents.
        self._checkpoint, self._pending = checkpoint, 0
        self._added = 0
        self._batch: list[tuple[int, int, object]] = []
        self._shards = _ChildTransaction(self._paths) if child else _Transaction(self._paths)
        self._open = True

    def add(self, paragraph: IndexedParagraph) -> None:
        """Add one paragraph to its document's shard, as the document numbered by its key: searches read a
        hit's key from its document number, with no round trip to a remote shard for the document."""
        self._require_open()
        if paragraph.key < 1:
            raise TandemError(f"paragraph {paragraph.id} has no key (keys start at 1)")
        self._batch.append((shard_for(paragraph.doc, len(self._paths)), paragraph.key, document(paragraph)))
        self._added += 1
        self._pending += 1
        if len(self._batch) >= BATCH:
            self._flush()
        if self._checkpoint and self._pending >= self._checkpoint:
            self._flush()
            self._shards.checkpoint()
            self._pending = 0

    def delete_source(self, source: str) -> None:
        """Delete every paragraph read from a corpus unit, in every shard."""
        self._require_open()
        self._flush()
        self._shards.delete(boolean_term("source", source))

    def commit(self) -> None:
        """Commit every shard (one after the other: a build writes a new generation, so a failure
        part-way leaves only an unused folder)."""
        self._require_open()
        self._flush()
        self._open = False
        existing = self._shards.existing
        self._shards.commit()
        if self._added > existing:
            # mostly new content (a full build): B-trees written in one go are left about a third empty;
            # compacting costs ~75 s per million paragraphs and shrinks the index by a third. Small updates
            # are not worth rewriting the whole shard for.
            for path in self._paths:
                compact(path)

    def cancel(self) -> None:
        """Drop every change since the writer opened (or since its last checkpoint)."""
        if self._open:
            self._open = False
            self._batch = []
            self._shards.cancel()

    def _flush(self) -> None:
        if self._batch:
            batch, self._batch = self._batch, []
            self._shards.add(batch)

    def _require_open(self) -> None:
        if not self._open:
            raise TandemError("this Xapian writer is closed (committed or cancelled)")


class _Transaction:
    """The shards' writable databases, each inside a transaction, in this process."""

    def __init__(self, paths: list[Path]):
        import xapian

        self._dbs = []
        self.existing = 0
        try:
            for path in paths:
                db = xapian.WritableDatabase(str(path), xapian.DB_OPEN)
                self._dbs.append(db)
                self.existing += db.get_doccount()
                # Inside a transaction Xapian still writes changed blocks to disk every
                # XAPIAN_FLUSH_THRESHOLD documents (10 000 by default), so memory stays bounded,
                # but commits only at commit_transaction.
                db.begin_transaction(True)
        except xapian.DatabaseLockError as exc:
            self._close()
            raise TandemError(f"the Xapian index is being written by another process: {exc}") from exc

    def add(self, batch) -> None:
        """Add (shard, document number, document) triples."""
        for shard, key, doc in batch:
            self._dbs[shard].replace_document(key, doc)

    def delete(self, term: str) -> None:
        """Delete the documents holding a boolean term, in every shard."""
        for db in self._dbs:
            db.delete_document(term)

    def checkpoint(self) -> None:
        """Make the changes so far durable (not visible to readers opened before the commit)."""
        for db in self._dbs:
            db.commit_transaction()
            db.begin_transaction(True)

    def commit(self) -> None:
        """Commit every shard and close them."""
        for db in self._dbs:
            db.commit_transaction()
        self._close()

    def cancel(self) -> None:
        """Drop the changes since the last checkpoint and close the shards."""
        try:
            for db in self._dbs:
                db.cancel_transaction()
        finally:
            self._close()

    def _close(self) -> None:
        for db in self._dbs:
            db.close()
        self._dbs = []


class _ChildTransaction:
    """The same transaction held by a child process (forked: the build's children die with it)."""

    def __init__(self, paths: list[Path]):
        self._conn, theirs = multiprocessing.Pipe()
        self._child = multiprocessing.get_context("fork").Process(
            target=_serve, args=(theirs, paths), name="tandem-xapian-writer", daemon=True
        )
        self._child.start()
        theirs.close()
        self.existing = self._call("open")

    def add(self, batch) -> None:
        """Send (shard, document number, document) triples to the child, serialised; its errors come with the
        next call."""
        self._send(("add", [(shard, key, doc.serialise()) for shard, key, doc in batch]))

    def delete(self, term: str) -> None:
        """Delete the documents holding a boolean term, in every shard."""
        self._send(("delete", term))

    def checkpoint(self) -> None:
        """Make the changes so far durable; raises an error the child met since the last call."""
        self._call("checkpoint")

    def commit(self) -> None:
        """Commit every shard; the child exits."""
        try:
            self._call("commit")
        finally:
            self._end()

    def cancel(self) -> None:
        """Drop the changes since the last checkpoint; the child exits."""
        try:
            self._call("cancel")
        except TandemError:
            pass  # cancelling after a failure: the child's error was already raised, or it is gone
        finally:
            self._end()

    def _send(self, message) -> None:
        try:
            self._conn.send(message)
        except OSError as exc:
            raise self._gone() from exc

    def _call(self, what: str):
        self._send((what, None))
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise self._gone() from exc
        if status == "error":
            raise TandemError(f"writing the Xapian index failed: {value}")
        return value

    def _gone(self) -> TandemError:
        self._child.join(timeout=5)
        return TandemError(f"the Xapian writer process ended unexpectedly (exit code {self._child.exitcode})")

    def _end(self) -> None:
        self._conn.close()
        self._child.join(timeout=30)
        if self._child.is_alive():
            self._child.kill()
            self._child.join()


def _serve(conn, paths: list[Path]) -> None:
    """The child: apply the build's messages to a transaction, answering the calls (CALLS) that wait for an
    answer; after a failure it only reads on, so that the next call answers with the error."""
    import xapian

    error, shards = None, None
    while True:
        try:
            what, value = conn.recv()
        except EOFError:  # the build closed the pipe or died: nothing more is committed
            if shards is not None:
                shards.cancel()
            return
        answer = None
        try:
            if what == "open":
                shards = _Transaction(paths)
                answer = shards.existing
            elif what == "cancel":
                shards.cancel()
            elif error is None:
                if what == "add":
                    shards.add([(shard, key, xapian.Document.unserialise(doc)) for shard, key, doc in value])
                elif what == "delete":
                    shards.delete(value)
                else:
                    getattr(shards, what)()  # checkpoint, commit
        except Exception as exc:  # noqa: BLE001 - sent to the build, which raises it
            error = error or f"{type(exc).__name__}: {exc}"
        if what in CALLS:
            conn.send(("ok", answer) if error is None else ("error", error))
            if what in ("commit", "cancel") or error is not None and what == "open":
                return


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
