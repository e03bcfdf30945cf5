"""waitress set up for tandem: its own errors (413, 400, 431, 500, 501) in the API's JSON error shape."""

from __future__ import annotations

import ipaddress
import json
import resource
import time

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask, ThreadedTaskDispatcher
from waitress.utilities import RequestEntityTooLarge

# waitress refuses a body of max_request_body_size bytes or more; Flask refuses more than MAX_CONTENT_LENGTH.
# One byte of margin makes both limits the same number: a body of exactly max_request_bytes is accepted.
BODY_MARGIN = 1
HEALTH_PATH = "/api/health"


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
    """A waitress connection whose error answers are JSON, and whose request head must arrive whole within the
    idle timeout: waitress counts any byte as activity, so a client sending a header line now and then would
    hold its connection (and, a hundred of them, every connection) for ever."""

    error_task_class = JsonErrorTask
    _head_started = 0.0

    def received(self, data):
        """Note when a request's first bytes came, then let waitress parse them."""
        if self.request is None:
            self._head_started = time.time()
        return super().received(data)

    def handle_read(self):
        """Read; while a request's head is incomplete, the connection is as idle as when the head began."""
        super().handle_read()
        request = self.request
        if request is not None and not request.headers_finished:
            self.last_activity = self._head_started


class HealthApartDispatcher(ThreadedTaskDispatcher):
    """waitress's worker threads, and one more thread that only answers GET /api/health: health is answered
    while searches hold every worker thread (a shard that stopped answering, heavy queries)."""

    def __init__(self, threads: int):
        super().__init__()
        self.set_thread_count(threads)
        self._health = ThreadedTaskDispatcher()
        self._health.set_thread_count(1)

    def add_task(self, task):
        """Queue a connection's next request: health on its own thread, the rest on the workers."""
        requests = getattr(task, "requests", None)
        request = requests[0] if requests else None
        if (
            request is not None
            and getattr(request, "error", None) is None  # a request that failed to parse has no command
            and getattr(request, "command", None) in ("GET", "HEAD")
            and (getattr(request, "path", None) or "").endswith(HEALTH_PATH)
        ):
            self._health.add_task(task)
        else:
            super().add_task(task)

    def shutdown(self, cancel_pending=True, timeout=5):
        """Stop both sets of threads."""
        self._health.shutdown(cancel_pending, timeout)
        return super().shutdown(cancel_pending, timeout)


def create_server(
    app,
    host: str,
    port: int,
    threads: int,
    max_request_bytes: int,
    url_prefix: str = "",
    sock=None,
    max_connections: int = 1000,
    idle_seconds: int = 30,
    **kw,
):
    """A waitress server for `app` that reads no body larger than the app accepts and answers errors in JSON,
    answers health on a thread of its own, and closes connections idle (or sending a request head) for
    `idle_seconds`; on `sock` (an already listening socket, shared by several processes) instead of host and
    port."""
    from waitress.server import MultiSocketServer
    from waitress.server import create_server as waitress_server

    _raise_file_limit(max_connections + 100)  # each connection is a file descriptor; the index needs some too
    where = {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    server = waitress_server(
        app,
        threads=threads,
        url_prefix=url_prefix,
        max_request_body_size=max_request_bytes + BODY_MARGIN,
        connection_limit=max_connections,
        channel_timeout=idle_seconds,
        cleanup_interval=max(1, min(5, idle_seconds // 2)),  # how often idle connections are looked for
        asyncore_use_poll=True,  # select() cannot watch descriptors past 1024
        _dispatcher=HealthApartDispatcher(threads),
        **where,
        **kw,
    )
    # a host name may resolve to several addresses: each gets its own listening server in the shared map
    listeners = server.map.values() if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        if hasattr(listener, "channel_class"):
            listener.channel_class = JsonErrorChannel
    return server


def _raise_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))


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
