"""Index generations on disk: each build writes a new generation beside the live one and swaps a
`current` symlink to it, so a failed or interrupted build leaves the previous index whole."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .catalog import SCHEMA_VERSION, Catalog, KeyLookup
from .errors import IndexMissing, TandemError
from .processes import holders_of, process_alive, start_time

CURRENT = "current"
CATALOG = "catalog.sqlite"
_GEN = re.compile(r"^gen-(\d{6})$")
IN_PLACE = re.compile(r"[/\\]xapian[/\\]")  # engine files updated in place: copied, never hard-linked
log = logging.getLogger("tandem")


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None before the first build."""
    link = Path(index_dir) / CURRENT
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def generations(index_dir: Path) -> list[Path]:
    """Every generation folder, oldest first."""
    if not Path(index_dir).is_dir():
        return []
    return sorted(p for p in Path(index_dir).iterdir() if _GEN.match(p.name) and p.is_dir())


def new_generation(index_dir: Path, copy: bool = True) -> Path:
    """A new generation folder: empty, or (copy=True) a copy of the live one (Whoosh segment files are
    immutable: hard links suffice; the catalog is copied because SQLite changes it in place)."""
    index_dir = Path(index_dir)
    gens = generations(index_dir)
    number = int(_GEN.match(gens[-1].name).group(1)) + 1 if gens else 1
    target = index_dir / f"gen-{number:06d}"
    live = current_generation(index_dir) if copy else None
    if live is None:
        target.mkdir(parents=True)
        return target

    def link_or_copy(src, dst):
        # Whoosh segment files never change once written; SQLite and Xapian files change in place
        if os.path.basename(src) == CATALOG or os.path.basename(src).endswith(".lock") or IN_PLACE.search(src):
            return shutil.copy2(src, dst)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    try:
        shutil.copytree(live, target, copy_function=link_or_copy)
    except BaseException:
        discard(target)  # a copy cut short (disk full) is no generation
        raise
    return target


def publish(index_dir: Path, generation: Path, keep: int = 2):
    """Atomically make `generation` the live index, then drop all but the `keep` newest generations."""
    index_dir = Path(index_dir)
    tmp = index_dir / f".{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(generation.name, tmp)
    os.replace(tmp, index_dir / CURRENT)
    for old in generations(index_dir)[:-keep]:
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)


def discard(generation: Path):
    """Remove an unpublished generation after a failed build."""
    shutil.rmtree(generation, ignore_errors=True)


def remove_unpublished(index_dir: Path):
    """Remove generations newer than the live one: leftovers of interrupted builds."""
    live = current_generation(index_dir)
    for gen in generations(index_dir):
        if live is None or gen.name > live.name:
            discard(gen)


LOCK = ".build.lock"
_GUARD = ".build.lock.guard"
_ORPHAN_EXIT_SECONDS = 15.0


@contextmanager
def build_lock(index_dir: Path):
    """Hold the index folder's build lock; a second concurrent build fails fast. A lock left by a dead build
    (its pid is recorded in the lock file) is taken over, killing the dead build's orphaned children that
    still hold it; the context value is then the message saying so (also logged), else None."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / LOCK
    # opened without truncating: the file names the holder until this process holds the lock
    with open(os.open(path, os.O_RDWR | os.O_CREAT, 0o644), "r+") as fh:
        with _guard(index_dir):  # one process at a time decides about a stale lock and records itself
            if _try_flock(fh):
                previous = _read_holder(fh)
                message = f"took over the build lock of dead process {previous[0]}" if previous else None
            else:
                message = _take_over(fh, path, index_dir)
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()} {start_time(os.getpid()) or 0}\n")
            fh.flush()
        if message:
            log.warning(message)
        try:
            yield message
        finally:
            fh.seek(0)
            fh.truncate()  # an empty lock file: the last build ended cleanly


@contextmanager
def _guard(index_dir: Path):
    with open(index_dir / _GUARD, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # held for milliseconds, never while children are forked
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _try_flock(fh) -> bool:
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _read_holder(fh) -> tuple[int, int | None] | None:
    """The pid and start time recorded in the lock file, None if it records none."""
    fh.seek(0)
    parts = fh.read(100).split()
    if not parts or not parts[0].isdigit():
        return None
    started = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() and parts[1] != "0" else None
    return int(parts[0]), started


def _take_over(fh, path: Path, index_dir: Path) -> str:
    """Take the lock from a dead build whose orphaned children still hold it, or raise if a build is running."""
    running = f"another build is running on {index_dir}"
    holder = _read_holder(fh)
    if holder is None:
        raise TandemError(running)
    pid, started = holder
    if process_alive(pid, started):
        raise TandemError(f"{running} (process {pid})")
    holders = holders_of(path)
    # Builds record themselves under the guard, so every process holding the lock now inherited it from the
    # dead build: it started after the build, and its parent (the build) is gone.
    orphans = [p for p in holders if started is None or (start_time(p) or 0) >= started]
    others = sorted(set(holders) - set(orphans))
    if others:
        raise TandemError(
            f"{running}: the build lock of dead process {pid} is held by processes {', '.join(map(str, others))}"
        )
    for orphan in orphans:
        try:
            os.kill(orphan, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + _ORPHAN_EXIT_SECONDS
    while not _try_flock(fh):
        if time.monotonic() > deadline:
            raise TandemError(
                f"{running}: the build lock of dead process {pid} is still held"
                + (f" by processes {', '.join(map(str, orphans))}" if orphans else "")
            )
        time.sleep(0.05)
    message = f"took over the build lock of dead process {pid}"
    if orphans:
        message += f" (killed its orphaned child processes {', '.join(map(str, orphans))})"
    return message


@dataclass
class OpenIndex:
    """A live generation opened for reading: its engine and the catalog."""

    generation: Path
    engine: object
    catalog: Catalog
    keys: KeyLookup

    def close(self):
        """Release the catalog connections and the index."""
        self.engine.close()
        self.keys.close()
        self.catalog.close()


def open_index(index_dir: Path, remote_shards: tuple[str, ...] = ()) -> OpenIndex:
    """Open the live generation of an index folder for searching; with `remote_shards`, the engine is
    those Xapian shards served over the network and the generation holds only the catalog."""
    from .engines import detect_engine, engine_kind

    gen = current_generation(Path(index_dir))
    if gen is None or not (gen / CATALOG).exists():
        raise IndexMissing(f"no index in {index_dir}: run `tandem index` first")
    from .integrity import check_sizes, raise_if_damaged

    raise_if_damaged(gen, check_sizes(gen, catalog_only=bool(remote_shards)))
    catalog = Catalog(gen / CATALOG, readonly=True)
    built = catalog.info("schema_version")
    if built != SCHEMA_VERSION:
        catalog.close()
        raise IndexMissing(
            f"the index in {index_dir} was built by another version of tandem (schema {built}, this one reads "
            f"{SCHEMA_VERSION}): run `tandem index` to rebuild it"
        )
    keys = KeyLookup(gen / CATALOG)  # engines that number paragraphs by key return hits by key
    if remote_shards:
        from .engines.xapian_engine import expected_shards

        try:
            expected = expected_shards(catalog, list(remote_shards))
            engine = engine_kind("xapian").open_remote(list(remote_shards), paragraph_ids=keys, expected=expected)
            engine.check_remote()
        except BaseException:
            keys.close()
            catalog.close()
            raise
    else:
        engine = engine_kind(detect_engine(gen)).open(gen, paragraph_ids=keys)
    return OpenIndex(gen, engine, catalog, keys)
