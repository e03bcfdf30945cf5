"""Queries, planned in one place: syntax (query strings to a syntax tree), nodes (what engines match),
planner (syntax tree + language + vocabulary -> nodes)."""
