"""The OpenAPI 3.1 description of the API: its paths and parameters, over the schemas of server.schemas."""

from __future__ import annotations

from indexer import __version__
from indexer.documents import KINDS
from indexer.engines.base import FACETS
from indexer.exports import LANG_TAGS

from .excerpts import DOCUMENT_ROWS, MAX_DOCUMENT_ROWS
from .schema_types import FLAG, LANGS, MAX_INT_ARG, NOT_SPACE, STR, TEXT, ref
from .schemas import EXPORT_TYPES, MAX_SEARCH_OFFSET, QUERY_DESCRIPTION, SCHEMAS, SEARCH_BOUND


def _param(name: str, schema: dict, description: str, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def _responses(ok: str, *errors: int) -> dict:
    out = {"200": {"description": "OK", "content": {"application/json": {"schema": ref(ok)}}}}
    for status in errors:
        out[str(status)] = {
            "description": _ERRORS.get(status, "Error"),
            "content": {"application/json": {"schema": ref("Error")}},
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
        if node == LANGS:
            return list(languages)
        if node == ["auto", *LANGS]:
            return ["auto", *languages]
        return [_narrowed(item, languages) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _narrowed(value, languages) for key, value in node.items()}
    if out.get("pattern") == _TARGETS_PATTERN:
        out["pattern"] = _targets_pattern(languages)
    if isinstance(out.get("properties"), dict) and set(out["properties"]) == set(LANGS):
        out["properties"] = {lang: out["properties"][lang] for lang in languages}
    return out


def _targets_pattern(languages) -> str:
    one = "|".join(languages)
    return f"^(({one})(,({one}))*)?$"


_TARGETS_PATTERN = _targets_pattern(LANGS)


def _document(server_root: str) -> dict:
    search_params = [
        _param("q", TEXT, QUERY_DESCRIPTION, required=True),
        _param(
            "lang",
            {"enum": ["auto", *LANGS], "default": "auto"},
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
                            {**TEXT, "maxLength": 100, "pattern": f'^[^"]*{NOT_SPACE}[^"]*$'},
                            "A word or phrase (no quotes)",
                            required=True,
                        ),
                        _param(
                            "lang",
                            {"enum": ["auto", *LANGS], "default": "auto"},
                            "Language of the term; auto = by script",
                        ),
                        _param(
                            "target",
                            {"enum": LANGS},
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
                        "content": {"application/json": {"schema": ref("AlignRequest")}},
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
                        "content": {"application/json": {"schema": ref("LookupRequest")}},
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
