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

    @property
    def remote(self) -> bool:
        """Whether the shard is served over the network."""
        return self.path is None

    def open(self, timeout_ms: int | None = None):
        """A read-only Xapian database of this shard; EngineUnavailable when it cannot be opened."""
        import xapian

        try:
            if self.path is not None:
                return xapian.Database(str(self.path))
            # The timeout bounds every exchange with the server as well as the connection, so a server
            # that stops answering fails the search instead of hanging it.
            timeout = timeout_ms or self.timeout_ms
            return xapian.remote_open(self.host, self.port, timeout, timeout)
        except (xapian.NetworkError, xapian.DatabaseError) as exc:
            raise EngineUnavailable(f"search shard {self.label} is unavailable: {exc}", shard=self.label) from exc

    expected: tuple[str, int] | None = None  # (name in the index, paragraphs) a remote shard must hold

    def check(self, db) -> None:
        """Raise ConfigError if an opened remote shard is not the shard of the index it stands for."""
        if self.expected is not None and db.get_doccount() != self.expected[1]:
            name, count = self.expected
            raise ConfigError(
                f"{name} is expected at {self.label}, which holds {db.get_doccount()} paragraphs where {name} holds "
                f"{count}: give the shards' addresses in the order of the index's shards"
            )

    def named_in(self, error) -> bool:
        """Whether a Xapian error's context names this shard (a remote one: "remote:tcp(host:port)")."""
        return self.remote and f"({self.host}:{self.port})" in str(error)


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

    def check_remote(self) -> None:
        """Check each remote shard that answers now is the shard it stands for (one that does not is checked
        when it first answers a search)."""
        from .shard_states import PROBE_MS

        for shard in self.shards:
            try:
                db = shard.open(PROBE_MS)
            except EngineUnavailable:
                continue
            try:
                shard.check(db)
            finally:
                db.close()

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
        self, addresses: list[str], timeout_ms: int = DEFAULT_TIMEOUT_MS, paragraph_ids=None, expected=None
    ) -> XapianEngine:
        """Shards served by `xapian-tcpsrv`, given as "host:port", searched as one read-only index; with
        `paragraph_ids` (keys -> ids, from the local catalog), a hit costs no round trip for its id; with
        `expected` (paragraphs per shard, from the catalog), a shard holding another number is refused."""
        if not addresses:
            raise ConfigError("no Xapian shard address given")
        shards = []
        for i, address in enumerate(addresses):
            host, port = parse_address(address)
            shard = Shard(address, host=host, port=port, timeout_ms=timeout_ms)
            shard.expected = None if expected is None else (_shard_name(i), expected[i])
            shards.append(shard)
        return XapianEngine(shards, paragraph_ids=paragraph_ids)


def expected_shards(catalog, addresses: list[str]) -> list[int]:
    """The paragraphs each shard of the catalog's index holds, in shard order; ConfigError unless the addresses
    name each of its shards once."""
    from .xapian_writer import shard_for

    built = int(catalog.info("shards") or 1) if catalog.info("engine") == "xapian" else 0
    names = ", ".join(_shard_name(i) for i in range(built))
    if catalog.info("engine") != "xapian":
        raise ConfigError(f"remote shards serve a Xapian index; this index was built with {catalog.info('engine')}")
    if len(addresses) != built or len(set(addresses)) != len(addresses):
        raise ConfigError(
            f"the index was built with {built} shards ({names}); {len(addresses)} remote shards were given "
            f"({', '.join(addresses)}): give each shard's address once, in that order"
        )
    counts = [0] * built
    for doc, paragraphs in catalog.paragraphs_by_document().items():
        counts[shard_for(doc, built)] += paragraphs
    return counts


def parse_address(address: str) -> tuple[str, int]:
    """("host", port) of "host:port" ("[::1]:port" for IPv6)."""
    host, sep, port = address.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"bad Xapian shard address {address!r}: expected host:port")
    return host, int(port)


def _shard_name(i: int) -> str:
    return f"shard-{i:02d}"
