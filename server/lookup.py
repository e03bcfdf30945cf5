"""JSON of segment lookups (POST /api/lookup, `tandem lookup`): each match as a search hit is shown, with its
score, its differences from the text asked, and its translations narrowed to the aligned sentences; and the
CAT analysis of a batch of segments."""

from __future__ import annotations

import time

from indexer.analysis import detect_lang
from indexer.checks import differences
from indexer.errors import BadRequest
from indexer.lookup import SegmentMatch, check_text, find_matches
from indexer.lookup_score import diff_html, tokens
from indexer.readers.un_text import parse_un_text
from indexer.segments import segments_of, sentence_links
from indexer.sentences import sentence_spans
from indexer.subsegments import verbatim_runs

from .inputs import json_object
from .marks import TranslationMarks
from .serializers import Documents, paragraph_json, translations_json

# The CAT tools' analysis bands, best first: (label, lowest score).
BANDS = (("100%", 100), ("95-99%", 95), ("85-94%", 85), ("75-84%", 75), ("no match", 0))


def band(score: int | None) -> str:
    """The analysis band of a best match's score (None: nothing found)."""
    for label, low in BANDS:
        if score is not None and score >= low and low > 0:
            return label
    return "no match"


def matches_json(catalog, matches: list[SegmentMatch], languages: tuple[str, ...]) -> list[dict]:
    """Matches as hits: the paragraph and document, `match`, `segment`, `highlight` (the segment with `<del>`
    and `<ins>` marks), `changes`, `numbers` and `translations` (each narrowed to the sentences aligned with
    the segment where the paragraph has several)."""
    ids = [m.paragraph for m in matches]
    paras = catalog.paragraphs(ids)
    links = catalog.translations(ids)
    docs = Documents(catalog)
    docs.read(
        [p["doc"] for p in paras.values()]
        + [link["paragraphs"][0]["doc"] for v in links.values() for link in v if link["paragraphs"]]
    )
    other_ids = [o["id"] for v in links.values() for link in v for o in link["paragraphs"]]
    other_segments = segments_of(catalog, other_ids)
    own_segments = segments_of(catalog, ids)
    out = []
    for m in matches:
        p = paras[m.paragraph]
        hit = paragraph_json(p, docs)
        hit["match"] = m.score
        hit["segment"] = {"seq": m.seq, "of": m.segments, "start": m.start, "end": m.end, "text": m.text}
        hit["highlight"] = diff_html(m.text, m.changes)
        hit["changes"] = [c.as_dict() for c in m.changes]
        hit["numbers"] = m.numbers
        translations = translations_json(p, links.get(m.paragraph, []), docs)
        for t in translations:
            _narrow(t, m, own_segments[m.paragraph], other_segments, hit["lang"], languages, catalog)
        hit["translations"] = translations
        out.append(hit)
    return out


def _narrow(t: dict, m: SegmentMatch, own: list, other_segments: dict, lang: str, languages, catalog) -> None:
    """A translation's sentences aligned with the matched segment, as the build aligned them (indexer.segments:
    a sentence of a paragraph of several, in a one-to-one link with a paragraph of several), else the
    translation whole."""
    t["paragraph_text"] = t["text"]
    t["aligned"] = "paragraph"
    if m.seq is None or len(own) < 2 or len(t["ids"]) != 1:
        return
    other = other_segments.get(t["id"]) or []
    if len(other) < 2:
        return
    stored = sentence_links(catalog, m.paragraph, m.seq, t["id"])
    if stored is None:  # a paragraph linked with its neighbours (2:1): its sentences were not aligned alone
        return
    picked, one_to_one = stored
    text = t["text"]
    a, b = other[picked[0]][0], other[picked[-1]][1]
    t["text"] = text[a:b]
    t["segment"] = {"start": a, "end": b}
    t["aligned"] = "sentence" if one_to_one else "sentences"
    if "differences" in t:  # another year's version: what to update, sentence against sentence
        sides = {lang: m.text, t["lang"]: t["text"]}
        if set(sides) == set(languages[:2]):
            t["differences"] = differences(sides[languages[0]], sides[languages[1]]).as_dict()


def analysis_json(rows: list[dict]) -> dict:
    """The CAT analysis of a batch: segments and words counted by the band of their best match."""
    counts = {label: {"segments": 0, "words": 0} for label, _ in BANDS}
    for row in rows:
        counts[row["band"]]["segments"] += 1
        counts[row["band"]]["words"] += row["words"]
    return {"segments": len(rows), "bands": counts}


