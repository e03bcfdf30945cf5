"""Routes: the JSON API under /api, the search page at / and the embeddable widget."""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, send_file

from indexer.engines.base import FACETS
from indexer.errors import BadRequest, NotFound, UnsupportedMediaType
from indexer.exports import LANG_TAGS

from .aligner import AlignerBusy
from .errors import error_body
from .excerpts import DOCUMENT_ROWS
from .lookup import lookup_request
from .openapi import openapi_document
from .schema_types import MAX_INT_ARG
from .schemas import EXPORT_TYPES

api = Blueprint("api", __name__, url_prefix="/api")
pages = Blueprint("pages", __name__)
STATIC = Path(__file__).parent / "static"
# Files served beside the page, with their types; nothing else in static/ is reachable.
STATIC_FILES = {
    "widget.js": "text/javascript",
    "state.js": "text/javascript",
    "hits.js": "text/javascript",
    "languages.js": "text/javascript",
    "lookup.js": "text/javascript",
    "terms.js": "text/javascript",
    "document.js": "text/javascript",
    "page.js": "text/javascript",
    "page.css": "text/css",
}
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
_DIGITS = re.compile(r"[0-9]{1,18}")  # ASCII only: int() would also take "٣", "５", "5_0", "+5"


def _service():
    return current_app.extensions["tandem.search"]


def _int_arg(name: str, default: int | None) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or int(raw) > MAX_INT_ARG:
        raise BadRequest(f"{name} must be a whole number from 0 to {MAX_INT_ARG} in ASCII digits (got {raw[:24]!r})")
    return int(raw)


@api.get("/health")
def health():
    """Liveness and what is being served."""
    service = _service()
    with service.reader() as rd:
        stats = rd.catalog.stats()
        unavailable = {**rd.unavailable(), **service.problems}
    return jsonify(
        {
            "status": "degraded" if unavailable else "ok",
            "unavailable": unavailable,
            "generation": service.generation,
            "languages": list(service.languages),
            "documents": {row["lang"]: row["documents"] for row in stats},
            "paragraphs": {row["lang"]: row["paragraphs"] for row in stats},
        }
    )


@api.get("/search")
def search():
    """Matching paragraphs with highlights, translations, facets and a spelling suggestion."""
    args = request.args
    result = _service().search(
        args.get("q", ""),
        lang=args.get("lang", "auto"),
        limit=_int_arg("limit", None),
        offset=_int_arg("offset", 0),
        symbol=args.get("symbol"),
        year=args.get("year"),
        kind=args.get("kind"),
        sort=args.get("sort", "relevance"),
        facets=_facets_arg(),
        base=request.script_root,
        targets=_list_arg("targets"),
    )
    return jsonify(result)


def _list_arg(name: str) -> tuple[str, ...] | None:
    """A comma-separated parameter as a tuple; None when absent."""
    raw = request.args.get(name)
    return None if raw is None else tuple(part.strip() for part in raw.split(",") if part.strip())


_FLAGS = {"": False, "0": False, "false": False, "1": True, "true": True}


def _flag_arg(name: str) -> bool:
    raw = request.args.get(name, "").lower()
    if raw not in _FLAGS:
        raise BadRequest(f"{name} must be 1, true, 0 or false (got {raw[:24]!r})")
    return _FLAGS[raw]


