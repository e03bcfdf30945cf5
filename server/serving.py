"""waitress set up for tandem: its own errors (413, 400, 431, 500, 501) in the API's JSON error shape."""

from __future__ import annotations

import ipaddress
import json

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask
from waitress.utilities import RequestEntityTooLarge

# waitress refuses a body of max_request_body_size bytes or more; Flask refuses more than MAX_CONTENT_LENGTH.
# One byte of margin makes both limits the same number: a body of exactly max_request_bytes is accepted.
BODY_MARGIN = 1


class JsonErrorTask(ErrorTask):
    """waitress's error answer (written before the app is reached) as {"error": {"code", "message"}}."""

    def execute(self):
        """Write the error the request parser or the channel recorded, as JSON."""
        error = self.request.error
        code = error.reason.lower().replace(" ", "_")
        message = str(error.body)
        if isinstance(error, RequestEntityTooLarge):
            limit = self.channel.server.adj.max_request_body_size - BODY_MARGIN
            message = f"the request body is larger than {limit} bytes"
        body = json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    """A waitress connection whose error answers are JSON."""

    error_task_class = JsonErrorTask


def create_server(app, host: str, port: int, threads: int, max_request_bytes: int, url_prefix: str = "", **kw):
    """A waitress server for `app` that reads no body larger than the app accepts and answers errors in JSON."""
    from waitress.server import MultiSocketServer
    from waitress.server import create_server as waitress_server

    server = waitress_server(app, host=host, port=port, threads=threads, url_prefix=url_prefix,
                             max_request_body_size=max_request_bytes + BODY_MARGIN, **kw)
    # a host name may resolve to several addresses: each gets its own listening server in the shared map
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if hasattr(listener, "channel_class"):
            listener.channel_class = JsonErrorChannel
    return server


def is_loopback(host: str) -> bool:
    """True when `host` only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
