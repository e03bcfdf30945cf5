"""The building blocks of the API's JSON schemas: types, objects, references, the fragments several
schemas share, and the bounds of integer parameters."""

from __future__ import annotations

from indexer.analysis import LANGUAGES
from indexer.documents import KINDS

from .excerpts import EXCERPT_CHARS


def nullable(schema: dict) -> dict:
    """A schema, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


FLAG = {"enum": ["1", "true", "0", "false"], "default": "0"}
STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": "number"}
# strings the API refuses when empty or blank
# a character both JSON Schema (ECMA regex) and the server (Python's str.split) take for text: ECMA's \S also
# matches U+001C-U+001F and U+0085, which Python counts as white space
NOT_SPACE = "[^\\s\\u001c-\\u001f\\u0085]"
TEXT = {"type": "string", "minLength": 1, "pattern": NOT_SPACE}
MAX_INT_ARG = 1_000_000_000  # integer query parameters above this are refused (SQLite's are 64-bit)
NSTR, NINT = nullable(STR), nullable(INT)


def obj(props: dict, required=None, extra=False) -> dict:
    """An object of these properties, all required unless `required` names some, no others unless `extra`."""
    return {"type": "object", "properties": props, "required": list(required or props), "additionalProperties": extra}


LANGS = list(LANGUAGES)  # every registered language; an index holds those `languages` lists


def by_lang(schema: dict) -> dict:
    """An object keyed by language code (the two of a pair), each value of `schema`."""
    return {"type": "object", "propertyNames": {"enum": LANGS}, "additionalProperties": schema}


def ref(name: str) -> dict:
    """A reference to one of the components' schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


VALUES = {
    "type": "array",
    "items": STR,
    "description": "Canonical values: 68, 67/38, A/68/411, 2012-12-03, 2012-12, --12-03, 15:00, 2.5, 12%",
}
PARAGRAPH = {
    "id": STR,
    "lang": STR,
    "text": STR,
    "document": ref("DocumentRef"),
    "kind": {"enum": list(KINDS)},
    "number": NSTR,
    "position": INT,
    "notes": {"type": "array", "items": STR},
    "source": {
        "enum": ["text", "ocr"],
        "description": "How the text was read: as written, or by OCR from a scanned page (its text can be wrong)",
    },
    "part": {
        **nullable(obj({"index": INT, "of": INT, "previous": NSTR, "next": NSTR})),
        "description": "A paragraph longer than the index's max_paragraph_chars is cut at sentence ends into "
        "pieces: this one is part index of of, between the pieces previous and next (paragraph ids)",
    },
    "translations": {"type": "array", "items": ref("Translation")},
}
BOUNDED = {
    "truncated": {
        "type": "boolean",
        "description": f"true: text and highlight are an excerpt of at most {EXCERPT_CHARS:,} characters, around "
        "the first marks; url gives the whole",
    },
    "excerpt": {
        **obj({"start": INT, "end": INT}),
        "description": "Where the excerpt is in the whole text (characters)",
    },
    "url": {**STR, "description": "GET /api/paragraphs/<id> of the whole paragraph"},
}
# a translation of a paragraph, as search hits and lookup matches carry it
TRANSLATION = {
    "lang": STR,
    "id": STR,
    "ids": {"type": "array", "items": STR},
    "text": STR,
    "document": ref("DocumentRef"),
    "confidence": NUM,
    "relation": ref("Relation"),
    "differences": ref("Differences"),
    **BOUNDED,
    "highlight": {
        "type": "string",
        "description": "In search hits: HTML-escaped text, <mark> around the renderings of the words the "
        "query matched in the hit, only where the alignment is confident (else no mark)",
    },
}
TRANSLATION_REQUIRED = ["lang", "id", "ids", "text", "document", "confidence", "relation", "truncated"]
