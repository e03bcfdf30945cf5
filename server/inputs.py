"""Text a request brings must be text: UTF-8 without lone surrogates, percent-escapes that are escapes. What is
not is a 400 saying where, rather than text searched after replacement characters stood in for it."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

from indexer.errors import BadRequest

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def check_request_text(environ: dict) -> None:
    """Raise BadRequest unless the request's path and query string are well-escaped UTF-8."""
    # WSGI hands both as latin-1 strings of the bytes received; PATH_INFO is unescaped (by some servers after
    # replacing what is not UTF-8), so the path is read as sent where the server gives it (REQUEST_URI)
    raw = environ.get("REQUEST_URI")
    if raw is not None:
        path = raw.split("?", 1)[0].encode("latin-1", "replace")
        if _BAD_ESCAPE.search(path):
            raise BadRequest("the path holds a % that is not a percent-escape (% and two hexadecimal digits)")
        path = unquote_to_bytes(path)
    else:
        path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    _utf8(path, "the path")
    query = environ.get("QUERY_STRING", "").encode("latin-1", "replace")
    for field in query.split(b"&"):
        name = field.split(b"=", 1)[0]
        where = f"parameter {_utf8(unquote_to_bytes(name), 'a parameter name')}"
        bad = _BAD_ESCAPE.search(field)
        if bad:
            shown = field[bad.start() : bad.start() + 3].decode("latin-1")
            raise BadRequest(f"{where}: {shown!r} is not a percent-escape (% and two hexadecimal digits; %25 for %)")
        _utf8(unquote_to_bytes(field.replace(b"+", b" ")), where)


def json_object(body: bytes, shape: str) -> dict:
    """A request body that must be a JSON object, read and checked for text that is not text; `shape` is how
    the refusal shows what to send."""
    try:
        request = json.loads(body)
    except RecursionError:
        raise BadRequest("body nests too deeply") from None
    except (ValueError, UnicodeDecodeError):
        request = None
    if not isinstance(request, dict):
        raise BadRequest(f"body must be a JSON object {shape}")
    check_json_text(request)
    return request


def check_json_text(value, where: str = "the body") -> None:
    """Raise BadRequest if a parsed JSON value holds a string that is not Unicode text (a lone surrogate such
    as "\\ud800", which JSON's escapes allow and UTF-8 cannot encode)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRequest(
            f"{where} holds a lone surrogate (U+{ord(exc.object[exc.start]):04X}), which is not a character"
        ) from None


def _utf8(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start : exc.start + 1].hex().upper()
        raise BadRequest(
            f"{where} is not UTF-8 text (byte %{byte} at {exc.start}): percent-escape UTF-8 bytes"
        ) from None
