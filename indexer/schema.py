"""The one place the index fields are defined. Paragraph text and metadata live in the catalog;
the Whoosh index holds what search, filters, facets and sorting need."""

from __future__ import annotations

from whoosh import fields

from .analysis import LANGUAGES, field_name


def build_schema(languages=tuple(LANGUAGES)) -> fields.Schema:
    """The Whoosh schema: one document per paragraph, one analysed text field per language."""
    # Only the paragraph id is stored: everything shown comes from the catalog, and each stored or
    # extra indexed value costs build time.
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        doc=fields.ID,
        source=fields.ID,  # corpus file, for incremental updates
        lang=fields.ID(sortable=True),
        kind=fields.ID(sortable=True),
        symbol=fields.ID(sortable=True),  # upper case, as UN symbols are written
        year=fields.NUMERIC(int, sortable=True),
        date=fields.NUMERIC(int, sortable=True),  # yyyymmdd, for sorting by date
        number=fields.ID,
    )
    for lang in languages:
        spec = LANGUAGES[lang]
        schema.add(field_name(lang), fields.TEXT(analyzer=spec.analyzer(), phrase=True,
                                                 multitoken_query="phrase"))
    return schema
