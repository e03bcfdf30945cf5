"""The JSON schemas of the translators' questions: how a term was rendered (GET /api/terms) and whether a
passage was translated before (POST /api/lookup)."""

from __future__ import annotations

from .schema_types import (
    INT,
    LANGS,
    NINT,
    NUM,
    PARAGRAPH,
    STR,
    TEXT,
    TRANSLATION,
    TRANSLATION_REQUIRED,
    VALUES,
    obj,
    ref,
)

QUESTION_SCHEMAS = {
    "TermsResponse": obj(
        {
            "query": STR,
            "lang": {"enum": LANGS},
            "target": {"enum": LANGS},
            "paragraphs": {**INT, "description": "Paragraphs holding the term"},
            "pairs_seen": {
                **INT,
                "description": "Aligned pairs read: of the paragraphs holding the term (at most 500, best first), "
                "the first translation from the same document and the first from another year's version",
            },
            "pairs_by_relation": {
                **obj({"same": INT, "other_year": INT}),
                "description": "pairs_seen, same-document translations and another year's apart",
            },
            "renderings": {
                "type": "array",
                "description": "One row per rendering, most aligned pairs first, its pairs counted by relation "
                "inside it",
                "items": ref("TermRendering"),
            },
        }
    ),
    "TermRendering": obj(
        {
            "text": {**STR, "description": "Its most frequent spelling"},
            "count": {**INT, "description": "Aligned pairs whose best-associated rendering it is"},
            "share": {**NUM, "minimum": 0, "maximum": 1, "description": "count / pairs_seen"},
            "by_relation": {
                **obj(
                    {
                        relation: obj({"count": INT, "share": {**NUM, "minimum": 0, "maximum": 1}})
                        for relation in ("same", "other_year")
                    }
                ),
                "description": "count and share (of pairs_by_relation) for translations of the same document and "
                "of another year's version",
            },
            "relation": {
                **obj({"type": {"enum": ["same", "other_year"]}, "label": STR}),
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
                "items": obj(
                    {
                        "id": STR,
                        "text": STR,
                        "translation": obj({"id": STR, "text": STR}),
                        "relation": obj({"type": {"enum": ["same", "other_year"]}, "label": STR}),
                    }
                ),
            },
        }
    ),
    "LookupRequest": obj(
        {
            "text": {
                **TEXT,
                "maxLength": 5000,
                "description": "The segment to look up (a sentence or a paragraph)",
            },
            "lang": {"enum": ["auto", *LANGS], "default": "auto", "description": "auto: by its script"},
            "min_score": {"type": "integer", "minimum": 0, "maximum": 100, "default": 70},
            "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
        },
        required=["text"],
    ),
    "LookupTranslation": obj(
        {
            **TRANSLATION,
            "paragraph_text": {**STR, "description": "The translation's paragraph(s) whole"},
            "aligned": {
                "enum": ["paragraph", "sentence", "sentences"],
                "description": "text is the paragraph whole, or the sentence(s) aligned with the segment "
                "(one to one: sentence)",
            },
            "segment": obj({"start": INT, "end": INT}),
        },
        [*TRANSLATION_REQUIRED, "paragraph_text", "aligned"],
    ),
    "LookupMatch": obj(
        {
            **{k: v for k, v in PARAGRAPH.items() if k != "translations"},
            "match": {"type": "integer", "minimum": 0, "maximum": 100, "description": "CAT match score (README)"},
            "segment": obj({"seq": NINT, "of": INT, "start": INT, "end": INT, "text": STR}),
            "highlight": {
                **STR,
                "description": "The segment HTML-escaped, <del> its words that differ, <ins> "
                "the words of the text in their place",
            },
            "changes": {
                "type": "array",
                "items": obj(
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
                **obj({"only_stored": VALUES, "only_text": VALUES}),
                "description": "Numbers, symbols and dates written in the stored segment only, or in the text only",
            },
            "translations": {"type": "array", "items": ref("LookupTranslation")},
        }
    ),
    "LookupResponse": obj(
        {
            "text": STR,
            "lang": {"enum": list(LANGS)},
            "min_score": INT,
            "limit": INT,
            "took_ms": NUM,
            "matches": {"type": "array", "items": ref("LookupMatch")},
            "subsegments": {
                "type": "array",
                "items": ref("LookupRun"),
                "description": "When no segment scores min_score: the longest runs of the text (3 words, 4 "
                "Chinese characters or more) found verbatim, longest first",
            },
        }
    ),
    "LookupRun": obj(
        {
            "text": STR,
            "start": INT,
            "end": INT,
            "words": INT,
            "found": {
                **obj(
                    {
                        **{k: v for k, v in PARAGRAPH.items() if k != "translations"},
                        "segment": obj({"start": INT, "end": INT, "text": STR}),
                        "translations": {"type": "array", "items": ref("HitTranslation")},
                    }
                ),
                "description": "The paragraph holding the run, its translations' highlight marking the run's "
                "rendering where the alignment is confident",
            },
        }
    ),
}
