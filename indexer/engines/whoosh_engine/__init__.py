"""The Whoosh engine: embedded, the default. Every Whoosh internal tandem relies on is in `internals`."""

from .engine import WhooshEngine, WhooshKind

__all__ = ["WhooshEngine", "WhooshKind"]
