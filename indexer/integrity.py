"""What a generation must be before it is published, and what a failed build says: every paragraph of the
catalog in the engine, and a full disk named as such, with the space found and the space needed."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

from .catalog import Catalog
from .errors import BuildError, IndexDamaged, TandemError

# Bytes a build writes per byte of corpus text read, at its peak: measured on the shipped corpus (1.6 MB of
# text: 26 MB for Whoosh with its merge files, 18 MB for a compacted Xapian index, which is written uncompacted
# first and then copied compacted), rounded up.
BYTES_PER_CORPUS_BYTE = 20
LOW_SPACE = 16 * 2**20  # free space under which a failed write is taken for a full disk
_MB = 2**20
MANIFEST = "files.json"  # every file of a generation with its size and SHA-256, written as it is published
_UNLISTED = (".lock", "WRITELOCK")  # lock files come and go


def check_complete(gen: Path, engine_name: str) -> None:
    """Raise BuildError unless the committed engine index holds exactly the catalog's paragraphs."""
    from .engines import engine_kind

    catalog = Catalog(gen / "catalog.sqlite", readonly=True)
    try:
        expected = catalog.paragraph_count()
    finally:
        catalog.close()
    engine = engine_kind(engine_name).open(gen)
    try:
        found = engine.count()
    finally:
        engine.close()
    if found != expected:
        raise BuildError(
            f"the new index holds {found} paragraphs where the catalog holds {expected}: a writer lost part of "
            "its work; nothing was published and the live index is unchanged"
        )


def needed_bytes(paths, live: Path | None) -> int:
    """About how many bytes a build needs: its share of the corpus to read, and the live generation it copies."""
    corpus = sum(_size(p) for p in paths)
    copied = sum(_size(p) for p in live.rglob("*") if p.is_file()) if live is not None else 0
    return corpus * BYTES_PER_CORPUS_BYTE + copied


def failure(exc: BaseException, index_dir: Path, needed: int) -> TandemError | None:
    """The error a build that raised `exc` reports: a full disk named with the space free and needed, another
    system error as a BuildError; None to let `exc` through (a TandemError already says what happened)."""
    if not isinstance(exc, Exception):
        return None  # interrupted: the caller's own signal
    free = shutil.disk_usage(index_dir).free
    full = _disk_full(exc)
    if full or free < LOW_SPACE:
        # a writer process that died writing says only that it died: its words come after the cause
        said = f" ({exc.message})" if isinstance(exc, TandemError) and not full else ""
        return BuildError(
            f"disk full at {index_dir}: {free / _MB:.1f} MB free, the build needs about {needed / _MB:.0f} MB"
            f"{said}; nothing was published and the live index is unchanged"
        )
    if isinstance(exc, TandemError):
        return None
    if isinstance(exc, OSError | sqlite3.Error):
        return BuildError(f"the build failed: {exc}; nothing was published and the live index is unchanged")
    return None


def _disk_full(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(exc)
        if "No space left" in text or "database or disk is full" in text or "Disk quota exceeded" in text:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def write_manifest(gen: Path) -> None:
    """List every file of a generation with its size and checksum (before it is published)."""
    files = {name: {"size": path.stat().st_size, "sha256": _sha256(path)} for name, path in _files(gen)}
    tmp = gen / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"format": 1, "files": files}, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(gen / MANIFEST)


def check_sizes(gen: Path, catalog_only: bool = False) -> list[str]:
    """What is wrong with a generation's files by their names and sizes (fast: no file is read); a generation
    without a manifest (built before manifests were written) is taken as it is. `catalog_only` for a front
    machine whose shards are served from elsewhere."""
    return _problems(gen, contents=False, catalog_only=catalog_only)


def verify(gen: Path) -> list[str]:
    """What is wrong with a generation's files, their contents checked against the manifest's checksums."""
    return _problems(gen, contents=True)


def raise_if_damaged(gen: Path, problems: list[str]) -> None:
    """IndexDamaged naming the generation and its first problems, if there are any."""
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise IndexDamaged(
            f"index generation {gen.name} is damaged: {'; '.join(problems[:3])}{more}; rebuild it with "
            "`tandem index --full`",
            generation=gen.name,
        )


def _problems(gen: Path, contents: bool, catalog_only: bool = False) -> list[str]:
    try:
        listed = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return [] if not contents else [f"no {MANIFEST}: built before files were checksummed; rebuild to verify"]
    except (OSError, ValueError, KeyError) as exc:
        return [f"{MANIFEST} unreadable: {exc}"]
    problems = []
    for name, want in sorted(listed.items()):
        if catalog_only and name != "catalog.sqlite":
            continue
        path = gen / name
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(f"{name} is missing")
            continue
        if size != want["size"]:
            problems.append(f"{name} has {size} bytes, not {want['size']}")
        elif contents and _sha256(path) != want["sha256"]:
            problems.append(f"{name} differs from its checksum")
    return problems


def _files(gen: Path):
    for root, _, names in os.walk(gen):
        for name in names:
            path = Path(root) / name
            rel = path.relative_to(gen).as_posix()
            if rel != MANIFEST and not rel.endswith(".tmp") and not name.endswith(_UNLISTED):
                yield rel, path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
