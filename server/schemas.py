"""The JSON schemas of the API's requests and answers (the OpenAPI document's components) and the bounds of
its parameters, declared once; the tests check them against real responses."""

from __future__ import annotations

from indexer.analysis import LANGUAGES
from indexer.engines.base import FACETS, RELATIONS

from .excerpts import EXCERPT_CHARS, MAX_TRANSLATIONS, SIDE_PARAGRAPHS
from .question_schemas import QUESTION_SCHEMAS
from .schema_types import (
    BOUNDED,
    INT,
    LANGS,
    NINT,
    NSTR,
    NUM,
    PARAGRAPH,
    STR,
    TEXT,
    TRANSLATION,
    TRANSLATION_REQUIRED,
    VALUES,
    by_lang,
    nullable,
    obj,
    ref,
)

QUERY_DESCRIPTION = (
    'Query: words (all required), OR, NOT or -word, "exact phrase", prefix*, parentheses, and the fields '
    "symbol: (A/RES/68/38), kind: (title, preambular, operative, footnote, other), year: (2013 or 2010-2015), "
    "lang: (lang:zh sets the language searched) and number: (the number printed before a paragraph: operative "
    "paragraph or footnote 3, or a range 2-5; a number written inside the text is searched as a word: 68/38)"
)
SEARCH_BOUND = (
    f"Bounded: each hit's text, and each of its at most {MAX_TRANSLATIONS} translations' text, is at most "
    f"{EXCERPT_CHARS:,} characters (an excerpt around the first marks, truncated: true, when longer), so a page of "
    f"limit hits carries at most limit x {MAX_TRANSLATIONS + 1} x {EXCERPT_CHARS:,} characters of text, each once "
    "more in its highlight: 2.2 million characters for the largest page of 100 hits"
)
EXPORT_TYPES = {"tmx": "application/x-tmx+xml", "csv": "text/csv"}
MAX_SEARCH_OFFSET = 10_000  # deepest page the search service serves

_DOCUMENT = {"id": STR, "symbol": NSTR, "lang": STR, "date": NSTR, "year": NINT, "title": NSTR}  # how one is named

