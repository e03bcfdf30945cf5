"""What a generation must be before it is published, and what a failed build says: every paragraph of the
catalog in the engine, and a full disk named as such, with the space found and the space needed."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

from .catalog import Catalog
from .errors import BuildError, TandemError

# Bytes a build writes per byte of corpus text read, at its peak: measured on the shipped corpus (1.6 MB of
# text: 26 MB for Whoosh with its merge files, 18 MB for a compacted Xapian index, which is written uncompacted
# first and then copied compacted), rounded up.
BYTES_PER_CORPUS_BYTE = 20
LOW_SPACE = 16 * 2**20  # free space under which a failed write is taken for a full disk
_MB = 2**20


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
