"""The Whoosh schema: one document per paragraph, one text field per language.

Text fields receive the (term, position) tokens tandem's analysers made (the same tokens every engine
indexes), through a pass-through tokenizer. Whoosh pickles the schema into the index, so the tokenizer
is small and lives in this stable module.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import Token, Tokenizer

from ...analysis import EXACT, LANGUAGES, field_name

_TOKEN, _POS = "\x1e", "\x1f"  # separators no analysed term contains
_PAIR = " "  # joins the two words of a pair term: no analysed term holds a space
PAIRS_SUFFIX = "_pairs"


def pair_field(field: str) -> str:
    """The field holding the word pairs of a text field (languages with `word_pairs`)."""
    return field + PAIRS_SUFFIX


def pair_terms(words) -> list[str]:
    """The pair terms of consecutive exact forms ("=de", "=la" -> "=de la"), in order."""
    return [EXACT + a[len(EXACT) :] + _PAIR + b[len(EXACT) :] for a, b in zip(words, words[1:])]


def word_pairs(tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The pair terms of a field's tokens: every exact form at a position with every one at the next, at the
    first one's position. A phrase of exact forms then reads these instead of its words' positions: far
    fewer documents hold "=de la" than hold "=de" and "=la"."""
    exact: dict[int, list[str]] = {}
    for term, pos in tokens:
        if term.startswith(EXACT):
            exact.setdefault(pos, []).append(term)
    return [(pair_terms((a, b))[0], pos) for pos, here in exact.items() for a in here for b in exact.get(pos + 1, ())]


def encode_tokens(tokens: list[tuple[str, int]]) -> str:
    """(term, position) pairs as one field value (Whoosh reads a list value as plain words, not pairs)."""
    return _TOKEN.join(f"{pos}{_POS}{term}" for term, pos in tokens)


class TokenList(Tokenizer):
    """Yields the (term, position) pairs encoded in a value: analysis happened before the engine."""

    def __eq__(self, other):
        return self.__class__ is other.__class__

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.stopped = False
        if not value:
            return
        for item in value.split(_TOKEN):
            pos, _, t.text = item.partition(_POS)
            if positions:
                t.pos = int(pos)
            yield t


def build_schema(languages) -> fields.Schema:
    """The Whoosh schema for paragraphs of `languages`; only the paragraph id is stored."""
    # Everything shown comes from the catalog, and each stored or extra indexed value costs build time.
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        doc=fields.ID,
        source=fields.ID,  # corpus unit, for incremental updates
        lang=fields.ID(sortable=True),
        kind=fields.ID(sortable=True),
        symbol=fields.ID(sortable=True),  # upper case, as UN symbols are written
        year=fields.NUMERIC(int, sortable=True),
        date=fields.NUMERIC(int, sortable=True),  # yyyymmdd, for sorting by date
        number=fields.ID(sortable=True),
    )
    for lang in languages:
        schema.add(field_name(lang), fields.TEXT(analyzer=TokenList(), phrase=True))
        if LANGUAGES[lang].word_pairs:
            schema.add(pair_field(field_name(lang)), fields.TEXT(analyzer=TokenList(), phrase=True))
    return schema