SCHEMAS = {
    "Error": obj({"error": obj({"code": STR, "message": STR, "position": NINT}, ["code", "message"])}),
    "DocumentRef": obj(_DOCUMENT),
    "DocumentSummary": obj(
        {
            **_DOCUMENT,
            "paragraphs": INT,
            "source": STR,
            "format": {"enum": ["un_text", "bitext", "tmx", "unpc_xml"]},
        }
    ),
    "Relation": obj(
        {
            "type": {"enum": ["same", "other_year"]},
            "label": STR,
            "from": obj({"symbol": NSTR, "year": NINT}),
            "to": obj({"symbol": NSTR, "year": NINT}),
        }
    ),
    "Translation": obj(
        TRANSLATION,
        TRANSLATION_REQUIRED,
    ),
    "HitTranslation": {"allOf": [ref("Translation"), {"required": ["highlight"]}]},
    "Differences": {
        **by_lang(VALUES),
        "description": "Numbers, symbols and dates written on one side only; given for a translation "
        "taken from another year's version: what to update before reusing it",
    },
    "CheckedSide": obj({"id": STR, "ids": {"type": "array", "items": STR}, "text": STR}),
    "DocumentCheck": obj(
        {
            "symbol": NSTR,
            "checked": {**INT, "description": "Aligned paragraph pairs compared"},
            "pairs": {
                "type": "array",
                "items": {
                    **obj(
                        {
                            **{lang: ref("CheckedSide") for lang in LANGS},
                            "differences": ref("Differences"),
                            "relation": ref("Relation"),
                        },
                        required=["differences", "relation"],
                    ),
                    "description": "The pair's two sides keyed by their language codes, and the values each alone "
                    "holds (differences, by language)",
                },
            },
        }
    ),
    "Paragraph": obj(PARAGRAPH),
    "Hit": obj(
        {
            **PARAGRAPH,
            "translations": {
                "type": "array",
                "items": ref("HitTranslation"),
                "maxItems": MAX_TRANSLATIONS,
                "description": f"The first {MAX_TRANSLATIONS} (GET /api/paragraphs/<id> lists all)",
            },
            "score": nullable(NUM),
            "highlight": {"type": "string", "description": "HTML-escaped text, <mark> around matches"},
            **BOUNDED,
        },
        [*PARAGRAPH, "score", "highlight", "truncated"],
    ),
    "SearchResponse": obj(
        {
            "query": STR,
            "lang": STR,
            "total": {
                "type": "integer",
                "description": "Matching paragraphs, as total_relation says: counted one by one up to the server's "
                "exact_total (10,000 by default), estimated past it.",
            },
            "total_relation": {
                "enum": list(RELATIONS),
                "description": "How total relates to the number of matching paragraphs. eq: exactly total (counted, "
                "or known from the index's statistics). about: an estimate, from a sample of the matches spread "
                "over the whole index, of a number larger than exact_total. gte: at least total, all that were "
                "counted before the search's time budget (max_search_ms) ran out; more may match. The hits are "
                "the best of all matches except with gte, where they are the best of those found. Pages can be "
                "asked for up to the offset limit whatever the relation; one past the last match is empty.",
            },
            "offset": INT,
            "limit": INT,
            "took_ms": NUM,
            "hits": {"type": "array", "items": ref("Hit")},
            "facets": {
                "type": "object",
                "properties": {name: {"type": "object", "additionalProperties": INT} for name in FACETS},
                "additionalProperties": False,
                "description": "The facets asked for (parameter facets), each value with its count, most frequent "
                "first; exact or estimated as facets_exact says.",
            },
            "facets_exact": {
                "type": "boolean",
                "description": "true: the facet counts are exact. false: they are estimated from a sample of the "
                "matches (past exact_total matches, scaled to the total, about within a tenth for counts of more "
                "than a few hundred), or count only the matches found before the time budget ran out "
                "(total_relation gte).",
            },
            "suggestion": NSTR,
            "notice": {
                **NSTR,
                "description": "Why nothing matched when words of the query are of another language than the one "
                "searched (a query searches one language; lang: in the query sets it), and which bare words were "
                "left out as stop words (searched only inside quotes)",
            },
        }
    ),
    "DocumentsResponse": obj(
        {"total": INT, "offset": INT, "limit": INT, "documents": {"type": "array", "items": ref("DocumentSummary")}}
    ),
    "AlignedSide": {
        "type": "array",
        "maxItems": SIDE_PARAGRAPHS,
        "items": obj(
            {
                "id": STR,
                "kind": STR,
                "number": NSTR,
                "text": {**STR, "description": f"At most {EXCERPT_CHARS:,} characters: the start of a longer one"},
                "truncated": {"type": "boolean", "description": "true: text is the start of the paragraph"},
                "url": {**STR, "description": "With truncated: GET /api/paragraphs/<id>, the whole paragraph"},
            },
            required=["id", "kind", "number", "text", "truncated"],
        ),
    },
    "Alignment": obj(
        {
            "relation": ref("Relation"),
            "method": {"enum": ["aligned", "bitext"]},
            "documents": {"type": "array", "items": ref("DocumentSummary")},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["score"],
                    "properties": {
                        "score": NUM,
                        "more": {
                            **by_lang(INT),
                            "description": f"Paragraphs of a side past the {SIDE_PARAGRAPHS} sent (pieces of a very "
                            "long paragraph), by language",
                        },
                    },
                    "additionalProperties": ref("AlignedSide"),
                },
            },
            "rows_total": {**INT, "description": "Aligned rows of the pair; rows holds those from offset"},
            "offset": INT,
        }
    ),
    "DocumentView": obj(
        {
            "symbol": NSTR,
            "documents": {"type": "array", "items": ref("DocumentSummary")},
            "alignments": {"type": "array", "items": ref("Alignment")},
        }
    ),
    "AlignRequest": obj(
        {
            "source": TEXT,
            "target": TEXT,
            "source_lang": {
                "enum": list(LANGUAGES),
                "description": "The source's language; recognised from its text when absent (short passages need it)",
            },
            "target_lang": {"enum": list(LANGUAGES), "description": "The target's language, likewise"},
        },
        required=["source", "target"],
    ),
    "AlignResponse": obj(
        {
            "documents": {
                "type": "array",
                "items": obj({**_DOCUMENT, "paragraphs": INT}),
            },
            "relation": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {
                        "enum": ["same", "other_year", "unpaired", "given"],
                        "description": "same: the same symbol; other_year: another year's version of a recurring "
                        "resolution; unpaired: symbols that do not go together; given: a text without a symbol, "
                        "aligned as posted",
                    }
                },
            },
            "pairs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["score"],
                    "properties": {"score": NUM},
                    "additionalProperties": {"type": "array", "items": STR},
                },
            },
        }
    ),
    "Health": obj(
        {
            "status": {
                "enum": ["ok", "degraded"],
                "description": "degraded while a part of the index cannot be read (listed in unavailable)",
            },
            "unavailable": {
                "type": "object",
                "additionalProperties": STR,
                "description": "each unreadable part (a shard's address, a generation) with why",
            },
            "generation": STR,
            "languages": {"type": "array", "items": STR},
            "documents": {"type": "object", "additionalProperties": INT},
            "paragraphs": {"type": "object", "additionalProperties": INT},
        }
    ),
}
SCHEMAS.update(QUESTION_SCHEMAS)
