"""Engine-neutral query nodes: what the planner produces and every engine matches.

Scores are BM25 sums: a Term scores its BM25 weight times its boost; a Phrase scores the sum of its
terms' weights where the terms stand at consecutive positions; And and Or add their children's scores;
a Filter matches without scoring. Every engine gives the same matches and, up to rounding, the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

# Metadata fields a query or a request can filter on; "year" takes (low, high), the others exact values.
FILTER_FIELDS = ("symbol", "kind", "lang", "number", "year")


@dataclass(frozen=True)
class Term:
    """One analysed term of a text field."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Analysed terms of a text field at consecutive positions."""

    field: str
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    """Any of the children; scores add up over the children that match."""

    children: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class And:
    """All of `children`, none of `excluded`; scores add up over `children`."""

    children: tuple["Node", ...]
    excluded: tuple["Node", ...] = ()


@dataclass(frozen=True)
class Filter:
    """Paragraphs whose metadata field holds one of `values` (year: `values` is (low, high)); unscored."""

    field: str
    values: tuple


@dataclass(frozen=True)
class Nothing:
    """Matches no paragraph (a query whose words all analyse away, or a prefix no word has)."""


Node = Term | Phrase | Or | And | Filter | Nothing


def walk(node: Node, negated: bool = False):
    """Every node of a tree with whether it sits under an exclusion, parents first."""
    yield node, negated
    if isinstance(node, Or):
        for child in node.children:
            yield from walk(child, negated)
    elif isinstance(node, And):
        for child in node.children:
            yield from walk(child, negated)
        for child in node.excluded:
            yield from walk(child, True)


def text_fields(node: Node) -> set[str]:
    """The text fields a query's scored parts touch."""
    return {n.field for n, _ in walk(node) if isinstance(n, (Term, Phrase))}


def has_filters(node: Node) -> bool:
    """Whether a query holds metadata clauses (which, unlike text, can match any language)."""
    return any(isinstance(n, Filter) for n, _ in walk(node))
