"""The Flask application factory: opens the index once, registers the API and the page."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, request
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException

from indexer.config import Config, load_config
from indexer.errors import TandemError

from .aligner import Aligner
from .errors import error_body
from .inputs import check_request_text
from .search import SearchService

log = logging.getLogger("tandem")


def create_app(config: Config | None = None, service: SearchService | None = None) -> Flask:
    """A tandem WSGI app for `config` (default: config.toml); the index opens here, once."""
    config = config or load_config()
    app = Flask(__name__, static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=config.max_request_bytes, JSON_SORT_KEYS=False)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["tandem.config"] = config
    app.extensions["tandem.search"] = service or SearchService(config)
    app.extensions["tandem.aligner"] = Aligner(config)
    if config.url_prefix:
        app.wsgi_app = PrefixMiddleware(app.wsgi_app, config.url_prefix)

    from .api import api, pages

    app.register_blueprint(api)
    app.register_blueprint(pages)
    _register_errors(app)
    _register_headers(app, config)
    return app


class PrefixMiddleware:
    """Serve under a path prefix behind a reverse proxy: /tandem/api/... reaches /api/... with
    SCRIPT_NAME=/tandem, so generated links keep the prefix. A server that already set SCRIPT_NAME
    (waitress's url_prefix) passes through unchanged."""

    def __init__(self, wsgi_app, prefix: str):
        self.wsgi_app = wsgi_app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        script = environ.get("SCRIPT_NAME", "")
        if path == self.prefix or (script.endswith(self.prefix) and path == ""):
            # "/tandem" -> "/tandem/": the page's relative links need the trailing slash
            query = environ.get("QUERY_STRING", "")
            location = (script if script.endswith(self.prefix) else script + self.prefix) + "/"
            start_response(
                "308 Permanent Redirect",
                [("Location", location + ("?" + query if query else "")), ("Content-Length", "0")],
            )
            return [b""]
        if not script.endswith(self.prefix) and path.startswith(self.prefix + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix) :] or "/"
        return self.wsgi_app(environ, start_response)


def _register_errors(app: Flask):
    @app.errorhandler(TandemError)
    def tandem_error(exc: TandemError):
        response = error_body(exc.code, exc.message, exc.status, **exc.details)
        if exc.details.get("retry_after"):
            response[0].headers["Retry-After"] = str(exc.details["retry_after"])
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        message = exc.description or exc.name
        if isinstance(exc, werkzeug_exceptions.NotFound):  # no route: say which, and where the routes are
            described = f"{request.script_root}/api/openapi.json"
            message = f"no such endpoint: {request.method} {request.path} (the API is described at {described})"
        response = error_body(code, message, exc.code or 500)
        if exc.code == 405 and exc.valid_methods:
            response[0].headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(sqlite3.DatabaseError)
    def catalog_damaged(exc: sqlite3.DatabaseError):
        generation = app.extensions["tandem.search"].generation
        log.error("reading the catalog of index generation %s failed: %s", generation, exc)
        return error_body(
            "index_damaged",
            f"the catalog of index generation {generation} cannot be read ({exc}); check it with `tandem verify`",
            503,
            generation=generation,
        )

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_body("internal_error", "internal error; the server log has the details", 500)


def _register_headers(app: Flask, config: Config):
    allowed = set(config.cors_origins)

    @app.after_request
    def headers(response):
        origin = request.headers.get("Origin")
        if origin and ("*" in allowed or origin in allowed):
            response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        response.headers.add("Vary", "Origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.method == "OPTIONS" or response.status_code in (301, 302, 303, 307, 308):
            # Flask answers these itself with HTML (a "Redirecting..." page) or an empty text/html body; they
            # carry nothing a client reads: no body, and no type claiming one (an empty body is not JSON)
            response.set_data(b"")
            response.headers.pop("Content-Type", None)
            if request.method == "OPTIONS" and response.status_code == 200:
                response.status_code = 204
        return response

    @app.before_request
    def readable_input():
        check_request_text(request.environ)