@api.get("/export")
def export():
    """The aligned pairs of a page of search hits as a TMX or CSV download."""
    args = request.args
    fmt = args.get("format", "tmx")
    if fmt not in EXPORT_TYPES:
        raise BadRequest(f"format must be one of {', '.join(EXPORT_TYPES)}")
    lang_tags = args.get("lang_tags", "region")
    if lang_tags not in LANG_TAGS:
        raise BadRequest(f"lang_tags must be one of {', '.join(LANG_TAGS)}")
    service = _service()
    limit = _int_arg("limit", service.config.default_limit)
    if not 1 <= limit <= service.config.max_limit:
        raise BadRequest(f"limit must be between 1 and {service.config.max_limit}")
    out = io.StringIO()
    service.export(
        out,
        fmt,
        args.get("q", ""),
        lang=args.get("lang", "auto"),
        limit=limit,
        offset=_int_arg("offset", 0),
        symbol=args.get("symbol"),
        year=args.get("year"),
        kind=args.get("kind"),
        sort=args.get("sort", "relevance"),
        include_other_years=_flag_arg("include_other_years"),
        lang_tags=lang_tags,
        excel=_flag_arg("excel"),
    )
    response = current_app.response_class(out.getvalue(), mimetype=EXPORT_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="tandem-results.{fmt}"'
    return response


def _facets_arg() -> tuple[str, ...]:
    """The facets asked for: all when the parameter is absent, none when it is empty."""
    raw = request.args.get("facets")
    if raw is None:
        return FACETS
    names = tuple(name.strip() for name in raw.split(",") if name.strip())
    unknown = [name for name in names if name not in FACETS]
    if unknown:
        raise BadRequest(f"facets must be some of {', '.join(FACETS)}, comma-separated (got {unknown[0][:24]!r})")
    return names


@api.get("/documents")
def documents():
    """Indexed documents, paginated."""
    return jsonify(_service().documents(limit=_int_arg("limit", 50), offset=_int_arg("offset", 0)))


@api.get("/documents/<path:symbol>/check")
def document_check(symbol: str):
    """A document's aligned paragraph pairs whose numbers, symbols or dates do not agree."""
    return jsonify(_service().check(symbol))


@api.get("/documents/<path:symbol>")
def document(symbol: str):
    """A document's paragraphs in each language, side by side by alignment, a page of rows at a time."""
    rows = _int_arg("limit", DOCUMENT_ROWS)
    return jsonify(_service().document(symbol, _int_arg("offset", 0), rows, base=request.script_root))


@api.get("/terms")
def terms():
    """How a term is translated: renderings from aligned translations, ranked by Dice's coefficient."""
    args = request.args
    return jsonify(
        _service().terms(
            args.get("q", ""), lang=args.get("lang", "auto"), limit=_int_arg("limit", 10), target=args.get("target")
        )
    )


@api.get("/paragraphs/<pid>")
def paragraph(pid: str):
    """One paragraph with its document and translations."""
    return jsonify(_service().paragraph(pid, base=request.script_root))


@api.post("/align")
def align():
    """Align two posted texts: the same JSON as `tandem align --format json`."""
    aligner = current_app.extensions["tandem.aligner"]
    if request.mimetype != "application/json":
        # a type a form may send (text/plain) would let another site start alignments without a preflight
        raise UnsupportedMediaType(
            f"the body must be sent as application/json (Content-Type was {request.mimetype or 'missing'!r})"
        )
    try:
        answer = aligner.align(request.get_data(cache=False))
    except AlignerBusy as busy:
        response = error_body(busy.code, busy.message, busy.status)
        response[0].headers["Retry-After"] = str(busy.details["retry_after"])
        return response
    return current_app.response_class(answer, mimetype="application/json")


@api.post("/lookup")
def lookup():
    """The stored segments most similar to a posted text: match scores, differences and translations."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            f"the body must be sent as application/json (Content-Type was {request.mimetype or 'missing'!r})"
        )
    return jsonify(lookup_request(_service(), request.get_data(cache=False)))


@api.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(request.script_root, tuple(_service().languages)))


@pages.get("/")
def index_page():
    """The search page: its script and styles are files, so the CSP allows nothing inline; never framed."""
    response = _static("index.html", "text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Frame-Options"] = "DENY"
    return response


@pages.get("/<name>")
def static_file(name: str):
    """The page's script and styles, and the embeddable widget script."""
    if name not in STATIC_FILES:
        raise NotFound("no such page or file")
    response = _static(name, STATIC_FILES[name])
    if name == "widget.js":
        response.headers["Access-Control-Allow-Origin"] = "*"  # a script tag may load it from any page
    return response


def _static(name: str, mimetype: str):
    return send_file(STATIC / name, mimetype=mimetype, max_age=300)
