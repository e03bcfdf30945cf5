"""Routes: the JSON API under /api, the search page at / and the embeddable widget."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, send_file

from indexer.errors import BadRequest
from indexer.formats import align_texts

from .openapi import openapi_document

api = Blueprint("api", __name__, url_prefix="/api")
pages = Blueprint("pages", __name__)
STATIC = Path(__file__).parent / "static"


def _service():
    return current_app.extensions["tandem.search"]


def _int_arg(name: str, default: int | None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer (got {raw!r})") from None


@api.get("/health")
def health():
    """Liveness and what is being served."""
    service = _service()
    with service.reader() as rd:
        stats = rd.catalog.stats()
    return jsonify({"status": "ok", "generation": service.generation, "languages": list(service.languages),
                    "documents": {row["lang"]: row["documents"] for row in stats},
                    "paragraphs": {row["lang"]: row["paragraphs"] for row in stats}})


@api.get("/search")
def search():
    """Matching paragraphs with highlights, translations, facets and a spelling suggestion."""
    args = request.args
    result = _service().search(
        args.get("q", ""), lang=args.get("lang", "auto"), limit=_int_arg("limit", None),
        offset=_int_arg("offset", 0), symbol=args.get("symbol"), year=args.get("year"), kind=args.get("kind"),
        sort=args.get("sort", "relevance"))
    return jsonify(result)


@api.get("/documents")
def documents():
    """Indexed documents, paginated."""
    return jsonify(_service().documents(limit=_int_arg("limit", 50), offset=_int_arg("offset", 0)))


@api.get("/documents/<path:symbol>")
def document(symbol: str):
    """A document's paragraphs in each language, side by side by alignment."""
    return jsonify(_service().document(symbol))


@api.get("/paragraphs/<pid>")
def paragraph(pid: str):
    """One paragraph with its document and translations."""
    return jsonify(_service().paragraph(pid))


@api.post("/align")
def align():
    """Align two posted texts: the same JSON as `tandem align --format json`."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest('body must be a JSON object {"source": text, "target": text}')
    texts = [body.get("source"), body.get("target")]
    if not all(isinstance(t, str) and t.strip() for t in texts):
        raise BadRequest("source and target must both be non-empty strings")
    return jsonify(align_texts(texts[0], texts[1], current_app.extensions["tandem.config"].languages))


@api.get("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document(request.script_root))


@pages.get("/")
def index_page():
    """The search page."""
    response = _static("index.html", "text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'")
    return response


@pages.get("/widget.js")
def widget():
    """The embeddable widget script."""
    response = _static("widget.js", "text/javascript")
    response.headers["Access-Control-Allow-Origin"] = "*"  # a script tag may load it from any page
    return response


def _static(name: str, mimetype: str):
    return send_file(STATIC / name, mimetype=mimetype, max_age=300)
