"""The OpenAPI 3.1 description of the API; its schemas are checked against real responses by the tests."""

from __future__ import annotations

from indexer import __version__
from indexer.analysis import LANGUAGES
from indexer.documents import KINDS
from indexer.engines.base import FACETS, RELATIONS
from indexer.exports import LANG_TAGS

from .excerpts import DOCUMENT_ROWS, EXCERPT_CHARS, MAX_DOCUMENT_ROWS, MAX_TRANSLATIONS, SIDE_PARAGRAPHS


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


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
FLAG = {"enum": ["1", "true", "0", "false"], "default": "0"}
STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
# strings the API refuses when empty or blank
TEXT = {"type": "string", "minLength": 1, "pattern": "\\S"}
MAX_INT_ARG = 1_000_000_000  # integer query parameters above this are refused (SQLite's are 64-bit)
MAX_SEARCH_OFFSET = 10_000  # deepest page the search service serves
NSTR, NINT = _nullable(STR), _nullable(INT)


def _obj(props: dict, required=None, extra=False) -> dict:
    return {"type": "object", "properties": props, "required": list(required or props), "additionalProperties": extra}


_LANGS = list(LANGUAGES)  # every registered language; an index holds those `languages` lists


def _by_lang(schema: dict) -> dict:
    """An object keyed by language code (the two of a pair), each value of `schema`."""
    return {"type": "object", "propertyNames": {"enum": _LANGS}, "additionalProperties": schema}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


_VALUES = {
    "type": "array",
    "items": STR,
    "description": "Canonical values: 68, 67/38, A/68/411, 2012-12-03, 2012-12, --12-03, 15:00, 2.5, 12%",
}
_PARAGRAPH = {
    "id": STR,
    "lang": STR,
    "text": STR,
    "document": _ref("DocumentRef"),
    "kind": {"enum": list(KINDS)},
    "number": NSTR,
    "position": INT,
    "notes": {"type": "array", "items": STR},
    "source": {
        "enum": ["text", "ocr"],
        "description": "How the text was read: as written, or by OCR from a scanned page (its text can be wrong)",
    },
    "part": {
        **_nullable(_obj({"index": INT, "of": INT, "previous": NSTR, "next": NSTR})),
        "description": "A paragraph longer than the index's max_paragraph_chars is cut at sentence ends into "
        "pieces: this one is part index of of, between the pieces previous and next (paragraph ids)",
    },
    "translations": {"type": "array", "items": _ref("Translation")},
}
_BOUNDED = {
    "truncated": {
        "type": "boolean",
        "description": f"true: text and highlight are an excerpt of at most {EXCERPT_CHARS:,} characters, around "
        "the first marks; url gives the whole",
    },
    "excerpt": {
        **_obj({"start": INT, "end": INT}),
        "description": "Where the excerpt is in the whole text (characters)",
    },
    "url": {**STR, "description": "GET /api/paragraphs/<id> of the whole paragraph"},
}