def _whole(value):
    """A JSON number that is a whole number (5.0, as JSON Schema's integers allow) as an int; else as given."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _settings(service, text: str, lang: str | None, min_score: int, limit: int) -> tuple[str, int, int]:
    """The language looked up in (recognised from the text for "auto"), the minimum score and the limit, checked."""
    min_score, limit = _whole(min_score), _whole(limit)
    if isinstance(min_score, bool) or not isinstance(min_score, int) or not 0 <= min_score <= 100:
        raise BadRequest("min_score must be a whole number from 0 to 100")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= service.config.max_limit:
        raise BadRequest(f"limit must be a whole number from 1 to {service.config.max_limit}")
    if lang in (None, "", "auto"):
        return detect_lang(text, service.languages), min_score, limit
    if lang not in service.languages:
        raise BadRequest(f"lang must be auto or one of {', '.join(service.languages)}")
    return lang, min_score, limit


def lookup(service, text: str, lang: str | None = "auto", min_score: int = 70, limit: int = 10) -> dict:
    """POST /api/lookup: the stored segments most similar to a text, best first, as matches_json shows them."""
    started = time.perf_counter()
    text = check_text(text)
    lang, min_score, limit = _settings(service, text, lang, min_score, limit)
    with service.reader() as rd:
        found = find_matches(rd.searcher, rd.catalog, text, lang, min_score, limit)
        matches = matches_json(rd.catalog, found, service.languages)
        subsegments = [] if matches else runs_json(service, rd, text, lang)
    return {
        "text": text,
        "lang": lang,
        "min_score": min_score,
        "limit": limit,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
        "matches": matches,
        "subsegments": subsegments,
    }


def runs_json(service, rd, text: str, lang: str) -> list[dict]:
    """Subsegment matches (indexer.subsegments) for a text nothing matches well: each run of its words found
    verbatim, the paragraph it was found in, and that paragraph's translations with the run's rendering marked
    where the alignment is confident (server.marks, as search marks the words of a query)."""
    runs = verbatim_runs(rd.searcher, rd.catalog, text, lang)
    if not runs:
        return []
    ids = [r.paragraph for r in runs]
    paras = rd.catalog.paragraphs(ids)
    links = rd.catalog.translations(ids)
    docs = Documents(rd.catalog)
    target = next((code for code in service.languages if code != lang), None)
    out = []
    for run in runs:
        p = paras[run.paragraph]
        piece = text[run.start : run.end]
        marks = None
        if target is not None:
            marks = TranslationMarks.for_query(
                '"' + piece.replace('"', " ") + '"', lang, target, rd, service.term_finding
            )
        found = paragraph_json(p, docs)
        found["segment"] = {
            "start": run.found_start,
            "end": run.found_end,
            "text": p["text"][run.found_start : run.found_end],
        }
        found["translations"] = translations_json(p, links.get(run.paragraph, []), docs, marks)
        out.append({"text": piece, "start": run.start, "end": run.end, "words": run.words, "found": found})
    return out


def document_segments(text: str, lang: str) -> list[str]:
    """The segments of a document to look up: its paragraphs as the plain-text reader finds them (wrapped lines
    joined, footnotes apart), each paragraph's sentences."""
    doc = parse_un_text(text, lang=lang)
    return [p.text[a:b] for p in doc.paragraphs for a, b in sentence_spans(p.text, lang)]


def lookup_batch(service, segments: list[str], lang: str | None = "auto", min_score: int = 70) -> dict:
    """Each segment's best match and score, and the CAT analysis: segments and words by band (100%, 95-99%,
    85-94%, 75-84%, no match; a best match under 75 counts as no match)."""
    segments = [s.strip() for s in segments if s.strip()]
    if not segments:
        raise BadRequest("no segment to look up")
    lang, min_score, _ = _settings(service, "\n".join(segments), lang, min_score, 1)
    rows = []
    with service.reader() as rd:
        for text in segments:
            check_text(text)
            found = find_matches(rd.searcher, rd.catalog, text, lang, min_score, 1)
            best = matches_json(rd.catalog, found, service.languages)[0] if found else None
            score_ = best["match"] if best else None
            rows.append(
                {"text": text, "words": len(tokens(text).forms), "match": score_, "band": band(score_), "best": best}
            )
    return {"lang": lang, "min_score": min_score, "segments": rows, "analysis": analysis_json(rows)}


def lookup_request(service, body: bytes) -> dict:
    """POST /api/lookup's body {"text", "lang"?, "min_score"?, "limit"?} read, checked and answered."""
    request = json_object(body, '{"text": "the segment to look up"}')
    text = request.get("text")
    if not isinstance(text, str):
        raise BadRequest("text must be a string: the segment to look up")
    lang = request.get("lang", "auto")
    if not isinstance(lang, str):
        raise BadRequest(f"lang must be auto or one of {', '.join(service.languages)}")
    return lookup(service, text, lang, request.get("min_score", 70), request.get("limit", 10))
