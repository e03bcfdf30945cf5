"""Engine-neutral query nodes translated to Xapian queries, built from terms directly (no QueryParser)."""

from __future__ import annotations

from ..errors import BadRequest
from ..query.nodes import And, Filter, Node, Nothing, Or, Phrase, Term
from .xapian_terms import BOOLEAN_PREFIXES, SLOT_YEAR, boolean_term, text_term


def to_query(node: Node, idf=None):
    """The Xapian query of a node tree; scores follow indexer.query.nodes (BM25 sums, filters unscored).

    `idf(term)`, when given, is a factor applied to each term's weight (see xapian_search.WhooshIdf)."""
    import xapian

    def leaf(term: str):
        query = xapian.Query(term)
        return _scaled(query, idf(term)) if idf else query

    if isinstance(node, Term):
        term = text_term(node.field, node.text)
        return _scaled(leaf(term) if term else xapian.Query.MatchNothing, node.boost)
    if isinstance(node, Phrase):
        terms = [text_term(node.field, t) for t in node.terms]
        if not terms or None in terms:
            return xapian.Query.MatchNothing
        if len(terms) == 1:
            return _scaled(leaf(terms[0]), node.boost)
        # A window as wide as the phrase: the terms stand at consecutive positions, in order.
        phrase = xapian.Query(xapian.Query.OP_PHRASE, [xapian.Query(t) for t in terms], len(terms))
        if idf:
            # OP_PHRASE takes only plain terms: it matches unscored, and the scaled terms score.
            phrase = xapian.Query(
                xapian.Query.OP_AND,
                [xapian.Query(xapian.Query.OP_SCALE_WEIGHT, phrase, 0.0)] + [leaf(t) for t in terms],
            )
        return _scaled(phrase, node.boost)
    if isinstance(node, Or):
        if not node.children:
            return xapian.Query.MatchNothing
        return _scaled(xapian.Query(xapian.Query.OP_OR, [to_query(c, idf) for c in node.children]), node.boost)
    if isinstance(node, And):
        if node.children:
            query = xapian.Query(xapian.Query.OP_AND, [to_query(c, idf) for c in node.children])
        else:  # all of nothing: every paragraph, less the excluded
            query = xapian.Query.MatchAll
        if node.excluded:
            query = xapian.Query(
                xapian.Query.OP_AND_NOT,
                query,
                xapian.Query(xapian.Query.OP_OR, [to_query(c, idf) for c in node.excluded]),
            )
        return query
    if isinstance(node, Filter):
        # Weight 0: a filter matches without adding to the score wherever it stands.
        return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, filter_query(node), 0.0)
    if isinstance(node, Nothing):
        return xapian.Query.MatchNothing
    raise BadRequest(f"query node not supported by the Xapian engine: {type(node).__name__}")


def filter_query(node: Filter):
    """The unscored Xapian query of a metadata filter: boolean terms, or a value range for years."""
    import xapian

    if node.field == "year":
        low, high = (tuple(node.values) + (None, None))[:2]
        if low is None and high is None:
            return xapian.Query.MatchAll
        if high is None:
            return xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_YEAR, xapian.sortable_serialise(int(low)))
        if low is None:
            return xapian.Query(xapian.Query.OP_VALUE_LE, SLOT_YEAR, xapian.sortable_serialise(int(high)))
        return xapian.Query(
            xapian.Query.OP_VALUE_RANGE,
            SLOT_YEAR,
            xapian.sortable_serialise(int(low)),
            xapian.sortable_serialise(int(high)),
        )
    if node.field not in BOOLEAN_PREFIXES:
        raise BadRequest(f"cannot filter on field {node.field!r}")
    values = [v for v in node.values if v != ""]
    if not values:
        return xapian.Query.MatchNothing
    return xapian.Query(xapian.Query.OP_OR, [xapian.Query(boolean_term(node.field, v)) for v in values])


def with_filters(query, filters: tuple[Filter, ...]):
    """A query restricted, unscored, to paragraphs passing every request filter."""
    import xapian

    if not filters:
        return query
    allowed = xapian.Query(xapian.Query.OP_AND, [filter_query(f) for f in filters])
    return xapian.Query(xapian.Query.OP_FILTER, query, allowed)


def _scaled(query, boost: float):
    import xapian

    if boost == 1.0:
        return query
    return xapian.Query(xapian.Query.OP_SCALE_WEIGHT, query, float(boost))
