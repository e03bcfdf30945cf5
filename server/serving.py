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


def create_server(
    app, host: str, port: int, threads: int, max_request_bytes: int, url_prefix: str = "", sock=None, **kw
):
    """A waitress server for `app` that reads no body larger than the app accepts and answers errors in JSON;
    on `sock` (an already listening socket, shared by several processes) instead of host and port."""
    from waitress.server import MultiSocketServer
    from waitress.server import create_server as waitress_server

    where = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    server = waitress_server(
        app,
        threads=threads,
        url_prefix=url_prefix,
        max_request_body_size=max_request_bytes + BODY_MARGIN,
        **where,
        **kw,
    )
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


def serve_processes(make_server, host: str, port: int, workers: int, announce=None):
    """Run `workers` server processes accepting on one listening socket (for engines that hold the GIL
    while searching, such as Whoosh, this is how a server uses every core). Each process opens the index
    itself after the fork; they die with this parent, which stops them on SIGINT or SIGTERM. `announce` is
    called once the port is taken."""
    import os
    import signal
    import socket

    from indexer.processes import die_with_parent

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024)
    if announce is not None:
        announce()
    parent, children = os.getpid(), []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, measured by the serve tests from outside
            die_with_parent(parent)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                make_server(sock).run()
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum, frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sock.close()
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for clarity
                continue
