"""Full-text engines behind one interface (see base.py): Whoosh (embedded, the default) and Xapian."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError, IndexMissing

ENGINES = ("whoosh", "xapian")


def engine_kind(name: str):
    """The engine kind called `name` (imported on demand: an engine's library loads only when used)."""
    if name == "whoosh":
        from .whoosh_engine import WhooshKind

        return WhooshKind()
    if name == "xapian":
        from .xapian_engine import XapianKind

        return XapianKind()
    raise ConfigError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")


def detect_engine(path: Path) -> str:
    """The engine of the index in a generation folder."""
    for name in ENGINES:
        try:
            if engine_kind(name).exists(path):
                return name
        except ImportError:
            continue
    raise IndexMissing(f"no index in {path}: run `tandem index` first")
