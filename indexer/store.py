"""Index generations on disk: each build writes a new generation beside the live one and swaps a
`current` symlink to it, so a failed or interrupted build leaves the previous index whole."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog
from .errors import IndexMissing, TandemError

CURRENT = "current"
CATALOG = "catalog.sqlite"
_GEN = re.compile(r"^gen-(\d{6})$")
IN_PLACE = re.compile(r"[/\\]xapian[/\\]")  # engine files updated in place: copied, never hard-linked


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

    shutil.copytree(live, target, copy_function=link_or_copy)
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


@contextmanager
def build_lock(index_dir: Path):
    """Hold the index folder's build lock; a second concurrent build fails fast."""
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(index_dir) / ".build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TandemError(f"another build is running on {index_dir}") from None
        yield


@dataclass
class OpenIndex:
    """A live generation opened for reading: its engine and the catalog."""

    generation: Path
    engine: object
    catalog: Catalog

    def close(self):
        """Release the catalog connection and the index."""
        self.catalog.close()
        self.engine.close()


def open_index(index_dir: Path, remote_shards: tuple[str, ...] = ()) -> OpenIndex:
    """Open the live generation of an index folder for searching; with `remote_shards`, the engine is
    those Xapian shards served over the network and the generation holds only the catalog."""
    from .engines import detect_engine, engine_kind

    gen = current_generation(Path(index_dir))
    if gen is None or not (gen / CATALOG).exists():
        raise IndexMissing(f"no index in {index_dir}: run `tandem index` first")
    if remote_shards:
        engine = engine_kind("xapian").open_remote(list(remote_shards))
    else:
        engine = engine_kind(detect_engine(gen)).open(gen)
    return OpenIndex(gen, engine, Catalog(gen / CATALOG, readonly=True))
