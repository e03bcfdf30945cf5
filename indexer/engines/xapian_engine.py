"""Xapian behind the engine interface: local shard folders, or shards served by `xapian-tcpsrv`.

An index is a folder `xapian/` in the generation folder holding `shard-00`, `shard-01`, ... and a
manifest. A paragraph goes to the shard its document hashes to, so a document stays in one shard.
Searches see all shards as one database (Xapian merges statistics across them, so scores do not
depend on the number of shards).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError, EngineUnavailable, IndexMissing, TandemError
from .xapian_search import XapianSearcher
from .xapian_writer import PROCESS_MIN, XapianWriter

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


class XapianEngine:
    """One Xapian index: local shard folders (writable) or remote shards (read-only)."""

    name = "xapian"

    def __init__(
        self, shards: list[Shard], languages: tuple[str, ...] = (), writable: bool = False, paragraph_ids=None
    ):
        self.shards = shards
        self.languages = languages
        self._writable = writable
        self._paragraph_ids = paragraph_ids
        self._searchers: list[XapianSearcher] = []

    def writer(self, build_settings=None, expected: int = 0, checkpoint: int = 0) -> XapianWriter:
        """A writer over every shard (local indexes only); with `checkpoint`, changes become durable every
        that many paragraphs (cancel then drops only what follows the last checkpoint)."""
        if not self._writable:
            raise ConfigError("a remote Xapian index cannot be written here: build it where its shards live")
        return XapianWriter([s.path for s in self.shards], checkpoint, child=expected >= PROCESS_MIN)

    def searcher(self, pool_size: int | None = None) -> XapianSearcher:
        """A thread-safe searcher over the committed state. Local shards open now (a missing one raises
        EngineUnavailable); remote ones on first search, so that a server comes up while a shard is down
        and answers 503 naming it until the shard is back."""
        searcher = XapianSearcher(self.shards, pool_size, eager=self._writable, paragraph_ids=self._paragraph_ids)
        self._searchers.append(searcher)
        return searcher

    def count(self) -> int:
        """Paragraphs the committed shards hold (local shards only)."""
        import xapian

        total = 0
        for shard in self.shards:
            db = xapian.Database(str(shard.path))
            total += db.get_doccount()
            db.close()
        return total

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

    def open(self, path: Path, paragraph_ids=None) -> XapianEngine:
        """The index in `path`; with `paragraph_ids` (keys -> ids), hits' ids come from it rather than from
        each hit's document."""
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
        return XapianEngine(shards, tuple(manifest.get("languages", ())), writable=True, paragraph_ids=paragraph_ids)

    def open_remote(
        self, addresses: list[str], timeout_ms: int = DEFAULT_TIMEOUT_MS, paragraph_ids=None
    ) -> XapianEngine:
        """Shards served by `xapian-tcpsrv`, given as "host:port", searched as one read-only index; with
        `paragraph_ids` (keys -> ids, from the local catalog), a hit costs no round trip for its id."""
        if not addresses:
            raise ConfigError("no Xapian shard address given")
        shards = []
        for address in addresses:
            host, port = parse_address(address)
            shards.append(Shard(address, host=host, port=port, timeout_ms=timeout_ms))
        return XapianEngine(shards, paragraph_ids=paragraph_ids)


def parse_address(address: str) -> tuple[str, int]:
    """("host", port) of "host:port" ("[::1]:port" for IPv6)."""
    host, sep, port = address.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"bad Xapian shard address {address!r}: expected host:port")
    return host, int(port)


def _shard_name(i: int) -> str:
    return f"shard-{i:02d}"
