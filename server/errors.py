"""The API's one JSON error shape, used by the app's error handlers and by routes that answer an error
themselves."""

from __future__ import annotations

from flask import jsonify


def error_body(code: str, message: str, status: int, **details):
    """The one JSON error shape: {"error": {"code", "message", ...details}}."""
    body = {"code": code, "message": message}
    body.update({k: v for k, v in details.items() if v is not None})
    return jsonify({"error": body}), status