SCHEMAS = {
    "Error": _obj({"error": _obj({"code": STR, "message": STR, "position": NINT}, ["code", "message"])}),
    "DocumentRef": _obj({"id": STR, "symbol": NSTR, "lang": STR, "date": NSTR, "year": NINT, "title": NSTR}),
    "DocumentSummary": _obj(
        {
            "id": STR,
            "symbol": NSTR,
            "lang": STR,
            "date": NSTR,
            "year": NINT,
            "title": NSTR,
            "paragraphs": INT,
            "source": STR,
            "format": {"enum": ["un_text", "bitext", "tmx", "unpc_xml"]},
        }
    ),
    "Relation": _obj(
        {
            "type": {"enum": ["same", "other_year"]},
            "label": STR,
            "from": _obj({"symbol": NSTR, "year": NINT}),
            "to": _obj({"symbol": NSTR, "year": NINT}),
        }
    ),
    "Translation": _obj(
        {
            "lang": STR,
            "id": STR,
            "ids": {"type": "array", "items": STR},
            "text": STR,
            "document": _ref("DocumentRef"),
            "confidence": NUM,
            "relation": _ref("Relation"),
            "differences": _ref("Differences"),
            **_BOUNDED,
            "highlight": {
                "type": "string",
                "description": "In search hits: HTML-escaped text, <mark> around the renderings of the words the "
                "query matched in the hit, only where the alignment is confident (else no mark)",
            },
        },
        ["lang", "id", "ids", "text", "document", "confidence", "relation", "truncated"],
    ),
    "HitTranslation": {"allOf": [_ref("Translation"), {"required": ["highlight"]}]},
    "Differences": {
        **_by_lang(_VALUES),
        "description": "Numbers, symbols and dates written on one side only; given for a translation "
        "taken from another year's version: what to update before reusing it",
    },
    "TermsResponse": _obj(
        {
            "query": STR,
            "lang": {"enum": _LANGS},
            "target": {"enum": _LANGS},
            "paragraphs": {**INT, "description": "Paragraphs holding the term"},
            "pairs_seen": {
                **INT,
                "description": "Aligned pairs read: of the paragraphs holding the term (at most 500, best first), "
                "the first translation from the same document and the first from another year's version",
            },
            "pairs_by_relation": {
                **_obj({"same": INT, "other_year": INT}),
                "description": "pairs_seen, same-document translations and another year's apart",
            },
            "renderings": {
                "type": "array",
                "description": "One row per rendering, most aligned pairs first, its pairs counted by relation "
                "inside it",
                "items": _ref("TermRendering"),
            },
        }
    ),
    "TermRendering": _obj(
        {
            "text": {**STR, "description": "Its most frequent spelling"},
            "count": {**INT, "description": "Aligned pairs whose best-associated rendering it is"},
            "share": {**NUM, "minimum": 0, "maximum": 1, "description": "count / pairs_seen"},
            "by_relation": {
                **_obj(
                    {
                        relation: _obj({"count": INT, "share": {**NUM, "minimum": 0, "maximum": 1}})
                        for relation in ("same", "other_year")
                    }
                ),
                "description": "count and share (of pairs_by_relation) for translations of the same document and "
                "of another year's version",
            },
            "relation": {
                **_obj({"type": {"enum": ["same", "other_year"]}, "label": STR}),
                "description": "other_year when only translations of another year's version hold it",
            },
            "forms": {
                "type": "array",
                "items": STR,
                "description": "Spellings grouped with it, differing only by punctuation, spacing or case",
            },
            "dice": {
                **NUM,
                "minimum": 0,
                "maximum": 1,
                "description": "2 x pairs / (term paragraphs + rendering paragraphs)",
            },
            "pairs": {**INT, "description": "Paragraphs holding the term whose translations hold the rendering"},
            "frequency": {**INT, "description": "Paragraphs of the target language holding the rendering"},
            "examples": {
                "type": "array",
                "maxItems": 3,
                "items": _obj(
                    {
                        "id": STR,
                        "text": STR,
                        "translation": _obj({"id": STR, "text": STR}),
                        "relation": _obj({"type": {"enum": ["same", "other_year"]}, "label": STR}),
                    }
                ),
            },
        }
    ),
    "CheckedSide": _obj({"id": STR, "ids": {"type": "array", "items": STR}, "text": STR}),
    "DocumentCheck": _obj(
        {
            "symbol": NSTR,
            "checked": {**INT, "description": "Aligned paragraph pairs compared"},
            "pairs": {
                "type": "array",
                "items": {
                    **_obj(
                        {
                            **{lang: _ref("CheckedSide") for lang in _LANGS},
                            "differences": _ref("Differences"),
                            "relation": _ref("Relation"),
                        },
                        required=["differences", "relation"],
                    ),
                    "description": "The pair's two sides keyed by their language codes, and the values each alone "
                    "holds (differences, by language)",
                },
            },
        }
    ),
    "Paragraph": _obj(_PARAGRAPH),
    "Hit": _obj(
        {
            **_PARAGRAPH,
            "translations": {
                "type": "array",
                "items": _ref("HitTranslation"),
                "maxItems": MAX_TRANSLATIONS,
                "description": f"The first {MAX_TRANSLATIONS} (GET /api/paragraphs/<id> lists all)",
            },
            "score": _nullable(NUM),
            "highlight": {"type": "string", "description": "HTML-escaped text, <mark> around matches"},
            **_BOUNDED,
        },
        [*_PARAGRAPH, "score", "highlight", "truncated"],
    ),
    "SearchResponse": _obj(
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
            "hits": {"type": "array", "items": _ref("Hit")},
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
    "DocumentsResponse": _obj(
        {"total": INT, "offset": INT, "limit": INT, "documents": {"type": "array", "items": _ref("DocumentSummary")}}
    ),
    "AlignedSide": {
        "type": "array",
        "maxItems": SIDE_PARAGRAPHS,
        "items": _obj(
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
    "Alignment": _obj(
        {
            "relation": _ref("Relation"),
            "method": {"enum": ["aligned", "bitext"]},
            "documents": {"type": "array", "items": _ref("DocumentSummary")},
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["score"],
                    "properties": {
                        "score": NUM,
                        "more": {
                            **_by_lang(INT),
                            "description": f"Paragraphs of a side past the {SIDE_PARAGRAPHS} sent (pieces of a very "
                            "long paragraph), by language",
                        },
                    },
                    "additionalProperties": _ref("AlignedSide"),
                },
            },
            "rows_total": {**INT, "description": "Aligned rows of the pair; rows holds those from offset"},
            "offset": INT,
        }
    ),
    "DocumentView": _obj(
        {
            "symbol": NSTR,
            "documents": {"type": "array", "items": _ref("DocumentSummary")},
            "alignments": {"type": "array", "items": _ref("Alignment")},
        }
    ),
    "AlignRequest": _obj(
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
    "AlignResponse": _obj(
        {
            "documents": {
                "type": "array",
                "items": _obj(
                    {
                        "id": STR,
                        "symbol": NSTR,
                        "lang": STR,
                        "date": NSTR,
                        "year": NINT,
                        "title": NSTR,
                        "paragraphs": INT,
                    }
                ),
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
    "Health": _obj(
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

SCHEMAS.update(
    {
        "LookupRequest": _obj(
            {
                "text": {
                    **TEXT,
                    "maxLength": 5000,
                    "description": "The segment to look up (a sentence or a paragraph)",
                },
                "lang": {"enum": ["auto", *LANGUAGES], "default": "auto", "description": "auto: by its script"},
                "min_score": {"type": "integer", "minimum": 0, "maximum": 100, "default": 70},
                "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
            },
            required=["text"],
        ),
        "LookupTranslation": _obj(
            {
                **SCHEMAS["Translation"]["properties"],
                "paragraph_text": {**STR, "description": "The translation's paragraph(s) whole"},
                "aligned": {
                    "enum": ["paragraph", "sentence", "sentences"],
                    "description": "text is the paragraph whole, or the sentence(s) aligned with the segment "
                    "(one to one: sentence)",
                },
                "segment": _obj({"start": INT, "end": INT}),
            },
            SCHEMAS["Translation"]["required"] + ["paragraph_text", "aligned"],
        ),
        "LookupMatch": _obj(
            {
                **{k: v for k, v in _PARAGRAPH.items() if k != "translations"},
                "match": {"type": "integer", "minimum": 0, "maximum": 100, "description": "CAT match score (README)"},
                "segment": _obj({"seq": NINT, "of": INT, "start": INT, "end": INT, "text": STR}),
                "highlight": {
                    **STR,
                    "description": "The segment HTML-escaped, <del> its words that differ, <ins> "
                    "the words of the text in their place",
                },
                "changes": {
                    "type": "array",
                    "items": _obj(
                        {
                            "op": {"enum": ["replace", "delete", "insert"]},
                            "start": INT,
                            "end": INT,
                            "stored": STR,
                            "text": STR,
                        }
                    ),
                },
                "numbers": {
                    **_obj({"only_stored": _VALUES, "only_text": _VALUES}),
                    "description": "Numbers, symbols and dates written in the stored segment only, or in the text only",
                },
                "translations": {"type": "array", "items": _ref("LookupTranslation")},
            }
        ),
        "LookupResponse": _obj(
            {
                "text": STR,
                "lang": {"enum": list(LANGUAGES)},
                "min_score": INT,
                "limit": INT,
                "took_ms": NUM,
                "matches": {"type": "array", "items": _ref("LookupMatch")},
                "subsegments": {
                    "type": "array",
                    "items": _ref("LookupRun"),
                    "description": "When no segment scores min_score: the longest runs of the text (3 words, 4 "
                    "Chinese characters or more) found verbatim, longest first",
                },
            }
        ),
        "LookupRun": _obj(
            {
                "text": STR,
                "start": INT,
                "end": INT,
                "words": INT,
                "found": {
                    **_obj(
                        {
                            **{k: v for k, v in _PARAGRAPH.items() if k != "translations"},
                            "segment": _obj({"start": INT, "end": INT, "text": STR}),
                            "translations": {"type": "array", "items": _ref("HitTranslation")},
                        }
                    ),
                    "description": "The paragraph holding the run, its translations' highlight marking the run's "
                    "rendering where the alignment is confident",
                },
            }
        ),
    }
)


def _param(name: str, schema: dict, description: str, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def _responses(ok: str, *errors: int) -> dict:
    out = {"200": {"description": "OK", "content": {"application/json": {"schema": _ref(ok)}}}}
    for status in errors:
        out[str(status)] = {
            "description": _ERRORS.get(status, "Error"),
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    if 503 in errors:
        out["503"]["headers"] = {
            "Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}
        }
    return out


_ERRORS = {
    400: "Invalid parameter or body",
    404: "Not found",
    413: "Body over max_request_bytes, or a text over max_align_paragraphs paragraphs",
    415: "Body not sent as application/json",
    503: "align_concurrency alignments already running",
}


def openapi_document(server_root: str = "", languages: tuple[str, ...] | None = None) -> dict:
    """The API's OpenAPI 3.1 document; `server_root` is the URL prefix the app is mounted under, `languages`
    those the index holds (the registry's all when None): the only ones a request may name."""
    document = _document(server_root)
    return document if languages is None else _narrowed(document, list(languages))


def _narrowed(node, languages: list[str]):
    """The description with each list of every registered language cut to `languages`."""
    if isinstance(node, list):
        if node == _LANGS:
            return list(languages)
        if node == ["auto", *_LANGS]:
            return ["auto", *languages]
        return [_narrowed(item, languages) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _narrowed(value, languages) for key, value in node.items()}
    if out.get("pattern") == _TARGETS_PATTERN:
        out["pattern"] = _targets_pattern(languages)
    if isinstance(out.get("properties"), dict) and set(out["properties"]) == set(_LANGS):
        out["properties"] = {lang: out["properties"][lang] for lang in languages}
    return out


def _targets_pattern(languages) -> str:
    one = "|".join(languages)
    return f"^(({one})(,({one}))*)?$"


_TARGETS_PATTERN = _targets_pattern(_LANGS)


def _document(server_root: str) -> dict:
    search_params = [
        _param("q", TEXT, QUERY_DESCRIPTION, required=True),
        _param(
            "lang",
            {"enum": ["auto", *_LANGS], "default": "auto"},
            "Language searched; auto = by the script of the query's words; a lang: clause in q takes precedence",
        ),
        _param("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}, "Hits per page"),
        _param("offset", {"type": "integer", "minimum": 0, "maximum": MAX_SEARCH_OFFSET, "default": 0}, "Hits to skip"),
        _param("symbol", STR, "Document symbol(s), comma-separated"),
        _param("year", {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{4})?$"}, "A year (2013) or range (2010-2015)"),
        _param(
            "kind",
            {"type": "string", "pattern": f"^({'|'.join(KINDS)})(,({'|'.join(KINDS)}))*$"},
            f"Paragraph kind(s), comma-separated: {', '.join(KINDS)}",
        ),
        _param("sort", {"enum": ["relevance", "date"], "default": "relevance"}, "Order of hits"),
        _param(
            "facets",
            {
                "type": "string",
                "pattern": f"^(({'|'.join(FACETS)})(,({'|'.join(FACETS)}))*)?$",
                "default": ",".join(FACETS),
            },
            "Facets to count, comma-separated; empty for none (cheaper); absent for all",
        ),
        _param(
            "targets",
            {"type": "string", "pattern": _TARGETS_PATTERN},
            "Languages of each hit's translations, comma-separated (zh,en); absent for every other indexed language",
        ),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "tandem",
            "version": __version__,
            "description": "Bilingual French/Chinese search of UN documents with aligned translations.",
        },
        "servers": [{"url": server_root or "/"}],
        "paths": {
            "/api/health": {"get": {"summary": "Liveness", "responses": _responses("Health")}},
            "/api/search": {
                "get": {
                    "summary": "Search paragraphs",
                    "description": SEARCH_BOUND,
                    "parameters": search_params,
                    "responses": _responses("SearchResponse", 400),
                }
            },
            "/api/export": {
                "get": {
                    "summary": "The aligned pairs of a page of search hits, as TMX or CSV",
                    "description": "Translations taken from another year's version of a document are left out "
                    "unless include_other_years is true.",
                    "parameters": search_params
                    + [
                        _param("format", {"enum": list(EXPORT_TYPES), "default": "tmx"}, "TMX 1.4b or CSV"),
                        _param("include_other_years", FLAG, "Keep translations from another year's version"),
                        _param(
                            "lang_tags",
                            {"enum": list(LANG_TAGS), "default": "region"},
                            "TMX xml:lang: with a region (fr-FR, zh-CN) or bare (fr, zh)",
                        ),
                        _param("excel", FLAG, "CSV: start with a UTF-8 byte order mark, for Excel"),
                    ],
                    "responses": {
                        "200": {
                            "description": "A file to download",
                            "content": {kind: {"schema": STR} for kind in EXPORT_TYPES.values()},
                        },
                        "400": _responses("Error", 400)["400"],
                    },
                }
            },
            "/api/documents": {
                "get": {
                    "summary": "List documents",
                    "parameters": [
                        _param("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}, "Page size"),
                        _param(
                            "offset",
                            {"type": "integer", "minimum": 0, "maximum": MAX_INT_ARG, "default": 0},
                            "Documents to skip",
                        ),
                    ],
                    "responses": _responses("DocumentsResponse", 400),
                }
            },
            "/api/documents/{symbol}": {
                "get": {
                    "summary": "A document's paragraphs side by side with its counterpart",
                    "parameters": [
                        _param("symbol", STR, "Symbol, e.g. A/RES/68/38", "path", True),
                        _param(
                            "limit",
                            {"type": "integer", "minimum": 1, "maximum": MAX_DOCUMENT_ROWS, "default": DOCUMENT_ROWS},
                            "Aligned rows of each pair",
                        ),
                        _param(
                            "offset",
                            {"type": "integer", "minimum": 0, "maximum": MAX_INT_ARG, "default": 0},
                            "Aligned rows of each pair to skip",
                        ),
                    ],
                    "responses": _responses("DocumentView", 404),
                }
            },
            "/api/documents/{symbol}/check": {
                "get": {
                    "summary": "Numbers, symbols and dates that differ between a document's aligned paragraphs",
                    "description": "For a translation of the same document, a translation check; for another year's "
                    "version, the places to update before reusing last year's translation.",
                    "parameters": [_param("symbol", STR, "Symbol, e.g. A/RES/68/38", "path", True)],
                    "responses": _responses("DocumentCheck", 404),
                }
            },
            "/api/terms": {
                "get": {
                    "summary": "How a term is translated, from the aligned paragraphs",
                    "parameters": [
                        _param(
                            "q",
                            {**TEXT, "maxLength": 100, "pattern": '^[^"]*\\S[^"]*$'},
                            "A word or phrase (no quotes)",
                            required=True,
                        ),
                        _param(
                            "lang",
                            {"enum": ["auto", *_LANGS], "default": "auto"},
                            "Language of the term; auto = by script",
                        ),
                        _param(
                            "target",
                            {"enum": _LANGS},
                            "Language of the renderings; the first other indexed language when absent",
                        ),
                        _param(
                            "limit",
                            {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                            "Renderings wanted",
                        ),
                    ],
                    "responses": _responses("TermsResponse", 400),
                }
            },
            "/api/paragraphs/{id}": {
                "get": {
                    "summary": "One paragraph with its translations",
                    "parameters": [_param("id", STR, "Paragraph id", "path", True)],
                    "responses": _responses("Paragraph", 404),
                }
            },
            "/api/align": {
                "post": {
                    "summary": "Align two texts (one French, one Chinese)",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("AlignRequest")}},
                    },
                    "responses": _responses("AlignResponse", 400, 413, 415, 503),
                }
            },
            "/api/lookup": {
                "post": {
                    "summary": "Stored segments most similar to a text, with match scores and translations",
                    "description": "As a translation memory answers: one match per paragraph, best first, scoring "
                    "at least min_score, with the words and numbers that differ and the translations (another "
                    "year's labelled as such).",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("LookupRequest")}},
                    },
                    "responses": _responses("LookupResponse", 400, 413, 415),
                }
            },
            "/api/openapi.json": {
                "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI document"}}}
            },
        },
        "components": {"schemas": SCHEMAS},
    }
